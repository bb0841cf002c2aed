from django.urls import path

from cleanprod.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.RegionListView.as_view(), name="list"),
    path("<str:pk>/", views.RegionDetailView.as_view(), name="detail"),
]
