"""The audit workflow as people do it, in a real browser, on the demo data:
demo_enterprise runs the audit with its agency, demo_shenzhen draws panels and records the
evaluation and the acceptance, and the acceptance PDF carries its Chinese text."""

from __future__ import annotations

import io
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from cleanprod.audits.models import Audit
from cleanprod.demo.users import demo_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()  # log out
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", demo_password())
    with page.expect_navigation():
        page.locator("#login-form button").click()


def submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()
    errors = page.locator(".alert-danger")
    assert errors.count() == 0, errors.first.inner_text()


def step(page: Any, name: str) -> None:
    submit(page, f'button[data-step="{name}"]')


def outputs(page: Any, **fields: str) -> None:
    for name, value in fields.items():
        page.fill(f"#outputs-form [name={name}]", value)
    submit(page, "#outputs-form button")


def phase(page: Any) -> str:
    return str(page.locator("#phase").inner_text())


def option_action(page: Any, code: str, action: str, **fields: str) -> None:
    form = f'tr[data-option="{code}"] form[action$="/{action}/"]'
    for name, value in fields.items():
        page.fill(f"{form} [name={name}]", value)
    submit(page, f"{form} button")


def review(page: Any, opinion: str, grade: str | None = None) -> None:
    submit(page, "#draw-form button")
    assert page.locator(".panel-line").count() >= 1
    page.eval_on_selector_all(".score-input", "els => els.forEach(e => e.value = e.dataset.max)")
    page.eval_on_selector_all(
        "#review-form input[name$=_opinion]", "els => els.forEach(e => e.value = '同意')"
    )
    if grade:
        page.select_option("#review-form select[name=post_grade]", grade)
    page.fill("#review-form textarea[name=opinion]", opinion)
    submit(page, "#review-form button")


def test_enterprise_runs_the_audit_and_shenzhen_reviews_it(live_server: Any, page: Any) -> None:
    call_command("demo", "--enterprises", "400", "--seed", "5", stdout=StringIO())
    base = live_server.url
    audit = Audit.objects.get(enterprise__accounts__username="demo_enterprise", year=2026)
    url = f"{base}/audits/{audit.pk}/"

    login(page, base, "demo_enterprise")
    page.goto(url)
    assert "deadline.start" in page.content()
    step(page, "start")
    assert "审核准备" in phase(page)
    outputs(page, team="厂长任组长，生产、设备、环保部门参加", plan="三个月完成预审核")
    step(page, "complete_preparation")
    outputs(page, current_state="电镀线三条，漂洗水量大", targets="单位产品取水量下降15%")
    page.select_option("#pre-form select[name=grade]", "III")
    page.fill("#pre-form [name=focus]", "镀镍生产线")
    submit(page, "#pre-form button")
    step(page, "complete_pre_assessment")
    outputs(page, balances="镀镍线水平衡：取水 12 t/d", causes="单槽漂洗，带出液多")
    step(page, "complete_assessment")
    assert "方案的产生和筛选" in phase(page)
    for code, name, investment in (("F1", "加强漂洗管理", "5"), ("F2", "三级逆流漂洗改造", "150")):
        page.fill("#option-form [name=code]", code)
        page.fill("#option-form [name=name]", name)
        page.fill("#option-form [name=investment]", investment)
        submit(page, "#option-form button")
    option_action(page, "F1", "screen")
    option_action(page, "F2", "screen")
    option_action(page, "F1", "implement", actual_investment="4.5")
    step(page, "complete_options")
    option_action(
        page,
        "F2",
        "feasibility",
        annual_net_cash_flow="32.5",
        lifetime_years="10",
        discount_rate="0.05",
    )
    row = page.locator('tr[data-option="F2"]').inner_text()
    assert "4.62" in row and "100.96" in row
    option_action(page, "F2", "decide")
    step(page, "complete_feasibility")
    step(page, "complete_implementation")
    outputs(page, continuing_plan="每年开展一轮清洁生产自查")
    page.select_option("#document-form select[name=kind]", "report")
    page.set_input_files(
        "#document-form input[type=file]",
        files=[{"name": "审核报告.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    submit(page, "#document-form button")
    step(page, "submit_report")
    assert "等待评估" in phase(page) or "评估" in phase(page)

    login(page, base, "demo_shenzhen")
    page.goto(url)
    review(page, "审核过程规范，数据可信，同意通过评估。")
    assert "中/高费" in phase(page)

    login(page, base, "demo_enterprise")
    page.goto(url)
    option_action(page, "F2", "implement", actual_investment="148")
    step(page, "request_acceptance")
    assert "验收" in phase(page)

    login(page, base, "demo_shenzhen")
    page.goto(url)
    review(page, "中/高费方案已全部实施，绩效核实，同意通过验收。", grade="II")
    assert "已关闭" in phase(page) or "关闭" in phase(page)
    links = page.locator("a.pdf-link")
    assert links.count() == 2
    pdfs = [page.request.get(f"{base}{links.nth(i).get_attribute('href')}") for i in range(2)]
    texts = []
    for response in pdfs:
        assert response.ok and response.headers["content-type"] == "application/pdf"
        texts.append(
            "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
        )
    acceptance = next(t for t in texts if "验收" in t and "同意通过验收" in t)
    assert audit.enterprise.name in acceptance and "三级逆流漂洗改造" in acceptance
    assert re.search(r"[\u4e00-\u9fff]{20,}", acceptance)  # long runs of Chinese characters
