"""Expert evaluation (评估) and acceptance (验收) of audits; agency credit events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cleanprod.audits.models.audits import Audit
from cleanprod.platform.permissions import RestrictedQuerySet
from cleanprod.registry.models import Agency, Expert


class Stage(models.TextChoices):
    EVALUATION = "evaluation", _("Evaluation")
    ACCEPTANCE = "acceptance", _("Acceptance")


class Panel(models.Model):
    """An expert panel drawn at random for one review; the draw is reproducible and logged."""

    changelog = True

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="panels")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    seed = models.CharField(_("random seed"), max_length=64)
    rule = models.CharField(_("matching rule"), max_length=255)
    log = models.JSONField(_("draw log"), default=dict)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-drawn_at"]
        verbose_name = _("expert panel")
        verbose_name_plural = _("expert panels")

    def __str__(self) -> str:
        return f"{self.audit} · {self.get_stage_display()}"

    def changelog_region(self) -> str:
        return str(self.audit.region_id)


class PanelMember(models.Model):
    changelog = True

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="panel_seats")
    alternate = models.BooleanField(_("alternate"), default=False)
    declined = models.BooleanField(_("declined"), default=False)

    class Meta:
        ordering = ["panel", "alternate", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], name="uniq_panel_expert")
        ]

    def __str__(self) -> str:
        return f"{self.panel} · {self.expert}"

    def changelog_region(self) -> str:
        return str(
            Panel.objects.filter(pk=self.panel_id).values_list("audit__region_id", flat=True)[0]
        )


class Review(models.Model):
    """The decision of an evaluation or acceptance, with the template version it used."""

    changelog = True

    class Decision(models.TextChoices):
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="reviews")
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="reviews")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    template_slug = models.CharField(_("scoring template"), max_length=64)
    template_version = models.CharField(_("template version"), max_length=64)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True)
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    band = models.CharField(_("band"), max_length=32, blank=True)
    vetoes = models.JSONField(_("veto findings"), default=list, blank=True)
    opinion = models.TextField(_("technical review opinion"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.audit} · {self.get_stage_display()} · {self.get_decision_display()}"

    def changelog_region(self) -> str:
        return str(self.audit.region_id)


class ScoreSheet(models.Model):
    """One expert's score sheet for a panel: entered by the expert (or, from a paper sheet, by
    the officer); attached to the review when the officer records the decision from them."""

    changelog = True

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="sheets")
    # Empty until the officer records the decision from the panel's sheets.
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="sheets"
    )
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="score_sheets")
    scores = models.JSONField(_("scores"), default=dict)
    vetoes = models.JSONField(_("veto findings"), default=dict, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], name="uniq_sheet_panel_expert")
        ]

    def changelog_region(self) -> str:
        return str(
            Panel.objects.filter(pk=self.panel_id).values_list("audit__region_id", flat=True)[0]
        )


class CreditEvent(models.Model):
    """第三方服务机构责任追溯: a warning, falsification finding or suspension of an agency.

    While active (no end date, or ending in the future) it blocks new engagements.
    """

    changelog = True

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        FALSIFICATION = "falsification", _("Falsification")
        SUSPENSION = "suspension", _("Suspension")

    # PROTECT: an agency's credit record must survive it (deactivate the agency instead).
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="credit_events")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    audit = models.ForeignKey(Audit, on_delete=models.SET_NULL, null=True, blank=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("credit event")
        verbose_name_plural = _("credit events")

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_kind_display()}"

    def changelog_region(self) -> str:
        return str(self.agency.region_id)
