"""Who reaches which rows of this app (see cleanprod.platform.permissions)."""

from __future__ import annotations

from django.db.models import Q

from cleanprod.notifications.models import Notification
from cleanprod.platform.permissions import READ, Policy, register


def register_policies() -> None:
    register(Notification, Policy(own=lambda u: Q(user_id=u.pk), own_actions=READ | {"change"}))
