from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangelogConfig(AppConfig):
    name = "cleanprod.changelog"
    verbose_name = _("Change log")

    def ready(self) -> None:
        # Models and policies load once the app registry is ready.
        from cleanprod.changelog import signals  # noqa: F401 (connects the receivers)
        from cleanprod.changelog.policies import register_policies

        register_policies()
