"""Who reaches which rows of this app (see cleanprod.platform.permissions)."""

from __future__ import annotations

from django.db.models import Q

from cleanprod.jobs.models import Job
from cleanprod.platform.permissions import READ, Policy, register


def register_policies() -> None:
    # A user watches its own jobs; superusers (allowed_q) see every job, scheduled ones too.
    register(Job, Policy(own=lambda u: Q(user_id=u.pk), own_actions=READ))
