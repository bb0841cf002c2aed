"""Counting the metrics' counters from the facts (definitions: :mod:`cleanprod.plans.metrics`).

:func:`counters` returns ``{(county, industry class, year): {counter: value}}`` for a scope
(region node, industry filter, and — for a user — ``restrict(user, "view")`` on every fact
table); ``year = 0`` holds the registry counts. :func:`penetration` does the same for
technologies' capacities. The summary refresh runs both over the whole nation (no user) and
rolls them up; county pages call them live for one prefecture.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear

from cleanprod.audits.dashboard import PASSED_EVALUATION
from cleanprod.audits.models import Audit, Option, OptionStatus
from cleanprod.evaluation.models import Assessment
from cleanprod.industries.models import IndustryGroup, code_range_q, industry_q
from cleanprod.plans.models import (
    Adoption,
    Attendance,
    AttendeeRole,
    CarbonCalculation,
    EnterpriseCapacity,
    Technology,
)
from cleanprod.plans.models.summary import BENEFIT_COUNTERS
from cleanprod.platform.permissions import VIEW
from cleanprod.regions.models import Region, subtree_q
from cleanprod.registry.models import Enterprise

KEY_GROUP = "twelfth-key"
ADVANCED_GRADES = frozenset({"I", "II"})
Key = tuple[str, str, int]


@dataclass(frozen=True)
class Scope:
    """Which facts count: a user's view (None: everything), a region node, an industry filter
    (a section letter or a 2-4 digit code) and an industry group."""

    user: Any = None
    region: Region | None = None
    industry: str = ""
    group: IndustryGroup | None = None
    group_codes: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        # The group's codes once, not one query per fact table.
        if self.group is not None:
            object.__setattr__(self, "group_codes", tuple(self.group.codes()))

    def apply(self, qs: QuerySet[Any], region: str, industry: str) -> QuerySet[Any]:
        """Filter ``qs`` whose region and industry-class fields are ``region``/``industry``."""
        if self.user is not None:
            qs = qs.restrict(self.user, VIEW)
        if self.region is not None:
            qs = qs.filter(subtree_q(region, self.region.code, self.region.level))
        if self.industry:
            qs = qs.filter(industry_q(industry, self.industry))
        if self.group is not None:
            qs = qs.filter(code_range_q(industry, list(self.group_codes)))
        return qs.order_by()


def key_industry_codes() -> list[str]:
    """Codes of the 十二五 key industries (``twelfth-key``); none if the group is not loaded."""
    group = IndustryGroup.objects.filter(slug=KEY_GROUP).prefetch_related("members").first()
    return group.codes() if group is not None else []


def _bucket() -> dict[str, Any]:
    return defaultdict(int)


def counters(scope: Scope) -> dict[Key, dict[str, Any]]:
    """Every counter of :mod:`cleanprod.plans.metrics` by county, industry class and year."""
    out: dict[Key, dict[str, Any]] = defaultdict(_bucket)
    enterprises = scope.apply(Enterprise.objects.all(), "region_id", "industry_code")
    info: dict[int, tuple[str, str, bool]] = {}
    key_codes = key_industry_codes()
    key_q = code_range_q("industry_code", key_codes)
    for row in enterprises.values("region_id", "industry_code").annotate(
        n=Count("pk"), above=Count("pk", filter=Q(above_size=True)), key=Count("pk", filter=key_q)
    ):
        bucket = out[(row["region_id"], row["industry_code"], 0)]
        bucket["enterprises"] += row["n"]
        bucket["above_size"] += row["above"]
        bucket["key_enterprises"] += row["key"]
    for pk, region, code in enterprises.filter(above_size=True).values_list(
        "pk", "region_id", "industry_code"
    ):
        info[pk] = (region, code, True)
    _training(scope, info, out)
    _audits(scope, info, out)
    _benefits(scope, out)
    _advanced(scope, key_codes, out)
    _emissions(scope, out)
    return out


def _count_first_years(
    first: dict[int, int], info: dict[int, tuple[str, str, bool]], counter: str, out: Any
) -> None:
    for pk, year in first.items():
        where = info.get(pk)
        if where is not None:  # above-size and in scope
            out[(where[0], where[1], year)][counter] += 1


def _training(scope: Scope, info: dict[int, tuple[str, str, bool]], out: Any) -> None:
    heads = scope.apply(Attendance.objects.all(), "region_id", "industry_code").filter(
        role=AttendeeRole.HEAD
    )
    first = dict(
        heads.values("enterprise_id").annotate(y=Min("year")).values_list("enterprise_id", "y")
    )
    _count_first_years(first, info, "trained_new", out)


def passing_audits_q() -> Q:
    """Audits that passed: past evaluation (phase high_cost, acceptance, closed) or passed it."""
    return Q(phase__in=PASSED_EVALUATION) | Q(evaluation_passed_on__isnull=False)


def _audits(scope: Scope, info: dict[int, tuple[str, str, bool]], out: Any) -> None:
    audits = scope.apply(Audit.objects.all(), "region_id", "industry_code")
    for row in audits.values("region_id", "industry_code", "year").annotate(
        a=Sum("options_approved"), i=Sum("options_implemented")
    ):
        bucket = out[(row["region_id"], row["industry_code"], row["year"])]
        bucket["options_approved"] += row["a"] or 0
        bucket["options_implemented"] += row["i"] or 0
    # Enterprises covered: the lead and, for park audits, every member (whose audit may be
    # registered in another scope, so all passing audits are read and members kept if in scope).
    passing = Audit.objects.filter(passing_audits_q())
    if scope.user is not None:
        passing = passing.restrict(scope.user, VIEW)
    first: dict[int, int] = {}
    leads = passing.order_by().values("enterprise_id").annotate(y=Min("year"))
    members = (
        Audit.members.through.objects.filter(audit__in=passing.values("pk"))
        .order_by()
        .values("enterprise_id")
        .annotate(y=Min("audit__year"))
    )
    for rows in (leads, members):
        for pk, year in rows.values_list("enterprise_id", "y"):
            if pk in info:
                first[pk] = min(year, first.get(pk, year))
    _count_first_years(first, info, "passed_new", out)


def verified_options_q() -> Q:
    """Options whose benefits were verified: a verification date, or the status verified."""
    return Q(verified_on__isnull=False) | Q(status=OptionStatus.VERIFIED)


def _benefits(scope: Scope, out: Any) -> None:
    options = scope.apply(Option.objects.all(), "audit__region_id", "audit__industry_code")
    sums = {key: Sum(f"verified_{key}") for key in BENEFIT_COUNTERS}
    year = Coalesce(
        ExtractYear("verified_on"),
        ExtractYear("implemented_on"),
        "audit__year",
        output_field=IntegerField(),
    )
    rows = (
        options.filter(verified_options_q())
        .annotate(vy=year)
        .values("audit__region_id", "audit__industry_code", "vy")
        .annotate(**sums)
    )
    for row in rows:
        bucket = out[(row["audit__region_id"], row["audit__industry_code"], row["vy"])]
        for key in BENEFIT_COUNTERS:
            bucket[key] += row[key] or Decimal(0)


def _advanced(scope: Scope, key_codes: list[str], out: Any) -> None:
    assessments = scope.apply(
        Assessment.objects.all(), "enterprise__region_id", "enterprise__industry_code"
    ).filter(code_range_q("enterprise__industry_code", key_codes))
    rows = assessments.order_by("enterprise_id", "submitted", "pk").values_list(
        "enterprise_id", "enterprise__region_id", "enterprise__industry_code", "submitted", "grade"
    )
    years = _years(out)
    if not years:
        return
    # The latest grade of each enterprise at the end of each year.
    timeline: dict[int, list[tuple[int, str]]] = defaultdict(list)
    where: dict[int, tuple[str, str]] = {}
    for pk, region, code, submitted, grade in rows:
        timeline[pk].append((submitted.year, grade))
        where[pk] = (region, code)
    for pk, grades in timeline.items():
        for year in years:
            latest = [g for y, g in grades if y <= year]
            if latest and latest[-1] in ADVANCED_GRADES:
                out[(*where[pk], year)]["key_advanced"] += 1


def _emissions(scope: Scope, out: Any) -> None:
    calcs = scope.apply(CarbonCalculation.objects.all(), "region_id", "industry_code").filter(
        current=True
    )
    for row in calcs.values("region_id", "industry_code", "year").annotate(t=Sum("total_tco2")):
        out[(row["region_id"], row["industry_code"], row["year"])]["co2_emissions"] += row["t"]


def _years(out: Iterable[Key]) -> list[int]:
    years = sorted({key[2] for key in out if key[2]})
    return list(range(years[0], years[-1] + 1)) if years else []


def penetration(
    scope: Scope, technologies: Iterable[Technology], years: list[int]
) -> dict[tuple[str, int, int], list[Decimal]]:
    """``{(county, technology pk, year): [adopted, total]}`` capacities.

    Total: the capacity, in the year, of every enterprise of the technology's industries;
    adopted: of those, the capacity covered by its adoptions up to the year, at most the
    enterprise's capacity (so a rate never exceeds 100 %).
    """
    out: dict[tuple[str, int, int], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 2)
    for tech in technologies:
        if not tech.industry_codes:
            continue
        caps = scope.apply(EnterpriseCapacity.objects.all(), "region_id", "industry_code").filter(
            code_range_q("industry_code", tech.industry_codes)
        )
        timeline: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
        region_of: dict[int, str] = {}
        for pk, region, year, cap in caps.order_by("enterprise_id", "year").values_list(
            "enterprise_id", "region_id", "year", "capacity"
        ):
            timeline[pk].append((year, cap))
            region_of[pk] = region
        adopted: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
        adoptions = scope.apply(Adoption.objects.all(), "region_id", "industry_code")
        for pk, year, cap in adoptions.filter(technology=tech).values_list(
            "enterprise_id", "year", "capacity"
        ):
            adopted[pk].append((year, cap))
        for pk, caps_of in timeline.items():
            for year in years:
                held = [c for y, c in caps_of if y <= year]
                if not held:
                    continue
                cell = out[(region_of[pk], tech.pk, year)]
                cell[1] += held[-1]
                covered = sum((c for y, c in adopted.get(pk, ()) if y <= year), Decimal(0))
                cell[0] += min(covered, held[-1])
    return out
