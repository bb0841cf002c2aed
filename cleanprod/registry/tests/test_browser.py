"""The enterprise list as a person uses it, in a real headless Chromium."""

import re
from typing import Any

import pytest

from cleanprod.accounts.tests.factories import PASSWORD, authority
from cleanprod.industries.loader import load_groups, load_industries
from cleanprod.regions.loader import load_regions
from cleanprod.registry.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registry_data(transactional_db: None) -> None:
    # Transactional tests empty the database after each test: load reference data again.
    load_regions()
    load_industries()
    load_groups()
    factories.enterprise(region="440305", name="深圳南山电镀有限公司")
    factories.enterprise(region="440106", industry="1340", name="广州天河制糖有限公司")
    factories.enterprise(region="110105", name="北京朝阳电镀有限公司")
    factories.enterprise(region="330106", name="杭州西湖印染有限公司", industry="1713")


def test_filter_enterprises_by_province_and_open_detail(
    live_server: Any, page: Any, registry_data: None
) -> None:
    authority("national_officer", None)
    page.goto(f"{live_server.url}/registry/enterprises/")
    assert page.locator("#enterprise-table tbody tr").count() == 0  # nothing before logging in
    page.get_by_role("link", name="登录").click()
    page.fill("#id_username", "national_officer")
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form button").click()
    page.wait_for_url(re.compile(r"/registry/enterprises/$"))
    table = page.locator("#enterprise-table")
    assert table.locator("tbody tr").count() == 4

    page.select_option("#region-province", label="广东省")
    page.wait_for_url(re.compile(r"region=440000"))
    page.wait_for_function("document.querySelectorAll('#enterprise-table tbody tr').length === 2")
    regions = table.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert len(regions) == 2 and all(r.startswith("广东省") for r in regions)
    assert "北京朝阳电镀有限公司" not in page.content()

    # The prefecture picker was filled from the server; narrowing to Shenzhen leaves one.
    page.select_option("#region-prefecture", label="深圳市")
    page.wait_for_url(re.compile(r"region=440300"))
    page.wait_for_function("document.querySelectorAll('#enterprise-table tbody tr').length === 1")

    page.get_by_role("link", name="深圳南山电镀有限公司").click()
    page.wait_for_url(re.compile(r"/registry/enterprises/\d+/$"))
    facts = page.locator("#enterprise-facts").inner_text()
    assert "广东省" in facts and "深圳市" in facts and "南山区" in facts
    assert re.search(r"[0-9A-Z]{18}", page.locator("#uscc").inner_text())
