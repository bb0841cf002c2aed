"""Rosters (名单): mandatory, voluntary and pilot (park/cluster) audits of a region and year."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cleanprod.core.audit_rules import AuditRulesError
from cleanprod.platform.locking import Versioned
from cleanprod.platform.permissions import RestrictedQuerySet
from cleanprod.regions.models import Region
from cleanprod.registry.models import Enterprise, Park


class ProvincialRules(models.Model):
    """A province's override of the national audit rules, versioned (YAML, see docs/rules.md)."""

    changelog = True

    region = models.ForeignKey(Region, on_delete=models.PROTECT, limit_choices_to={"level": 1})
    version = models.CharField(_("version"), max_length=64)
    text = models.TextField(_("override (YAML)"))
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["region", "-created"]
        verbose_name = _("provincial audit rules")
        verbose_name_plural = _("provincial audit rules")
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="uniq_rules_version")
        ]

    def __str__(self) -> str:
        return f"{self.region.name} {self.version}"

    def clean(self) -> None:
        """Refuse an override the rules engine cannot load (the admin, forms and API call this):
        a broken file would stop audit work for the whole province."""
        # rules.py imports this module (effective_rules reads ProvincialRules), hence the import
        # here rather than at the top.
        from cleanprod.audits.rules import validate_override

        if not self.region_id or not self.text:
            return  # the field errors already say what is missing
        try:
            validate_override(self.text, self.region_id)
        except AuditRulesError as exc:
            raise ValidationError({"text": str(exc)}) from exc


class Roster(Versioned):
    changelog = True

    class Kind(models.TextChoices):
        MANDATORY = "mandatory", _("Mandatory audit")
        VOLUNTARY = "voluntary", _("Voluntary audit")
        PILOT = "pilot", _("Park or cluster pilot audit")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    rules_version = models.CharField(_("rules version"), max_length=128, blank=True)
    published_at = models.DateField(_("published on"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    synthetic = models.BooleanField(default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region_id", "kind"]
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("audits:roster-detail", args=[self.pk])


class RosterEntry(models.Model):
    changelog = True

    class Origin(models.TextChoices):
        PROPOSED = "proposed", _("Proposed from enterprise data")
        ADDED = "added", _("Added by the authority")
        APPLIED = "applied", _("Voluntary application")

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="entries")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="roster_entries"
    )
    park = models.ForeignKey(
        Park, on_delete=models.PROTECT, null=True, blank=True, related_name="roster_entries"
    )
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices)
    triggers = models.JSONField(_("triggers"), default=list, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    removed = models.BooleanField(_("removed"), default=False)
    removal_reason = models.TextField(_("removal reason"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["roster", "pk"]
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        constraints = [
            models.UniqueConstraint(
                fields=["roster", "enterprise"],
                condition=models.Q(enterprise__isnull=False),
                name="uniq_roster_enterprise",
            ),
            models.CheckConstraint(
                condition=models.Q(enterprise__isnull=False) | models.Q(park__isnull=False),
                name="roster_entry_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return str(self.enterprise or self.park)

    def changelog_region(self) -> str:
        subject = self.enterprise or self.park
        return str(subject.region_id) if subject else ""
