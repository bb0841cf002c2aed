"""Who reaches which registry rows (see cleanprod.accounts.permissions)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from cleanprod.accounts.permissions import ALL_ACTIONS, Policy, register
from cleanprod.industries.models import code_range_q
from cleanprod.registry.models import Agency, AgencyStaff, Engagement, Enterprise, Expert, Park


def active_engagement_q(prefix: str = "") -> Q:
    today = date.today()
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})


def served_by(user: Any) -> Q:
    """Enterprises the user's agency serves under an active engagement."""
    ids = Engagement.objects.filter(active_engagement_q(), agency_id=user.agency_id).values(
        "enterprise_id"
    )
    return Q(pk__in=ids)


def association_industries(user: Any, field: str) -> Q | None:
    divisions = list(user.association_scope.values_list("code", flat=True))
    return code_range_q(field, divisions) if divisions else None


def register_policies() -> None:
    register(
        Enterprise,
        Policy(
            region="region_id",
            own=lambda u: Q(pk=u.enterprise_id) if u.enterprise_id else None,
            parties={
                "agency": served_by,
                "association": lambda u: association_industries(u, "industry_code"),
            },
        ),
    )
    register(
        Park,
        Policy(
            region="region_id",
            public=Q(published=True),
            parties={"enterprise": lambda u: Q(members=u.enterprise_id)},
            distinct=True,
        ),
    )
    register(
        Agency,
        Policy(
            region="region_id",
            public=Q(published=True),
            own=lambda u: Q(pk=u.agency_id) if u.agency_id else None,
            parties={
                "enterprise": lambda u: Q(
                    pk__in=Engagement.objects.filter(enterprise_id=u.enterprise_id).values(
                        "agency_id"
                    )
                ),
            },
        ),
    )
    register(
        AgencyStaff,
        Policy(
            region="agency__region_id",
            own=lambda u: Q(agency_id=u.agency_id) if u.agency_id else None,
            own_actions=ALL_ACTIONS,
        ),
    )
    register(
        Expert,
        Policy(
            region="region_id",
            own=lambda u: Q(pk=u.expert_id) if u.expert_id else None,
            parties={"agency": lambda u: Q(employer_agency_id=u.agency_id)},
        ),
    )
    register(
        Engagement,
        Policy(
            region="enterprise__region_id",
            parties={
                "enterprise": lambda u: Q(enterprise_id=u.enterprise_id),
                "agency": lambda u: Q(agency_id=u.agency_id),
            },
        ),
    )
