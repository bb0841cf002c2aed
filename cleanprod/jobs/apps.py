from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "cleanprod.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from django.db.models import Q

        from cleanprod.jobs.models import Job
        from cleanprod.platform.permissions import READ, Policy, register

        # A user watches its own jobs; superusers (allowed_q) see every job, scheduled ones too.
        register(Job, Policy(own=lambda u: Q(user_id=u.pk), own_actions=READ))
