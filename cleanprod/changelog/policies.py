"""Who reaches which rows of this app (see cleanprod.platform.permissions)."""

from __future__ import annotations

from django.db.models import Q

from cleanprod.changelog.models import ObjectChange
from cleanprod.platform.permissions import READ, Policy, register


def register_policies() -> None:
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
