from django.urls import path

from cleanprod.industries import views

app_name = "industries"
urlpatterns = [
    path("", views.IndustryListView.as_view(), name="list"),
    path("groups/<slug:pk>/", views.IndustryGroupDetailView.as_view(), name="group-detail"),
]
