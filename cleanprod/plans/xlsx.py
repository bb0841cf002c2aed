"""The dashboard's numbers as an .xlsx workbook: one sheet per chart."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.utils.translation import gettext as _


def dashboard_workbook(data: dict[str, Any]) -> bytes:
    """Sheets: every metric at the node; the chosen metric by year; by child region."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = _("Metrics")
    ws.append([_("Metric"), _("Unit"), _("Value"), _("Target"), _("Target year"), _("Status")])
    for h in data["headline"]:
        t = h["target"] or {}
        ws.append([h["label"], h["unit"], h["value"], t.get("value"), t.get("year"), h["status"]])
    trend = wb.create_sheet(_("Trend"))
    trend.append([_("Year"), data["metric"]["label"]])
    for year, value in zip(data["trend"]["years"], data["trend"]["values"], strict=True):
        trend.append([year, value])
    regions = wb.create_sheet(_("Regions"))
    regions.append([_("Code"), _("Region"), data["metric"]["label"]])
    for row in data["children"]:
        regions.append([row["code"], row["name"], row["value"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
