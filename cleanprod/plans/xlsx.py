"""The dashboard's numbers as an .xlsx workbook: one sheet per chart."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.utils.translation import gettext as _

from cleanprod.core.text import spreadsheet_safe


def _safe(values: list[Any]) -> list[Any]:
    # Names come from the database: text stored with a control character must still export.
    return [spreadsheet_safe(v) for v in values]


def dashboard_workbook(data: dict[str, Any]) -> bytes:
    """Sheets: every metric at the node; the chosen metric by year; by child region."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = _("Metrics")
    ws.append(
        _safe([_("Metric"), _("Unit"), _("Value"), _("Target"), _("Target year"), _("Status")])
    )
    for h in data["headline"]:
        t = h["target"] or {}
        ws.append(
            _safe([h["label"], h["unit"], h["value"], t.get("value"), t.get("year"), h["status"]])
        )
    trend = wb.create_sheet(_("Trend"))
    trend.append(_safe([_("Year"), data["metric"]["label"]]))
    for year, value in zip(data["trend"]["years"], data["trend"]["values"], strict=True):
        trend.append(_safe([year, value]))
    regions = wb.create_sheet(_("Regions"))
    regions.append(_safe([_("Code"), _("Region"), data["metric"]["label"]]))
    for row in data["children"]:
        regions.append(_safe([row["code"], row["name"], row["value"]]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
