"""Who reaches which plan records (see cleanprod.platform.permissions)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from cleanprod.plans.models import (
    Adoption,
    AnnualPlan,
    Attendance,
    CarbonCalculation,
    EmissionFactor,
    EnterpriseCapacity,
    FactorLibraryVersion,
    KeyProject,
    MetricSummary,
    Milestone,
    Substance,
    Substitution,
    Target,
    TargetAllocation,
    Technology,
    TechnologySummary,
    TrainingSession,
)
from cleanprod.platform.permissions import READ, Policy, region_q, register


def _own_enterprise(u: object) -> Q | None:
    enterprise_id = getattr(u, "enterprise_id", None)
    return Q(enterprise_id=enterprise_id) if enterprise_id else None


def _below_own_node(u: Any) -> Q:
    """An authority's subtree without its own node: the parts it assigns lie below it."""
    if u.region_id is None:
        return Q()
    return region_q("region_id", u) & ~Q(region_id=u.region_id)


def _own_node(u: Any) -> Q | None:
    """The part assigned to the authority's own node: it reads it; its parent assigned it."""
    if getattr(u, "party", "") != "authority" or not getattr(u, "region_id", None):
        return None
    return Q(region_id=u.region_id)


def register_policies() -> None:
    # The plans and the factor library are public documents; only superusers write them.
    for model in (
        Target,
        KeyProject,
        Substance,
        Substitution,
        FactorLibraryVersion,
        EmissionFactor,
    ):
        register(model, Policy(reference=True, public=Q()))
    # The advanced-technology catalogue is public; authorities add entries in their region.
    register(Technology, Policy(region="region_id", public=Q(published=True)))
    for model in (AnnualPlan, TrainingSession):
        register(model, Policy(region="region_id"))
    # 目标分解: an authority assigns the parts of the regions below its node (the decomposition
    # page offers its children, decomposition.can_allocate) and only reads its own node's part.
    register(TargetAllocation, Policy(region=_below_own_node, own=_own_node, own_actions=READ))
    register(Milestone, Policy(region="plan__region_id"))
    for fact in (Attendance, EnterpriseCapacity, Adoption, CarbonCalculation):
        register(fact, Policy(region="region_id", own=_own_enterprise, own_actions=READ))
    # Summaries are aggregates of authorities' regions: a region's rows only to its authorities.
    for summary in (MetricSummary, TechnologySummary):
        register(summary, Policy(region="region"))
