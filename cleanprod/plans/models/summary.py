"""Precomputed counters the dashboards read, refreshed by ``cleanprod refresh_plan_metrics``.

One row per (level, region, industry class, year) with every counter the metrics need, at
province (level 1) and prefecture (level 2) granularity: a national page then reads at most
31 regions x classes x years rows, a provincial page its prefectures' rows. Counters are
flows of the year, except ``year = 0`` rows, which hold the registry's current counts (the
denominators) and the levels that have no year. County pages are computed live from the
facts (a prefecture's facts are few). Definitions: ``cleanprod.plans.metrics``.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from cleanprod.plans.models.catalogue import Technology
from cleanprod.platform.permissions import RestrictedQuerySet

#: The counters of a summary row; see cleanprod.plans.metrics for what each one counts.
COUNTERS = (
    "enterprises",
    "above_size",
    "key_enterprises",
    "trained_new",
    "passed_new",
    "options_approved",
    "options_implemented",
    "key_advanced",
)
BENEFIT_COUNTERS = ("cod", "nh3n", "so2", "nox", "vocs", "heavy_metals", "co2")
DECIMAL_COUNTERS = (*BENEFIT_COUNTERS, "co2_emissions")


class MetricSummary(models.Model):
    level = models.PositiveSmallIntegerField()
    region = models.CharField(max_length=6)
    industry_code = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["level", "industry_code", "region"], name="summary_level_ind_reg"),
        ]


for _name in COUNTERS:
    MetricSummary.add_to_class(_name, models.IntegerField(default=0))
for _name in DECIMAL_COUNTERS:
    MetricSummary.add_to_class(
        _name, models.DecimalField(max_digits=20, decimal_places=4, default=Decimal(0))
    )


class TechnologySummary(models.Model):
    """Adopted and total capacity of a technology's industries, by level, region and year."""

    level = models.PositiveSmallIntegerField()
    region = models.CharField(max_length=6)
    technology = models.ForeignKey(Technology, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    adopted = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal(0))
    total = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal(0))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["technology", "level", "region"], name="techsum_tech_level"),
        ]
