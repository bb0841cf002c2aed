"""CSV/XLSX input, output formats and the command logic behind the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from cleanprod.core.scoring import Grade, load_system, load_system_file
from cleanprod.core.scoring.cli import main, run_evaluate, run_systems_list, run_systems_validate
from cleanprod.core.scoring.errors import TabularError
from cleanprod.core.scoring.tabular import read_records

DATA = Path(__file__).parent / "data" / "scoring"
SAMPLE = DATA / "incineration-sample.csv"
INC = "hazardous-waste-incineration"


def test_read_csv_values_na_blank_and_levels() -> None:
    s = load_system(INC)
    e1, e2, e3 = read_records(s, SAMPLE)
    assert e1.id == "E1" and e1.values["storage_info_management"] is Grade.I
    assert e2.values["dioxin_emission"] == 0.35
    assert "so2_concentration" not in e3.values and "so2_concentration" not in e3.not_applicable
    assert e3.not_applicable == frozenset({"steam_recycling"})


def test_evaluate_command_grades_each_row() -> None:
    text, code = run_evaluate(INC, str(SAMPLE), "json")
    assert code == 0
    rows = json.loads(text)
    # E1 meets I everywhere; E2's dioxin (restrictive) is at II; E3 lacks SO₂ (restrictive).
    assert [(r["id"], r["grade"]) for r in rows] == [("E1", "I"), ("E2", "II"), ("E3", "BELOW")]
    assert rows[1]["failed_restrictive"]["I"] == ["dioxin_emission"]
    assert rows[2]["missing"] == ["so2_concentration"]
    assert "co2_emission_per_waste" in rows[0]["not_applicable"]
    assert rows[0]["inapplicable_categories"] == ["ghg"]
    table, _ = run_evaluate(INC, str(SAMPLE), "table")
    assert table.splitlines()[2].split()[:2] == ["E2", "Ⅱ级"]
    assert "未评为Ⅰ级的原因：限定性指标未达到Ⅰ级：二噁英排放浓度（测定均值）（Ⅱ级）" in table
    out, _ = run_evaluate(INC, str(SAMPLE), "csv")
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert [r["grade"] for r in parsed] == ["I", "II", "BELOW"]
    assert parsed[2]["failed_restrictive"] == "so2_concentration"
    assert parsed[0]["level:co2_emission_per_waste"] == "NA"


def test_xlsx_input_matches_csv(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    with SAMPLE.open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            ws.append([float(c) if c.replace(".", "", 1).isdigit() else (c or None) for c in row])
    path = tmp_path / "sample.xlsx"
    wb.save(path)
    assert run_evaluate(INC, str(path), "json") == run_evaluate(INC, str(SAMPLE), "json")


def _bad(tmp_path: Path, text: str, system: str = INC) -> str:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    msg, code = run_evaluate(system, str(path))
    assert code == 2
    return msg


def test_bad_input_names_row_and_column(tmp_path: Path) -> None:
    assert "第3行，列“nox_concentration”：无法解析数值“abc”" in _bad(
        tmp_path, "id,nox_concentration\nA,100\nB,abc\n"
    )
    assert "第2行，列“dcs_coverage”：定性指标应填所达等级" in _bad(
        tmp_path, "id,dcs_coverage\nA,优秀\n"
    )
    assert "第1行第2列：未知列名“nox”" in _bad(tmp_path, "id,nox\nA,1\n")
    assert "缺少 id 列" in _bad(tmp_path, "code,nox_concentration\nA,1\n")
    assert "第3行，列“id”：重复“A”" in _bad(tmp_path, "id,nox_concentration\nA,1\nA,2\n")
    assert "只支持 .csv 和 .xlsx" in run_evaluate(INC, "data.txt")[0]


def test_output_share_and_parameter_columns(tmp_path: Path) -> None:
    pcb = DATA / "pcb-fixture.yaml"
    path = tmp_path / "pcb.csv"
    path.write_text(
        "id,e_rigid_2,e_rigid_multi,output:e_rigid_2,output:e_rigid_multi,param:n_multi,rest_ok\n"
        "P,10,21,300,100,2,是\n",
        encoding="utf-8",
    )
    (rec,) = read_records(load_system_file(pcb), path)
    assert rec.outputs == {"e_rigid_2": 300.0, "e_rigid_multi": 100.0}
    assert rec.params == {"n_multi": 2} and rec.values["rest_ok"] is True
    text, code = run_evaluate(str(pcb), str(path), "json")
    (row,) = json.loads(text)
    weights = {i["code"]: i["weight"] for i in row["indicators"]}
    assert code == 0 and weights["e_rigid_2"] == "3/40" and weights["e_rigid_multi"] == "1/40"
    with pytest.raises(TabularError, match="第2行，列“param:n_multi”：参数应为整数"):
        path.write_text("id,param:n_multi\nP,2.5\n", encoding="utf-8")
        read_records(load_system_file(pcb), path)
    assert "未知列名“output:rest_ok”" in _bad(tmp_path, "id,output:rest_ok\nP,1\n", str(pcb))


def test_systems_list_and_validate(tmp_path: Path) -> None:
    text, code = run_systems_list()
    assert code == 0 and INC in text and "draft" in text
    ok, code = run_systems_validate(str(DATA / "pcb-fixture.yaml"))
    assert code == 0 and "有效" in ok
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (DATA / "pcb-fixture.yaml")
        .read_text(encoding="utf-8")
        .replace("weight: 0.8", "weight: 0.7"),
        encoding="utf-8",
    )
    msg, code = run_systems_validate(str(bad))
    assert code == 1 and f"{bad}: 一级指标权重之和为0.9" in msg


def test_main_entry_point(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--system", INC, str(SAMPLE), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("id,grade,Y_I")
    assert main(["systems", "validate", "/nonexistent.yaml"]) == 1
    assert "无法读取" in capsys.readouterr().err


def test_trailing_empty_columns_from_spreadsheets_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id,nox_concentration,,\nA,150,,\nB,NA,,\n", encoding="utf-8")
    a, b = read_records(load_system(INC), path)
    assert a.values == {"nox_concentration": 150.0} and b.not_applicable == {"nox_concentration"}


def test_evaluate_with_advice() -> None:
    text, code = run_evaluate(INC, str(SAMPLE), "json", advise=True)
    e1, e2, e3 = json.loads(text)
    assert code == 0 and e1["advice"] == []
    (to_i,) = e2["advice"]  # II → I: only the restrictive dioxin, forced, to ≤0.3
    assert to_i["grade"] == "I" and [
        (i["code"], i["to"], i["target"], i["forced"]) for i in to_i["improvements"]
    ] == [("dioxin_emission", "I", "≤0.3 ngTEQ/Nm³", True)]
    assert [(p["grade"], p["improvements"][0]["target"]) for p in e3["advice"]] == [
        ("III", "≤80 mg/Nm³"),
        ("II", "≤60 mg/Nm³"),
    ]
    table, _ = run_evaluate(INC, str(SAMPLE), "table", advise=True)
    assert "改进建议 — 达到Ⅰ级：需改进1项指标" in table
    out, _ = run_evaluate(INC, str(SAMPLE), "csv", advise=True)
    assert "advice" in out.splitlines()[0].split(",")
