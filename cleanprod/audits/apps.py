from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "cleanprod.audits"
    verbose_name = _("Cleaner-production audits")

    def ready(self) -> None:
        # Models and policies load once the app registry is ready.
        from cleanprod.audits.policies import register_policies

        register_policies()
