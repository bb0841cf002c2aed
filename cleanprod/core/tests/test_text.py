"""clean_text and spreadsheet_safe: control characters never reach stored text or exports."""

from __future__ import annotations

import io

import openpyxl  # type: ignore[import-untyped]
import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

from cleanprod.core.text import clean_text, has_control_characters, spreadsheet_safe


def test_vertical_tab_and_form_feed_become_spaces() -> None:
    assert clean_text("深圳\u000b南山\u000c区") == "深圳 南山 区"


def test_other_controls_nul_del_c1_and_lone_surrogates_are_removed() -> None:
    assert clean_text("a\x00b\x01c\x1bd\x7fe\x85f\x9fg\ud800h") == "abcdefgh"


def test_one_line_text_turns_tabs_and_breaks_into_spaces() -> None:
    assert clean_text("甲\t乙\r\n丙") == "甲 乙  丙"


def test_multiline_text_keeps_tabs_and_breaks() -> None:
    assert clean_text("甲\t乙\r\n丙\x07", multiline=True) == "甲\t乙\r\n丙"


def test_ordinary_text_is_unchanged() -> None:
    text = "广东省深圳市南山区（440305）· 第1号 «ok» ½ \u3000全角空格"
    assert clean_text(text) == text and not has_control_characters(text)


@pytest.mark.parametrize("code", range(0x00, 0x20))
def test_spreadsheet_safe_removes_exactly_what_openpyxl_refuses(code: int) -> None:
    value = f"a{chr(code)}b"
    safe = spreadsheet_safe(value)
    assert isinstance(safe, str) and not ILLEGAL_CHARACTERS_RE.search(safe)
    assert safe == ILLEGAL_CHARACTERS_RE.sub("", value)
    workbook = openpyxl.Workbook()
    workbook.active.append([safe])
    workbook.save(io.BytesIO())


def test_spreadsheet_safe_passes_other_values_through() -> None:
    assert spreadsheet_safe(3) == 3 and spreadsheet_safe(None) is None
