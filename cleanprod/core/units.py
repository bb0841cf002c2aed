"""Units people enter quantities in, and the one unit each quantity is stored in.

An audit option's benefits are stored in one unit per quantity (energy in tce, masses in t,
heavy metals in kg, money in 万元) but entered in the unit the enterprise's records use:
electricity in 万千瓦时, a small saving in 千克, an economic benefit in 元. Every conversion
goes through :func:`to_stored` with exact :class:`~decimal.Decimal` factors.

Electricity is converted at its equivalent value (当量值) of 0.1229 kgce/kWh
(GB/T 2589-2020《综合能耗计算通则》 附录), so 1 万千瓦时 = 1.229 tce.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from cleanprod.core.errors import CoreError

__all__ = [
    "QUANTITIES",
    "Quantity",
    "Unit",
    "UnitError",
    "from_stored",
    "to_stored",
]


class UnitError(CoreError, ValueError):
    """An unknown quantity or unit, or a value too large for the stored unit."""


@dataclass(frozen=True)
class Unit:
    """An entry unit: ``factor`` stored units make one of it (exact)."""

    code: str
    name: str
    factor: Decimal


@dataclass(frozen=True)
class Quantity:
    """A kind of quantity: the unit it is stored in (first of ``units``) and the others."""

    code: str
    units: tuple[Unit, ...]

    @property
    def stored(self) -> Unit:
        """The unit values are stored in (factor 1)."""
        return self.units[0]

    def unit(self, code: str) -> Unit:
        """The unit ``code`` of this quantity, or :class:`UnitError`."""
        for unit in self.units:
            if unit.code == code:
                return unit
        raise UnitError(f"{self.code}：没有单位 {code!r}")


def _q(code: str, *units: tuple[str, str, str]) -> Quantity:
    return Quantity(code, tuple(Unit(c, n, Decimal(f)) for c, n, f in units))


QUANTITIES: dict[str, Quantity] = {
    q.code: q
    for q in (
        _q(
            "energy",
            ("tce", "吨标准煤", "1"),
            ("kgce", "千克标准煤", "0.001"),
            ("10k_tce", "万吨标准煤", "10000"),
            ("10k_kwh", "万千瓦时（电，当量值）", "1.229"),
            ("mwh", "兆瓦时（电，当量值）", "0.1229"),
        ),
        _q(
            "water",
            ("t", "吨", "1"),
            ("m3", "立方米", "1"),
            ("10k_t", "万吨", "10000"),
            ("10k_m3", "万立方米", "10000"),
        ),
        _q("mass", ("t", "吨", "1"), ("kg", "千克", "0.001"), ("10k_t", "万吨", "10000")),
        _q("mass_kg", ("kg", "千克", "1"), ("g", "克", "0.001"), ("t", "吨", "1000")),
        _q("money", ("10k_cny", "万元", "1"), ("cny", "元", "0.0001")),
    )
}


def _quantity(code: str) -> Quantity:
    try:
        return QUANTITIES[code]
    except KeyError:
        raise UnitError(f"没有量 {code!r}") from None


def to_stored(
    quantity: str, value: Decimal, unit: str, places: int = 4, max_digits: int = 16
) -> Decimal:
    """``value`` in ``unit`` as the stored unit of ``quantity``, rounded (half-even) to
    ``places`` decimals; :class:`UnitError` if it needs more than ``max_digits`` digits."""
    stored = (value * _quantity(quantity).unit(unit).factor).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN
    )
    if stored.adjusted() + 1 + places > max_digits and stored:
        raise UnitError(f"{value} {unit} 超出可记录的范围")
    return stored


def from_stored(quantity: str, value: Decimal, unit: str) -> Decimal:
    """A stored value of ``quantity`` expressed in ``unit`` (exact division, normalised)."""
    result = value / _quantity(quantity).unit(unit).factor
    return result.normalize() if result else Decimal(0)
