"""Who reaches which registry rows (see cleanprod.platform.permissions)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from cleanprod.industries.models import code_range_q
from cleanprod.platform.permissions import ADD, ALL_ACTIONS, CHANGE, READ, Policy, register
from cleanprod.registry.models import Agency, AgencyStaff, Engagement, Enterprise, Expert, Park


def active_engagement_q(prefix: str = "") -> Q:
    today = date.today()
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})


def active_clients(agency_id: int | None) -> Any:
    """Ids of the enterprises an agency serves under an active engagement (a subquery)."""
    return Engagement.objects.filter(active_engagement_q(), agency_id=agency_id).values(
        "enterprise_id"
    )


def served_by(user: Any) -> Q:
    """Enterprises the user's agency serves under an active engagement."""
    return Q(pk__in=active_clients(user.agency_id))


def association_industries(user: Any, field: str) -> Q | None:
    divisions = list(user.association_scope.values_list("code", flat=True))
    return code_range_q(field, divisions) if divisions else None


# What an organisation may change about itself. The rest is regulated (an enterprise's USCC,
# region, industry, scale, park and status; an agency's filing, validity and industry scope; an
# expert's title, specialties and employer): changed only by the competent authority, on its
# own initiative or by approving the organisation's change request (cleanprod.changerequests).
ENTERPRISE_SELF = frozenset(
    {"name", "address", "contact_name", "contact_phone", "discharge_permit_no"}
)
AGENCY_SELF = frozenset({"name", "address", "contact_phone"})
EXPERT_SELF = frozenset({"name", "phone", "email"})
ENGAGING = READ | {ADD, CHANGE}


def register_policies() -> None:
    register(
        Enterprise,
        Policy(
            region="region_id",
            own=lambda u: Q(pk=u.enterprise_id) if u.enterprise_id else None,
            own_fields=ENTERPRISE_SELF,
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
            own_fields=AGENCY_SELF,
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
            own_fields=EXPERT_SELF,
            parties={"agency": lambda u: Q(employer_agency_id=u.agency_id)},
        ),
    )
    register(
        Engagement,
        Policy(
            region="enterprise__region_id",
            parties={
                # An enterprise engages its agencies itself (and ends the engagement); the
                # agency reads the engagements it is named in.
                "enterprise": (lambda u: Q(enterprise_id=u.enterprise_id), ENGAGING),
                "agency": lambda u: Q(agency_id=u.agency_id),
            },
        ),
    )
