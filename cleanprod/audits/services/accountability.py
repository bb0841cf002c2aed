"""Agency accountability: scope of filing, good standing, outcome records."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cleanprod.audits.models import Audit, CreditEvent, Phase
from cleanprod.audits.services.errors import NotAllowed, PreconditionFailed
from cleanprod.platform.permissions import ADD, CHANGE, can, can_any
from cleanprod.registry.models import Agency


def active_credit_events(agency: Agency) -> Any:
    today = timezone.localdate()
    return agency.credit_events.filter(
        Q(end__isnull=True) | Q(end__gte=today),
        start__lte=today,
        kind__in=[CreditEvent.Kind.FALSIFICATION, CreditEvent.Kind.SUSPENSION],
    )


def check_engagement(agency: Agency, industry_code: str) -> None:
    """An agency may take an audit only inside its filed industry scope, while its filing is
    valid, and while no falsification or suspension is active."""
    today = timezone.localdate()
    if agency.valid_until and agency.valid_until < today:
        raise PreconditionFailed(
            _("The agency's filing expired on %(date)s.") % {"date": agency.valid_until}
        )
    if not agency.industry_scope.filter(code=industry_code[:2]).exists():
        raise PreconditionFailed(
            _("Industry %(code)s lies outside the agency's filed scope.") % {"code": industry_code}
        )
    blocking = active_credit_events(agency).first()
    if blocking is not None:
        raise PreconditionFailed(
            _("The agency is blocked by a credit event (%(kind)s since %(start)s).")
            % {"kind": blocking.get_kind_display(), "start": blocking.start}
        )


@transaction.atomic
def record_credit_event(
    user: Any,
    agency: Agency,
    kind: str,
    reason: str,
    start: Any,
    end: Any = None,
    audit: Audit | None = None,
) -> CreditEvent:
    """Authorities record warnings, falsification findings and suspensions."""

    if not can_any(user, ADD, CreditEvent):
        raise NotAllowed(_("Only authorities record credit events."))
    if not can(user, CHANGE, agency) and not (audit is not None and can(user, CHANGE, audit)):
        raise NotAllowed(_("The agency lies outside your scope."))
    return CreditEvent.objects.create(
        agency=agency, kind=kind, reason=reason, start=start, end=end, audit=audit, recorded_by=user
    )


def agency_record(agency: Agency, audits: Any = None) -> dict[str, Any]:
    """Outcomes of the audits the agency served: counts and pass, re-audit, overdue rates.

    ``audits``: the audits to count (e.g. those a reader may see); all of the agency's if None.
    """
    audits = Audit.objects.filter(agency=agency) if audits is None else audits
    stats = audits.aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(phase=Phase.CLOSED)),
        failed=Count("pk", filter=Q(phase=Phase.FAILED)),
        overdue=Count("pk", filter=Q(overdue=True)),
        decided=Count(
            "pk",
            filter=Q(
                phase__in=[
                    Phase.CLOSED,
                    Phase.FAILED,
                    Phase.HIGH_COST_IMPLEMENTATION,
                    Phase.ACCEPTANCE,
                ]
            ),
        ),
    )
    passed = stats["decided"] - stats["failed"]

    def rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    return {
        **stats,
        "pass_rate": rate(passed, stats["decided"]),
        "reaudit_rate": rate(stats["failed"], stats["decided"]),
        "overdue_rate": rate(stats["overdue"], stats["total"]),
    }
