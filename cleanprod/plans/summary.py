"""Refresh the precomputed summaries the dashboards read (``cleanprod refresh_plan_metrics``).

The counters of :mod:`cleanprod.plans.facts`, counted over the whole nation, are rolled up from
counties to provinces (level 1), the children of provinces (level 2, prefectures) and their
children (level 3, counties), and stored, replacing the previous summary in one transaction:
rows by industry class at levels 1 and 2 (for industry filters), and rows over all industries
(``industry_code = ""``) at every level (for the unfiltered pages, a few rows each).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from cleanprod.plans.facts import Scope, _years, counters, penetration
from cleanprod.plans.models import MetricSummary, Technology, TechnologySummary
from cleanprod.platform.db import insert_plain
from cleanprod.regions.models import child_containing


@cache
def node_at(code: str, level: int) -> str | None:
    """The node at ``level`` (1 province, 2 its child, 3 its grandchild) containing ``code``."""
    node = child_containing(code, None)
    for _ in range(level - 1):
        if node is None or node == code:
            return None
        node = child_containing(code, node)
    return node


ALL_INDUSTRIES = ""
CLASS_LEVELS = (1, 2)
LEVELS = (1, 2, 3)


def rollup(
    cells: dict[Any, Any], level: int, add: Callable[[Any, Any], None], new: Callable[[], Any]
) -> dict[Any, Any]:
    """Re-key ``{(county, *rest): value}`` to ``{(node at level, *rest): summed value}``."""
    out: dict[Any, Any] = defaultdict(new)
    for (county, *rest), value in cells.items():
        node = node_at(county, level)
        if node is not None:
            add(out[(node, *rest)], value)
    return out


def _add_counters(into: dict[str, Any], values: dict[str, Any]) -> None:
    for key, value in values.items():
        into[key] = into.get(key, 0) + value


def _add_pair(into: list[Any], values: list[Any]) -> None:
    into[0] += values[0]
    into[1] += values[1]


def technologies_tracked() -> Any:
    """Technologies whose penetration is tracked: a plan target, or adoptions recorded."""
    return Technology.objects.filter(
        Q(penetration_target__isnull=False) | Q(adoptions__isnull=False)
    ).distinct()


def _clear(model: Any) -> None:
    # A raw DELETE: the queryset delete would fetch every row to send signals.
    qs = model.objects.all()
    qs._raw_delete(qs.db)


@transaction.atomic
def refresh_summaries() -> dict[str, int]:
    """Recount everything and replace the summaries; returns the number of rows written."""
    node_at.cache_clear()
    cells = counters(Scope())
    years = _years(cells)
    all_industries: dict[Any, Any] = defaultdict(dict)
    for (county, _code, year), values in cells.items():
        _add_counters(all_industries[(county, ALL_INDUSTRIES, year)], values)
    rows: list[dict[str, Any]] = []
    for level in LEVELS:
        sources = (cells, all_industries) if level in CLASS_LEVELS else (all_industries,)
        for source in sources:
            for (region, code, year), values in rollup(source, level, _add_counters, dict).items():
                rows.append(
                    {"level": level, "region": region, "industry_code": code, "year": year} | values
                )
    _clear(MetricSummary)
    insert_plain(MetricSummary, rows)
    tech_cells = penetration(Scope(), technologies_tracked(), years)
    tech_rows: list[dict[str, Any]] = []
    for level in CLASS_LEVELS:
        pairs = rollup(tech_cells, level, _add_pair, lambda: [0, 0])
        for (region, tech, year), (adopted, total) in pairs.items():
            tech_rows.append(
                {
                    "level": level,
                    "region": region,
                    "technology_id": tech,
                    "year": year,
                    "adopted": adopted,
                    "total": total,
                }
            )
    _clear(TechnologySummary)
    insert_plain(TechnologySummary, tech_rows)
    _analyze(MetricSummary, TechnologySummary)
    return {"metric_rows": len(rows), "technology_rows": len(tech_rows)}


def _analyze(*tables: Any) -> None:
    # Fresh statistics, so the planner uses the indexes on the newly loaded rows at once.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
