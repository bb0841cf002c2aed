"""Who reaches which users and reference data."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from cleanprod.accounts.models import User
from cleanprod.industries.models import Industry, IndustryGroup, IndustryGroupMember
from cleanprod.platform.permissions import ALL_ACTIONS, CHANGE, VIEW, Policy, region_q, register
from cleanprod.regions.models import Region

# What a user may change about itself: its name, contact details and password.
SELF_EDITABLE = frozenset({"first_name", "last_name", "email", "password"})


def users_in_region(user: Any) -> Q:
    """Users whose own region, or whose organisation's region, lies in the admin's subtree."""
    # Superusers (the platform's operators) are out of every administrator's reach.
    if user.region_id is None:
        return Q(is_superuser=False)
    q = Q()
    for path in ("region_id", "enterprise__region_id", "agency__region_id", "expert__region_id"):
        q |= region_q(path, user)
    return q & Q(is_superuser=False)


def register_policies() -> None:
    for model in (Region, Industry, IndustryGroup, IndustryGroupMember):
        register(model, Policy(reference=True))
    register(
        User,
        Policy(
            region=users_in_region,
            own=lambda u: Q(pk=u.pk),
            own_actions=frozenset({VIEW, CHANGE}),
            # Who a user is (party, organisation, role, region, department, active) is changed
            # only by an administrator whose scope covers the old and the new value.
            own_fields=SELF_EDITABLE,
            role_actions={"administrator": ALL_ACTIONS},
        ),
    )
