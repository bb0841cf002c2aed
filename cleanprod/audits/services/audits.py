"""Opening audits, phase outputs, documents and phase transitions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cleanprod.audits.models import (
    Audit,
    AuditDocument,
    AuditKind,
    AuditTransition,
    Deadline,
    Phase,
    PhaseRecord,
)
from cleanprod.audits.rules import effective_rules
from cleanprod.audits.services.accountability import check_engagement
from cleanprod.audits.services.actors import capacity
from cleanprod.audits.services.errors import Conflict, NotAllowed, PreconditionFailed
from cleanprod.audits.workflow import AUTHORITY, TRANSITIONS, WORKERS
from cleanprod.changelog.bulk import logged_update
from cleanprod.core import audit_rules, legal_calendar
from cleanprod.registry.models import Agency, Engagement, Enterprise
from cleanprod.registry.policies import active_engagement_q

ALLOWED_UPLOADS = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def today() -> dt.date:
    return timezone.localdate()


def open_audit(
    enterprise: Enterprise,
    kind: str,
    year: int,
    *,
    roster_entry: Any = None,
    published_on: dt.date | None = None,
    members: list[Enterprise] | None = None,
    park: Any = None,
    synthetic: bool = False,
) -> Audit:
    """Create an audit (not started) and its statutory deadlines, each with its rule.

    Called by roster publication (which is the acting user's transaction) and by the demo.
    """
    rules = effective_rules(enterprise.region_id[:2] + "0000")
    audit = Audit.objects.create(
        title=f"{enterprise.name} {year}年清洁生产审核",
        kind=kind,
        enterprise=enterprise,
        park=park,
        roster_entry=roster_entry,
        region_id=enterprise.region_id,
        industry_code=enterprise.industry_code,
        year=year,
        rules_version=rules.version,
        synthetic=synthetic,
    )
    if members:
        audit.members.set(members)
    if published_on is not None and kind == AuditKind.MANDATORY:
        add_deadlines(audit, rules, {audit_rules.Anchor.ROSTER_PUBLISHED: published_on})
    return audit


def add_deadlines(audit: Audit, rules: Any, anchors: dict[Any, dt.date]) -> list[Deadline]:
    """Create or update the audit's deadlines counted from ``anchors``.

    Each keeps the nominal last day and the legal one (moved past a 法定休假日 under 民法典
    第二百零三条); ``due`` is the legal day, which the daily clock compares with today.
    """
    made = []
    version = legal_calendar.calendar_version()
    for d in audit_rules.compute_deadlines(rules, anchors):
        source = "；".join(str(s) for s in d.rule.sources)
        made.append(
            Deadline.objects.update_or_create(
                audit=audit,
                event=str(d.event),
                defaults={
                    "due": d.due,
                    "nominal_due": d.nominal_due,
                    "calendar_version": version,
                    "rule_id": d.rule.id,
                    "rule_text": d.rule.text,
                    "rule_source": source[:255],
                    "rules_version": rules.version,
                },
            )[0]
        )
    return made


def meet_deadline(audit: Audit, event: str, on: dt.date | None = None) -> None:
    logged_update(
        audit.deadlines.filter(event=event, met_on__isnull=True),
        met_on=on or today(),
        overdue=False,
    )


def _require(user: Any, audit: Audit, allowed: frozenset[str]) -> str:
    role = capacity(user, audit)
    if role is None or role not in allowed:
        raise NotAllowed(_("You may not take this step on this audit."))
    return role


@transaction.atomic
def transition(user: Any, audit: Audit, name: str, note: str = "") -> Audit:
    """Apply the named transition as ``user``; refuse a stale copy (someone moved first)."""
    step = TRANSITIONS.get(name)
    if step is None:
        raise NotAllowed(_("Unknown step."))
    _require(user, audit, step.actors)
    if audit.phase not in step.sources:
        raise Conflict(
            _("The audit is now in phase “%(phase)s”; “%(step)s” is no longer possible.")
            % {"phase": Phase(audit.phase).label, "step": step.label}
        )
    problems = [p for check in step.checks if (p := check(audit))]
    if problems:
        raise PreconditionFailed("；".join(problems))
    return _move(user, audit, name, step.target, note)


def _move(user: Any, audit: Audit, name: str, target: str, note: str = "", **fields: Any) -> Audit:
    """Move ``audit`` to ``target`` if nobody else moved it since it was read."""
    source = audit.phase
    updated = logged_update(
        Audit.objects.filter(pk=audit.pk, version=audit.version, phase=source),
        phase=target,
        version=F("version") + 1,
        **fields,
    )
    if updated != 1:
        current = Audit.objects.get(pk=audit.pk)
        raise Conflict(
            _("Another user already changed this audit (now: “%(phase)s”). Reload and check.")
            % {"phase": Phase(current.phase).label}
        )
    AuditTransition.objects.create(
        audit=audit, name=name, from_phase=source, to_phase=target, by=user, note=note
    )
    audit.refresh_from_db()
    if name == "start":
        logged_update(Audit.objects.filter(pk=audit.pk), started_on=today())
        meet_deadline(audit, "start")
    elif name == "submit_report":
        logged_update(Audit.objects.filter(pk=audit.pk), report_submitted_on=today())
        meet_deadline(audit, "report")
    elif name == "request_acceptance":
        meet_deadline(audit, "options_implemented")
        meet_deadline(audit, "acceptance")
    audit.refresh_from_db()
    return audit


@transaction.atomic
def record_disclosure(user: Any, audit: Audit, where: str) -> None:
    """The enterprise has disclosed its information (名单公布后一个月内公开)."""
    _require(user, audit, WORKERS)
    record_outputs(user, audit, Phase.PREPARATION, {"disclosure": where})
    meet_deadline(audit, "disclose")


@transaction.atomic
def record_outputs(user: Any, audit: Audit, phase: str, data: dict[str, Any]) -> PhaseRecord:
    """Merge ``data`` into the outputs of ``phase`` (only the current phase, or preparation)."""
    _require(user, audit, WORKERS)
    if phase != audit.phase and not (
        phase == Phase.PREPARATION and audit.phase == Phase.NOT_STARTED
    ):
        raise Conflict(_("Outputs can be recorded only for the audit's current phase."))
    record, _created = PhaseRecord.objects.get_or_create(audit=audit, phase=phase)
    record.data = {**record.data, **{k: v for k, v in data.items() if v not in (None, "")}}
    record.updated_by = user
    record.save()
    return record


@transaction.atomic
def set_pre_assessment(user: Any, audit: Audit, grade: str, focus: str) -> Audit:
    _require(user, audit, WORKERS)
    if audit.phase != Phase.PRE_ASSESSMENT:
        raise Conflict(_("The pre-assessment grade is recorded during pre-assessment."))
    audit.pre_grade, audit.focus = grade, focus
    audit.save(update_fields=["pre_grade", "focus"])
    return audit


@transaction.atomic
def assign_agency(user: Any, audit: Audit, agency: Agency, staff_ids: list[int]) -> Audit:
    """Name the agency and its certified staff; the agency must be in scope and in good standing."""
    _require(user, audit, WORKERS | {AUTHORITY})
    if audit.phase not in (Phase.NOT_STARTED, Phase.PREPARATION):
        raise Conflict(_("The agency is chosen before the audit is under way."))
    check_engagement(agency, audit.industry_code)
    staff = list(agency.staff.filter(pk__in=staff_ids))
    if len(staff) != len(set(staff_ids)) or not staff:
        raise PreconditionFailed(_("Choose certified staff of that agency."))
    audit.agency = agency
    audit.save(update_fields=["agency"])
    audit.staff.set(staff)
    # Naming the agency engages it: it works on the audit while that engagement is active
    # (the audit policy), and the enterprise ends it by giving the engagement an end date.
    if not Engagement.objects.filter(
        active_engagement_q(), agency=agency, enterprise_id=audit.enterprise_id
    ).exists():
        Engagement.objects.create(
            agency=agency,
            enterprise_id=audit.enterprise_id,
            start_date=timezone.localdate(),
            note=_("Engaged for the %(year)s audit") % {"year": audit.year},
        )
    return audit


def check_upload(upload: UploadedFile) -> str:
    """The content type of an acceptable upload; raise PreconditionFailed otherwise."""
    name = (upload.name or "").lower()
    ext = name[name.rfind(".") :] if "." in name else ""
    if ext not in ALLOWED_UPLOADS:
        raise PreconditionFailed(
            _("File type not accepted: %(ext)s (allowed: %(allowed)s)")
            % {"ext": ext or "?", "allowed": ", ".join(ALLOWED_UPLOADS)}
        )
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise PreconditionFailed(_("The file is larger than 20 MB."))
    head = upload.read(8)
    upload.seek(0)
    magic = {
        ".pdf": b"%PDF",
        ".docx": b"PK",
        ".xlsx": b"PK",
        ".png": b"\x89PNG",
        ".jpg": b"\xff\xd8",
    }
    if not head.startswith(magic[ext]):
        raise PreconditionFailed(_("The file's content does not match its type."))
    return ALLOWED_UPLOADS[ext]


@transaction.atomic
def upload_document(user: Any, audit: Audit, kind: str, upload: UploadedFile) -> AuditDocument:
    _require(user, audit, WORKERS | {AUTHORITY})
    content_type = check_upload(upload)
    return AuditDocument.objects.create(
        audit=audit,
        phase=audit.phase,
        kind=kind,
        file=upload,
        original_name=(upload.name or "")[:255],
        size=upload.size or 0,
        content_type=content_type,
        uploaded_by=user,
    )
