from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangeRequestsConfig(AppConfig):
    name = "cleanprod.changerequests"
    verbose_name = _("Change requests")

    def ready(self) -> None:
        # Models and policies load once the app registry is ready.
        from cleanprod.changerequests.policies import register_policies

        register_policies()
