"""Who acts on an audit in which capacity."""

from __future__ import annotations

from typing import Any

from cleanprod.audits.models import Audit
from cleanprod.audits.workflow import AGENCY, AUTHORITY, ENTERPRISE
from cleanprod.platform.permissions import CHANGE, can


def capacity(user: Any, audit: Audit) -> str | None:
    """The role ``user`` plays on ``audit`` (enterprise, agency, authority), if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.party == ENTERPRISE and (
        user.enterprise_id == audit.enterprise_id
        or audit.members.filter(pk=user.enterprise_id).exists()
    ):
        return ENTERPRISE
    if (
        user.party == AGENCY
        and audit.agency_id
        and user.agency_id == audit.agency_id
        and can(user, CHANGE, audit)  # only while its engagement with the enterprise is active
    ):
        return AGENCY
    if (user.party == AUTHORITY or user.is_superuser) and can(user, CHANGE, audit):
        return AUTHORITY
    return None
