"""From an empty database, through the web UI alone: administrators create accounts down the
hierarchy, an enterprise registers itself and its officer activates it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core import mail

from cleanprod.accounts.models import User
from cleanprod.demo.registry import synthetic_uscc
from cleanprod.evaluation.services import load_shipped_systems
from cleanprod.industries.loader import load_groups, load_industries
from cleanprod.jobs.testing import run_queued_tasks
from cleanprod.regions.loader import load_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUPER_PASSWORD = "Super-User-Passw0rd-1"


@pytest.fixture
def empty_platform(transactional_db: None) -> None:
    """A fresh install: migrations and reference data, no demo, no users."""
    load_regions()
    load_industries()
    load_groups()
    load_shipped_systems()
    assert not User.objects.exists()


@pytest.fixture
def people(browser: Any) -> Iterator[Any]:
    """Each person in a browser context of its own (its own session)."""
    contexts: list[Any] = []

    def new_person() -> Any:
        context = browser.new_context(locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield new_person
    for context in contexts:
        context.close()


def log_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("#login-form button").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def choose_region(page: Any, *names: str, start: int = 1) -> None:
    """Pick ``names`` level by level in the cascading region picker."""
    for level, name in enumerate(names, start=start):
        select = page.locator(f"#id_region-{level}")
        page.locator(f"#id_region-{level} option", has_text=name).first.wait_for(state="attached")
        select.select_option(label=name)


def invitation_accepted(page: Any, base: str, email: str, password: str) -> None:
    """Run the mail worker, open the invitation sent to ``email`` and choose a password."""
    run_queued_tasks()
    message = [m for m in mail.outbox if m.to == [email]][-1]
    link = re.search(r"https?://\S+", message.body).group(0)  # type: ignore[union-attr]
    page.goto(base + link.removeprefix(settings.CLEANPROD_BASE_URL))
    page.fill("#id_new_password1", password)
    page.fill("#id_new_password2", password)
    page.locator("#account-form button").click()
    page.wait_for_url(re.compile(r"/accounts/password/reset/complete/$"))


def create_account(page: Any, base: str, username: str, email: str, role: str) -> None:
    page.goto(f"{base}/accounts/users/")
    page.locator("#add-user").click()
    page.wait_for_url(re.compile(r"/accounts/users/add/$"))
    page.fill("#id_username", username)
    page.fill("#id_last_name", "测")
    page.fill("#id_first_name", username)
    page.fill("#id_email", email)
    page.select_option("#id_party", "authority")
    page.select_option("#id_department", "mee")
    page.select_option("#id_role", role)


def test_accounts_from_an_empty_database(
    live_server: Any, people: Any, empty_platform: None
) -> None:
    base = live_server.url
    User.objects.create_superuser("root", "root@example.cn", SUPER_PASSWORD)

    # The superuser creates the national administrator.
    root = people()
    log_in(root, base, "root", SUPER_PASSWORD)
    create_account(root, base, "nat_admin", "nat@example.cn", "administrator")
    root.locator("#user-form button").click()
    root.wait_for_url(re.compile(r"/accounts/users/$"))
    national = people()
    invitation_accepted(national, base, "nat@example.cn", "Nat-Admin-Passw0rd")

    # The national administrator creates the Guangdong administrator.
    log_in(national, base, "nat_admin", "Nat-Admin-Passw0rd")
    national.locator("#nav-user").click()
    national.locator("#nav-users").click()
    create_account(national, base, "gd_admin", "gd@example.cn", "administrator")
    choose_region(national, "广东省")
    national.locator("#user-form button").click()
    national.wait_for_url(re.compile(r"/accounts/users/$"))
    assert "gd_admin" in national.locator("#user-table").inner_text()
    assert User.objects.get(username="gd_admin").region_id == "440000"

    # He creates the Shenzhen officer; his picker starts at Guangdong and offers no Beijing.
    guangdong = people()
    invitation_accepted(guangdong, base, "gd@example.cn", "Gd-Admin-Passw0rd")
    log_in(guangdong, base, "gd_admin", "Gd-Admin-Passw0rd")
    create_account(guangdong, base, "sz_officer", "sz@example.cn", "officer")
    assert guangdong.locator("#id_region-1 option").all_inner_texts() == ["广东省"]
    choose_region(guangdong, "深圳市", start=2)
    guangdong.locator("#user-form button").click()
    guangdong.wait_for_url(re.compile(r"/accounts/users/$"))
    assert User.objects.get(username="sz_officer").region_id == "440300"
    officer = people()
    invitation_accepted(officer, base, "sz@example.cn", "Sz-Officer-Passw0rd")

    # An enterprise registers itself by USCC.
    uscc = synthetic_uscc(7, "440305")
    enterprise = people()
    enterprise.goto(f"{base}/")
    enterprise.locator("#nav-register").click()
    enterprise.wait_for_url(re.compile(r"/accounts/register/enterprise/$"))
    enterprise.fill("#id_uscc", uscc)
    enterprise.fill("#id_name", "深圳南山新材料有限公司")
    choose_region(enterprise, "广东省", "深圳市", "南山区")
    enterprise.fill("#id_industry_code", "3360")
    enterprise.fill("#id_contact_name", "李四")
    enterprise.fill("#id_contact_phone", "0755-12345678")
    enterprise.fill("#id_email", "li@example.cn")
    enterprise.fill("#id_username", "nanshan")
    enterprise.fill("#id_password1", "Nanshan-Passw0rd-1")
    enterprise.fill("#id_password2", "Nanshan-Passw0rd-1")
    enterprise.locator("#register-form button").click()
    enterprise.locator("#message-text").wait_for()
    log_in_refused = enterprise
    log_in_refused.goto(f"{base}/accounts/login/")
    log_in_refused.fill("#id_username", "nanshan")
    log_in_refused.fill("#id_password", "Nanshan-Passw0rd-1")
    log_in_refused.locator("#login-form button").click()
    assert "/accounts/login/" in log_in_refused.url  # inactive until activated

    # The Shenzhen officer activates it from the pending list.
    log_in(officer, base, "sz_officer", "Sz-Officer-Passw0rd")
    officer.locator("#nav-user").click()
    officer.locator("#nav-pending").click()
    officer.wait_for_url(re.compile(r"/accounts/pending/$"))
    row = officer.locator("#pending-table tbody tr", has_text="深圳南山新材料有限公司")
    row.get_by_role("button", name="激活").click()
    officer.wait_for_url(re.compile(r"/accounts/pending/$"))
    assert "深圳南山新材料有限公司" not in officer.locator("#pending-table").inner_text()

    # The enterprise logs in with its USCC and finds its account and organisation.
    log_in(enterprise, base, uscc, "Nanshan-Passw0rd-1")
    enterprise.locator("#nav-user").click()
    enterprise.locator("#nav-me").click()
    assert "深圳南山新材料有限公司" in enterprise.locator("#account-facts").inner_text()
    enterprise.locator("#my-organisation").click()
    enterprise.wait_for_url(re.compile(r"/registry/enterprises/\d+/edit/$"))
