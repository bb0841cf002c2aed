"""Synthetic plan data for ``cleanprod demo``: ten years of training attendance, capacities and
technology adoptions, carbon calculations, target allocations and annual plans for the
synthetic enterprises, all marked synthetic; then the dashboard summaries are refreshed.
Written with bulk inserts (500,000 enterprises in minutes)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from cleanprod.core import carbon as core_carbon
from cleanprod.plans.carbon import _line_json, core_library, current_library
from cleanprod.plans.loader import load_factor_data, load_plan_data
from cleanprod.plans.models import (
    Adoption,
    AnnualPlan,
    Attendance,
    AttendeeRole,
    CarbonCalculation,
    EnterpriseCapacity,
    Milestone,
    Target,
    TargetAllocation,
    Technology,
    TrainingSession,
)
from cleanprod.plans.summary import refresh_summaries
from cleanprod.platform.db import insert_plain
from cleanprod.regions.models import Level, Region
from cleanprod.registry.models import Enterprise

YEARS = tuple(range(2016, 2026))
GRID_YEARS = (2021, 2022, 2023)  # years the shipped library has a national grid factor for
ALLOCATED = ("12-cod-reduction", "12-nh3n-reduction", "12-so2-reduction", "12-nox-reduction")


def purge_synthetic() -> None:
    """Delete the synthetic plan data (raw deletes: no per-row signals)."""
    with transaction.atomic():
        for model in (
            Attendance,
            TrainingSession,
            Adoption,
            EnterpriseCapacity,
            CarbonCalculation,
            TargetAllocation,
            AnnualPlan,
        ):
            if model is AnnualPlan:
                qs = Milestone.objects.filter(plan__synthetic=True)
                qs._raw_delete(qs.db)
            if model is CarbonCalculation:
                CarbonCalculation.objects.filter(synthetic=True).update(supersedes=None)
            qs = model.objects.filter(synthetic=True)
            qs._raw_delete(qs.db)


def build_plans(seed: int, progress: Callable[[int], None]) -> dict[str, int]:
    """Ten years of synthetic facts for the synthetic enterprises; returns counts by kind.

    ``progress(n)`` is called with the number of enterprises processed.
    """
    rng = random.Random(seed)
    load_plan_data()
    load_factor_data()
    purge_synthetic()
    enterprises = list(
        Enterprise.objects.filter(synthetic=True).values_list(
            "pk", "region_id", "industry_code", "above_size"
        )
    )
    counts = {"attendances": _training(rng, enterprises, progress)}
    counts["adoptions"], counts["capacities"] = _adoptions(rng, enterprises)
    counts["carbon_calculations"] = _carbon(rng, enterprises)
    counts["allocations"] = _allocations(enterprises)
    counts["annual_plans"] = _annual_plans(rng)
    counts.update(refresh_summaries())
    return counts


def _training(rng: random.Random, enterprises: list[Any], progress: Callable[[int], None]) -> int:
    provinces = list(Region.objects.filter(level=Level.PROVINCE).values_list("code", flat=True))
    sessions = TrainingSession.objects.bulk_create(
        TrainingSession(
            title=f"{year}年清洁生产培训（合成数据）",
            date=dt.date(year, rng.randint(3, 11), rng.randint(1, 28)),
            region_id=code,
            organizer="示例主管部门",
            synthetic=True,
        )
        for code in provinces
        for year in YEARS
    )
    by_key = {(s.region_id[:2], s.date.year): s for s in sessions}
    rows: list[dict[str, Any]] = []
    for n, (pk, region, code, above) in enumerate(enterprises, start=1):
        # Trained heads accumulate over the decade: about 6 in 10 by the last year.
        if rng.random() < 0.6:
            year = rng.choice(YEARS)
            session = by_key[(region[:2], year)]
            # Heads always; a cleaner-production manager too in one enterprise in five.
            roles = (AttendeeRole.HEAD, AttendeeRole.MANAGER)[: 2 if rng.random() < 0.2 else 1]
            for role in roles:
                rows.append(
                    {
                        "enterprise_id": pk,
                        "region_id": region,
                        "industry_code": code,
                        "synthetic": True,
                        "session_id": session.pk,
                        "person": "示例人员",
                        "role": role,
                        "date": session.date,
                        "year": year,
                        "above_size": above,
                    }
                )
        if n % 5000 == 0:
            progress(5000)
    progress(len(enterprises) % 5000)
    insert_plain(Attendance, rows)
    return len(rows)


def _adoptions(rng: random.Random, enterprises: list[Any]) -> tuple[int, int]:
    techs = list(Technology.objects.filter(penetration_target__isnull=False))
    capacities: list[dict[str, Any]] = []
    adoptions: list[dict[str, Any]] = []
    by_code: dict[str, list[Any]] = {}  # a few hundred distinct class codes among the rows
    for pk, region, code, _above in enterprises:
        matching = by_code.get(code)
        if matching is None:
            matching = by_code[code] = [
                t for t in techs if any(code.startswith(c) for c in t.industry_codes)
            ]
        if not matching:
            continue
        base = {"enterprise_id": pk, "region_id": region, "industry_code": code, "synthetic": True}
        cap = Decimal(rng.randint(5, 200) * 1000)
        capacities.append({**base, "year": YEARS[0], "capacity": cap, "unit": "t/a"})
        if rng.random() < 0.3:  # expansions change the denominator too
            cap = cap * Decimal("1.2")
            capacities.append({**base, "year": 2021, "capacity": cap, "unit": "t/a"})
        for tech in matching:
            if rng.random() < 0.45:
                covered = (cap * Decimal(rng.randint(50, 100)) / 100).quantize(Decimal("1"))
                adoptions.append(
                    {
                        **base,
                        "technology_id": tech.pk,
                        "year": rng.choice(YEARS),
                        "capacity": covered,
                    }
                )
    insert_plain(EnterpriseCapacity, capacities)
    insert_plain(Adoption, adoptions)
    return len(adoptions), len(capacities)


def _carbon(rng: random.Random, enterprises: list[Any]) -> int:
    library = current_library()
    core = core_library(library)
    now = timezone.now()
    rows: list[dict[str, Any]] = []
    sample = [e for e in enterprises if rng.random() < 0.02]  # the larger emitters report
    for pk, region, code, _above in sample:
        coal = rng.randint(500, 20000)
        mwh = rng.randint(1000, 50000)
        for year in YEARS:
            activities = [
                {"type": "fuel", "fuel": "烟煤", "quantity": str(coal), "unit": "t"},
                {
                    "type": "electricity",
                    "quantity": str(mwh),
                    "unit": "MWh",
                    "year": min(max(year, GRID_YEARS[0]), GRID_YEARS[-1]),
                },
            ]
            result = core_carbon.calculate(
                [
                    core_carbon.FuelCombustion("烟煤", Decimal(coal), "t"),
                    core_carbon.PurchasedElectricity(Decimal(mwh), "MWh", activities[1]["year"]),
                ],
                core,
            )
            rows.append(
                {
                    "enterprise_id": pk,
                    "year": year,
                    "region_id": region,
                    "industry_code": code,
                    "activities": activities,
                    "library_id": library.pk,
                    "total_tco2": result.total_tco2.quantize(Decimal("0.000001")),
                    "total_text": str(result.total_tco2),
                    "lines": [_line_json(line) for line in result.lines],
                    "unconfirmed_factors": [f.id for f in result.factors_not_confirmed],
                    "current": True,
                    "created": now,
                    "synthetic": True,
                }
            )
            coal = int(coal * rng.uniform(0.93, 1.02))  # cleaner production lowers fuel use
    fields = [CarbonCalculation._meta.get_field(k) for k in ("activities", "lines")]
    fields.append(CarbonCalculation._meta.get_field("unconfirmed_factors"))
    for row in rows:  # insert_plain passes values as they are: adapt the JSON ones
        for field in fields:
            row[field.attname] = field.get_db_prep_value(row[field.attname], connection)
    insert_plain(CarbonCalculation, rows)
    return len(rows)


def _allocations(enterprises: list[Any]) -> int:
    """National reduction targets split among provinces by their share of enterprises; the
    NH3-N split is left 1 % short so the dashboard shows an unbalanced decomposition."""
    weight: dict[str, int] = defaultdict(int)
    for _pk, region, _code, _above in enterprises:
        weight[region[:2] + "0000"] += 1
    total = sum(weight.values())
    rows = []
    for target in Target.objects.filter(slug__in=ALLOCATED):
        assert target.target_value is not None
        whole = Decimal(repr(target.target_value))
        if target.slug == "12-nh3n-reduction":
            whole = whole * Decimal("0.99")
        parts = {c: (whole * w / total).quantize(Decimal("0.0001")) for c, w in weight.items()}
        if parts:
            biggest = max(parts, key=lambda c: parts[c])
            parts[biggest] += whole - sum(parts.values())  # rounding goes to the largest part
        rows += [
            TargetAllocation(target=target, region_id=c, value=v, synthetic=True)
            for c, v in parts.items()
        ]
    TargetAllocation.objects.bulk_create(rows)
    return len(rows)


def _annual_plans(rng: random.Random) -> int:
    target = Target.objects.filter(slug="12-cod-reduction").first()
    plans = AnnualPlan.objects.bulk_create(
        AnnualPlan(
            region=province,
            year=year,
            title=f"{province.name}{year}年清洁生产推行年度实施计划（合成数据）",
            synthetic=True,
        )
        for province in Region.objects.filter(level=Level.PROVINCE)
        for year in YEARS[-5:]
    )
    Milestone.objects.bulk_create(
        Milestone(
            plan=plan,
            target=target if n == 0 else None,
            description=text,
            due=dt.date(plan.year, 3 * (n + 1) + 3, 30),
            done_on=dt.date(plan.year, 3 * (n + 1) + 3, 20) if rng.random() < 0.7 else None,
        )
        for plan in plans
        for n, text in enumerate(("完成年度减排任务分解", "组织企业负责人培训", "年度总结评估"))
    )
    return len(plans)
