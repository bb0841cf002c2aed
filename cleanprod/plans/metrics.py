"""The progress metrics computed from platform data: each one's definition, in code.

A metric's value for a region (any node), an industry filter and a year is computed from
counters (see :mod:`cleanprod.plans.facts` for how each counter is counted from the facts):

* ``enterprises``, ``above_size``, ``key_enterprises`` — the registry's current counts (all,
  规模以上, and in the 十二五 key industries ``twelfth-key``); the registry keeps no history of
  size or industry, so these denominators are the same for every year;
* ``trained_new`` — above-size enterprises whose principal head (主要负责人) first attended a
  cleaner-production training in the year;
* ``passed_new`` — above-size enterprises whose first audit that passed (phase high_cost,
  acceptance or closed, or evaluation passed) is of the year; a park audit counts for its lead
  enterprise and for each member;
* ``options_approved``/``options_implemented`` — option totals of the year's audits;
* ``key_advanced`` — key-industry enterprises whose latest assessment by the end of the year
  is grade I or II (a level at the year's end, not a flow);
* ``cod`` … ``co2`` — verified yearly benefits of verified options (a verification date or the
  status verified) of the year (of verification, else of implementation, else the audit's),
  summed over options, each option once, in its audit's region and industry (a park audit's
  options count once, where the park audit is); units of ``BENEFITS`` (t/a; metals kg/a);
* ``co2_emissions`` — tCO2 of the current carbon calculation of each enterprise for the year.

``cumulative`` counters are summed over every year up to the one shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cleanprod.core.progress import penetration_rate

Counters = Mapping[str, Any]
#: Counters of the registry as it is now, kept in the ``year = 0`` bucket.
REGISTRY_COUNTERS = frozenset({"enterprises", "above_size", "key_enterprises"})
PENETRATION_PREFIX = "penetration:"


@dataclass(frozen=True)
class Metric:
    """How to compute one metric from the counters of the years ``≤ year``."""

    slug: str
    label: str | Promise
    unit: str
    definition: str | Promise
    numerator: str
    denominator: str | None = None
    cumulative: bool = True  # numerator summed over years up to the one shown
    cumulative_denominator: bool = False
    percent: bool = False
    target: str | None = None  # the plan target it measures (cleanprod.core.plans id)
    scale: float = 1.0  # metric units per target unit (t per 万吨)

    def value(self, by_year: Mapping[int, Counters], year: int) -> float | None:
        """The metric for ``year`` from ``{year: counters}`` (``0`` holds the registry counts)."""
        num = self._sum(by_year, self.numerator, year, self.cumulative)
        if self.denominator is None:
            return float(num)
        den = self._sum(by_year, self.denominator, year, self.cumulative_denominator)
        if self.slug.startswith(PENETRATION_PREFIX):
            return penetration_rate(num, den)
        if not den:
            return None
        return float(Decimal(num) * (100 if self.percent else 1) / Decimal(den))

    @staticmethod
    def _sum(by_year: Mapping[int, Counters], key: str, year: int, cumulative: bool) -> Any:
        if key in REGISTRY_COUNTERS:
            return by_year.get(0, {}).get(key, 0) or 0
        if not cumulative:
            return by_year.get(year, {}).get(key, 0) or 0
        return sum((r.get(key, 0) or 0 for y, r in by_year.items() if 0 < y <= year), 0)


def _reduction(slug: str, counter: str, label: Any, unit: str, target: str | None) -> Metric:
    return Metric(
        slug,
        label,
        unit,
        _(
            "Verified yearly reduction of options verified up to the year, summed over options "
            "(each option once, in its audit's region)."
        ),
        numerator=counter,
        target=target,
        scale=10_000.0 if target else 1.0,  # the plans count 万吨/年; options count t/a
    )


METRICS: tuple[Metric, ...] = (
    Metric(
        "training_share",
        _("Above-size enterprises whose head was trained"),
        "%",
        _(
            "Above-size enterprises whose principal head attended a cleaner-production training "
            "up to the year, as a share of the above-size enterprises in the registry."
        ),
        numerator="trained_new",
        denominator="above_size",
        percent=True,
        target="12-leader-training-share",
    ),
    Metric(
        "audited_share",
        _("Above-size enterprises that passed an audit"),
        "%",
        _(
            "Above-size enterprises covered by an audit that passed evaluation (a park audit "
            "covers each member) up to the year, as a share of the above-size enterprises."
        ),
        numerator="passed_new",
        denominator="above_size",
        percent=True,
        target="12-audited-share",
    ),
    Metric(
        "option_implementation_rate",
        _("Option implementation rate"),
        "%",
        _("Options implemented / options approved, over the audits of the years up to the year."),
        numerator="options_implemented",
        denominator="options_approved",
        cumulative_denominator=True,
        percent=True,
        target="12-option-implementation-rate",
    ),
    Metric(
        "advanced_share",
        _("Key-industry enterprises at grade II or better"),
        "%",
        _(
            "Key-industry enterprises whose latest assessment by the end of the year is grade I "
            "or II, as a share of the key-industry enterprises in the registry."
        ),
        numerator="key_advanced",
        denominator="key_enterprises",
        cumulative=False,
        percent=True,
        target="12-advanced-enterprise-share",
    ),
    _reduction("cod", "cod", _("COD reduction"), "t/a", "12-cod-reduction"),
    _reduction("nh3n", "nh3n", _("Ammonia nitrogen reduction"), "t/a", "12-nh3n-reduction"),
    _reduction("so2", "so2", _("SO2 reduction"), "t/a", "12-so2-reduction"),
    _reduction("nox", "nox", _("NOx reduction"), "t/a", "12-nox-reduction"),
    _reduction("vocs", "vocs", _("VOCs reduction"), "t/a", None),
    _reduction("heavy_metals", "heavy_metals", _("Heavy metals reduction"), "kg/a", None),
    _reduction("co2", "co2", _("CO2 reduction"), "t/a", None),
    Metric(
        "co2_emissions",
        _("CO2 emissions (carbon calculations)"),
        "t",
        _("Sum of the current carbon calculation of each enterprise for the year."),
        numerator="co2_emissions",
        cumulative=False,
    ),
)
BY_SLUG = {m.slug: m for m in METRICS}


def penetration_metric(slug: str, name: str) -> Metric:
    """The penetration rate of one technology: adopted / total capacity of its industries."""
    return Metric(
        f"{PENETRATION_PREFIX}{slug}",
        _("Penetration: %(name)s") % {"name": name},
        "%",
        _(
            "Capacity of enterprises that adopted the technology up to the year (at most their "
            "capacity) / capacity of all enterprises of its industries in the year."
        ),
        numerator="adopted",
        denominator="total",
        cumulative=False,
        percent=True,
    )
