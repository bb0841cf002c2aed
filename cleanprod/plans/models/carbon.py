"""The emission-factor library in the database (versioned; each value with source and status)
and enterprises' carbon calculations, each pinned to the library version it used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cleanprod.platform.permissions import RestrictedQuerySet
from cleanprod.regions.models import Region
from cleanprod.registry.models import Enterprise


class FactorLibraryVersion(models.Model):
    """One version of the factor library. Versions are never edited: a corrected value is a new
    version (see :func:`cleanprod.plans.carbon.new_version`)."""

    version = models.CharField(_("version"), max_length=64, unique=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    current = models.BooleanField(_("current version"), default=False)
    loaded = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-loaded", "-pk"]
        verbose_name = _("factor library version")
        verbose_name_plural = _("factor library versions")

    def __str__(self) -> str:
        return self.version


class EmissionFactor(models.Model):
    """One factor value: ``value`` is kept as the published decimal text, digit for digit."""

    library = models.ForeignKey(
        FactorLibraryVersion, on_delete=models.CASCADE, related_name="factors"
    )
    factor_id = models.CharField(_("factor"), max_length=100)
    value = models.CharField(_("value"), max_length=40)
    unit = models.CharField(_("unit"), max_length=32)
    source = models.TextField(_("source"))
    status = models.CharField(_("status"), max_length=12)
    note = models.TextField(_("note"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["library", "pk"]
        verbose_name = _("emission factor")
        verbose_name_plural = _("emission factors")
        constraints = [models.UniqueConstraint(fields=["library", "factor_id"], name="uniq_factor")]

    def __str__(self) -> str:
        return f"{self.factor_id} = {self.value} {self.unit}"

    @property
    def unverified(self) -> bool:
        return self.status != "confirmed"


class CarbonCalculation(models.Model):
    """The CO2 of an enterprise's year, computed with one pinned library version. Immutable:
    recalculating creates a new calculation that supersedes this one, which is kept."""

    changelog = True

    # PROTECT: calculations are kept history; the enterprise is deactivated instead.
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    industry_code = models.CharField(max_length=4)
    activities = models.JSONField(_("activities"))
    library = models.ForeignKey(
        FactorLibraryVersion,
        verbose_name=_("factor library"),
        on_delete=models.PROTECT,
        related_name="calculations",
    )
    total_tco2 = models.DecimalField(_("CO2 (t)"), max_digits=24, decimal_places=6)
    total_text = models.CharField(max_length=64)  # the exact Decimal, unrounded
    lines = models.JSONField(_("lines"))
    unconfirmed_factors = models.JSONField(default=list)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    current = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    synthetic = models.BooleanField(default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("carbon calculation")
        verbose_name_plural = _("carbon calculations")
        indexes = [
            models.Index(fields=["region", "year", "current"], name="carbon_region_year"),
            models.Index(fields=["enterprise", "year"], name="carbon_enterprise_year"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} {self.total_tco2} tCO2 ({self.library_id})"

    def get_absolute_url(self) -> str:

        return reverse("plans:carbon-detail", args=[self.pk])
