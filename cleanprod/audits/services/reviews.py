"""Evaluation and acceptance: a random, reproducible expert panel; score sheets; the decision."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cleanprod.accounts.models import User
from cleanprod.audits.models import Audit, OptionStatus, Panel, PanelMember, Phase, Review
from cleanprod.audits.models import ScoreSheet as SheetRow
from cleanprod.audits.rules import effective_rules
from cleanprod.audits.services.audits import _move, _require, add_deadlines, today
from cleanprod.audits.services.errors import Conflict, NotAllowed, PreconditionFailed
from cleanprod.audits.workflow import AUTHORITY
from cleanprod.changelog.bulk import logged_bulk_create, logged_update
from cleanprod.core import audit_rules, panel, review
from cleanprod.notifications.services import notify
from cleanprod.registry.models import Expert

STAGE_PHASE = {"evaluation": Phase.EVALUATION, "acceptance": Phase.ACCEPTANCE}
TEMPLATES = {"evaluation": "evaluation-2026.yaml", "acceptance": "acceptance-2026.yaml"}
AUTHORITY_ONLY = frozenset({AUTHORITY})


def employer_key(expert: Expert) -> str:
    if expert.employer_enterprise_id:
        return f"enterprise:{expert.employer_enterprise_id}"
    if expert.employer_agency_id:
        return f"agency:{expert.employer_agency_id}"
    return f"other:{expert.employer_name.strip()}" if expert.employer_name.strip() else ""


def candidate_pool() -> list[panel.ExpertCandidate]:
    """Every expert of the pool as the draw sees it (inactive ones are excluded by the draw)."""
    experts = Expert.objects.prefetch_related("specialties")
    return [
        panel.ExpertCandidate(
            id=str(e.pk),
            name=e.name,
            title=e.get_title_display(),
            active=e.active,
            specialties=frozenset(s.code for s in e.specialties.all()),
            employer_key=employer_key(e),
        )
        for e in experts
    ]


def _stage(audit: Audit, stage: str) -> None:
    if stage not in STAGE_PHASE:
        raise PreconditionFailed(_("Unknown review stage."))
    if audit.phase != STAGE_PHASE[stage]:
        raise Conflict(_("The audit is not awaiting this review."))


@transaction.atomic
def draw_panel(
    user: Any,
    audit: Audit,
    stage: str,
    *,
    size: int = 3,
    seed: str | None = None,
    require_senior: bool = False,
    recused: dict[str, str] | None = None,
) -> Panel:
    """Draw the panel at random from the pool: matching specialty, excluding conflicts (the
    enterprise's staff, the serving agency, members of the same employer); logged in full."""
    _require(user, audit, AUTHORITY_ONLY)
    _stage(audit, stage)
    recused = dict(recused or {})
    for member in audit.members.all():  # staff of a park audit's member enterprises
        for e in Expert.objects.filter(employer_enterprise=member):
            recused[str(e.pk)] = "成员企业员工，回避"
    seed = seed or str(panel.fresh_seed())
    request = panel.DrawRequest(
        industry_code=audit.industry_code,
        enterprise_key=f"enterprise:{audit.enterprise_id}",
        agency_key=f"agency:{audit.agency_id}" if audit.agency_id else None,
        seed=seed,
        size=size,
        require_senior=require_senior,
        allow_section_fallback=True,
        recused=recused,
    )
    try:
        draw = panel.draw_panel(candidate_pool(), request)
    except panel.PanelError as exc:
        raise PreconditionFailed(str(exc)) from exc
    made = Panel.objects.create(
        audit=audit,
        stage=stage,
        seed=draw.seed,
        rule=str(draw.rule),
        drawn_by=user,
        log={
            "pool_size": draw.pool_size,
            "eligible": draw.eligible,
            "size": size,
            "require_senior": require_senior,
            "members": [m.id for m in draw.members],
            "alternates": [m.id for m in draw.alternates],
            "excluded": [[x.expert_id, str(x.code), x.reason] for x in draw.excluded],
        },
    )
    logged_bulk_create(
        PanelMember,
        [PanelMember(panel=made, expert_id=int(m.id)) for m in draw.members]
        + [PanelMember(panel=made, expert_id=int(m.id), alternate=True) for m in draw.alternates],
    )
    # The seated experts learn they were drawn (in-app; e-mail after commit), with the link to
    # their score sheet. Experts without an account are scored by the officer from paper.
    notify(
        User.objects.filter(expert_id__in=[int(m.id) for m in draw.members], is_active=True),
        subject=_("You were drawn for the %(stage)s panel of %(audit)s")
        % {"stage": made.get_stage_display(), "audit": audit.title},
        body=_("Enter your scores and opinion on the panel's score sheet."),
        link=reverse("audits:panel-sheet", args=[made.pk]),
        key=f"panel:{made.pk}",
    )
    return made


def seated(p: Panel) -> list[PanelMember]:
    """The panel's scoring members (not alternates, not declined), in seat order."""
    return list(p.members.filter(alternate=False, declined=False).select_related("expert"))


def seat_of(user: Any, p: Panel) -> PanelMember | None:
    """The seat ``user`` (an expert's account) holds on ``p``, if seated."""
    expert_id = getattr(user, "expert_id", None)
    if not expert_id:
        return None
    return next((m for m in seated(p) if m.expert_id == expert_id), None)


def panel_open(p: Panel) -> bool:
    """Sheets may be entered while the audit awaits this panel's review and none is recorded."""
    return p.audit.phase == STAGE_PHASE.get(p.stage) and not p.reviews.exists()


def own_sheet(sheet: SheetRow) -> bool:
    """Whether the expert entered this sheet themself (the officer may not replace it)."""
    return bool(sheet.entered_by_id) and sheet.entered_by.expert_id == sheet.expert_id


def _check_sheet(stage: str, expert_id: int, sheet: dict[str, Any]) -> None:
    """Validate one sheet on the template alone (every item scored in range, an opinion)."""
    template = review.load_template(TEMPLATES[stage])
    try:
        review.decide(
            template,
            [
                review.ScoreSheet(
                    expert_id=str(expert_id),
                    scores=sheet.get("scores", {}),
                    vetoes=sheet.get("vetoes", {}),
                    opinion=sheet.get("opinion", ""),
                )
            ],
        )
    except review.ReviewError as exc:
        raise PreconditionFailed(str(exc)) from exc


@transaction.atomic
def submit_sheet(user: Any, p: Panel, sheet: dict[str, Any]) -> SheetRow:
    """A seated expert enters (or corrects, until the decision) their own score sheet; logged.

    ``sheet`` is ``{"scores": {item: points}, "vetoes": {item: facts}, "opinion": text}``.
    Only a seated member of ``p`` may (``seated(panel)``), and only while the panel is open.
    """
    p = Panel.objects.select_for_update().select_related("audit").get(pk=p.pk)
    seat = seat_of(user, p)
    if seat is None:
        raise NotAllowed(_("Only a seated member of this panel enters a score sheet on it."))
    if not panel_open(p):
        raise Conflict(_("This panel's review is closed; the score sheet can no longer change."))
    _check_sheet(p.stage, seat.expert_id, sheet)
    row, _created = SheetRow.objects.update_or_create(
        panel=p,
        expert_id=seat.expert_id,
        defaults={
            "scores": {k: str(v) for k, v in sheet["scores"].items()},
            "vetoes": dict(sheet.get("vetoes", {})),
            "opinion": sheet["opinion"],
            "entered_by": user,
        },
    )
    return row


@transaction.atomic
def record_review(
    user: Any,
    audit: Audit,
    stage: str,
    sheets: list[dict[str, Any]],
    opinion: str,
    post_grade: str = "",
) -> Review:
    """Record every seated expert's score sheet and the panel's decision; move the audit on.

    Evaluation passed: implementing medium/high-cost options (with their deadlines) or, when
    there are none, closed. Acceptance passed: closed. Failed: the audit fails (re-audit).
    """

    _require(user, audit, AUTHORITY_ONLY)
    _stage(audit, stage)
    drawn = audit.panels.filter(stage=stage).order_by("-drawn_at", "-pk").first()
    if drawn is None:
        raise PreconditionFailed(_("Draw the expert panel first."))
    drawn = Panel.objects.select_for_update().get(pk=drawn.pk)  # no sheet changes meanwhile
    if not opinion.strip():
        raise PreconditionFailed(_("Write the technical review opinion."))
    if stage == "acceptance" and post_grade not in ("I", "II", "III", "BELOW"):
        raise PreconditionFailed(_("Give the grade after implementation (re-grading)."))
    seats = {str(m.expert_id): m for m in seated(drawn)}
    # The sheets the experts (or the officer, from paper) entered on the panel, and those the
    # officer types now for the others; an expert's own sheet is never replaced.
    stored = {
        str(s.expert_id): s
        for s in drawn.sheets.filter(review__isnull=True).select_related("entered_by")
    }
    given = {str(s["expert_id"]): s for s in sheets}
    for eid in given.keys() & stored.keys():
        if own_sheet(stored[eid]):
            raise PreconditionFailed(
                _("%(name)s entered their own score sheet; it cannot be replaced.")
                % {"name": seats[eid].expert.name if eid in seats else eid}
            )
    every = {
        **{
            eid: {"expert_id": eid, "scores": s.scores, "vetoes": s.vetoes, "opinion": s.opinion}
            for eid, s in stored.items()
        },
        **given,
    }
    if set(every) - set(seats):
        raise PreconditionFailed(_("Every seated panel member, and only they, must score."))
    waiting = [m.expert.name for eid, m in seats.items() if eid not in every]
    if waiting:
        raise PreconditionFailed(
            _("Waiting for the score sheets of: %(names)s") % {"names": "、".join(waiting)}
        )
    template = review.load_template(TEMPLATES[stage])
    core_sheets = [
        review.ScoreSheet(
            expert_id=str(s["expert_id"]),
            scores=s.get("scores", {}),
            vetoes=s.get("vetoes", {}),
            opinion=s.get("opinion", ""),
        )
        for s in every.values()
    ]
    try:
        result = review.decide(template, core_sheets)
    except review.ReviewError as exc:
        raise PreconditionFailed(str(exc)) from exc
    passed = result.decision == review.Decision.PASS
    made = Review.objects.create(
        audit=audit,
        panel=drawn,
        stage=stage,
        template_slug=TEMPLATES[stage],
        template_version=result.template_version,
        score=round(float(result.score), 2),
        decision=Review.Decision.PASSED if passed else Review.Decision.FAILED,
        band=result.band or "",
        opinion=opinion,
        decided_by=user,
        vetoes=[[v.item_id, v.expert_id, v.reason] for v in result.vetoes],
    )
    for s in core_sheets:
        if s.expert_id in given:
            SheetRow.objects.update_or_create(
                panel=drawn,
                expert_id=int(s.expert_id),
                defaults={
                    "review": made,
                    "scores": {k: str(v) for k, v in s.scores.items()},
                    "vetoes": dict(s.vetoes),
                    "opinion": s.opinion,
                    "entered_by": user,
                },
            )
    logged_update(drawn.sheets.filter(review__isnull=True), review=made)
    if stage == "evaluation" and passed:
        pending = audit.options.filter(high_cost=True, status=OptionStatus.APPROVED).exists()
        if pending:
            audit = _move(
                user,
                audit,
                "evaluation_passed",
                Phase.HIGH_COST_IMPLEMENTATION,
                evaluation_passed_on=today(),
            )
            rules = effective_rules(audit.region_id[:2] + "0000")
            add_deadlines(audit, rules, {audit_rules.Anchor.EVALUATION_PASSED: today()})
        else:
            audit = _move(
                user,
                audit,
                "evaluation_passed",
                Phase.CLOSED,
                evaluation_passed_on=today(),
                closed_on=today(),
            )
    elif stage == "acceptance" and passed:
        audit = _move(
            user, audit, "accepted", Phase.CLOSED, closed_on=today(), post_grade=post_grade
        )
    else:
        audit = _move(user, audit, f"{stage}_failed", Phase.FAILED, post_grade=post_grade)
    parties = Q(enterprise_id=audit.enterprise_id)
    if audit.agency_id:
        parties |= Q(agency_id=audit.agency_id)
    notify(
        User.objects.filter(parties, is_active=True),
        subject=_("%(stage)s of %(audit)s: %(decision)s")
        % {
            "stage": made.get_stage_display(),
            "audit": audit.title,
            "decision": made.get_decision_display(),
        },
        link=audit.get_absolute_url(),
        key=f"review:{made.pk}",
    )
    return made
