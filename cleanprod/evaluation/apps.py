"""Evaluation app: grading against indicator systems (core: cleanprod.core.scoring)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "cleanprod.evaluation"
    label = "evaluation"
    verbose_name = _("Cleaner-production evaluation")

    def ready(self) -> None:
        # Models and policies load once the app registry is ready.
        from cleanprod.evaluation.policies import register_policies

        register_policies()
