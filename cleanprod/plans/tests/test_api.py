"""The plans API (wired by the lead under /api/plans/; here through a test URLconf)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from cleanprod.accounts.tests.factories import authority
from cleanprod.plans.models import Target, TargetAllocation
from cleanprod.plans.summary import refresh_summaries
from cleanprod.plans.tests.world import World, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("cleanprod.plans.tests.urls")]


@pytest.fixture
def world() -> World:
    w = build_world()
    refresh_summaries()
    return w


def _api(u: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(u)
    return client


def test_dashboard_endpoint_same_figures_and_scope(world: World) -> None:
    nation = _api(authority("nation", None)).get("/api/plans/dashboard/?metric=cod&year=2022")
    assert nation.status_code == 200
    assert nation.json()["headline"][4]["value"] == pytest.approx(18.0)
    gd = _api(authority("gd", "440000"))
    assert gd.get("/api/plans/dashboard/?region=110000").status_code == 404
    assert APIClient().get("/api/plans/dashboard/").status_code in (401, 403)
    assert gd.get("/api/plans/dashboard/?year=x").status_code == 400


def test_targets_and_decomposition(world: World) -> None:
    cod = Target.objects.get(slug="12-cod-reduction")
    TargetAllocation.objects.create(target=cod, region_id="440000", value=Decimal(60))
    client = APIClient()
    assert client.get("/api/plans/targets/12-cod-reduction/").json()["target_value"] == 65
    nation = _api(authority("nation", None))
    data = nation.get("/api/plans/targets/12-cod-reduction/decomposition/").json()
    assert data["balanced"] is False and Decimal(str(data["gap"])) == 5
    # Exact decimal strings, as the schema says (not floats).
    assert isinstance(data["gap"], str) and isinstance(data["whole"], str)
    assert Decimal(data["parts"][0]["assigned"]) == 60
    # allocations are not public
    assert client.get("/api/plans/allocations/").json()["count"] == 0


def test_technologies_public(world: World) -> None:
    data = APIClient().get("/api/plans/technologies/?stage=promotion").json()
    assert data["count"] > 0 and all(t["stage"] == "promotion" for t in data["results"])


def test_schema_includes_plans_endpoints(world: World) -> None:
    schema = APIClient().get("/api/schema/?format=json").json()
    assert "/api/plans/dashboard/" in schema["paths"]
    assert "/api/plans/targets/{slug}/decomposition/" in schema["paths"]


def test_dashboard_parameters_are_refused_naming_the_field(world: World) -> None:
    gd = _api(authority("gd", "440000"))
    response = gd.get("/api/plans/dashboard/?year=abc&industry=3%27")
    assert response.status_code == 400
    assert set(response.json()) == {"year", "industry"}
