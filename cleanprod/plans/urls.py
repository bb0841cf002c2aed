from django.urls import path

from cleanprod.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.dashboard_export, name="dashboard-export"),
    path("targets/", views.target_list, name="target-list"),
    path("targets/<slug:slug>/", views.target_detail, name="target-detail"),
    path("technologies/", views.technology_list, name="technology-list"),
    path("technologies/add/", views.technology_add, name="technology-add"),
    path("technologies/<slug:slug>/", views.technology_detail, name="technology-detail"),
    path("carbon/<int:pk>/", views.carbon_detail, name="carbon-detail"),
    path("annual-plans/", views.annual_plans, name="annual-plans"),
    path("audits/<int:pk>/co-benefits/", views.audit_cobenefits_view, name="audit-cobenefits"),
]
