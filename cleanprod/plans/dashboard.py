"""Progress dashboards of the nation, a province or a prefecture: every metric of
:mod:`cleanprod.plans.metrics` by year against its target, the chosen metric's trend,
projection and status, and its value for each child region (map and ranking).

Pages read the precomputed summaries (a few hundred rows); a prefecture's or county's page
filtered by industry counts its counties live from the facts (a prefecture's facts are few).
Penetration rates come from the technology summary (provinces, prefectures) or live
(counties). Everything goes through ``restrict(user, "view")``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from cleanprod.core import progress
from cleanprod.core.plans import Comparison, load_plans
from cleanprod.industries.models import IndustryGroup, industry_q
from cleanprod.plans.facts import Scope, counters, penetration
from cleanprod.plans.metrics import BY_SLUG, METRICS, PENETRATION_PREFIX, Metric, penetration_metric
from cleanprod.plans.models import (
    MetricSummary,
    Target,
    TargetAllocation,
    Technology,
    TechnologySummary,
)
from cleanprod.plans.models.summary import COUNTERS, DECIMAL_COUNTERS
from cleanprod.plans.summary import ALL_INDUSTRIES
from cleanprod.platform.permissions import VIEW, party_of
from cleanprod.regions.models import Level, Region, child_containing, subtree_q

ByYear = dict[int, dict[str, Any]]
REGION_RE = re.compile(r"^\d{6}$")


class DashboardForm(forms.Form):
    """Query parameters of the progress dashboard (page, export and API): one parser."""

    region = forms.CharField(required=False, max_length=12, label=_("Region"))
    metric = forms.CharField(required=False, max_length=100, label=_("Metric"))
    year = forms.IntegerField(required=False, min_value=1000, max_value=9999, label=_("Year"))
    industry = forms.RegexField(
        regex=r"^(?:[A-Z]|\d{2,4})$", required=False, strip=True, label=_("Industry")
    )
    group = forms.CharField(required=False, max_length=64, label=_("Industry group"))


class InvalidParameters(BadRequest):
    """Malformed dashboard parameters (a 400); ``errors`` maps each field to its messages."""

    def __init__(self, form: DashboardForm) -> None:
        self.errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
        super().__init__(
            "; ".join(f"{form.fields[k].label}: {v[0]}" for k, v in self.errors.items())
        )


def resolve_region(user: Any, code: str | None) -> Region | None:
    """The region node asked for, defaulting to the user's; outside the user's region is 404."""
    if party_of(user) != "authority":
        raise PermissionDenied
    own: Region | None = user.region if getattr(user, "region_id", None) else None
    if code and not REGION_RE.match(code):
        raise Http404
    region = Region.objects.filter(code=code).first() if code else own
    if code and region is None:
        raise Http404
    if own is not None and region is not None:
        inside = Region.objects.filter(pk=region.pk).filter(subtree_q("code", own.code, own.level))
        if not inside.exists():
            raise Http404
    return region


def _children(region: Region | None) -> list[Region]:
    if region is None:
        return list(Region.objects.filter(level=Level.PROVINCE))
    return list(region.children.all())


def _summary_buckets(
    user: Any, region: Region | None, industry: str, group: IndustryGroup | None
) -> dict[str, ByYear]:
    # The children's rows: provinces for the nation, then one level down (a county: itself).
    level = 1 if region is None else min(region.level + 1, Level.COUNTY)
    qs = MetricSummary.objects.restrict(user, VIEW).filter(level=level)
    if region is not None:
        qs = qs.filter(subtree_q("region", region.code, region.level))
    if industry:
        qs = qs.filter(industry_q("industry_code", industry))
    if group is not None:
        qs = qs.filter(group.q("industry_code"))
    if not industry and group is None:
        qs = qs.filter(industry_code=ALL_INDUSTRIES)
    sums = {c: Sum(c) for c in (*COUNTERS, *DECIMAL_COUNTERS)}
    out: dict[str, ByYear] = defaultdict(dict)
    for row in qs.order_by().values("region", "year").annotate(**sums):
        out[row.pop("region")][row.pop("year")] = row
    return out


def _live_buckets(scope: Scope) -> dict[str, ByYear]:
    assert scope.region is not None
    out: dict[str, ByYear] = defaultdict(lambda: defaultdict(dict))
    for (county, _code, year), values in counters(scope).items():
        child = child_containing(county, scope.region.code) or scope.region.code
        bucket = out[child][year]
        for key, value in values.items():
            bucket[key] = bucket.get(key, 0) + value
    return out


def _penetration_buckets(
    user: Any, region: Region | None, tech: Technology, years: list[int]
) -> dict[str, ByYear]:
    out: dict[str, ByYear] = defaultdict(dict)
    if region is not None and region.level >= Level.PREFECTURE:
        for (county, _pk, year), (adopted, total) in penetration(
            Scope(user, region), [tech], years
        ).items():
            child = child_containing(county, region.code) or region.code
            cell = out[child].setdefault(year, {"adopted": 0, "total": 0})
            cell["adopted"] += adopted
            cell["total"] += total
        return out
    qs = TechnologySummary.objects.restrict(user, VIEW).filter(
        technology=tech, level=1 if region is None else 2
    )
    if region is not None:
        qs = qs.filter(subtree_q("region", region.code, region.level))
    for row in (
        qs.order_by().values("region", "year").annotate(adopted=Sum("adopted"), total=Sum("total"))
    ):
        out[row.pop("region")][row.pop("year")] = row
    return out


def summary_years() -> list[int]:
    """The years the summaries hold (a handful of index-served rows)."""
    rows = MetricSummary.objects.filter(level=1, industry_code=ALL_INDUSTRIES).exclude(year=0)
    return sorted(set(rows.values_list("year", flat=True)))


def _total(per_child: Mapping[str, ByYear]) -> ByYear:
    total: ByYear = defaultdict(dict)
    for by_year in per_child.values():
        for year, values in by_year.items():
            bucket = total[year]
            for key, value in values.items():
                bucket[key] = bucket.get(key, 0) + (value or 0)
    return total


def _targets(user: Any, metrics: list[Metric], region: Region | None) -> dict[str, Any]:
    """The plan targets of ``metrics`` and the node's allocations of them, in two queries."""
    slugs = [m.target for m in metrics if m.target]
    targets = {t.slug: t for t in Target.objects.filter(slug__in=slugs)}
    allocations = {}
    if region is not None:
        allocations = {
            a.target.slug: a
            for a in TargetAllocation.objects.restrict(user, VIEW)
            .filter(region=region, target__slug__in=slugs)
            .select_related("target")
        }
    return {"targets": targets, "allocations": allocations}


def target_for(
    user: Any, metric: Metric, region: Region | None, known: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """The target a metric is compared with at a node, in the metric's unit.

    A region's own allocation when there is one; else the plan's value if the target is not
    additive (a rate applies everywhere); else none (a province's share of a national amount
    is known only once allocated). ``known``: targets and allocations already fetched.
    """
    if metric.slug.startswith(PENETRATION_PREFIX):
        tech = Technology.objects.filter(slug=metric.slug[len(PENETRATION_PREFIX) :]).first()
        if tech is None or tech.penetration_target is None:
            return None
        return {
            "name": tech.name,
            "value": tech.penetration_target,
            "year": tech.penetration_year,
            "comparison": tech.penetration_comparison or "≥",
            "baseline": None,
            "source": tech.source,
        }
    known = known or _targets(user, [metric], region)
    target = known["targets"].get(metric.target or "")
    if target is None or target.target_value is None or not target.comparison:
        return None
    value: float | None = target.target_value
    allocated = False
    if region is not None:
        alloc = known["allocations"].get(target.slug)
        if alloc is not None:
            value, allocated = float(alloc.value), True
        elif target.additive:
            return None
    assert value is not None
    start = load_plans().get(target.slug).trend_start  # type: ignore[union-attr]
    baseline = None
    if start is not None and not allocated:
        baseline = [start[0], start[1] * metric.scale]
    return {
        "slug": target.slug,
        "name": target.name,
        "value": value * metric.scale,
        "year": target.target_year,
        "comparison": target.comparison,
        "baseline": baseline,
        "source": target.source,
        "allocated": allocated,
    }


def assess(series: Mapping[int, float | None], target: dict[str, Any] | None) -> dict[str, Any]:
    """Status (met, on track, behind) and straight-line projection to the target year."""
    points = {y: v for y, v in series.items() if v is not None}
    if target is None or not points:
        return {"status": None, "projection": None}
    baseline = tuple(target["baseline"]) if target["baseline"] else None
    status = progress.status(
        points,
        target=target["value"],
        target_year=target["year"],
        comparison=Comparison(target["comparison"]),
        baseline=baseline,  # type: ignore[arg-type]
    )
    # A projection is a forecast: none once the target year is behind the latest value.
    ahead = len(points) >= 2 and target["year"] > max(points)
    projection = progress.project(points, target["year"]) if ahead else None
    return {"status": str(status), "projection": projection}


def metric_for(slug: str) -> tuple[Metric, Technology | None]:
    """The metric of a slug (a penetration rate: its technology too); 404 if unknown."""
    if len(slug) > 120 or "\x00" in slug:
        raise Http404
    if slug.startswith(PENETRATION_PREFIX):
        tech = Technology.objects.filter(slug=slug[len(PENETRATION_PREFIX) :]).first()
        if tech is None:
            raise Http404
        return penetration_metric(tech.slug, tech.name), tech
    if slug not in BY_SLUG:
        raise Http404
    return BY_SLUG[slug], None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def dashboard(user: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    """Every figure of the dashboard page, its API and its .xlsx export.

    Malformed parameters raise :class:`InvalidParameters` (a ``BadRequest``: 400 on the pages).
    """
    form = DashboardForm(params)
    if not form.is_valid():
        raise InvalidParameters(form)
    params = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    region = resolve_region(user, params.get("region") or None)
    industry = params.get("industry") or ""
    group = IndustryGroup.objects.filter(slug=params.get("group") or "").first()
    metric, tech = metric_for(params.get("metric") or METRICS[0].slug)
    known: list[int] = []
    if tech is not None:
        known = summary_years()
        per_child = _penetration_buckets(user, region, tech, known)
    elif region is not None and region.level >= Level.PREFECTURE and (industry or group):
        # Counties are summarized over all industries only: filtered, count them live.
        per_child = _live_buckets(Scope(user, region, industry, group))
    else:
        per_child = _summary_buckets(user, region, industry, group)
    total = _total(per_child)
    years = sorted({y for y in total if y} | set(known))
    year = params.get("year") or (years[-1] if years else 0)
    headline = []
    shown = [metric] if tech is not None else list(METRICS)
    known = _targets(user, shown, region)
    for m in shown:
        series = {y: m.value(total, y) for y in years}
        target = target_for(user, m, region, known)
        headline.append(
            {
                "slug": m.slug,
                "label": str(m.label),
                "unit": m.unit,
                "value": _round(series.get(year)),
                "target": target,
                **assess(series, target),
            }
        )
    chosen = next(h for h in headline if h["slug"] == metric.slug)
    child_rows = [
        {
            "code": c.code,
            "name": c.name,
            "value": _round(metric.value(per_child.get(c.code, {}), year)),
        }
        for c in _children(region)
    ]
    ranking = sorted((r for r in child_rows if r["value"] is not None), key=lambda r: -r["value"])
    values = [_round(metric.value(total, y)) for y in years]
    return {
        "region": _region_json(region),
        "ancestors": [_region_json(a) for a in (region.ancestors() if region else [])],
        "level": 0 if region is None else region.level,
        "filters": {
            "year": year,
            "industry": industry,
            "group": group.slug if group else "",
            "metric": metric.slug,
        },
        "years": years,
        "metric": {
            "slug": metric.slug,
            "label": str(metric.label),
            "unit": metric.unit,
            "definition": str(metric.definition),
        },
        "metrics": [{"slug": m.slug, "label": str(m.label), "unit": m.unit} for m in METRICS],
        "technologies": [
            {"slug": f"{PENETRATION_PREFIX}{t.slug}", "label": t.name}
            for t in Technology.objects.filter(penetration_target__isnull=False).only(
                "slug", "name"
            )
        ],
        "groups": [
            {"slug": g.slug, "label": g.short_name}
            for g in IndustryGroup.objects.only("slug", "short_name")
        ],
        "headline": headline,
        "trend": {
            "years": years,
            "values": values,
            "rows": [{"year": y, "value": v} for y, v in zip(years, values, strict=True)],
            "target": chosen["target"],
            "status": chosen["status"],
            "projection": chosen["projection"],
        },
        "children": child_rows,
        "ranking": ranking,
    }


def _region_json(region: Region | None) -> dict[str, Any] | None:
    if region is None:
        return None
    return {"code": region.code, "name": region.name, "level": region.level}
