from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cleanprod.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Models and policies load once the app registry is ready.
        from cleanprod.notifications.policies import register_policies

        register_policies()
