"""Platform facts the metrics are computed from: training attendance, production capacity and
technology adoption. Each row copies its enterprise's region, industry class and size (as
Audit does) so that aggregates over a whole region group on indexed columns of one table."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from cleanprod.plans.models.catalogue import Technology
from cleanprod.platform.permissions import RestrictedQuerySet
from cleanprod.regions.models import Region
from cleanprod.registry.models import Enterprise


class EnterpriseFact(models.Model):
    """Denormalized enterprise columns, filled from the enterprise on save."""

    # PROTECT: training attendance, capacity and adoption feed the plans' metrics (history).
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    industry_code = models.CharField(max_length=4)
    synthetic = models.BooleanField(default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.enterprise_id and not self.region_id:
            self.region_id = self.enterprise.region_id
            self.industry_code = self.enterprise.industry_code
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class TrainingSession(models.Model):
    """A cleaner-production training session organized by an authority."""

    changelog = True

    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    region = models.ForeignKey(
        Region, verbose_name=_("organized in"), on_delete=models.PROTECT, related_name="+"
    )
    organizer = models.CharField(_("organizer"), max_length=200, blank=True)
    synthetic = models.BooleanField(default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class AttendeeRole(models.TextChoices):
    HEAD = "head", _("Principal head (主要负责人)")
    MANAGER = "manager", _("Cleaner-production manager")
    STAFF = "staff", _("Staff")


class Attendance(EnterpriseFact):
    """One person of an enterprise attending a training session."""

    changelog = True

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.CharField(_("person"), max_length=64)
    role = models.CharField(_("role"), max_length=8, choices=AttendeeRole.choices)
    date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"))
    above_size = models.BooleanField(default=False)

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        indexes = [
            models.Index(fields=["region", "year"], name="attend_region_year"),
            models.Index(fields=["enterprise", "role"], name="attend_enterprise_role"),
        ]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.date is None and self.session_id:
            self.date = self.session.date
        self.year = self.date.year
        if self.enterprise_id:
            self.above_size = self.enterprise.above_size
        super().save(*args, **kwargs)


class EnterpriseCapacity(EnterpriseFact):
    """An enterprise's production capacity from ``year`` on (until a later record)."""

    changelog = True

    year = models.PositiveSmallIntegerField(_("from year"))
    capacity = models.DecimalField(_("capacity"), max_digits=16, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=16, default="t/a")

    class Meta:
        ordering = ["enterprise", "year"]
        verbose_name = _("production capacity")
        verbose_name_plural = _("production capacities")
        indexes = [models.Index(fields=["region", "industry_code"], name="capacity_region_ind")]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="uniq_capacity_year")
        ]


class Adoption(EnterpriseFact):
    """An enterprise adopting a technology in ``year`` for ``capacity`` of its production."""

    changelog = True

    technology = models.ForeignKey(
        Technology,
        verbose_name=_("technology"),
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    capacity = models.DecimalField(
        _("capacity covered"), max_digits=16, decimal_places=2, default=Decimal(0)
    )

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("technology adoption")
        verbose_name_plural = _("technology adoptions")
        indexes = [
            models.Index(fields=["technology", "region", "year"], name="adoption_tech_region")
        ]
