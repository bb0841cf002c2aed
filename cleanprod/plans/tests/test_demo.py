"""The synthetic plan data: made for the synthetic enterprises, marked, dashboards answer."""

from __future__ import annotations

import pytest

from cleanprod.accounts.tests.factories import authority
from cleanprod.demo.audits import build_audits
from cleanprod.demo.plans import build_plans, purge_synthetic
from cleanprod.demo.registry import build_registry
from cleanprod.plans.dashboard import dashboard
from cleanprod.plans.models import (
    Adoption,
    Attendance,
    CarbonCalculation,
    MetricSummary,
    TargetAllocation,
)

pytestmark = pytest.mark.django_db


def test_build_and_purge() -> None:
    build_registry(300, 3, lambda n: None)
    build_audits(3, lambda n: None)
    done: list[int] = []
    counts = build_plans(3, done.append)
    assert sum(done) == 300
    assert counts["attendances"] > 100 and counts["carbon_calculations"] > 0
    assert counts["adoptions"] > 0 and counts["metric_rows"] > 0
    for model in (Attendance, Adoption, CarbonCalculation, TargetAllocation):
        assert not model.objects.filter(synthetic=False).exists()
    calc = CarbonCalculation.objects.first()
    assert calc is not None and calc.lines and calc.total_tco2 > 0
    data = dashboard(authority("nation", None), {"metric": "training_share"})
    assert data["years"] == list(range(2016, 2026))
    assert 40 < data["trend"]["values"][-1] < 80  # about 6 in 10 heads trained by 2025
    nh3n = next(h for h in data["headline"] if h["slug"] == "nh3n")
    assert nh3n["target"]["value"] == 108_000  # 10.8 万吨/年 in t/a
    purge_synthetic()
    for model in (Attendance, Adoption, CarbonCalculation, TargetAllocation):
        assert not model.objects.exists()
    assert MetricSummary.objects.exists()  # summaries are refreshed by the command, not purged
