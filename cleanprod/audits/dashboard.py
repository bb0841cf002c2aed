"""The authority's audit dashboard: one aggregate query over the audits in scope, rolled up to
the chosen region's children. Fast at national scale because it groups on indexed columns of
the audit table only (option totals are kept on each audit)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from cleanprod.audits.forms import AuditDashboardForm, form_errors
from cleanprod.audits.models import Audit, Phase
from cleanprod.core.codes import prefix_upper_bound
from cleanprod.industries.models import IndustryGroup, industry_q
from cleanprod.platform.permissions import VIEW
from cleanprod.regions.models import Level, Region, child_containing, subtree_q

PASSED_EVALUATION = [Phase.HIGH_COST_IMPLEMENTATION, Phase.ACCEPTANCE, Phase.CLOSED]


def _children(region: Region | None) -> list[Region]:
    if region is None:
        return list(Region.objects.filter(level=Level.PROVINCE))
    return list(region.children.all())


AGGREGATES = {
    "n": Count("pk"),
    "overdue": Count("pk", filter=Q(overdue=True)),
    "approved": Sum("options_approved"),
    "implemented": Sum("options_implemented"),
    "inv_approved": Sum("investment_approved"),
    "inv_implemented": Sum("investment_implemented"),
}


def _grouped_by_child(
    audits: Any, region: Region | None, children: set[str]
) -> list[dict[str, Any]]:
    """Aggregates per (child region, phase), grouped in SQL on a prefix of the region code.

    Division codes are hierarchical, so a child's audits share its code prefix. County-level
    units that hang directly under a province (and the districts of the four municipalities)
    have no prefecture prefix: those are grouped by their own code instead.
    """
    width = {None: 2, Level.PROVINCE: 4}.get(region.level if region is not None else None, 6)
    pad = "0" * (6 - width)
    grouped = audits.annotate(key=Substr("region_id", 1, width)).values("key", "phase")
    rows, unmatched = [], set()
    for row in grouped.annotate(**AGGREGATES).order_by():
        code = row["key"] + pad
        if code in children or width == 6:
            rows.append({**row, "child": code if code in children else None})
        else:
            unmatched.add(row["key"])
    if unmatched:
        ranges = Q()
        for key in unmatched:
            ranges |= Q(region_id__gte=key, region_id__lt=prefix_upper_bound(key))
        ancestor = region.code if region is not None else None
        detail = audits.filter(ranges).values("region_id", "phase").annotate(**AGGREGATES)
        for row in detail.order_by():
            rows.append({**row, "child": child_containing(row["region_id"], ancestor)})
    return rows


def _rate(part: Any, whole: Any) -> float | None:
    return round(100 * float(part) / float(whole), 1) if whole else None


class InvalidParameters(ValueError):
    """The query parameters are malformed; ``errors`` maps each field to its messages."""

    def __init__(self, form: AuditDashboardForm) -> None:
        super().__init__(form_errors(form))
        self.errors = {k: [str(m) for m in v] for k, v in form.errors.items()}


def audit_dashboard(user: Any, query: Any) -> dict[str, Any]:
    """Audits by phase, overdue, evaluation/acceptance results and implementation rates for the
    user's scope, optionally narrowed by region, year, industry or industry group.

    ``query`` (a QueryDict) is parsed by :class:`AuditDashboardForm`; malformed values raise
    :class:`InvalidParameters`.
    """
    form = AuditDashboardForm(query)
    if not form.is_valid():
        raise InvalidParameters(form)
    params = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    audits = Audit.objects.restrict(user, VIEW)
    region = Region.objects.filter(code=params.get("region") or "").first()
    if region is None and getattr(user, "region_id", None):
        region = user.region
    if region is not None:
        audits = audits.filter(subtree_q("region_id", region.code, region.level))
    if params.get("year"):
        audits = audits.filter(year=params["year"])
    if params.get("industry"):
        audits = audits.filter(industry_q("industry_code", params["industry"]))
    group = IndustryGroup.objects.filter(slug=params.get("group") or "").first()
    if group is not None:
        audits = audits.filter(group.q("industry_code"))

    children = _children(region)
    rows = _grouped_by_child(audits, region, {c.code for c in children})
    by_phase: dict[str, int] = defaultdict(int)
    per_child: dict[str, dict[str, Any]] = {
        c.code: defaultdict(lambda: Decimal(0)) for c in children
    }
    totals: dict[str, Any] = defaultdict(lambda: Decimal(0))
    for row in rows:
        by_phase[row["phase"]] += row["n"]
        buckets = [totals]
        child = row["child"]
        if child is not None:
            buckets.append(per_child[child])
        for bucket in buckets:
            bucket["audits"] += row["n"]
            bucket["overdue"] += row["overdue"]
            bucket["approved"] += row["approved"] or 0
            bucket["implemented"] += row["implemented"] or 0
            bucket["inv_approved"] += row["inv_approved"] or 0
            bucket["inv_implemented"] += row["inv_implemented"] or 0
            if row["phase"] in PASSED_EVALUATION:
                bucket["evaluation_passed"] += row["n"]
            if row["phase"] == Phase.FAILED:
                bucket["failed"] += row["n"]
            if row["phase"] == Phase.CLOSED:
                bucket["closed"] += row["n"]

    def summary(bucket: dict[str, Any]) -> dict[str, Any]:
        return {
            "audits": int(bucket["audits"]),
            "overdue": int(bucket["overdue"]),
            "evaluation_passed": int(bucket["evaluation_passed"]),
            "failed": int(bucket["failed"]),
            "closed": int(bucket["closed"]),
            "implementation_rate_by_count": _rate(bucket["implemented"], bucket["approved"]),
            "implementation_rate_by_investment": _rate(
                bucket["inv_implemented"], bucket["inv_approved"]
            ),
        }

    return {
        "region": {"code": region.code, "name": region.full_name} if region else None,
        "filters": {k: str(params.get(k, "")) for k in ("year", "industry", "group")},
        "totals": summary(totals),
        "by_phase": [
            {"phase": p.value, "label": str(p.label), "audits": by_phase.get(p.value, 0)}
            for p in Phase
        ],
        "children": [
            {"code": c.code, "name": c.name, **summary(per_child[c.code])} for c in children
        ],
    }
