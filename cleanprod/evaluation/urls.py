from django.urls import path

from cleanprod.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.SystemListView.as_view(), name="system-list"),
    path("grading/", views.grading, name="grading"),
    path("systems/<slug:slug>/", views.SystemDetailView.as_view(), name="system-detail"),
    path("systems/<slug:slug>/template.csv", views.template_csv, name="system-template"),
    path("systems/<slug:slug>/assess/", views.assess, name="assess"),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment-detail"),
]
