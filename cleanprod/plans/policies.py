"""Who reaches which plan records (see cleanprod.platform.permissions)."""

from __future__ import annotations

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
from cleanprod.platform.permissions import READ, Policy, register


def _own_enterprise(u: object) -> Q | None:
    enterprise_id = getattr(u, "enterprise_id", None)
    return Q(enterprise_id=enterprise_id) if enterprise_id else None


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
    for model in (TargetAllocation, AnnualPlan, TrainingSession):
        register(model, Policy(region="region_id"))
    register(Milestone, Policy(region="plan__region_id"))
    for fact in (Attendance, EnterpriseCapacity, Adoption, CarbonCalculation):
        register(fact, Policy(region="region_id", own=_own_enterprise, own_actions=READ))
    # Summaries are aggregates of authorities' regions: a region's rows only to its authorities.
    for summary in (MetricSummary, TechnologySummary):
        register(summary, Policy(region="region"))
