"""Under the Content-Security-Policy, in a real Chromium: nothing is blocked, and the scripts
moved out of the templates (language picker, htmx filters, charts) still work."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cleanprod.accounts.tests.factories import PASSWORD, authority
from cleanprod.industries.loader import load_groups, load_industries
from cleanprod.regions.loader import load_regions
from cleanprod.registry.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def csp_log(page: Any) -> list[str]:
    """Every console message and page error that mentions the policy or a refusal."""
    seen: list[str] = []
    page.on("console", lambda msg: seen.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda err: seen.append(f"pageerror: {err}"))
    return seen


def blocked(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Refused to" in m]


def test_pages_work_with_nothing_blocked(live_server: Any, page: Any, csp_log: list[str]) -> None:
    load_regions()
    load_industries()
    load_groups()
    factories.enterprise(region="440305", name="深圳南山电镀有限公司")
    factories.enterprise(region="110105", name="北京朝阳电镀有限公司")
    authority("national_officer", None)
    page.goto(f"{live_server.url}/accounts/login/?next=/registry/enterprises/")
    page.fill("#id_username", "national_officer")
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form button").click()
    page.wait_for_url(re.compile(r"/registry/enterprises/$"))
    # htmx (from a file) filters the list as one types.
    page.fill("#id_q", "南山")
    page.press("#id_q", "Enter")
    page.wait_for_url(re.compile(r"q="))
    page.wait_for_function(
        "() => document.querySelectorAll('#enterprise-table tbody tr').length === 1"
    )
    # The language picker (was an inline onchange handler) switches the language.
    page.select_option("select[name=language]", "en")
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    page.select_option("select[name=language]", "zh-hans")
    page.wait_for_function("() => document.documentElement.lang === 'zh-hans'")
    # Charts drawn by the scripts moved to static/js (ECharts needs no eval).
    page.goto(f"{live_server.url}/plans/")
    page.wait_for_function(
        "() => window.echarts && echarts.getInstanceByDom(document.getElementById('trend-chart'))"
    )
    page.goto(f"{live_server.url}/audits/dashboard/")
    page.wait_for_function(
        "() => window.echarts && echarts.getInstanceByDom(document.getElementById('phase-chart'))"
    )
    page.goto(f"{live_server.url}/evaluation/grading/")
    page.wait_for_load_state("load")
    # The API docs (Swagger UI, relaxed policy) render.
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info")
    assert blocked(csp_log) == [], csp_log
    assert [m for m in csp_log if m.startswith("pageerror")] == [], csp_log
