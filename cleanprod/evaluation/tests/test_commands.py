"""The management commands are thin: they print the core's text and exit with its code."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SAMPLE = Path(__file__).parents[2] / "core/tests/data/scoring/incineration-sample.csv"


def test_evaluate_prints_one_result_per_row() -> None:
    out = StringIO()
    call_command(
        "evaluate", str(SAMPLE), system="hazardous-waste-incineration", format="csv", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("id,grade,Y_I,Y_II,Y_III")
    assert [line.split(",")[:2] for line in lines if line[:2] in ("E1", "E2", "E3")] == [
        ["E1", "I"],
        ["E2", "II"],
        ["E3", "BELOW"],
    ]


def test_systems_list_and_validate(tmp_path: Path) -> None:
    out = StringIO()
    call_command("systems", "list", stdout=out)
    assert "hazardous-waste-incineration" in out.getvalue()
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: cleanprod-indicator-system/1\nslug: x\n", encoding="utf-8")
    expected = re.escape("bad.yaml: 没有（非加分项的）一级指标")
    with pytest.raises(CommandError, match=expected) as info:
        call_command("systems", "validate", str(bad))
    assert info.value.returncode == 1
