"""Clean text where it enters the platform: no control characters in stored text.

A control character pasted from another program (a vertical tab from a Word table, a form feed,
an escape code) is invisible on screen but makes .xlsx exports fail (XML 1.0 forbids most C0
characters) and PostgreSQL refuses NUL. Forms, the API and imports pass text through
:func:`clean_text` before it is validated, so stored text holds none of them.
"""

from __future__ import annotations

import re

# Vertical tab and form feed separate words in the programs that write them: keep a space.
_SPACES = {0x0B: " ", 0x0C: " "}
# Every other C0 character, DEL, the C1 range and lone surrogates (invalid in UTF-8) go.
_DROP = {
    code: None
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *range(0xD800, 0xE000)]
    if code not in (0x09, 0x0A, 0x0D, 0x0B, 0x0C)
}
# Multi-line text keeps tabs and line breaks (CR LF as a browser sends it).
_MULTILINE = str.maketrans({**_DROP, **_SPACES})
# In one-line text a tab or a line break is noise too: it becomes a space.
_ONE_LINE = str.maketrans({**_DROP, **_SPACES, 0x09: " ", 0x0A: " ", 0x0D: " "})


def clean_text(value: str, *, multiline: bool = False) -> str:
    """``value`` without control characters.

    NUL and other C0/C1 controls are removed, a vertical tab or form feed becomes a space. Tabs
    and line breaks are kept in ``multiline`` text and become spaces in one-line text.
    """
    return value.translate(_MULTILINE if multiline else _ONE_LINE)


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    """Whether :func:`clean_text` would change ``value``."""
    return clean_text(value, multiline=multiline) != value


# The characters XML 1.0 forbids, exactly as openpyxl refuses them (IllegalCharacterError).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def spreadsheet_safe(value: object) -> object:
    """A cell value that an .xlsx writer accepts: text loses the characters XML forbids.

    Exports call it on every cell, so text stored before input was cleaned still exports.
    """
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)
    return value
