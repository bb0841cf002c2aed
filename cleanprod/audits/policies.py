"""Who reaches which audit records (see cleanprod.platform.permissions)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from cleanprod.audits.models import (
    Audit,
    CreditEvent,
    EmissionExceedance,
    EnergyExceedance,
    Option,
    Panel,
    ProvincialRules,
    Review,
    Roster,
    RosterEntry,
    SubstanceRecord,
)
from cleanprod.platform.permissions import CHANGE, EXPORT, READ, VIEW, Policy, register
from cleanprod.registry.policies import active_clients

WORK = frozenset({VIEW, CHANGE, EXPORT})


def _audit_rules(prefix: str, work: bool = True) -> dict[str, Any]:
    """Enterprise (lead or member), serving agency and panel experts reach an audit's records.

    ``work=False``: records that judge the audit (panels, reviews): the audited parties read
    them and never change them.
    """

    def enterprise(u: Any) -> Q | None:
        if not u.enterprise_id:
            return None
        return Q(**{f"{prefix}enterprise_id": u.enterprise_id}) | Q(
            **{f"{prefix}members": u.enterprise_id}
        )

    return {
        "own": enterprise,
        "parties": {
            # An agency keeps reading the audits it served (its accountability record) but
            # works on one only while its engagement with the audit's enterprise is active.
            "agency": [
                (lambda u: Q(**{f"{prefix}agency_id": u.agency_id}), READ),
                (
                    lambda u: Q(
                        **{
                            f"{prefix}agency_id": u.agency_id,
                            f"{prefix}enterprise_id__in": active_clients(u.agency_id),
                        }
                    ),
                    WORK if work else READ,
                ),
            ],
            "expert": (lambda u: Q(**{f"{prefix}panels__members__expert_id": u.expert_id}), READ),
        },
    }


def register_policies() -> None:
    register(Audit, Policy(region="region_id", own_actions=WORK, distinct=True, **_audit_rules("")))
    register(
        Option,
        Policy(
            region="audit__region_id", own_actions=WORK, distinct=True, **_audit_rules("audit__")
        ),
    )
    # The panel and the review judge the audit: its enterprise and agency only read them.
    for model in (Panel, Review):
        register(
            model,
            Policy(
                region="audit__region_id",
                own_actions=READ,
                distinct=True,
                **_audit_rules("audit__", work=False),
            ),
        )
    register(Roster, Policy(region="region_id", public=Q(status=Roster.Status.PUBLISHED)))
    register(
        RosterEntry,
        Policy(
            region="roster__region_id",
            public=Q(roster__status=Roster.Status.PUBLISHED, removed=False),
            own=lambda u: Q(enterprise_id=u.enterprise_id) if u.enterprise_id else None,
            own_actions=READ,
        ),
    )
    for fact in (EmissionExceedance, EnergyExceedance, SubstanceRecord):
        register(
            fact,
            Policy(
                region="enterprise__region_id",
                own=lambda u: Q(enterprise_id=u.enterprise_id) if u.enterprise_id else None,
                own_actions=READ,
            ),
        )
    # Credit events and provincial rules are public records.
    register(CreditEvent, Policy(region="agency__region_id", public=Q()))
    register(ProvincialRules, Policy(region="region_id", public=Q()))
