from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from cleanprod.industries.loader import load_groups, load_industries
from cleanprod.industries.models import (
    Industry,
    IndustryGroup,
    IndustryLevel,
    industry_q,
    validate_class_code,
)

pytestmark = pytest.mark.django_db


def test_sections_and_divisions() -> None:
    assert Industry.objects.filter(level=IndustryLevel.SECTION).count() == 20
    assert Industry.objects.filter(level=IndustryLevel.DIVISION).count() == 97
    assert Industry.objects.get(code="31").parent_id == "C"
    assert Industry.objects.get(code="3360").name == "金属表面处理及热处理加工"


def test_classes_hang_under_their_middle_class_when_known() -> None:
    assert Industry.objects.get(code="3841").parent_id == "384"
    assert Industry.objects.get(code="3360").parent_id == "33"


def test_unnamed_class_under_known_division_is_accepted() -> None:
    validate_class_code("3399")
    with pytest.raises(ValidationError):
        validate_class_code("9999")  # no division 99
    with pytest.raises(ValidationError):
        validate_class_code("33")


def test_reload_is_idempotent() -> None:
    assert load_industries() == 0
    assert load_groups() == 0


def test_groups_have_their_sources_and_members() -> None:
    heavy = IndustryGroup.objects.get(slug="twelfth-heavy-metal")
    assert heavy.source == "十二五 §二(二) 脚注②"
    assert sorted({m.label for m in heavy.members.all()}) == sorted(
        [
            "铅锌冶炼",
            "铬盐",
            "皮革",
            "电池",
            "电石法聚氯乙烯",
            "电镀",
            "照明电器（荧光灯）",
            "电解锰",
        ]
    )
    major = IndustryGroup.objects.get(slug="twelfth-major-pollutant")
    assert len({m.label for m in major.members.all()}) == 11
    key = IndustryGroup.objects.get(slug="twelfth-key")
    assert set(heavy.codes()) | set(major.codes()) == set(key.codes())
    assert IndustryGroup.objects.get(slug="fourteenth-high-energy-emission").codes() == sorted(
        ["31", "3011", "3041", "2511", "2521", "3216"]
    )


def test_industry_filter_q_matches_prefixes_and_sections() -> None:
    codes = ["3110", "3360", "3841", "1340", "4411"]
    matches = {
        q: sorted(
            c
            for c in codes
            if Industry.objects.filter(code=c).filter(industry_q("code", q)).exists()
        )
        for q in ["31", "384", "C", "D", "3360"]
    }
    assert matches == {
        "31": ["3110"],
        "384": ["3841"],
        "C": ["1340", "3110", "3360", "3841"],
        "D": ["4411"],
        "3360": ["3360"],
    }


def test_import_full_list(tmp_path: Path) -> None:
    path = tmp_path / "full.csv"
    path.write_text(
        "level,code,name,parent\nmiddle,336,金属表面处理及热处理加工,33\nclass,3399,其他未列明金属制品制造,33\n",
        "utf-8",
    )
    out = StringIO()
    call_command("import_industries", str(path), stdout=out)
    assert "2 rows read" in out.getvalue()
    assert Industry.objects.get(code="3399").name == "其他未列明金属制品制造"
    assert Industry.objects.get(code="336").parent_id == "33"


def test_import_reports_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("level,code,name,parent\nclass,3399,好,33\nclass,33x9,坏,33\n", "utf-8")
    with pytest.raises(CommandError, match=r"bad\.csv 第3行 code"):
        call_command("import_industries", str(path))
    assert not Industry.objects.filter(code="3399").exists()  # nothing half-written
