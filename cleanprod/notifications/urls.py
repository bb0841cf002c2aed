from django.urls import path

from cleanprod.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("read/", views.mark_all_read, name="read"),
]
