from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "cleanprod.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Models and policies load once the app registry is ready.
        from cleanprod.jobs.policies import register_policies

        register_policies()
