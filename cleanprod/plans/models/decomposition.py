"""目标分解 (十二五 §六): targets assigned to regions; provinces' annual plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cleanprod.plans.models.catalogue import Target
from cleanprod.platform.permissions import RestrictedQuerySet
from cleanprod.regions.models import Region


class TargetAllocation(models.Model):
    """The part of a target assigned to a region (a province of a national target, a prefecture
    of a provincial one), in the target's unit."""

    changelog = True

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="allocations"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("assigned value"), max_digits=18, decimal_places=4)
    note = models.CharField(_("note"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)
    synthetic = models.BooleanField(default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["target", "region"]
        verbose_name = _("target allocation")
        verbose_name_plural = _("target allocations")
        constraints = [models.UniqueConstraint(fields=["target", "region"], name="uniq_allocation")]

    def __str__(self) -> str:
        return f"{self.target} · {self.region_id} · {self.value}"

    def changelog_region(self) -> str:
        return str(self.region_id)


class AnnualPlan(models.Model):
    """年度实施计划: a province's plan for one year, listing its milestones."""

    changelog = True

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    synthetic = models.BooleanField(default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region"]
        verbose_name = _("annual implementation plan")
        verbose_name_plural = _("annual implementation plans")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="uniq_annual_plan")]

    def __str__(self) -> str:
        return self.title

    def changelog_region(self) -> str:
        return str(self.region_id)


class Milestone(models.Model):
    """One milestone of an annual plan, optionally tied to a target and a value."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="milestones")
    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.SET_NULL, null=True, blank=True
    )
    description = models.CharField(_("milestone"), max_length=300)
    due = models.DateField(_("due"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "due", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.description
