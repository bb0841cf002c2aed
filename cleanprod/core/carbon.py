"""CO2 accounting of an enterprise: fuel combustion, purchased electricity and purchased heat.

Formulas (GB/T 32150-2015 and the national GHG accounting guidelines for industry):

* fuel combustion: ``tCO2 = quantity x NCV x carbon content per unit heat x oxidation rate
  x 44/12``, with quantity in t (solids, liquids) or 10^4 Nm3 (gases), NCV in GJ per that unit
  and carbon content in tC/GJ;
* purchased electricity: ``tCO2 = MWh x grid factor`` of the year and region/scope
  (kgCO2/kWh and tCO2/MWh are numerically equal);
* purchased heat: ``tCO2 = GJ x heat factor`` (tCO2/GJ).

Numbers are :class:`~decimal.Decimal`: factors are published as decimal strings and a result
must be reproducible digit for digit when it is audited against the factor values it pins.
Binary floats would turn 0.5617 into 0.56169999... and make "same inputs, same factors, same
result" depend on the order of operations. Arithmetic runs in a fixed local context
(34 significant digits), independent of the caller's decimal context; rounding for display is
left to the presentation layer.

Factors live in a versioned :class:`FactorLibrary`; each value carries its source and status.
A :class:`CarbonResult` records the library version and every factor used. Results are
immutable: recalculating with another library returns a new result.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from cleanprod.core.errors import CoreError

__all__ = [
    "Activity",
    "CarbonError",
    "CarbonResult",
    "EmissionLine",
    "Factor",
    "FactorDataError",
    "FactorLibrary",
    "FactorStatus",
    "FuelCombustion",
    "PurchasedElectricity",
    "PurchasedHeat",
    "UnitError",
    "UnknownFactorError",
    "calculate",
    "load_factor_library",
    "parse_factor_library",
    "recalculate",
    "to_decimal",
]

_CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN)
# Molar masses of CO2 and C: multiply by 44 before dividing by 12 so exact products stay exact.
_M_CO2, _M_C = Decimal(44), Decimal(12)
_GRID_UNITS = {"kgCO2/kWh", "tCO2/MWh"}  # numerically equal
_GAS_UNIT = "10^4Nm3"
_UNIT_ALIASES = {"万Nm3": _GAS_UNIT, "10^4 Nm3": _GAS_UNIT, "吨": "t"}


class CarbonError(CoreError, ValueError):
    """Base class of the carbon-accounting errors."""


class UnknownFactorError(CarbonError):
    """No factor with the requested id (or fuel, year, scope, region) is in the library."""


class UnitError(CarbonError):
    """An activity's unit does not match its factor's unit, or is not supported."""


class FactorDataError(CarbonError):
    """A factor data file is malformed; the message names the file and the row."""


class FactorStatus(StrEnum):
    """How well a factor value is established."""

    CONFIRMED = "confirmed"  # seen in (or confirmed against) the official publication
    REPORTED = "reported"  # reported by secondary sources (press), official text not seen
    UNVERIFIED = "unverified"  # transcribed or recalled; must be checked before reliance


def to_decimal(value: Decimal | int | str | float) -> Decimal:
    """Convert to :class:`Decimal`; floats go through ``repr`` so ``0.1`` stays ``0.1``.

    Raises :class:`CarbonError` for text that is not a number, NaN or infinity.
    """
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation as exc:
        raise CarbonError(f"不是数值：{value!r}") from exc
    if not result.is_finite():
        raise CarbonError(f"数值必须有限：{value!r}")
    return result


@dataclass(frozen=True)
class Factor:
    """One factor value with its unit, source and status."""

    id: str
    value: Decimal
    unit: str
    source: str
    status: FactorStatus
    note: str = ""


def _check_quantity(quantity: Decimal, what: str) -> None:
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity < 0:
        raise CarbonError(f"{what}必须是非负有限的 Decimal：{quantity!r}")


@dataclass(frozen=True)
class FuelCombustion:
    """Fuel burnt: ``quantity`` in ``unit`` (``t``, or ``10^4Nm3`` for gases; ``Nm3`` accepted)."""

    fuel: str
    quantity: Decimal
    unit: str

    def __post_init__(self) -> None:
        _check_quantity(self.quantity, f"燃料“{self.fuel}”消耗量")


@dataclass(frozen=True)
class PurchasedElectricity:
    """Electricity bought from the grid in ``unit`` (``MWh`` or ``kWh``) during ``year``.

    ``scope`` and ``region`` choose the grid factor: ``national_average``/``全国`` by default,
    ``regional_average`` with 华北, 东北, 华东, 华中, 西北, 南方 or 西南, and so on.
    """

    quantity: Decimal
    unit: str
    year: int
    scope: str = "national_average"
    region: str = "全国"

    def __post_init__(self) -> None:
        _check_quantity(self.quantity, "外购电量")


@dataclass(frozen=True)
class PurchasedHeat:
    """Heat bought (steam, hot water) in GJ, with the id of the heat factor to apply."""

    quantity: Decimal
    unit: str = "GJ"
    factor_id: str = "heat:default"

    def __post_init__(self) -> None:
        _check_quantity(self.quantity, "外购热力")


Activity = FuelCombustion | PurchasedElectricity | PurchasedHeat


@dataclass(frozen=True)
class FactorLibrary:
    """A versioned, immutable set of factors, addressed by id.

    Ids: ``fuel:<fuel>:ncv`` / ``:carbon_content`` / ``:oxidation_rate``,
    ``grid:<year>:<scope>:<region>``, ``heat:<name>``.
    """

    version: str
    factors: tuple[Factor, ...]
    _index: Mapping[str, Factor] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.version:
            raise FactorDataError("因子库必须有版本号")
        index: dict[str, Factor] = {}
        for factor in self.factors:
            if factor.id in index:
                raise FactorDataError(f"因子库 {self.version}：因子编号重复 {factor.id}")
            index[factor.id] = factor
        object.__setattr__(self, "_index", MappingProxyType(index))

    def get(self, factor_id: str) -> Factor:
        """Return the factor ``factor_id``; raises :class:`UnknownFactorError` if absent."""
        try:
            return self._index[factor_id]
        except KeyError:
            raise UnknownFactorError(f"因子库 {self.version} 中没有因子 {factor_id}") from None

    def grid(self, year: int, scope: str = "national_average", region: str = "全国") -> Factor:
        """Return the grid emission factor of ``year``, ``scope`` and ``region``."""
        return self.get(f"grid:{year}:{scope}:{region}")

    def fuel(self, fuel: str) -> tuple[Factor, Factor, Factor]:
        """Return the fuel's (NCV, carbon content per unit heat, oxidation rate) factors."""
        return (
            self.get(f"fuel:{fuel}:ncv"),
            self.get(f"fuel:{fuel}:carbon_content"),
            self.get(f"fuel:{fuel}:oxidation_rate"),
        )

    @property
    def fuels(self) -> tuple[str, ...]:
        """Names of the fuels that have an NCV factor, in file order."""
        return tuple(
            f.id.split(":")[1]
            for f in self.factors
            if f.id.startswith("fuel:") and f.id.endswith(":ncv")
        )

    def with_factor(self, factor: Factor, version: str) -> FactorLibrary:
        """Return a new library, version ``version``, with ``factor`` added or replacing its id.

        This is how an administrator replaces an unverified value. The version must change,
        so that results pinned to the old version stay meaningful.
        """
        if version == self.version:
            raise FactorDataError(f"替换因子 {factor.id} 时必须使用新的版本号（当前 {version}）")
        kept = tuple(f for f in self.factors if f.id != factor.id)
        return FactorLibrary(version, (*kept, factor))


@dataclass(frozen=True)
class EmissionLine:
    """The CO2 of one activity and the factors (id, value, unit, status) it was computed with."""

    activity: Activity
    tco2: Decimal
    factors: tuple[Factor, ...]


@dataclass(frozen=True)
class CarbonResult:
    """An immutable calculation pinned to one library version."""

    library_version: str
    lines: tuple[EmissionLine, ...]
    total_tco2: Decimal

    @property
    def activities(self) -> tuple[Activity, ...]:
        """The activities, in input order, so the result can be recalculated."""
        return tuple(line.activity for line in self.lines)

    @property
    def factors_not_confirmed(self) -> tuple[Factor, ...]:
        """Factors used whose status is not ``confirmed``, once each, in order of use."""
        seen: dict[str, Factor] = {}
        for line in self.lines:
            for f in line.factors:
                if f.status is not FactorStatus.CONFIRMED:
                    seen.setdefault(f.id, f)
        return tuple(seen.values())


def _unit(unit: str) -> str:
    return _UNIT_ALIASES.get(unit.strip(), unit.strip())


def _fuel_line(act: FuelCombustion, lib: FactorLibrary) -> EmissionLine:
    ncv, cc, ox = lib.fuel(act.fuel)
    expected = ncv.unit.split("/", 1)[1] if "/" in ncv.unit else ""
    unit, quantity = _unit(act.unit), act.quantity
    if unit == "Nm3" and expected == _GAS_UNIT:
        unit, quantity = _GAS_UNIT, quantity / Decimal(10_000)
    if unit != expected:
        raise UnitError(
            f"燃料“{act.fuel}”的低位发热量单位为 {ncv.unit}，消耗量应以 {expected} 计，"
            f"实际给出 {act.unit}"
        )
    if cc.unit != "tC/GJ":
        raise UnitError(f"因子 {cc.id} 的单位应为 tC/GJ，实际为 {cc.unit}")
    tco2 = quantity * ncv.value * cc.value * ox.value * _M_CO2 / _M_C
    return EmissionLine(act, tco2, (ncv, cc, ox))


def _electricity_line(act: PurchasedElectricity, lib: FactorLibrary) -> EmissionLine:
    factor = lib.grid(act.year, act.scope, act.region)
    if factor.unit not in _GRID_UNITS:
        raise UnitError(f"电网排放因子 {factor.id} 的单位 {factor.unit} 不受支持")
    unit = _unit(act.unit)
    if unit == "MWh":
        mwh = act.quantity
    elif unit == "kWh":
        mwh = act.quantity / Decimal(1000)
    else:
        raise UnitError(f"外购电量应以 MWh 或 kWh 计，实际给出 {act.unit}")
    return EmissionLine(act, mwh * factor.value, (factor,))


def _heat_line(act: PurchasedHeat, lib: FactorLibrary) -> EmissionLine:
    factor = lib.get(act.factor_id)
    if factor.unit != "tCO2/GJ":
        raise UnitError(f"热力排放因子 {factor.id} 的单位应为 tCO2/GJ，实际为 {factor.unit}")
    if _unit(act.unit) != "GJ":
        raise UnitError(f"外购热力应以 GJ 计，实际给出 {act.unit}")
    return EmissionLine(act, act.quantity * factor.value, (factor,))


def calculate(activities: Iterable[Activity], library: FactorLibrary) -> CarbonResult:
    """Compute the CO2 (t) of ``activities`` with ``library``; the result pins its version.

    Raises :class:`UnknownFactorError` for a fuel, grid year/scope/region or heat factor the
    library lacks, and :class:`UnitError` when an activity's unit does not fit its factor.
    """
    lines: list[EmissionLine] = []
    with localcontext(_CONTEXT):
        for act in activities:
            if isinstance(act, FuelCombustion):
                lines.append(_fuel_line(act, library))
            elif isinstance(act, PurchasedElectricity):
                lines.append(_electricity_line(act, library))
            else:
                lines.append(_heat_line(act, library))
        total = sum((line.tco2 for line in lines), Decimal(0))
    return CarbonResult(library.version, tuple(lines), total)


def recalculate(result: CarbonResult, library: FactorLibrary) -> CarbonResult:
    """Recompute ``result``'s activities with ``library``, returning a new result.

    ``result`` itself is immutable and stays as it was, pinned to its own library version.
    """
    return calculate(result.activities, library)


# --- loading the shipped library -------------------------------------------------------------


def _rows(text: str, filename: str, required: set[str]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = required - set(reader.fieldnames or ())
    if missing:
        raise FactorDataError(f"{filename}：缺少列 {', '.join(sorted(missing))}")
    return list(reader)


def _factor(
    filename: str, line: int, fid: str, value: str, unit: str, row: Mapping[str, str]
) -> Factor:
    try:
        status = FactorStatus(row["status"])
    except ValueError:
        raise FactorDataError(
            f"{filename} 第{line}行（{fid}）：状态“{row['status']}”应为 "
            "confirmed、reported 或 unverified"
        ) from None
    try:
        number = to_decimal(value)
    except CarbonError:
        raise FactorDataError(f"{filename} 第{line}行（{fid}）：数值“{value}”无效") from None
    if number <= 0:
        raise FactorDataError(f"{filename} 第{line}行（{fid}）：数值必须为正：{value}")
    if not row.get("source", "").strip():
        raise FactorDataError(f"{filename} 第{line}行（{fid}）：缺少来源")
    return Factor(fid, number, unit, row["source"], status, row.get("note", ""))


_COMMON = {"source", "status", "note"}


def parse_factor_library(manifest: Mapping[str, Any], files: Mapping[str, str]) -> FactorLibrary:
    """Build a library from a parsed ``library.yaml`` and the text of the files it lists.

    ``files`` maps file name to CSV text. Raises :class:`FactorDataError` naming the file and
    row of the first problem.
    """
    version = manifest.get("version")
    listed = manifest.get("files")
    if not isinstance(version, str) or not version:
        raise FactorDataError("library.yaml：缺少版本号 version")
    if not isinstance(listed, Mapping):
        raise FactorDataError("library.yaml：缺少文件列表 files")
    factors: list[Factor] = []
    for kind, name in listed.items():
        if name not in files:
            raise FactorDataError(f"library.yaml：列出的文件 {name} 不存在")
        text = files[name]
        if kind == "grid":
            req = _COMMON | {"id", "year", "scope", "region", "value", "unit"}
            for n, row in enumerate(_rows(text, name, req), start=2):
                fid = f"grid:{row['year']}:{row['scope']}:{row['region']}"
                if row["id"] != fid:
                    raise FactorDataError(f"{name} 第{n}行：编号 {row['id']} 应为 {fid}")
                if row["unit"] not in _GRID_UNITS:
                    raise FactorDataError(f"{name} 第{n}行（{fid}）：单位 {row['unit']} 不受支持")
                factors.append(_factor(name, n, fid, row["value"], row["unit"], row))
        elif kind == "fuel":
            req = _COMMON | {
                "fuel",
                "activity_unit",
                "ncv",
                "ncv_unit",
                "carbon_content",
                "carbon_content_unit",
                "oxidation_rate",
            }
            for n, row in enumerate(_rows(text, name, req), start=2):
                fuel = row["fuel"]
                if row["ncv_unit"] != f"GJ/{row['activity_unit']}":
                    raise FactorDataError(
                        f"{name} 第{n}行（{fuel}）：发热量单位 {row['ncv_unit']} 与活动单位 "
                        f"{row['activity_unit']} 不一致"
                    )
                ox = _factor(
                    name, n, f"fuel:{fuel}:oxidation_rate", row["oxidation_rate"], "1", row
                )
                if ox.value > 1:
                    raise FactorDataError(f"{name} 第{n}行（{fuel}）：碳氧化率不能大于1")
                factors += [
                    _factor(name, n, f"fuel:{fuel}:ncv", row["ncv"], row["ncv_unit"], row),
                    _factor(
                        name,
                        n,
                        f"fuel:{fuel}:carbon_content",
                        row["carbon_content"],
                        row["carbon_content_unit"],
                        row,
                    ),
                    ox,
                ]
        elif kind == "heat":
            req = _COMMON | {"id", "value", "unit"}
            for n, row in enumerate(_rows(text, name, req), start=2):
                if not row["id"].startswith("heat:"):
                    raise FactorDataError(f"{name} 第{n}行：热力因子编号应以 heat: 开头")
                factors.append(_factor(name, n, row["id"], row["value"], row["unit"], row))
        else:
            raise FactorDataError(f"library.yaml：未知的因子类别 {kind}")
    try:
        return FactorLibrary(version, tuple(factors))
    except FactorDataError as exc:
        raise FactorDataError(f"library.yaml：{exc}") from None


@functools.cache  # immutable result: parse the shipped file once per process
def load_factor_library() -> FactorLibrary:
    """Load the factor library shipped in ``cleanprod/data/factors`` (works when installed)."""
    folder = resources.files("cleanprod.data").joinpath("factors")
    manifest = yaml.safe_load(folder.joinpath("library.yaml").read_text(encoding="utf-8"))
    if not isinstance(manifest, Mapping):
        raise FactorDataError("library.yaml：内容应为映射")
    files = {
        str(name): folder.joinpath(str(name)).read_text(encoding="utf-8")
        for name in (manifest.get("files") or {}).values()
        if folder.joinpath(str(name)).is_file()
    }
    return parse_factor_library(manifest, files)
