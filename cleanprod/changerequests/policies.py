"""Who reaches which change requests (see cleanprod.platform.permissions).

Authorities decide the requests of organisations in their region (officers and
administrators: ``change`` = approve or reject; viewers read). The user who asked reads its
own requests and may withdraw them.
"""

from __future__ import annotations

from django.db.models import Q

from cleanprod.changerequests.models import ChangeRequest
from cleanprod.platform.permissions import CHANGE, READ, Policy, register


def register_policies() -> None:
    register(
        ChangeRequest,
        Policy(
            region="region_id",
            own=lambda u: Q(requested_by_id=u.pk),
            own_actions=READ | {CHANGE},
        ),
    )
