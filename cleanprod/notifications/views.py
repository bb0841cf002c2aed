from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.generic import ListView

from cleanprod.notifications.models import Notification
from cleanprod.platform.permissions import CHANGE, VIEW


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "notifications/list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Notification]:
        return Notification.objects.restrict(self.request.user, VIEW)


def mark_all_read(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.user.is_authenticated:
        Notification.objects.restrict(request.user, CHANGE).update(read=True)
    return HttpResponseRedirect("/notifications/")
