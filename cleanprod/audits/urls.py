from django.urls import path

from cleanprod.audits import views, views_facts

app_name = "audits"
urlpatterns = [
    path("", views.AuditListView.as_view(), name="audit-list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.AuditDetailView.as_view(), name="audit-detail"),
    path("<int:pk>/act/<str:action>/", views.audit_action, name="audit-action"),
    path("<int:pk>/documents/<int:doc>/", views.document_download, name="document"),
    path("<int:pk>/reviews/<int:review>/pdf/", views.review_document, name="review-pdf"),
    path("panels/", views.panel_list, name="panel-list"),
    path("panels/<int:pk>/", views.panel_sheet, name="panel-sheet"),
    path("agencies/<int:pk>/record/", views.agency_record_view, name="agency-record"),
    path("facts/", views_facts.fact_list, name="fact-list"),
    path("facts/<slug:kind>/add/", views_facts.fact_add, name="fact-add"),
    path("facts/<slug:kind>/import/", views_facts.fact_import, name="fact-import"),
    path("facts/<slug:kind>/template.xlsx", views_facts.fact_template, name="fact-template"),
    path("facts/<slug:kind>/<int:pk>/evidence/", views_facts.fact_evidence, name="fact-evidence"),
    path("rosters/", views.RosterListView.as_view(), name="roster-list"),
    path("rosters/propose/", views.RosterProposeView.as_view(), name="roster-propose"),
    path("rosters/<int:pk>/", views.RosterDetailView.as_view(), name="roster-detail"),
    path("rosters/<int:pk>/<str:action>/", views.roster_action, name="roster-action"),
]
