"""The workbench (待办): what is due for a user and what awaits the user's action.

Every list is read through ``restrict()`` (or a service built on it): a user is never told of,
nor counted, anything outside its scope. The page is the one users land on after logging in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Exists, OuterRef, QuerySet
from django.views.generic import TemplateView

from cleanprod.accounts.services import pending_for
from cleanprod.audits.models import Audit, Deadline, Panel, ScoreSheet
from cleanprod.audits.models.audits import OPEN_PHASES, Phase
from cleanprod.audits.services.actors import capacity
from cleanprod.audits.services.audits import today
from cleanprod.audits.workflow import AUTHORITY, TRANSITIONS, WORKERS, Transition
from cleanprod.changerequests.models import ChangeRequest
from cleanprod.changerequests.services import may_decide, visible_requests
from cleanprod.notifications.models import Notification
from cleanprod.platform.permissions import CHANGE, VIEW, party_of

# How far ahead a deadline counts as due; how many rows each section lists (the counts are
# exact, the lists are a first page: the linked list pages hold the rest).
DUE_WITHIN = dt.timedelta(days=90)
SHOWN = 20
# Audits examined for steps to take: ``capacity`` is checked per audit, so the scan is bounded
# (an authority's region may hold tens of thousands of open audits).
STEP_SCAN = 200
REVIEW_PHASES = (Phase.EVALUATION, Phase.ACCEPTANCE)


@dataclass
class Step:
    """An audit and what ``user`` can do on it now."""

    audit: Audit
    transitions: list[Transition]
    review: bool = False  # the authority records the evaluation or acceptance


@dataclass
class Workbench:
    overdue: list[Deadline] = field(default_factory=list)
    due: list[Deadline] = field(default_factory=list)
    overdue_audits: list[Audit] = field(default_factory=list)
    overdue_audits_count: int = 0
    steps: list[Step] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    registrations: list[Any] = field(default_factory=list)
    registrations_count: int = 0
    change_requests: list[ChangeRequest] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    unread: int = 0


def _is_authority(user: Any) -> bool:
    return party_of(user) == AUTHORITY


def deadlines(user: Any, on: dt.date) -> tuple[list[Deadline], list[Deadline]]:
    """Open deadlines of the audits ``user`` works on (enterprise, agency): overdue and due."""
    if _is_authority(user):
        return [], []  # an authority is shown its region's overdue audits instead
    open_deadlines = (
        Deadline.objects.filter(
            audit__in=Audit.objects.restrict(user, CHANGE).filter(phase__in=OPEN_PHASES),
            met_on__isnull=True,
            due__lte=on + DUE_WITHIN,
        )
        .select_related("audit__enterprise")
        .order_by("due", "pk")
    )
    overdue = [d for d in open_deadlines if d.due < on or d.overdue]
    due = [d for d in open_deadlines if not (d.due < on or d.overdue)]
    return overdue, due


def overdue_audits(user: Any) -> QuerySet[Audit]:
    """An authority's overdue audits (its region's subtree)."""
    if not _is_authority(user):
        return Audit.objects.none()
    return (
        Audit.objects.restrict(user, VIEW)
        .filter(overdue=True, phase__in=OPEN_PHASES)
        .select_related("enterprise")
        .order_by("year", "pk")
    )


def steps(user: Any) -> list[Step]:
    """Audits in ``user``'s scope where its capacity allows a transition (or a review) now."""
    authority = _is_authority(user)
    phases = set(REVIEW_PHASES) if authority else set()
    if not authority:
        phases = {p for t in TRANSITIONS.values() if party_of(user) in t.actors for p in t.sources}
    if not phases:
        return []
    found: list[Step] = []
    audits = (
        Audit.objects.restrict(user, CHANGE)
        .filter(phase__in=phases)
        .select_related("enterprise")
        .order_by("pk")[:STEP_SCAN]
    )
    for audit in audits:
        role = capacity(user, audit)
        if role is None:
            continue
        possible = [
            t for t in TRANSITIONS.values() if audit.phase in t.sources and role in t.actors
        ]
        review = role == AUTHORITY and audit.phase in REVIEW_PHASES
        if possible or review:
            found.append(Step(audit, possible, review))
    return found


def panels_to_score(user: Any) -> QuerySet[Panel]:
    """Panels ``user`` (an expert) sits on, not yet decided and without the expert's sheet."""
    if not getattr(user, "expert_id", None):
        return Panel.objects.none()
    mine = ScoreSheet.objects.filter(panel=OuterRef("pk"), expert_id=user.expert_id)
    return (
        Panel.objects.restrict(user, VIEW)
        .filter(members__expert_id=user.expert_id, members__declined=False)
        .filter(audit__phase__in=REVIEW_PHASES)
        .exclude(Exists(mine))
        .exclude(reviews__decision__in=["passed", "failed"])
        .select_related("audit__enterprise")
        .distinct()
        .order_by("drawn_at", "pk")
    )


def change_requests(user: Any) -> list[ChangeRequest]:
    """Pending change requests ``user`` may decide."""
    if not _is_authority(user):
        return []
    pending = visible_requests(user).filter(status=ChangeRequest.Status.PENDING)
    return [r for r in pending.order_by("pk")[:STEP_SCAN] if may_decide(user, r)]


def workbench(user: Any, on: dt.date | None = None) -> Workbench:
    """Everything the workbench shows ``user`` (logged in)."""
    on = on or today()
    overdue, due = deadlines(user, on)
    late = overdue_audits(user)
    registrations = pending_for(user)
    notes = Notification.objects.restrict(user, VIEW)
    return Workbench(
        overdue=overdue,
        due=due,
        overdue_audits=list(late[:SHOWN]),
        overdue_audits_count=late.count(),
        steps=steps(user),
        panels=list(panels_to_score(user)),
        registrations=list(registrations[:SHOWN]),
        registrations_count=registrations.count(),
        change_requests=change_requests(user),
        notifications=list(notes.order_by("-created", "-pk")[:10]),
        unread=notes.filter(read=False).count(),
    )


def badge(user: Any) -> int:
    """The navigation's count of things awaiting ``user`` (cheap parts only, on every page)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    count = pending_for(user).count() + panels_to_score(user).count()
    if _is_authority(user):
        # The audits awaiting its review: restrict(CHANGE) is exactly the authority's capacity.
        reviews = Audit.objects.restrict(user, CHANGE).filter(phase__in=REVIEW_PHASES)
        count += len(change_requests(user)) + reviews.count()
    else:
        count += len(deadlines(user, today())[0])
    return count


class WorkbenchView(LoginRequiredMixin, TemplateView):
    template_name = "portal/workbench.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["wb"] = workbench(self.request.user)
        context["authority"] = _is_authority(self.request.user)
        # Experts and associations work on no audit: no deadlines or steps to show them.
        context["worker"] = party_of(self.request.user) in WORKERS
        return context
