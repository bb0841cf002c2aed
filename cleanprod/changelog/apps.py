from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangelogConfig(AppConfig):
    name = "cleanprod.changelog"
    verbose_name = _("Change log")

    def ready(self) -> None:
        from django.db.models import Q

        from cleanprod.changelog import signals  # noqa: F401
        from cleanprod.changelog.models import ObjectChange
        from cleanprod.platform.permissions import READ, Policy, register

        # Authorities search the log within their region; everyone sees their own changes.
        # Nobody writes it but the platform itself: every role only reads.
        register(
            ObjectChange,
            Policy(
                region="region_code",
                own=lambda u: Q(user_id=u.pk),
                own_actions=READ,
                role_actions={"viewer": READ, "officer": READ, "administrator": READ},
            ),
        )
