"""The national dashboard as a person uses it, in a real headless Chromium: click a province
on the map and land on its page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cleanprod.accounts.tests.factories import PASSWORD, authority
from cleanprod.evaluation.services import load_shipped_systems
from cleanprod.industries.loader import load_groups, load_industries
from cleanprod.plans.summary import refresh_summaries
from cleanprod.plans.tests.world import build_world
from cleanprod.regions.loader import load_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUANGZHOU_CENTRE = [113.28, 23.13]  # lng, lat inside 广东


@pytest.fixture
def plans_data(transactional_db: None) -> None:
    # Transactional tests empty the database after each test: load reference data again.
    load_regions()
    load_industries()
    load_groups()
    load_shipped_systems()
    build_world()
    refresh_summaries()


def test_click_a_province_on_the_map(live_server: Any, page: Any, plans_data: None) -> None:
    authority("national_officer", None)
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{live_server.url}/accounts/login/?next=/plans/%3Fmetric%3Dcod")
    page.fill("#id_username", "national_officer")
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form button").click()
    page.wait_for_url(re.compile(r"/plans/\?metric=cod$"))
    assert page.locator("#children tbody tr").first.inner_text().split()[1] == "广东省"
    # Wait until the map is drawn, then click the canvas where Guangdong is.
    page.wait_for_function(
        """() => { const el = document.getElementById('map-chart');
                   const c = window.echarts && echarts.getInstanceByDom(el);
                   return c && c.getOption().series[0].data.length > 0; }"""
    )
    x, y = page.evaluate(
        """(lnglat) => echarts.getInstanceByDom(document.getElementById('map-chart'))
                        .convertToPixel({seriesIndex: 0}, lnglat)""",
        GUANGZHOU_CENTRE,
    )
    page.locator("#map-chart").scroll_into_view_if_needed()
    box = page.locator("#map-chart").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(re.compile(r"region=440000"))
    assert "广东省" in page.locator("#dashboard-title").inner_text()
    assert "深圳市" in page.locator("#children").inner_text()
    assert page.locator("#ranking-chart canvas").count() == 1
