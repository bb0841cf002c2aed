"""Who acts on an audit in which capacity."""

from __future__ import annotations

from typing import Any

from cleanprod.audits.models import Audit
from cleanprod.audits.workflow import AGENCY, AUTHORITY, ENTERPRISE
from cleanprod.platform.permissions import CHANGE, can, party_of


def capacity(user: Any, audit: Audit) -> str | None:
    """The role ``user`` plays on ``audit`` (enterprise, agency, authority), if any.

    Whoever may ``change`` the audit under its policy works on it (the enterprise and its
    members, the agency while engaged, the authorities of its region); the party says in which
    capacity. Experts and viewers only read.
    """
    if not can(user, CHANGE, audit):
        return None
    role = party_of(user)
    return role if role in (ENTERPRISE, AGENCY, AUTHORITY) else None
