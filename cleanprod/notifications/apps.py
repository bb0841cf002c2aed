from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cleanprod.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.db.models import Q

        from cleanprod.notifications.models import Notification
        from cleanprod.platform.permissions import READ, Policy, register

        register(Notification, Policy(own=lambda u: Q(user_id=u.pk), own_actions=READ | {"change"}))
