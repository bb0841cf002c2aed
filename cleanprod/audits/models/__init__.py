"""Audit management: enterprise facts, rosters, audit cases, options, reviews, accountability."""

from cleanprod.audits.models.audits import (
    Audit,
    AuditDocument,
    AuditKind,
    AuditTransition,
    Deadline,
    Phase,
    PhaseRecord,
)
from cleanprod.audits.models.facts import EmissionExceedance, EnergyExceedance, SubstanceRecord
from cleanprod.audits.models.options import Option, OptionCategory, OptionStatus
from cleanprod.audits.models.reviews import CreditEvent, Panel, PanelMember, Review, ScoreSheet
from cleanprod.audits.models.rosters import ProvincialRules, Roster, RosterEntry

__all__ = [
    "Audit",
    "AuditDocument",
    "AuditKind",
    "AuditTransition",
    "CreditEvent",
    "Deadline",
    "EmissionExceedance",
    "EnergyExceedance",
    "Option",
    "OptionCategory",
    "OptionStatus",
    "Panel",
    "PanelMember",
    "Phase",
    "PhaseRecord",
    "ProvincialRules",
    "Review",
    "Roster",
    "RosterEntry",
    "ScoreSheet",
    "SubstanceRecord",
]
