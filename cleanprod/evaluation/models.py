"""Indicator systems loaded into the database (versioned) and enterprises' assessments.

An assessment keeps the system version it used and cannot be edited once submitted: a
correction is a new assessment that supersedes it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cleanprod.platform.permissions import RestrictedQuerySet
from cleanprod.registry.models import Enterprise


class SystemVersion(models.Model):
    """One version of an indicator system (清洁生产评价指标体系), as its validated file."""

    slug = models.SlugField(_("identifier"), max_length=100)
    version = models.CharField(_("version"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=32)
    industries = models.JSONField(_("industry codes"), default=list)
    source = models.TextField(_("source"), blank=True)
    text = models.TextField(_("system file (YAML)"))
    sha256 = models.CharField(max_length=64)
    loaded = models.DateTimeField(auto_now_add=True)
    current = models.BooleanField(_("current version"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["slug", "-loaded"]
        verbose_name = _("indicator system version")
        verbose_name_plural = _("indicator system versions")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="uniq_system_version")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:system-detail", args=[self.slug])

    def system(self) -> Any:
        """The validated core system (parsed once per process per version)."""
        # services imports these models; the parsed system is cached there, keyed on the hash.
        from cleanprod.evaluation.services import parsed_system

        return parsed_system(self.pk, self.text, self.slug)


class Assessment(models.Model):
    """A submitted self-assessment (or an authority's grading input) and its result."""

    changelog = True

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        # PROTECT: assessments are regulated history; the enterprise is deactivated instead.
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    system = models.ForeignKey(
        SystemVersion,
        verbose_name=_("indicator system"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    inputs = models.JSONField(_("inputs"), help_text=_("Column → text, as in the CSV layout."))
    grade = models.CharField(_("grade"), max_length=8, db_index=True)
    index_i = models.DecimalField("Y_I", max_digits=9, decimal_places=4)
    index_ii = models.DecimalField("Y_II", max_digits=9, decimal_places=4)
    index_iii = models.DecimalField("Y_III", max_digits=9, decimal_places=4)
    result = models.JSONField(_("result"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="superseded_by"
    )
    synthetic = models.BooleanField(default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            models.Index(fields=["system", "enterprise", "-submitted"], name="assess_latest")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.system.name} · {self.grade}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:assessment-detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.pop("allow_update", False):
            raise ValueError("A submitted assessment cannot be edited; submit a new one.")
        super().save(*args, **kwargs)

    def changelog_region(self) -> str:
        return str(self.enterprise.region_id)
