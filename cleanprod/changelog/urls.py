from django.urls import path

from cleanprod.changelog.views import ChangeLogView

app_name = "changelog"
urlpatterns = [path("", ChangeLogView.as_view(), name="list")]
