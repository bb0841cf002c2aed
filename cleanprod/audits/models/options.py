"""Cleaner-production options (方案): category, cost class, benefits, feasibility."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cleanprod.audits.models.audits import Audit
from cleanprod.platform.locking import Versioned
from cleanprod.platform.permissions import RestrictedQuerySet

# The yearly benefits an option can have (expected when proposed, verified when implemented):
# (field suffix, label, unit). Pollutants and CO2 are those the plans set targets for.
BENEFITS: tuple[tuple[str, str, str], ...] = (
    ("energy", _("Energy"), "tce"),
    ("water", _("Water"), "t"),
    ("materials", _("Raw materials"), "t"),
    ("cod", _("COD"), "t"),
    ("nh3n", _("Ammonia nitrogen"), "t"),
    ("so2", _("SO2"), "t"),
    ("nox", _("NOx"), "t"),
    ("vocs", _("VOCs"), "t"),
    ("heavy_metals", _("Heavy metals"), "kg"),
    ("hazardous_waste", _("Hazardous waste"), "t"),
    ("co2", _("CO2"), "t"),
    ("money", _("Economic benefit"), "10k CNY"),
)
# The kind of quantity of each benefit (cleanprod.core.units): its stored unit is the unit of
# BENEFITS above, and the units a user may enter it in.
BENEFIT_QUANTITIES: dict[str, str] = {
    "energy": "energy",
    "water": "water",
    "heavy_metals": "mass_kg",
    "money": "money",
    **{k: "mass" for k in ("materials", "cod", "nh3n", "so2", "nox", "vocs", "hazardous_waste")},
    "co2": "mass",
}


class OptionCategory(models.TextChoices):
    MATERIALS_ENERGY = "materials_energy", _("Raw materials and energy")
    TECHNOLOGY = "technology", _("Technology and process")
    EQUIPMENT = "equipment", _("Equipment")
    PROCESS_CONTROL = "process_control", _("Process control")
    PRODUCT = "product", _("Product")
    WASTE = "waste", _("Waste")
    MANAGEMENT = "management", _("Management")
    STAFF = "staff", _("Staff")


class OptionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SCREENED = "screened", _("Screened")
    FEASIBLE = "feasible", _("Feasible")
    APPROVED = "approved", _("Approved")
    IMPLEMENTED = "implemented", _("Implemented")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class Option(Versioned):
    changelog = True

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("number"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=OptionCategory.choices)
    high_cost = models.BooleanField(_("medium/high-cost option"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=OptionStatus.choices, default=OptionStatus.PROPOSED
    )
    rejection_barrier = models.TextField(_("barrier (why rejected)"), blank=True)
    investment = models.DecimalField(
        _("planned investment (10k CNY)"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    annual_net_cash_flow = models.DecimalField(
        _("annual net cash flow (10k CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    lifetime_years = models.PositiveSmallIntegerField(_("lifetime (years)"), null=True, blank=True)
    discount_rate = models.DecimalField(
        _("discount rate"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    payback_years = models.FloatField(_("payback period (years)"), null=True, blank=True)
    npv = models.FloatField(_("NPV (10k CNY)"), null=True, blank=True)
    npvr = models.FloatField(_("NPVR"), null=True, blank=True)
    irr = models.FloatField(_("IRR"), null=True, blank=True)
    actual_investment = models.DecimalField(
        _("actual investment (10k CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["audit", "code"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [models.UniqueConstraint(fields=["audit", "code"], name="uniq_option_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def changelog_region(self) -> str:
        return str(self.audit.region_id)

    def benefits(self, basis: str) -> dict[str, Decimal]:
        """``{"cod": Decimal(...), ...}`` for basis ``expected`` or ``verified``."""
        return {key: getattr(self, f"{basis}_{key}") for key, _label, _unit in BENEFITS}

    def benefit_lines(self) -> list[tuple[str, str, Decimal, Decimal]]:
        """(label, stored unit, expected, verified) of each benefit that is not zero."""
        return [
            (str(label), unit, getattr(self, f"expected_{key}"), getattr(self, f"verified_{key}"))
            for key, label, unit in BENEFITS
            if getattr(self, f"expected_{key}") or getattr(self, f"verified_{key}")
        ]


# expected_<benefit> and verified_<benefit> columns, one pair per entry of BENEFITS.
for _key, _label, _unit in BENEFITS:
    for _basis, _word in (("expected", _("expected")), ("verified", _("verified"))):
        Option.add_to_class(
            f"{_basis}_{_key}",
            models.DecimalField(
                format_lazy("{} ({}, {}/a)", _label, _word, _unit),
                max_digits=16,
                decimal_places=4,
                default=Decimal(0),
            ),
        )
