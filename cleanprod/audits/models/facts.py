"""Facts about enterprises that decide the mandatory roster, each with its evidence."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cleanprod.platform.permissions import RestrictedQuerySet
from cleanprod.registry.models import Enterprise


def _evidence_to(instance: models.Model, filename: str) -> str:
    return f"facts/{instance._meta.model_name}/{filename}"


class Fact(models.Model):
    changelog = True

    # PROTECT: the facts that put an enterprise on a mandatory roster are regulated evidence.
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    evidence = models.CharField(_("evidence"), max_length=255)
    # The document behind the record (monitoring report, energy audit, ledger), stored outside
    # the web root like audit documents and served only to users who may view the record.
    evidence_file = models.FileField(
        _("evidence document"), upload_to=_evidence_to, blank=True, max_length=255
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    recorded = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    def changelog_region(self) -> str:
        return str(self.enterprise.region_id)


class EmissionExceedance(Fact):
    """双超: a pollutant over its discharge standard or over the total-load quota."""

    class Kind(models.TextChoices):
        STANDARD = "standard", _("Over the discharge standard")
        TOTAL_LOAD = "total_load", _("Over the total-load quota")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    pollutant = models.CharField(_("pollutant"), max_length=64)
    value = models.FloatField(_("value"))
    limit = models.FloatField(_("limit"))
    unit = models.CharField(_("unit"), max_length=32)

    class Meta:
        verbose_name = _("emission exceedance")
        verbose_name_plural = _("emission exceedances")


class EnergyExceedance(Fact):
    """高耗能: unit-product energy consumption over the quota (能耗限额)."""

    product = models.CharField(_("product"), max_length=64)
    value = models.FloatField(_("value"))
    quota = models.FloatField(_("quota"))
    unit = models.CharField(_("unit"), max_length=32)

    class Meta:
        verbose_name = _("energy-quota exceedance")
        verbose_name_plural = _("energy-quota exceedances")


class SubstanceRecord(Fact):
    """双有: a toxic or hazardous substance used or emitted."""

    class Role(models.TextChoices):
        USED = "used", _("Used")
        EMITTED = "emitted", _("Emitted")

    name = models.CharField(_("substance"), max_length=128)
    cas_numbers = models.CharField(_("CAS numbers"), max_length=255, blank=True)
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    declared = models.CharField(
        _("declared classes"),
        max_length=128,
        blank=True,
        help_text=_("Comma-separated: pop, hazardous_waste, highly_toxic, other_toxic"),
    )

    class Meta:
        verbose_name = _("toxic substance record")
        verbose_name_plural = _("toxic substance records")
