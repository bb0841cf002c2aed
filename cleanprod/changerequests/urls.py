from django.urls import path

from cleanprod.changerequests import views

app_name = "changerequests"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/<str:kind>/<int:pk>/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/evidence/", views.evidence, name="evidence"),
]
