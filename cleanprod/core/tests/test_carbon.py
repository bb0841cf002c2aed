"""CO2 accounting: hand-computed coal, natural gas and electricity; versioned factor library."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from decimal import Decimal as D
from importlib import resources

import pytest
import yaml

from cleanprod.core.carbon import (
    CarbonError,
    CarbonResult,
    Factor,
    FactorDataError,
    FactorLibrary,
    FactorStatus,
    FuelCombustion,
    PurchasedElectricity,
    PurchasedHeat,
    UnitError,
    UnknownFactorError,
    calculate,
    load_factor_library,
    parse_factor_library,
    recalculate,
    to_decimal,
)
from cleanprod.core.errors import CoreError


@pytest.fixture(scope="module")
def library() -> FactorLibrary:
    return load_factor_library()


def test_hand_computed_coal_gas_electricity(library: FactorLibrary) -> None:
    result = calculate(
        [
            FuelCombustion("烟煤", D(1000), "t"),
            FuelCombustion("天然气", D(10), "10^4Nm3"),
            PurchasedElectricity(D(1000), "MWh", 2022, "regional_average", "华东"),
        ],
        library,
    )
    coal, gas, power = (line.tco2 for line in result.lines)
    # 烟煤: 1000 t x 19.570 GJ/t = 19570 GJ; x 0.0261 tC/GJ = 510.777 tC; x 0.93 = 475.02261 tC;
    # x 44/12 = 1741.74957 tCO2.
    assert coal == D("1741.74957")
    # 天然气: 10 x 10^4 Nm3 x 389.31 GJ/10^4Nm3 = 3893.1 GJ; x 0.0153 = 59.56443 tC;
    # x 0.99 = 58.9687857 tC; x 44/12 = 216.2188809 tCO2.
    assert gas == D("216.2188809")
    # 华东 2022: 1000 MWh x 0.5617 tCO2/MWh = 561.7 tCO2.
    assert power == D("561.7")
    assert result.total_tco2 == D("2519.6684509")
    assert result.library_version == library.version


def test_result_pins_factor_ids_values_and_status(library: FactorLibrary) -> None:
    result = calculate([FuelCombustion("烟煤", D(1), "t")], library)
    used = {f.id: (f.value, f.status) for f in result.lines[0].factors}
    assert used == {
        "fuel:烟煤:ncv": (D("19.570"), FactorStatus.UNVERIFIED),
        "fuel:烟煤:carbon_content": (D("0.0261"), FactorStatus.UNVERIFIED),
        "fuel:烟煤:oxidation_rate": (D("0.93"), FactorStatus.UNVERIFIED),
    }
    assert [f.id for f in result.factors_not_confirmed] == list(used)


def test_units_kwh_and_nm3_are_converted(library: FactorLibrary) -> None:
    mwh = calculate([PurchasedElectricity(D(1000), "MWh", 2023)], library).total_tco2
    kwh = calculate([PurchasedElectricity(D(1_000_000), "kWh", 2023)], library).total_tco2
    assert mwh == kwh == D("530.6")  # 2023 national average 0.5306 kgCO2/kWh = tCO2/MWh
    per_104 = calculate([FuelCombustion("天然气", D(1), "万Nm3")], library).total_tco2
    per_nm3 = calculate([FuelCombustion("天然气", D(10_000), "Nm3")], library).total_tco2
    assert per_104 == per_nm3


def test_compliance_factor_is_unverified_and_in_tco2_per_mwh(library: FactorLibrary) -> None:
    factor = library.grid(2022, "compliance_grid_factor")
    assert factor.value == D("0.5703")
    assert factor.unit == "tCO2/MWh"
    assert factor.status is FactorStatus.UNVERIFIED
    result = calculate(
        [PurchasedElectricity(D(100), "MWh", 2022, "compliance_grid_factor")], library
    )
    assert result.total_tco2 == D("57.03")
    assert result.factors_not_confirmed == (factor,)


def test_purchased_heat(library: FactorLibrary) -> None:
    result = calculate([PurchasedHeat(D(2000))], library)
    assert result.total_tco2 == D("220.00")  # 2000 GJ x 0.11 tCO2/GJ
    assert result.lines[0].factors[0].status is FactorStatus.UNVERIFIED


def test_every_fuel_row_is_unverified_and_statuses_follow_the_source(
    library: FactorLibrary,
) -> None:
    fuels = [f for f in library.factors if f.id.startswith("fuel:")]
    assert len(fuels) == 23 * 3
    assert all(f.status is FactorStatus.UNVERIFIED for f in fuels)
    assert library.grid(2022).status is FactorStatus.CONFIRMED
    assert library.grid(2022, "regional_average", "西南").status is FactorStatus.REPORTED
    assert all(f.source for f in library.factors)


def test_unit_mismatch_is_refused(library: FactorLibrary) -> None:
    with pytest.raises(UnitError, match="10\\^4Nm3"):
        calculate([FuelCombustion("天然气", D(10), "t")], library)
    with pytest.raises(UnitError):
        calculate([FuelCombustion("烟煤", D(10), "10^4Nm3")], library)
    with pytest.raises(UnitError):
        calculate([PurchasedElectricity(D(10), "GWh", 2022)], library)
    with pytest.raises(UnitError):
        calculate([PurchasedHeat(D(10), "t")], library)


def test_unknown_factor(library: FactorLibrary) -> None:
    with pytest.raises(UnknownFactorError, match="grid:2019"):
        calculate([PurchasedElectricity(D(1), "MWh", 2019)], library)
    with pytest.raises(UnknownFactorError) as info:
        calculate([FuelCombustion("木柴", D(1), "t")], library)
    assert isinstance(info.value, CoreError)


def test_recalculation_with_a_new_version_leaves_the_old_result(library: FactorLibrary) -> None:
    old = calculate([FuelCombustion("烟煤", D(1000), "t")], library)
    checked = Factor(
        "fuel:烟煤:ncv",
        D("20.000"),
        "GJ/t",
        "checked against GB/T 32150-2015",
        FactorStatus.CONFIRMED,
    )
    newer = library.with_factor(checked, "cn-factors-test-2")
    new = recalculate(old, newer)
    assert new is not old
    assert new.library_version == "cn-factors-test-2"
    # 1000 x 20 x 0.0261 x 0.93 x 44/12 = 1780.02 tCO2
    assert new.total_tco2 == D("1780.02")
    assert old.total_tco2 == D("1741.74957")
    assert old.library_version == library.version
    assert old.lines[0].factors[0].value == D("19.570")
    assert new.lines[0].factors[0].value == D("20.000")
    assert library.get("fuel:烟煤:ncv").value == D("19.570")  # the old library is unchanged
    with pytest.raises(dataclasses.FrozenInstanceError):
        old.total_tco2 = D(0)  # type: ignore[misc]


def test_replacing_a_factor_needs_a_new_version(library: FactorLibrary) -> None:
    with pytest.raises(FactorDataError):
        library.with_factor(library.get("heat:default"), library.version)


def test_decimal_arithmetic_ignores_the_callers_context(library: FactorLibrary) -> None:
    import decimal

    with decimal.localcontext() as ctx:
        ctx.prec = 3
        result = calculate([FuelCombustion("烟煤", D(1000), "t")], library)
    assert result.total_tco2 == D("1741.74957")


def test_quantities_must_be_non_negative_decimals() -> None:
    with pytest.raises(CarbonError):
        FuelCombustion("烟煤", D(-1), "t")
    with pytest.raises(CarbonError):
        PurchasedElectricity(1.5, "MWh", 2022)  # type: ignore[arg-type]
    assert to_decimal(0.1) == D("0.1")
    assert to_decimal("2.50") == D("2.50")
    with pytest.raises(CarbonError):
        to_decimal("abc")
    with pytest.raises(CarbonError):
        to_decimal("NaN")


def _shipped() -> tuple[dict[str, object], dict[str, str]]:
    folder = resources.files("cleanprod.data").joinpath("factors")
    manifest = yaml.safe_load(folder.joinpath("library.yaml").read_text(encoding="utf-8"))
    files = {n: folder.joinpath(n).read_text(encoding="utf-8") for n in manifest["files"].values()}
    return manifest, files


def test_shipped_data_has_provenance() -> None:
    manifest, files = _shipped()
    provenance = manifest["provenance"]
    assert isinstance(provenance, dict)
    for name in files:
        assert {"source", "licence", "status"} <= set(provenance[name])
    grid = list(csv.DictReader(io.StringIO(files["grid-emission-factors.csv"])))
    assert len(grid) == 23
    unverified = [r["value"] for r in grid if r["status"] == "unverified"]
    assert unverified == ["0.5703"]


def test_malformed_factor_file_names_file_and_row() -> None:
    manifest, files = _shipped()
    bad = files["fuel-combustion-defaults.csv"].replace(",0.93,", ",1.93,", 1)
    with pytest.raises(
        FactorDataError, match=re.escape("fuel-combustion-defaults.csv 第3行（烟煤）")
    ):
        parse_factor_library(manifest, {**files, "fuel-combustion-defaults.csv": bad})
    bad_status = files["heat-factors.csv"].replace(",unverified,", ",guessed,")
    with pytest.raises(FactorDataError, match=re.escape("heat-factors.csv 第2行（heat:default）")):
        parse_factor_library(manifest, {**files, "heat-factors.csv": bad_status})
    with pytest.raises(FactorDataError, match="不存在"):
        parse_factor_library(manifest, {})


def test_results_are_plain_immutable_values(library: FactorLibrary) -> None:
    a = calculate([PurchasedHeat(D(1))], library)
    b = calculate([PurchasedHeat(D(1))], library)
    assert a == b
    assert isinstance(a, CarbonResult)
