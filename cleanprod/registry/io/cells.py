"""Turn one spreadsheet cell into a field value, or say in plain words why it cannot be.

Reference data (regions, industry divisions, parks the user can see) is loaded once per import
into :class:`Lookups`, so validating 100,000 rows makes no query per row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from cleanprod.core.codes import uscc_problem
from cleanprod.core.text import clean_text
from cleanprod.industries.models import Industry, IndustryLevel
from cleanprod.platform.permissions import VIEW
from cleanprod.regions.models import Region, code_prefix
from cleanprod.registry.io.specs import Column
from cleanprod.registry.models import Park

TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
FALSE = {"否", "n", "no", "false", "0", "×", "✗", "无"}
_SEPARATORS = re.compile(r"[、,，;；/\s]+")
_CODE_IN_TEXT = re.compile(r"(?<!\d)(\d{6})(?!\d)")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


class CellError(ValueError):
    """A cell's value is not acceptable; the message is shown with the row and column."""


@dataclass
class Lookups:
    """Reference data for validating a whole file, loaded once."""

    user: Any
    regions: dict[str, int] = field(default_factory=dict)  # code → level
    leaves: set[str] = field(default_factory=set)
    region_names: dict[str, str | None] = field(default_factory=dict)  # full name → code
    divisions: set[str] = field(default_factory=set)
    parks: dict[int, tuple[str, str, int]] = field(default_factory=dict)  # id → name, region
    park_names: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, user: Any, *, parks: bool = False) -> Lookups:
        found = cls(user)
        parents = set()
        for code, level, full_name, parent in Region.objects.values_list(
            "code", "level", "full_name", "parent_id"
        ):
            found.regions[code] = level
            parents.add(parent)
            # A full name shared by two divisions cannot identify either.
            found.region_names[full_name] = None if full_name in found.region_names else code
        found.leaves = set(found.regions) - parents
        found.divisions = set(
            Industry.objects.filter(level=IndustryLevel.DIVISION).values_list("code", flat=True)
        )
        if parks:
            visible = Park.objects.restrict(user, VIEW).select_related("region")
            for pk, name, region, level in visible.values_list(
                "pk", "name", "region_id", "region__level"
            ):
                found.parks[pk] = (name, region, level)
                found.park_names.setdefault(name, []).append(pk)
        return found

    def park_contains(self, park_id: int, region_code: str) -> bool:
        """Whether the park's region is the region itself or one above it."""
        _name, code, level = self.parks[park_id]
        return region_code.startswith(code_prefix(code, level))


def text(raw: Any) -> str:
    """A cell as trimmed text; whole numbers lose Excel's trailing ``.0``."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime | date):
        return raw.isoformat()
    return str(raw).strip()


def parse_text(raw: Any, model_field: models.Field) -> str:
    """Text within the field's length, without control characters (see ``core.text``)."""
    multiline = isinstance(model_field, models.TextField)
    value = clean_text(text(raw), multiline=multiline).strip()
    if value[:1] == "'" and value[1:2] in ("=", "@", "+", "-"):
        value = value[1:]  # exports guard formula-like text with a quote
    limit = getattr(model_field, "max_length", None)
    if limit and len(value) > limit:
        raise CellError(
            _("At most %(limit)d characters (this has %(length)d).")
            % {"limit": limit, "length": len(value)}
        )
    return value


def parse_uscc(raw: Any) -> str:
    """A 统一社会信用代码 with a correct check character (upper-cased)."""
    value = text(raw).upper()
    problem = uscc_problem(value)
    if problem:
        raise CellError(problem)
    return value


def parse_bool(raw: Any) -> bool:
    """是/否 (also true/false, 1/0, yes/no, √/×)."""
    if isinstance(raw, bool):
        return raw
    value = text(raw).lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise CellError(_("Write 是 or 否, not “%(value)s”.") % {"value": value})


def choice_map(model_field: models.Field) -> dict[str, str]:
    """Every accepted spelling of each choice (code, English and Chinese label) → code."""
    accepted: dict[str, str] = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for code, label in model_field.choices or ():
                accepted[str(label).lower()] = code
                accepted[str(code).lower()] = code
    return accepted


def chinese_label(model_field: models.Field, code: str) -> str:
    """The Chinese label of a choice, as files show it whatever the UI language."""
    with translation.override("zh-hans"):
        return str(dict(model_field.choices or ()).get(code, code))


def parse_choice(raw: Any, model_field: models.Field, accepted: dict[str, str]) -> str:
    """A choice by its code or its English or Chinese label."""
    value = text(raw)
    code = accepted.get(value.lower())
    if code is None:
        labels = "/".join(chinese_label(model_field, c) for c, _label in model_field.choices or ())
        raise CellError(
            _("Unknown value “%(value)s”; choose one of %(choices)s.")
            % {"value": value, "choices": labels}
        )
    return code


def parse_region(raw: Any, lookups: Lookups, *, leaf: bool) -> str:
    """A division by 6-digit code, by full name, or as ``名称（代码）``; ``leaf``: county-level."""
    value = text(raw)
    if isinstance(raw, int | float) or value.isdigit():
        code = value
    else:
        match = _CODE_IN_TEXT.search(value)  # e.g. 广东省深圳市南山区（440305）
        code = match.group(1) if match else lookups.region_names.get(value) or ""
    if code not in lookups.regions:
        raise CellError(_("No administrative division “%(value)s”.") % {"value": value})
    if leaf and code not in lookups.leaves:
        raise CellError(
            _("%(code)s is not county-level: choose a division with no subdivisions.")
            % {"code": code}
        )
    return code


def parse_industry(raw: Any, lookups: Lookups) -> str:
    """A 4-digit GB/T 4754 class whose division exists (unnamed classes are accepted)."""
    value = text(raw)
    if isinstance(raw, int) and len(value) < 4:
        value = value.zfill(4)  # Excel drops the leading zero of 0111
    if len(value) != 4 or not value.isdigit():
        raise CellError(_("Industry class code must be 4 digits, e.g. 3360."))
    if value[:2] not in lookups.divisions:
        raise CellError(
            _("Division %(division)s does not exist in GB/T 4754-2017.") % {"division": value[:2]}
        )
    return value


def parse_divisions(raw: Any, lookups: Lookups) -> list[str]:
    """2-digit divisions separated by 、 , ; / or spaces, sorted without repeats."""
    value = text(raw)
    if isinstance(raw, int) and len(value) == 1:
        value = value.zfill(2)
    codes = [c for c in _SEPARATORS.split(value) if c]
    unknown = [c for c in codes if c not in lookups.divisions]
    if unknown:
        raise CellError(
            _("Not industry divisions (2 digits, GB/T 4754-2017): %(codes)s")
            % {"codes": "、".join(unknown)}
        )
    return sorted(set(codes))


def parse_date(raw: Any) -> date:
    """A spreadsheet date, or text such as 2024-01-31, 2024/1/31 or 2024年1月31日."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    value = text(raw)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise CellError(_("Not a date: “%(value)s” (write e.g. 2024-01-31).") % {"value": value})


def parse_park(raw: Any, lookups: Lookups) -> list[int]:
    """The candidate parks (by id or name); the enterprise's region picks among them later."""
    value = text(raw)
    if value.isdigit() and int(value) in lookups.parks:
        return [int(value)]
    candidates = lookups.park_names.get(value, [])
    if not candidates:
        raise CellError(_("No park “%(value)s” that you may see.") % {"value": value})
    return candidates


def parse_email(raw: Any) -> str:
    """An e-mail address, checked as Django's EmailField does."""
    value = text(raw)
    try:
        validate_email(value)
    except ValidationError as exc:
        raise CellError(_("Not an e-mail address: “%(value)s”.") % {"value": value}) from exc
    return value


def parse_id(raw: Any) -> int:
    """The id of an existing row (the importer checks that it exists)."""
    value = text(raw)
    if not value.isdigit():
        raise CellError(_("An id is a whole number, not “%(value)s”.") % {"value": value})
    return int(value)


def is_blank(raw: Any) -> bool:
    """An empty cell, or one holding only spaces."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def column_model_field(model: type[models.Model], column: Column) -> models.Field | None:
    """The model field a column fills, if it is a single field."""
    try:
        return model._meta.get_field(column.field)  # type: ignore[return-value]
    except FieldDoesNotExist:  # employer, region_name
        return None
