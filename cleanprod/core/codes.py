"""Validation of the codes the platform keys on.

* 统一社会信用代码 (unified social credit code, USCC), GB 32100-2015: 18 characters from
  ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, Z, S, V); position 18 is a check character.
* 行政区划代码 (administrative division code), GB/T 2260: six digits.
* 国民经济行业分类 (industry classification), GB/T 4754-2017: a section letter, or a 2-, 3- or
  4-digit code.
"""

from __future__ import annotations

import re

from cleanprod.core.errors import InvalidCode

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_CHARSET)}
_REGION_RE = re.compile(r"^[1-9]\d{5}$")
_INDUSTRY_RE = re.compile(r"^(?:[A-T]|\d{2}|\d{3}|\d{4})$")


def uscc_check_char(first17: str) -> str:
    """Return the check character (position 18) for the first 17 characters of a USCC.

    Raises :class:`InvalidCode` if ``first17`` is not 17 characters of the USCC alphabet.
    """
    if len(first17) != 17:
        raise InvalidCode(f"需要17位字符，实际为{len(first17)}位")
    total = 0
    for pos, (ch, weight) in enumerate(zip(first17, USCC_WEIGHTS, strict=True), start=1):
        value = _USCC_VALUE.get(ch)
        if value is None:
            raise InvalidCode(f"第{pos}位字符“{ch}”不在代码字符集中（不使用I、O、Z、S、V）")
        total += value * weight
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Return why ``code`` is not a valid USCC, or ``None`` if it is valid.

    The message is in Chinese, fit to show next to a form field.
    """
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    try:
        expected = uscc_check_char(code[:17])
    except InvalidCode as exc:
        return str(exc)
    if code[17] not in _USCC_VALUE:
        return f"第18位字符“{code[17]}”不在代码字符集中（不使用I、O、Z、S、V）"
    if code[17] != expected:
        return f"校验码错误：第18位应为“{expected}”，实际为“{code[17]}”"
    return None


def validate_uscc(code: str) -> str:
    """Return ``code`` if it is a valid USCC, else raise :class:`InvalidCode` saying why."""
    problem = uscc_problem(code)
    if problem is not None:
        raise InvalidCode(problem)
    return code


def make_uscc(first17: str) -> str:
    """Complete 17 characters into a valid 18-character USCC by appending the check character."""
    return first17 + uscc_check_char(first17)


def validate_region_code(code: str) -> str:
    """Return ``code`` if it has the shape of a GB/T 2260 division code (six digits)."""
    if not _REGION_RE.match(code):
        raise InvalidCode(f"行政区划代码应为6位数字：{code!r}")
    return code


def validate_industry_code(code: str) -> str:
    """Return ``code`` if it has the shape of a GB/T 4754 code (letter, or 2-4 digits)."""
    if not _INDUSTRY_RE.match(code):
        raise InvalidCode(f"行业代码应为门类字母或2至4位数字：{code!r}")
    return code


def prefix_upper_bound(prefix: str) -> str:
    """Return the smallest string greater than every string starting with ``prefix``.

    ``code >= prefix and code < prefix_upper_bound(prefix)`` is a prefix match that an ordinary
    B-tree index can serve on every database (``LIKE 'p%'`` cannot on SQLite).
    """
    if not prefix:
        raise InvalidCode("前缀不能为空")
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
