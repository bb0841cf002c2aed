"""Dashboards (scope, JSON, .xlsx), the catalogue, carbon and co-benefit pages."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client

from cleanprod.accounts.tests.factories import authority, user
from cleanprod.plans import carbon
from cleanprod.plans.models import MetricSummary, Technology
from cleanprod.plans.summary import refresh_summaries
from cleanprod.plans.tests.test_carbon import ACTIVITIES
from cleanprod.plans.tests.world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    w = build_world()
    refresh_summaries()
    return w


def _client(u: Any) -> Client:
    c = Client()
    c.force_login(u)
    return c


def test_provincial_officer_sees_only_its_province(world: World) -> None:
    gd = _client(authority("gd", "440000"))
    data = gd.get("/plans/?format=json&year=2022").json()
    assert data["region"]["code"] == "440000"
    codes = {c["code"] for c in data["children"]}
    assert "440300" in codes and not any(c.startswith("11") for c in codes)
    # Guangdong's above-size enterprises A, B, C: A and C trained by 2022
    assert data["headline"][0]["value"] == pytest.approx(200 / 3, rel=1e-3)
    assert gd.get("/plans/?region=110000").status_code == 404
    assert gd.get("/plans/?region=440300").status_code == 200
    assert gd.get("/plans/export.xlsx?region=110000").status_code == 404
    gd_user = authority("gd_viewer", "440000", role="viewer")
    regions = set(MetricSummary.objects.restrict(gd_user, "view").values_list("region", flat=True))
    assert regions and all(r.startswith("44") for r in regions)


def test_non_authorities_get_no_dashboard(world: World) -> None:
    enterprise_user = user("ent", party="enterprise", enterprise=world.ent["A"])
    assert _client(enterprise_user).get("/plans/").status_code == 403
    assert Client().get("/plans/").status_code == 302  # to the login page


def test_national_page_has_map_tables_and_export(national_client: Any, world: World) -> None:
    page = national_client.get("/plans/?metric=cod").content.decode()
    assert 'id="map-chart"' in page and 'id="trend-table"' in page and 'id="children"' in page
    assert "vendor/maps/china.json" in page
    response = national_client.get("/plans/export.xlsx?metric=cod&year=2022")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    trend = list(wb.worksheets[1].iter_rows(values_only=True))
    assert trend[1:] == [(2020, 0), (2021, 11), (2022, 18)]
    regions = {r[0]: r[2] for r in wb.worksheets[2].iter_rows(min_row=2, values_only=True)}
    assert regions["440000"] == 15


def test_prefecture_page_ranks_counties(national_client: Any, world: World) -> None:
    data = national_client.get("/plans/?region=440300&metric=cod&format=json").json()
    assert data["level"] == 2
    assert data["ranking"][0] == {"code": "440305", "name": "南山区", "value": 15.0}


def test_unknown_metric_or_region_is_404(national_client: Any, world: World) -> None:
    assert national_client.get("/plans/?metric=nope").status_code == 404
    assert national_client.get("/plans/?region=999999").status_code == 404


def test_catalogue_is_public_and_searchable(world: World) -> None:
    anonymous = Client()
    page = anonymous.get("/plans/technologies/?q=漂白").content.decode()
    assert "纸浆无元素氯漂白技术" in page
    page = anonymous.get("/plans/technologies/?industry=2211").content.decode()
    assert "纸浆无元素氯漂白技术" in page and "烧结烟气脱硫" not in page
    assert anonymous.get("/plans/technologies/12-tech-paper-ecf-bleaching/").status_code == 200


def test_authority_adds_a_catalogue_entry(world: World) -> None:
    gd = _client(authority("gd", "440000"))
    response = gd.post(
        "/plans/technologies/add/",
        {"name": "电镀废水零排放技术", "stage": "promotion", "codes": "3360", "description": "x"},
    )
    assert response.status_code == 302
    tech = Technology.objects.get(name="电镀废水零排放技术")
    assert tech.origin == "catalogue" and tech.region_id == "440000"
    assert "电镀废水零排放技术" in Client().get("/plans/technologies/?q=零排放").content.decode()
    viewer = _client(authority("gd_v", "440000", role="viewer"))
    assert viewer.post("/plans/technologies/add/", {}).status_code == 403


def test_carbon_page_recalculates(national_client: Any, world: World) -> None:
    from decimal import Decimal

    from cleanprod.core import carbon as core

    calc = carbon.calculate(world.ent["A"], 2022, ACTIVITIES)
    page = national_client.get(f"/plans/carbon/{calc.pk}/").content.decode()
    assert "710.774957" in page and "unverified" in page
    newer = carbon.new_version(
        calc.library,
        core.Factor("heat:default", Decimal("0.1"), "tCO2/GJ", "x", core.FactorStatus.CONFIRMED),
        "test-3",
    )
    for bad in ("²", "abc", "-1"):  # "²".isdigit() is true, int("²") fails
        refused = national_client.post(f"/plans/carbon/{calc.pk}/", {"library": bad})
        assert refused.status_code == 404, bad
    response = national_client.post(f"/plans/carbon/{calc.pk}/", {"library": newer.pk})
    assert response.status_code == 302
    assert national_client.get(response["Location"]).status_code == 200


def test_audit_cobenefits(national_client: Any, world: World) -> None:
    from cleanprod.plans.cobenefits import audit_cobenefits

    co = audit_cobenefits(world.park_audit)
    assert co["total"]["verified"]["cod"] == 65 and co["total"]["verified"]["co2"] == 100
    assert [c["key"] for c in co["columns"]][-1] == "co2"
    page = national_client.get(f"/plans/audits/{world.park_audit.pk}/co-benefits/")
    assert page.status_code == 200 and 'id="cobenefits"' in page.content.decode()


def test_annual_plans_and_targets_pages(national_client: Any, world: World) -> None:
    assert national_client.get("/plans/annual-plans/").status_code == 200
    page = Client().get("/plans/targets/").content.decode()
    assert "化学需氧量产生量削减量" in page


def test_bad_parameters_are_client_errors(national_client: Any, world: World) -> None:
    assert national_client.get("/plans/?year=abc").status_code == 400
    assert national_client.get("/plans/?industry=3%27").status_code == 400
    # NUL characters are refused before any view (RejectNulMiddleware).
    assert national_client.get("/plans/?region=44%00").status_code == 400
    assert national_client.get("/plans/?metric=penetration:%00").status_code == 400
    assert national_client.get("/plans/technologies/?industry=%00&q=%00").status_code == 400


def test_bad_dashboard_parameters_name_the_field(national_client: Any, world: World) -> None:
    page = national_client.get("/plans/?year=abc")
    assert page.status_code == 400 and "年度" in page.content.decode()
    data = national_client.get("/plans/?year=abc&format=json")
    assert data.status_code == 400 and list(data.json()) == ["year"]


def test_allocation_value_that_is_not_a_finite_number_is_refused(
    national_client: Any, world: World
) -> None:
    from cleanprod.plans.models import TargetAllocation

    for value in ("NaN", "Infinity", "abc"):
        response = national_client.post(
            "/plans/targets/12-cod-reduction/", {"region": "440000", "value": value}, follow=True
        )
        assert response.status_code == 200, value
        assert not TargetAllocation.objects.filter(region_id="440000").exists(), value
