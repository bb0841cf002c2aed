"""Entry units and the stored unit of each quantity: exact factors, rounding, range."""

from decimal import Decimal

import pytest

from cleanprod.core import units


def test_stored_unit_is_the_first_and_exact() -> None:
    assert units.QUANTITIES["energy"].stored.code == "tce"
    assert units.QUANTITIES["mass_kg"].stored.code == "kg"
    assert units.QUANTITIES["money"].stored.code == "10k_cny"


@pytest.mark.parametrize(
    ("quantity", "value", "unit", "stored"),
    [
        ("energy", "10", "10k_kwh", "12.2900"),  # 当量值 0.1229 kgce/kWh
        ("energy", "500", "kgce", "0.5000"),
        ("energy", "2", "10k_tce", "20000.0000"),
        ("water", "3", "10k_m3", "30000.0000"),
        ("mass", "1500", "kg", "1.5000"),
        ("mass", "1.2", "10k_t", "12000.0000"),
        ("mass_kg", "300", "g", "0.3000"),
        ("mass_kg", "0.25", "t", "250.0000"),
        ("money", "5000", "cny", "0.5000"),
        ("money", "12345", "cny", "1.2345"),
        ("money", "1", "cny", "0.0001"),
    ],
)
def test_to_stored(quantity: str, value: str, unit: str, stored: str) -> None:
    assert units.to_stored(quantity, Decimal(value), unit) == Decimal(stored)
    assert str(units.to_stored(quantity, Decimal(value), unit)) == stored


def test_rounding_is_half_even_at_four_places() -> None:
    assert units.to_stored("money", Decimal("0.5"), "cny") == Decimal("0.0000")
    assert units.to_stored("money", Decimal("1.5"), "cny") == Decimal("0.0002")


def test_round_trip() -> None:
    assert units.from_stored("energy", Decimal("12.29"), "10k_kwh") == Decimal(10)
    assert units.from_stored("money", Decimal("0.5"), "cny") == Decimal(5000)


def test_unknown_unit_or_quantity_and_overflow_are_refused() -> None:
    with pytest.raises(units.UnitError):
        units.to_stored("mass", Decimal(1), "10k_kwh")
    with pytest.raises(units.UnitError):
        units.to_stored("length", Decimal(1), "m")
    # 16 digits with 4 decimals: at most 12 before the point
    assert units.to_stored("mass", Decimal("99999999"), "10k_t")  # 999,999,990,000 t fits
    with pytest.raises(units.UnitError):
        units.to_stored("mass", Decimal("100000000"), "10k_t")
