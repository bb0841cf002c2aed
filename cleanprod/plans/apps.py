from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "cleanprod.plans"
    verbose_name = _("Plans, targets and progress")

    def ready(self) -> None:
        # Models and policies load once the app registry is ready.
        from cleanprod.plans.policies import register_policies

        register_policies()
