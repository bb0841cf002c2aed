"""减污降碳协同: an option's or an audit's pollutant reductions and its CO2 reduction side by
side, expected and verified (columns of ``BENEFITS``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum

from cleanprod.audits.models import Audit, Option
from cleanprod.audits.models.options import BENEFITS

POLLUTANTS = ("cod", "nh3n", "so2", "nox", "vocs", "heavy_metals", "hazardous_waste")
COLUMNS = [(k, label, unit) for k, label, unit in BENEFITS if k in (*POLLUTANTS, "co2")]


def option_cobenefits(option: Option) -> dict[str, Any]:
    """``{"expected": {...}, "verified": {...}}`` of pollutants and CO2 for one option."""
    return {
        basis: {key: getattr(option, f"{basis}_{key}") for key, _l, _u in COLUMNS}
        for basis in ("expected", "verified")
    }


def audit_cobenefits(audit: Audit) -> dict[str, Any]:
    """Per option and in total: pollutant and CO2 reductions side by side (t/a; kg/a metals)."""
    options = list(Option.objects.filter(audit=audit).order_by("code"))
    sums = {
        f"{basis}_{key}": Sum(f"{basis}_{key}")
        for basis in ("expected", "verified")
        for key, _l, _u in COLUMNS
    }
    totals = Option.objects.filter(audit=audit).aggregate(**sums)
    return {
        "columns": [{"key": k, "label": str(label), "unit": unit} for k, label, unit in COLUMNS],
        "options": [
            {"code": o.code, "name": o.name, "status": o.status, **option_cobenefits(o)}
            for o in options
        ],
        "total": {
            basis: {key: totals[f"{basis}_{key}"] or Decimal(0) for key, _l, _u in COLUMNS}
            for basis in ("expected", "verified")
        },
    }
