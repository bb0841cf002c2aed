"""Each metric's definition on the hand-built dataset of ``world.py``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from cleanprod.accounts.models import User
from cleanprod.accounts.tests.factories import authority
from cleanprod.plans.dashboard import dashboard
from cleanprod.plans.facts import Scope, counters
from cleanprod.plans.summary import refresh_summaries
from cleanprod.plans.tests.world import PAPER_TECH, World, build_world
from cleanprod.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def _headline(data: dict[str, Any]) -> dict[str, float | None]:
    return {h["slug"]: h["value"] for h in data["headline"]}


def _national(year: int, **params: str) -> dict[str, Any]:
    refresh_summaries()
    user = User.objects.filter(username="nation").first() or authority("nation", None)
    return dashboard(user, {"year": str(year), **params})


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # trained heads of above-size enterprises (A, B, C, E): A in 2020, C in 2022
        (2020, {"training_share": 25.0, "audited_share": 0.0, "option_implementation_rate": 0.0}),
        # park audit of A (2021, closed) covers A and members B, C; E's audit (2022) passed
        (2021, {"training_share": 25.0, "audited_share": 75.0, "option_implementation_rate": 50.0}),
        (
            2022,
            {"training_share": 50.0, "audited_share": 100.0, "option_implementation_rate": 50.0},
        ),
    ],
)
def test_shares_and_rates(world: World, year: int, expected: dict[str, float]) -> None:
    values = _headline(_national(year))
    for slug, value in expected.items():
        assert values[slug] == pytest.approx(value), slug


def test_advanced_share_uses_latest_grade_of_key_industries(world: World) -> None:
    # Key enterprises A, B, C, E, F (5). 2021: C (I), E (II); 2022: A (II), B (I), C; E fell to III.
    assert _headline(_national(2021))["advanced_share"] == pytest.approx(40.0)
    assert _headline(_national(2022))["advanced_share"] == pytest.approx(60.0)


def test_reductions_count_verified_options_once_in_the_audit_region(world: World) -> None:
    data = _national(2022, metric="cod")
    # 10 + 1 (2021) + 5 + 2 (2022); the unverified 50 never counts
    assert _headline(data)["cod"] == pytest.approx(18.0)
    assert _headline(data)["so2"] == pytest.approx(3.0)
    assert _headline(data)["co2"] == pytest.approx(100.0)
    by_province = {c["code"]: c["value"] for c in data["children"]}
    assert by_province["440000"] == pytest.approx(15.0)
    assert by_province["110000"] == pytest.approx(3.0)
    assert data["trend"]["values"] == [0.0, 11.0, 18.0]


def test_park_audit_option_is_not_counted_for_members(world: World) -> None:
    """C (Guangzhou) is a member of A's park audit (Shenzhen): its option counts in Shenzhen."""
    refresh_summaries()
    user = authority("gd", "440000")
    data = dashboard(user, {"metric": "cod", "year": "2022"})
    by_city = {c["code"]: c["value"] for c in data["children"]}
    assert by_city["440300"] == pytest.approx(15.0)
    assert by_city["440100"] == pytest.approx(0.0)
    assert sum(v for v in by_city.values() if v) == pytest.approx(15.0)


def test_penetration_rate(world: World) -> None:
    metric = f"penetration:{PAPER_TECH}"
    # 2021: E adopted 600 of total 1000 + 3000; 2022: E capped at its 1000, F 1000 of 4000
    assert _headline(_national(2021, metric=metric))[metric] == pytest.approx(15.0)
    assert _headline(_national(2022, metric=metric))[metric] == pytest.approx(40.0)
    # Counted live for a prefecture: only F (Shenzhen), 1000 of 4000 in 2022
    shenzhen = dashboard(authority("sz", "440300"), {"metric": metric, "year": "2022"})
    assert _headline(shenzhen)[metric] == pytest.approx(25.0)
    assert shenzhen["ranking"] == [{"code": "440305", "name": "南山区", "value": 25.0}]


def test_undefined_share_is_none_not_zero() -> None:
    from cleanprod.plans.metrics import BY_SLUG

    assert BY_SLUG["training_share"].value({0: {"above_size": 0}}, 2020) is None
    assert BY_SLUG["cod"].value({}, 2020) == 0.0


def test_summary_equals_live_count(world: World) -> None:
    """Filtered prefecture pages count live; province pages read the summary: same numbers."""
    refresh_summaries()
    user = authority("gd2", "440000")
    for params in ({"year": "2022"}, {"year": "2022", "industry": "33"}):
        summary = dashboard(user, params)
        shenzhen = dashboard(user, {"region": "440300", **params})
        by_city = {c["code"]: c["value"] for c in summary["children"]}
        # Shenzhen's above-size enterprises A and B; A's head trained
        assert by_city["440300"] == shenzhen["headline"][0]["value"] == pytest.approx(50.0)
        assert shenzhen["children"][0]["code"] == "440303"  # 罗湖区, no data
    group = dashboard(user, {"region": "440300", "group": "twelfth-heavy-metal", "year": "2022"})
    assert group["headline"][0]["value"] == pytest.approx(50.0)


def test_counters_of_a_scope(world: World) -> None:
    cells = counters(Scope(region=Region.objects.get(code="440300")))
    passed = sum(v.get("passed_new", 0) for v in cells.values())
    assert passed == 2  # A and B, members or leads, each once
    assert sum(v.get("cod", 0) for v in cells.values()) == Decimal(15)


def test_status_and_projection_against_the_target(world: World) -> None:
    data = _national(2022, metric="training_share")
    trend = data["trend"]
    assert trend["target"]["value"] == 50.0 and trend["target"]["year"] == 2015
    # The target year has passed and 50 is not > 50: behind; no forecast into the past.
    assert trend["status"] == "behind"
    assert trend["projection"] is None
    assert trend["target"]["baseline"] == [2010, 23.4]


def test_assess_on_track_met_behind() -> None:
    from cleanprod.plans.dashboard import assess

    target = {"value": 60.0, "year": 2025, "comparison": "≥", "baseline": None}
    on_track = assess({2020: 25.0, 2021: 35.0, 2022: 45.0}, target)
    assert on_track == {"status": "on_track", "projection": pytest.approx(75.0)}
    assert assess({2021: 35.0, 2022: 36.0}, target)["status"] == "behind"
    assert assess({2021: 35.0, 2022: 61.0}, target)["status"] == "met"
    assert assess({2022: 10.0, 2023: None}, target) == {"status": "behind", "projection": None}
