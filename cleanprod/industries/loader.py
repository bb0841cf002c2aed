"""Load GB/T 4754-2017 codes and the plans' industry groups, idempotently."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from importlib import resources
from typing import Any

import yaml
from django.db import transaction

from cleanprod.core.codes import validate_industry_code
from cleanprod.industries.models import (
    Industry,
    IndustryGroup,
    IndustryGroupMember,
    IndustryLevel,
    _industry_names,
)

_LEVEL_BY_LENGTH = {2: IndustryLevel.DIVISION, 3: IndustryLevel.MIDDLE, 4: IndustryLevel.CLASS}


def _data(name: str) -> str:
    return resources.files("cleanprod.industries").joinpath("data", name).read_text("utf-8")


def parse_industries(text: str, origin: str) -> list[dict[str, str]]:
    """Rows ``level,code,name,parent`` checked for shape; errors name the file and line."""
    rows = []
    for lineno, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        code = (row.get("code") or "").strip()
        name = (row.get("name") or "").strip()
        try:
            validate_industry_code(code)
        except ValueError as exc:
            raise ValueError(f"{origin} 第{lineno}行 code：{exc}") from exc
        if not name:
            raise ValueError(f"{origin} 第{lineno}行 name：名称不能为空")
        level = IndustryLevel.SECTION if code.isalpha() else _LEVEL_BY_LENGTH[len(code)]
        rows.append({"code": code, "name": name, "level": level, "parent": row.get("parent", "")})
    return rows


@transaction.atomic
def load_industry_rows(rows: Iterable[dict[str, str]]) -> int:
    """Upsert rows (parents before children); a class's parent is its middle class if known."""
    changed = 0
    known = set(Industry.objects.values_list("code", flat=True))
    order = {IndustryLevel.SECTION: 0, IndustryLevel.DIVISION: 1, IndustryLevel.MIDDLE: 2}
    for row in sorted(rows, key=lambda r: (order.get(r["level"], 3), r["code"])):
        code = row["code"]
        parent = (row.get("parent") or "").strip() or None
        if row["level"] == IndustryLevel.CLASS and code[:3] in known:
            parent = code[:3]
        elif row["level"] in (IndustryLevel.MIDDLE, IndustryLevel.CLASS):
            parent = code[:2]
        if parent is not None and parent not in known:
            raise ValueError(f"行业代码 {code} 的上级 {parent} 不存在")
        obj, created = Industry.objects.get_or_create(
            code=code, defaults={"name": row["name"], "level": row["level"], "parent_id": parent}
        )
        if created:
            changed += 1
        elif (obj.name, obj.level, obj.parent_id) != (row["name"], row["level"], parent):
            obj.name, obj.level, obj.parent_id = row["name"], row["level"], parent
            obj.save()
            changed += 1
        known.add(code)
    _industry_names.cache_clear()
    return changed


def load_industries() -> int:
    return load_industry_rows(parse_industries(_data("gbt4754-2017.csv"), "gbt4754-2017.csv"))


def shipped_groups() -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = yaml.safe_load(_data("groups.yaml"))
    return groups


@transaction.atomic
def load_groups() -> int:
    """Upsert the shipped industry groups and their members; ``includes`` unions other groups."""
    groups = shipped_groups()
    by_slug = {g["slug"]: g for g in groups}
    divisions = set(
        Industry.objects.filter(level=IndustryLevel.DIVISION).values_list("code", flat=True)
    )
    changed = 0
    for position, group in enumerate(groups):
        members: dict[str, tuple[str, str]] = {}
        for included in group.get("includes", []):
            for m in by_slug[included]["members"]:
                for code in m["codes"]:
                    members[code] = (m["label"], m.get("note", ""))
        for m in group["members"]:
            for code in m["codes"]:
                members[code] = (m["label"], m.get("note", ""))
        for code in members:
            if code[:2] not in divisions:
                raise ValueError(f"groups.yaml {group['slug']}：行业代码 {code} 的大类不存在")
        values = {
            "name": group["name"],
            "short_name": group["short_name"],
            "source": group["source"],
            "description": group.get("description", ""),
            "position": position,
        }
        obj, created = IndustryGroup.objects.get_or_create(slug=group["slug"], defaults=values)
        if not created and any(getattr(obj, k) != v for k, v in values.items()):
            IndustryGroup.objects.filter(pk=obj.pk).update(**values)
            changed += 1
        changed += int(created)
        current = {(m.code, m.label, m.note) for m in obj.members.all()}
        wanted = {(code, label, note) for code, (label, note) in members.items()}
        if current != wanted:
            obj.members.all().delete()
            IndustryGroupMember.objects.bulk_create(
                IndustryGroupMember(group=obj, code=c, label=lbl, note=n) for c, lbl, n in wanted
            )
            changed += 1
    return changed
