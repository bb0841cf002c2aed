"""Load the shipped administrative divisions into the database, idempotently."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from django.db import transaction

from cleanprod.core.codes import validate_region_code
from cleanprod.regions.models import Level, Region, parent_map

DIVISIONS_FILE = "divisions-2024.txt"


@dataclass(frozen=True)
class DivisionRow:
    code: str
    name: str
    level: int
    parent: str | None
    full_name: str


def parse_divisions(text: str) -> list[DivisionRow]:
    """Parse ``code name`` lines into rows with level, parent and full name, parents first."""
    names: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        code, _, name = line.strip().partition(" ")
        try:
            validate_region_code(code)
        except ValueError as exc:
            raise ValueError(f"{DIVISIONS_FILE} 第{lineno}行：{exc}") from exc
        names[code] = name.strip()
    parents: dict[str, str | None] = {}
    levels: dict[str, int] = {}
    for code in sorted(names):
        if code.endswith("0000"):
            levels[code], parents[code] = Level.PROVINCE, None
        elif code.endswith("00"):
            levels[code], parents[code] = Level.PREFECTURE, code[:2] + "0000"
        else:
            prefecture = code[:4] + "00"
            levels[code] = Level.COUNTY
            parents[code] = prefecture if prefecture in names else code[:2] + "0000"
        parent = parents[code]
        if parent is not None and parent not in names:
            raise ValueError(f"{DIVISIONS_FILE}：{code} 的上级 {parent} 不存在")
    rows: list[DivisionRow] = []
    for code in sorted(names):
        chain: list[str] = []
        node: str | None = code
        while node is not None:
            chain.append(names[node])
            node = parents[node]
        rows.append(
            DivisionRow(code, names[code], levels[code], parents[code], "".join(reversed(chain)))
        )
    return rows


def shipped_divisions() -> list[DivisionRow]:
    text = resources.files("cleanprod.regions").joinpath("data", DIVISIONS_FILE).read_text("utf-8")
    return parse_divisions(text)


@transaction.atomic
def load_regions() -> int:
    """Insert or update every shipped division; return how many rows changed."""
    existing = {r.code: r for r in Region.objects.all()}
    changed = 0
    for row in shipped_divisions():  # parents come first: codes sort top-down
        current = existing.get(row.code)
        values = {
            "name": row.name,
            "full_name": row.full_name,
            "level": row.level,
            "parent_id": row.parent,
        }
        if current is None:
            Region.objects.create(code=row.code, **values)
            changed += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            Region.objects.filter(code=row.code).update(**values)
            changed += 1
    parent_map.cache_clear()
    return changed
