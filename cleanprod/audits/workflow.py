"""The audit's state machine as data: each transition's source phases, target, allowed actors
and preconditions. Services apply it (cleanprod.audits.services.transition)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cleanprod.audits.models import Audit, OptionStatus, Phase

Check = Callable[[Audit], str | None]

ENTERPRISE, AGENCY, AUTHORITY = "enterprise", "agency", "authority"
WORKERS = frozenset({ENTERPRISE, AGENCY})

# What each phase must have recorded before it can be completed (PhaseRecord.data keys).
REQUIRED_OUTPUTS: dict[str, tuple[str, ...]] = {
    Phase.PREPARATION: ("team", "plan"),
    Phase.PRE_ASSESSMENT: ("current_state", "targets"),
    Phase.ASSESSMENT: ("balances", "causes"),
    Phase.CONTINUATION: ("continuing_plan",),
}


def outputs_recorded(phase: str) -> Check:
    def check(audit: Audit) -> str | None:
        record = audit.phase_records.filter(phase=phase).first()
        data = record.data if record else {}
        missing = [k for k in REQUIRED_OUTPUTS[phase] if not data.get(k)]
        if missing:
            return str(_("Record the phase outputs first: %(fields)s")) % {
                "fields": ", ".join(missing)
            }
        return None

    return check


def pre_assessment_graded(audit: Audit) -> str | None:
    if not audit.pre_grade or not audit.focus:
        return str(_("Record the pre-assessment grade and the audit focus."))
    return None


def has_options(audit: Audit) -> str | None:
    if not audit.options.exists():
        return str(_("Propose at least one option."))
    if audit.options.filter(status=OptionStatus.PROPOSED).exists():
        return str(_("Screen every proposed option (screen or reject it)."))
    return None


def feasibility_done(audit: Audit) -> str | None:
    pending = audit.options.filter(high_cost=True).exclude(
        status__in=[OptionStatus.APPROVED, OptionStatus.REJECTED]
    )
    if pending.exists():
        return str(_("Decide every medium/high-cost option (approve or reject it)."))
    unanalysed = audit.options.filter(
        high_cost=True, status=OptionStatus.APPROVED, npv__isnull=True
    )
    if unanalysed.exists():
        return str(_("Run the feasibility analysis of every approved medium/high-cost option."))
    return None


def low_cost_implemented(audit: Audit) -> str | None:
    pending = audit.options.filter(high_cost=False).exclude(
        status__in=[OptionStatus.IMPLEMENTED, OptionStatus.VERIFIED, OptionStatus.REJECTED]
    )
    if pending.exists():
        return str(_("Implement (or reject) every no/low-cost option."))
    return None


def report_uploaded(audit: Audit) -> str | None:
    if not audit.documents.filter(kind="report").exists():
        return str(_("Upload the audit report."))
    return None


def high_cost_implemented(audit: Audit) -> str | None:
    pending = audit.options.filter(high_cost=True, status=OptionStatus.APPROVED)
    if pending.exists():
        return str(_("Implement every approved medium/high-cost option."))
    return None


def has_agency_staff(audit: Audit) -> str | None:
    if audit.agency_id and not audit.staff.exists():
        return str(_("Name the agency's certified staff who do the audit."))
    return None


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    actors: frozenset[str]
    checks: tuple[Check, ...] = ()


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "start",
            _("Start the audit"),
            (Phase.NOT_STARTED,),
            Phase.PREPARATION,
            WORKERS,
            (has_agency_staff,),
        ),
        Transition(
            "complete_preparation",
            _("Complete preparation"),
            (Phase.PREPARATION,),
            Phase.PRE_ASSESSMENT,
            WORKERS,
            (outputs_recorded(Phase.PREPARATION),),
        ),
        Transition(
            "complete_pre_assessment",
            _("Complete pre-assessment"),
            (Phase.PRE_ASSESSMENT,),
            Phase.ASSESSMENT,
            WORKERS,
            (outputs_recorded(Phase.PRE_ASSESSMENT), pre_assessment_graded),
        ),
        Transition(
            "complete_assessment",
            _("Complete assessment"),
            (Phase.ASSESSMENT,),
            Phase.OPTIONS,
            WORKERS,
            (outputs_recorded(Phase.ASSESSMENT),),
        ),
        Transition(
            "complete_options",
            _("Complete option generation and screening"),
            (Phase.OPTIONS,),
            Phase.FEASIBILITY,
            WORKERS,
            (has_options,),
        ),
        Transition(
            "complete_feasibility",
            _("Complete feasibility analysis"),
            (Phase.FEASIBILITY,),
            Phase.IMPLEMENTATION,
            WORKERS,
            (feasibility_done,),
        ),
        Transition(
            "complete_implementation",
            _("Complete implementation"),
            (Phase.IMPLEMENTATION,),
            Phase.CONTINUATION,
            WORKERS,
            (low_cost_implemented,),
        ),
        Transition(
            "submit_report",
            _("Submit the audit report for evaluation"),
            (Phase.CONTINUATION,),
            Phase.EVALUATION,
            WORKERS,
            (outputs_recorded(Phase.CONTINUATION), report_uploaded),
        ),
        Transition(
            "request_acceptance",
            _("Request acceptance"),
            (Phase.HIGH_COST_IMPLEMENTATION,),
            Phase.ACCEPTANCE,
            WORKERS,
            (high_cost_implemented,),
        ),
    )
}
