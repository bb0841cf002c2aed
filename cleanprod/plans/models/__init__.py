"""Plans as data, decomposition, facts (training, capacity, adoption), carbon, summaries."""

from cleanprod.plans.models.carbon import CarbonCalculation, EmissionFactor, FactorLibraryVersion
from cleanprod.plans.models.catalogue import (
    KeyProject,
    Stage,
    Substance,
    Substitution,
    Target,
    Technology,
)
from cleanprod.plans.models.decomposition import AnnualPlan, Milestone, TargetAllocation
from cleanprod.plans.models.facts import (
    Adoption,
    Attendance,
    AttendeeRole,
    EnterpriseCapacity,
    TrainingSession,
)
from cleanprod.plans.models.summary import MetricSummary, TechnologySummary

__all__ = [
    "Adoption",
    "AnnualPlan",
    "Attendance",
    "AttendeeRole",
    "CarbonCalculation",
    "EmissionFactor",
    "EnterpriseCapacity",
    "FactorLibraryVersion",
    "KeyProject",
    "MetricSummary",
    "Milestone",
    "Stage",
    "Substance",
    "Substitution",
    "Target",
    "TargetAllocation",
    "Technology",
    "TechnologySummary",
    "TrainingSession",
]
