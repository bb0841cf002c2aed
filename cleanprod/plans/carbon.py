"""Carbon calculations through the model layer: a calculation pins its factor-library version;
recalculating with another version is an explicit action that creates a new calculation and
keeps the old one (formulas: :mod:`cleanprod.core.carbon`)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import transaction

from cleanprod.changelog.bulk import logged_update
from cleanprod.core import carbon
from cleanprod.plans.loader import store_library
from cleanprod.plans.models import CarbonCalculation, EmissionFactor, FactorLibraryVersion
from cleanprod.registry.models import Enterprise


class CarbonInputError(ValueError):
    """The activities cannot be read; the message says which one and why."""


@lru_cache(maxsize=16)
def _core_library(pk: int, version: str) -> carbon.FactorLibrary:
    # Versions are immutable, so (pk, version) identifies the content for the process lifetime.
    factors = tuple(
        carbon.Factor(
            f.factor_id,
            Decimal(f.value),
            f.unit,
            f.source,
            carbon.FactorStatus(f.status),
            f.note,
        )
        for f in EmissionFactor.objects.filter(library_id=pk).order_by("pk")
    )
    return carbon.FactorLibrary(version, factors)


def core_library(library: FactorLibraryVersion) -> carbon.FactorLibrary:
    """The :class:`cleanprod.core.carbon.FactorLibrary` of a stored version."""
    return _core_library(library.pk, library.version)


def current_library() -> FactorLibraryVersion:
    """The version new calculations use."""
    library = FactorLibraryVersion.objects.filter(current=True).first()
    if library is None:
        raise CarbonInputError("no current factor library: run `cleanprod load_reference`")
    return library


def parse_activities(data: list[dict[str, Any]]) -> tuple[carbon.Activity, ...]:
    """Activities from JSON: ``{"type": "fuel"|"electricity"|"heat", "quantity": "…", …}``."""
    result: list[carbon.Activity] = []
    for n, item in enumerate(data, start=1):
        try:
            quantity = carbon.to_decimal(item["quantity"])
            kind = item["type"]
            if kind == "fuel":
                result.append(carbon.FuelCombustion(item["fuel"], quantity, item["unit"]))
            elif kind == "electricity":
                result.append(
                    carbon.PurchasedElectricity(
                        quantity,
                        item.get("unit", "MWh"),
                        int(item["year"]),
                        item.get("scope", "national_average"),
                        item.get("region", "全国"),
                    )
                )
            elif kind == "heat":
                result.append(
                    carbon.PurchasedHeat(
                        quantity, item.get("unit", "GJ"), item.get("factor_id", "heat:default")
                    )
                )
            else:
                raise CarbonInputError(f"activity {n}: unknown type {kind!r}")
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, CarbonInputError):
                raise
            raise CarbonInputError(f"activity {n}: {exc}") from exc
    return tuple(result)


def _line_json(line: carbon.EmissionLine) -> dict[str, Any]:
    return {
        "activity": type(line.activity).__name__,
        "tco2": str(line.tco2),
        "factors": [
            {"id": f.id, "value": str(f.value), "unit": f.unit, "status": str(f.status)}
            for f in line.factors
        ],
    }


def _store(
    enterprise: Enterprise,
    year: int,
    activities: list[dict[str, Any]],
    library: FactorLibraryVersion,
    user: Any,
    supersedes: CarbonCalculation | None,
) -> CarbonCalculation:
    result = carbon.calculate(parse_activities(activities), core_library(library))
    with transaction.atomic():
        # One current calculation per enterprise and year: the newest.
        logged_update(
            CarbonCalculation.objects.filter(enterprise=enterprise, year=year, current=True),
            current=False,
        )
        return CarbonCalculation.objects.create(
            enterprise=enterprise,
            year=year,
            region_id=enterprise.region_id,
            industry_code=enterprise.industry_code,
            activities=activities,
            library=library,
            total_tco2=result.total_tco2,
            total_text=str(result.total_tco2),
            lines=[_line_json(line) for line in result.lines],
            unconfirmed_factors=[f.id for f in result.factors_not_confirmed],
            supersedes=supersedes,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )


def calculate(
    enterprise: Enterprise,
    year: int,
    activities: list[dict[str, Any]],
    *,
    library: FactorLibraryVersion | None = None,
    user: Any = None,
) -> CarbonCalculation:
    """Compute and store the CO2 of ``enterprise`` in ``year`` (current library by default)."""
    return _store(enterprise, year, activities, library or current_library(), user, None)


def recalculate(
    calculation: CarbonCalculation, library: FactorLibraryVersion, *, user: Any = None
) -> CarbonCalculation:
    """A new calculation of the same activities with ``library``; the old one is kept."""
    if library.pk == calculation.library_id:
        raise CarbonInputError(f"the calculation already uses {library.version}")
    return _store(
        calculation.enterprise,
        calculation.year,
        calculation.activities,
        library,
        user,
        calculation,
    )


@transaction.atomic
def new_version(
    base: FactorLibraryVersion, factor: carbon.Factor, version: str, *, make_current: bool = True
) -> FactorLibraryVersion:
    """A new library version: ``base`` with ``factor`` added or replaced (e.g. a verified value
    replacing an unverified one). Calculations pinned to ``base`` are untouched."""
    library = core_library(base).with_factor(factor, version)
    stored = store_library(library, note=f"{factor.id} = {factor.value}", based_on=base)
    if make_current:
        FactorLibraryVersion.objects.exclude(pk=stored.pk).update(current=False)
        FactorLibraryVersion.objects.filter(pk=stored.pk).update(current=True)
        stored.current = True
    return stored
