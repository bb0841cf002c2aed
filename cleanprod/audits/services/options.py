"""Options: proposal, screening, feasibility (exact IRR), approval, implementation, verification."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from cleanprod.audits.models import Audit, Option, OptionStatus, Phase
from cleanprod.audits.models.options import BENEFITS
from cleanprod.audits.services.audits import _require, today
from cleanprod.audits.services.errors import Conflict, PreconditionFailed
from cleanprod.audits.workflow import AUTHORITY, WORKERS
from cleanprod.changelog.bulk import logged_update
from cleanprod.core import economics
from cleanprod.platform.locking import StaleObject, claim


def high_cost_threshold() -> float:
    """无/低费 vs 中/高费 threshold in 10k CNY (a platform setting: the plans set none)."""
    return float(getattr(settings, "AUDIT_HIGH_COST_THRESHOLD", 50))


def _editable(audit: Audit, phases: tuple[str, ...]) -> None:
    if audit.phase not in phases:
        raise Conflict(_("Options cannot be changed in the audit's current phase."))


def _claim(option: Option, expected_version: int | None) -> None:
    """Optimistic lock: refuse a step based on a copy someone else has changed since.

    Called after the step's own checks, just before saving: a refused check then leaves the
    in-memory version as it was (the rolled-back claim would otherwise have advanced it).

    ``expected_version`` is the version the user's page showed; without it, the version this
    request read. Two users racing the same option (one keeps it, the other rejects it) cannot
    both succeed: the second is told, not "success".
    """
    try:
        claim(option, expected_version)
    except StaleObject as exc:
        raise Conflict(str(exc)) from exc


@transaction.atomic
def add_option(
    user: Any,
    audit: Audit,
    *,
    code: str,
    name: str,
    category: str,
    investment: Decimal,
    expected: dict[str, Decimal] | None = None,
) -> Option:
    _require(user, audit, WORKERS)
    _editable(audit, (Phase.ASSESSMENT, Phase.OPTIONS))
    cost = economics.cost_class(float(investment), high_cost_threshold())
    option = Option(
        audit=audit,
        code=code,
        name=name,
        category=category,
        investment=investment,
        high_cost=cost == economics.CostClass.HIGH,
    )
    for key, value in (expected or {}).items():
        setattr(option, f"expected_{key}", value)
    option.full_clean()
    option.save()
    return option


@transaction.atomic
def screen(
    user: Any, option: Option, keep: bool, barrier: str = "", expected_version: int | None = None
) -> Option:
    _require(user, option.audit, WORKERS)
    _editable(option.audit, (Phase.OPTIONS,))
    return _set_status(
        option,
        OptionStatus.SCREENED if keep else OptionStatus.REJECTED,
        barrier,
        expected_version,
    )


@transaction.atomic
def analyse_feasibility(
    user: Any,
    option: Option,
    *,
    annual_net_cash_flow: Decimal,
    lifetime_years: int,
    discount_rate: Decimal,
    expected_version: int | None = None,
) -> Option:
    """Payback N = I/F, NPV = Σ F/(1+i)^j − I, NPVR = NPV/I, IRR (exact root)."""
    _require(user, option.audit, WORKERS)
    _editable(option.audit, (Phase.FEASIBILITY,))
    result = economics.feasibility(
        float(option.investment), float(annual_net_cash_flow), float(discount_rate), lifetime_years
    )
    option.annual_net_cash_flow = annual_net_cash_flow
    option.lifetime_years = lifetime_years
    option.discount_rate = discount_rate
    option.payback_years = result.payback_years
    option.npv, option.npvr, option.irr = result.npv, result.npvr, result.irr
    option.status = OptionStatus.FEASIBLE
    _claim(option, expected_version)
    option.save()
    return option


@transaction.atomic
def decide(
    user: Any,
    option: Option,
    approve: bool,
    barrier: str = "",
    expected_version: int | None = None,
) -> Option:
    """Approve an option for implementation, or reject it with the barrier recorded."""
    _require(user, option.audit, WORKERS)
    _editable(option.audit, (Phase.OPTIONS, Phase.FEASIBILITY))
    if approve and option.high_cost and option.npv is None:
        raise PreconditionFailed(_("Analyse the feasibility of a medium/high-cost option first."))
    return _set_status(
        option,
        OptionStatus.APPROVED if approve else OptionStatus.REJECTED,
        barrier,
        expected_version,
    )


REJECTABLE = (
    OptionStatus.PROPOSED,
    OptionStatus.SCREENED,
    OptionStatus.FEASIBLE,
    OptionStatus.APPROVED,
)


@transaction.atomic
def reject(user: Any, option: Option, reason: str, expected_version: int | None = None) -> Option:
    """Rule an option out (否决) with the reason (its barrier) recorded; logged.

    Any option not yet implemented may be rejected until implementation ends: the workflow's
    checks ask every proposed, medium/high-cost and no/low-cost option to be decided.
    """
    _require(user, option.audit, WORKERS)
    _editable(option.audit, (Phase.OPTIONS, Phase.FEASIBILITY, Phase.IMPLEMENTATION))
    if option.status not in REJECTABLE:
        raise PreconditionFailed(
            _("Option %(code)s is %(status)s and can no longer be rejected.")
            % {"code": option.code, "status": option.get_status_display()}
        )
    return _set_status(option, OptionStatus.REJECTED, reason, expected_version)


@transaction.atomic
def implement(
    user: Any,
    option: Option,
    *,
    actual_investment: Decimal,
    on: dt.date | None = None,
    benefits: dict[str, Decimal] | None = None,
    expected_version: int | None = None,
) -> Option:
    """Record implementation with the actual investment and the measured yearly benefits."""
    _require(user, option.audit, WORKERS)
    # No/low-cost options are implemented as soon as they are screened (边审核边实施).
    phases = (
        (Phase.IMPLEMENTATION, Phase.HIGH_COST_IMPLEMENTATION)
        if option.high_cost
        else (Phase.OPTIONS, Phase.FEASIBILITY, Phase.IMPLEMENTATION)
    )
    _editable(option.audit, phases)
    if option.status != OptionStatus.APPROVED and not (
        not option.high_cost and option.status == OptionStatus.SCREENED
    ):
        raise PreconditionFailed(_("Only approved options are implemented."))
    option.actual_investment = actual_investment
    option.implemented_on = on or today()
    for key, value in (benefits or {}).items():
        setattr(option, f"verified_{key}", value)
    option.status = OptionStatus.IMPLEMENTED
    _claim(option, expected_version)
    option.save()
    refresh_totals(option.audit)
    return option


@transaction.atomic
def verify(
    user: Any,
    option: Option,
    benefits: dict[str, Decimal] | None = None,
    expected_version: int | None = None,
) -> Option:
    """The authority confirms an implemented option's benefits (e.g. at acceptance)."""
    _require(user, option.audit, frozenset({AUTHORITY}))
    if option.status != OptionStatus.IMPLEMENTED:
        raise PreconditionFailed(_("Only implemented options are verified."))
    for key, value in (benefits or {}).items():
        setattr(option, f"verified_{key}", value)
    option.status = OptionStatus.VERIFIED
    option.verified_on = today()
    _claim(option, expected_version)
    option.save()
    refresh_totals(option.audit)
    return option


def refresh_totals(audit: Audit) -> None:
    """Recompute the audit's option totals (called by every option service)."""
    rates = implementation_rates(Option.objects.filter(audit=audit))
    logged_update(
        Audit.objects.filter(pk=audit.pk),
        options_approved=rates["approved"],
        options_implemented=rates["implemented"],
        investment_approved=rates["approved_investment"] or 0,
        investment_implemented=rates["implemented_investment"] or 0,
    )


def _set_status(
    option: Option, status: str, barrier: str, expected_version: int | None = None
) -> Option:
    if status == OptionStatus.REJECTED and not barrier.strip():
        raise PreconditionFailed(_("Record the barrier that rules the option out."))
    _claim(option, expected_version)
    option.status = status
    option.rejection_barrier = barrier if status == OptionStatus.REJECTED else ""
    option.save()
    refresh_totals(option.audit)
    return option


DONE = [OptionStatus.IMPLEMENTED, OptionStatus.VERIFIED]
DECIDED = [OptionStatus.APPROVED, *DONE]


def implementation_rates(options: Any) -> dict[str, Any]:
    """Implemented / approved options, by count and by investment (None when nothing approved).

    An option counts as approved once approved, whether or not implemented since.
    """
    agg = options.aggregate(
        approved=Count("pk", filter=Q(status__in=DECIDED)),
        implemented=Count("pk", filter=Q(status__in=DONE)),
        approved_investment=Sum("investment", filter=Q(status__in=DECIDED)),
        implemented_investment=Sum("investment", filter=Q(status__in=DONE)),
    )
    by_count = agg["implemented"] / agg["approved"] if agg["approved"] else None
    inv = agg["approved_investment"] or Decimal(0)
    by_investment = float((agg["implemented_investment"] or Decimal(0)) / inv) if inv else None
    return {**agg, "by_count": by_count, "by_investment": by_investment}


def performance(audit: Audit) -> dict[str, Decimal]:
    """审核绩效表: the verified yearly benefits of the audit's implemented options, summed."""
    sums = audit.options.filter(status__in=DONE).aggregate(
        **{key: Sum(f"verified_{key}") for key, _label, _unit in BENEFITS}
    )
    return {key: sums[key] or Decimal(0) for key, _label, _unit in BENEFITS}
