"""The audit case: its phase, deadlines, phase outputs, transitions and documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cleanprod.platform.permissions import RestrictedQuerySet
from cleanprod.regions.models import Region
from cleanprod.registry.models import Agency, AgencyStaff, Enterprise, Park


class Phase(models.TextChoices):
    """Where an audit stands: the seven phases, then evaluation, implementation, acceptance."""

    NOT_STARTED = "not_started", _("Not started")
    PREPARATION = "preparation", _("Preparation")
    PRE_ASSESSMENT = "pre_assessment", _("Pre-assessment")
    ASSESSMENT = "assessment", _("Assessment")
    OPTIONS = "options", _("Option generation and screening")
    FEASIBILITY = "feasibility", _("Feasibility analysis")
    IMPLEMENTATION = "implementation", _("Implementation")
    CONTINUATION = "continuation", _("Continuous cleaner production")
    EVALUATION = "evaluation", _("Awaiting evaluation")
    HIGH_COST_IMPLEMENTATION = "high_cost", _("Implementing medium/high-cost options")
    ACCEPTANCE = "acceptance", _("Awaiting acceptance")
    CLOSED = "closed", _("Closed")
    FAILED = "failed", _("Failed (re-audit)")


SEVEN_PHASES = [
    Phase.PREPARATION,
    Phase.PRE_ASSESSMENT,
    Phase.ASSESSMENT,
    Phase.OPTIONS,
    Phase.FEASIBILITY,
    Phase.IMPLEMENTATION,
    Phase.CONTINUATION,
]
OPEN_PHASES = [p for p in Phase if p not in (Phase.CLOSED, Phase.FAILED)]


class AuditKind(models.TextChoices):
    MANDATORY = "mandatory", _("Mandatory audit")
    VOLUNTARY = "voluntary", _("Voluntary audit")
    PILOT = "pilot", _("Park or cluster audit")
    CERTIFICATION = "certification", _("Evaluation certification (counts as an audit)")


class Audit(models.Model):
    """One audit round of an enterprise, or of a park/cluster covering many enterprises."""

    changelog = True

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=AuditKind.choices)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="audits"
    )
    members = models.ManyToManyField(
        Enterprise,
        verbose_name=_("member enterprises"),
        blank=True,
        related_name="member_audits",
        help_text=_("A park or cluster audit counts as an audit for each member."),
    )
    park = models.ForeignKey(Park, on_delete=models.PROTECT, null=True, blank=True)
    roster_entry = models.ForeignKey(
        "audits.RosterEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audits",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("consulting agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audits",
    )
    staff = models.ManyToManyField(
        AgencyStaff, verbose_name=_("certified staff"), blank=True, related_name="audits"
    )
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.NOT_STARTED, db_index=True
    )
    # Bumped by every transition: a transition made from a stale copy is refused (no races).
    version = models.PositiveIntegerField(default=0)
    # Copied from the enterprise when the audit is opened, so that dashboards over hundreds of
    # thousands of audits aggregate on indexed columns of one table.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    industry_code = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    rules_version = models.CharField(_("rules version"), max_length=128, blank=True)
    focus = models.TextField(_("audit focus"), blank=True)
    pre_grade = models.CharField(_("grade at pre-assessment"), max_length=8, blank=True)
    post_grade = models.CharField(_("grade at acceptance"), max_length=8, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    report_submitted_on = models.DateField(_("report submitted on"), null=True, blank=True)
    evaluation_passed_on = models.DateField(_("evaluation passed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False, db_index=True)
    # Option totals, kept by the option services, so that implementation rates over a whole
    # region aggregate one row per audit instead of every option (see services.options).
    options_approved = models.PositiveIntegerField(default=0)
    options_implemented = models.PositiveIntegerField(default=0)
    investment_approved = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    investment_implemented = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    synthetic = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        indexes = [
            models.Index(fields=["region", "year", "phase"], name="audit_region_year_phase"),
            models.Index(fields=["industry_code", "year"], name="audit_industry_year"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("audits:audit-detail", args=[self.pk])

    def covered_enterprises(self) -> models.QuerySet[Enterprise]:
        """Every enterprise this audit counts for: the lead and, for park audits, the members."""
        return Enterprise.objects.filter(
            models.Q(pk=self.enterprise_id) | models.Q(member_audits=self)
        ).distinct()


DEADLINE_EVENTS = {
    "disclose": _("Disclosure"),
    "start": _("Start of the audit"),
    "report": _("Audit report submitted"),
    "options_implemented": _("Medium/high-cost options implemented"),
    "acceptance": _("Acceptance requested"),
}


class Deadline(models.Model):
    """A statutory milestone of an audit, with the rule that produced the date."""

    changelog = True

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="deadlines")
    event = models.CharField(_("milestone"), max_length=32)
    # The legal last day (民法典 第二百零三条: moved past a 法定休假日); overdue checks use it.
    due = models.DateField(_("due"), db_index=True)
    # The last day as the rule counts it in calendar months (第二百零二条).
    nominal_due = models.DateField(_("nominal due date"))
    calendar_version = models.CharField(_("holiday calendar version"), max_length=128, blank=True)
    rule_id = models.CharField(_("rule"), max_length=64)
    rule_text = models.TextField(_("rule text"))
    rule_source = models.CharField(_("rule source"), max_length=255)
    rules_version = models.CharField(_("rules version"), max_length=128)
    met_on = models.DateField(_("met on"), null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False)

    class Meta:
        ordering = ["due", "event"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "event"], name="uniq_deadline_event")
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.due}"

    def changelog_region(self) -> str:
        return str(Audit.objects.filter(pk=self.audit_id).values_list("region_id", flat=True)[0])

    @property
    def label(self) -> str:
        return str(DEADLINE_EVENTS.get(self.event, self.event))

    @property
    def extended(self) -> bool:
        """Whether the nominal last day fell on a 法定休假日 and the legal one is later."""
        return self.nominal_due != self.due


class PhaseRecord(models.Model):
    """The outputs of one phase (team and plan, balances, causes, …) as structured data."""

    changelog = True

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="phase_records")
    phase = models.CharField(max_length=16, choices=Phase.choices)
    data = models.JSONField(default=dict, blank=True)
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "phase"], name="uniq_phase_record")]

    def __str__(self) -> str:
        return f"{self.audit_id} {self.phase}"

    def changelog_region(self) -> str:
        return str(self.audit.region_id)


class AuditTransition(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField(max_length=32)
    from_phase = models.CharField(max_length=16, choices=Phase.choices)
    to_phase = models.CharField(max_length=16, choices=Phase.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


def _upload_to(instance: AuditDocument, filename: str) -> str:
    return f"audits/{instance.audit_id}/{filename}"


class AuditDocument(models.Model):
    """A document of an audit, stored outside the web root and served only to users in scope."""

    changelog = True

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="documents")
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    kind = models.CharField(_("document type"), max_length=32)
    file = models.FileField(upload_to=_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    def changelog_region(self) -> str:
        return str(self.audit.region_id)
