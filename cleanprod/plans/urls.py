from django.urls import path

from cleanprod.plans import capacity_views, decomposition_views, training_views, views

app_name = "plans"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.dashboard_export, name="dashboard-export"),
    path("targets/", views.target_list, name="target-list"),
    path("targets/<slug:slug>/", views.target_detail, name="target-detail"),
    path(
        "targets/<slug:slug>/decompose/",
        decomposition_views.decompose,
        name="target-decompose",
    ),
    path(
        "targets/<slug:slug>/decompose.xlsx",
        decomposition_views.decompose_export,
        name="target-decompose-export",
    ),
    path("technologies/", views.technology_list, name="technology-list"),
    path("technologies/add/", views.technology_add, name="technology-add"),
    path("technologies/<slug:slug>/", views.technology_detail, name="technology-detail"),
    path("carbon/<int:pk>/", views.carbon_detail, name="carbon-detail"),
    path("annual-plans/", views.annual_plans, name="annual-plans"),
    path("training/", training_views.session_list, name="training-list"),
    path("training/add/", training_views.session_add, name="training-add"),
    path("training/template.xlsx", training_views.attendance_template, name="training-template"),
    path("training/<int:pk>/", training_views.session_detail, name="training-detail"),
    path("records/", capacity_views.record_list, name="record-list"),
    path("records/<slug:kind>/add/", capacity_views.record_add, name="record-add"),
    path("records/<slug:kind>/import/", capacity_views.record_import, name="record-import"),
    path(
        "records/<slug:kind>/template.xlsx",
        capacity_views.record_template,
        name="record-template",
    ),
    path("audits/<int:pk>/co-benefits/", views.audit_cobenefits_view, name="audit-cobenefits"),
]
