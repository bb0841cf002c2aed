"""Carbon formulas through the model layer, and factor-library versioning."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cleanprod.core import carbon as core
from cleanprod.plans import carbon
from cleanprod.plans.loader import load_factor_data
from cleanprod.plans.models import CarbonCalculation, EmissionFactor, FactorLibraryVersion
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db

ACTIVITIES = [
    {"type": "fuel", "fuel": "烟煤", "quantity": "100", "unit": "t"},
    {"type": "electricity", "quantity": "1000", "unit": "MWh", "year": 2022},
]
# 100 t x 19.570 GJ/t x 0.0261 tC/GJ x 0.93 x 44/12 = 174.174957; 1000 MWh x 0.5366 = 536.6
EXPECTED = Decimal("710.774957")


def test_library_is_loaded_with_status_and_is_idempotent() -> None:
    first = load_factor_data()
    again = load_factor_data()
    assert first.pk == again.pk and first.current
    assert FactorLibraryVersion.objects.count() == 1
    coal = EmissionFactor.objects.get(library=first, factor_id="fuel:烟煤:ncv")
    assert coal.value == "19.570" and coal.unverified
    grid = EmissionFactor.objects.get(library=first, factor_id="grid:2022:national_average:全国")
    assert not grid.unverified


def test_calculation_by_hand() -> None:
    load_factor_data()
    calc = carbon.calculate(factories.enterprise(), 2022, ACTIVITIES)
    calc.refresh_from_db()
    assert Decimal(calc.total_text) == EXPECTED
    assert calc.total_tco2 == EXPECTED
    assert [Decimal(line["tco2"]) for line in calc.lines] == [
        Decimal("174.174957"),
        Decimal("536.6"),
    ]
    assert "fuel:烟煤:ncv" in calc.unconfirmed_factors
    assert calc.region_id == "440305" and calc.current


def test_recalculation_keeps_the_old_result_and_pins_versions() -> None:
    base = load_factor_data()
    old = carbon.calculate(factories.enterprise(), 2022, ACTIVITIES)
    verified = core.Factor(
        "grid:2022:national_average:全国",
        Decimal("0.6"),
        "tCO2/MWh",
        "test publication",
        core.FactorStatus.CONFIRMED,
    )
    newer = carbon.new_version(base, verified, "test-2")
    assert newer.current and not FactorLibraryVersion.objects.get(pk=base.pk).current
    new = carbon.recalculate(old, newer)
    old.refresh_from_db()
    assert old.total_tco2 == EXPECTED and old.library == base and not old.current
    assert new.total_tco2 == Decimal("774.174957") and new.library == newer and new.current
    assert new.supersedes == old
    assert CarbonCalculation.objects.filter(enterprise=old.enterprise).count() == 2
    # the base version's factor is unchanged
    assert EmissionFactor.objects.get(library=base, factor_id=verified.id).value == "0.5366"
    with pytest.raises(carbon.CarbonInputError):
        carbon.recalculate(new, newer)


def test_bad_activity_is_refused() -> None:
    load_factor_data()
    with pytest.raises(carbon.CarbonInputError, match="activity 1"):
        carbon.calculate(factories.enterprise(), 2022, [{"type": "fuel", "quantity": "x"}])
