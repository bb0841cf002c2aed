"""Test fixtures shared by every app: reference data in the test database, a browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# CI machines are loaded: no deadline and no generation-speed health check. This "ci" profile is
# the default everywhere (a loaded laptop is no different); HYPOTHESIS_PROFILE=default restores
# Hypothesis' own timing checks for anyone who wants them.
settings.register_profile(
    "ci",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Every test database starts with the shipped reference data, as a real install does."""
    with django_db_blocker.unblock():
        _load_reference_data()


def _load_reference_data() -> None:
    from cleanprod.evaluation.services import load_shipped_systems
    from cleanprod.industries.loader import load_groups, load_industries
    from cleanprod.regions.loader import load_regions

    load_regions()
    load_industries()
    load_groups()
    load_shipped_systems()


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request: Any) -> None:
    """A transactional test empties the database when it ends (a flush): the next one on the
    same worker starts without the reference data, so it is loaded again (the loaders are
    idempotent and quick when nothing changed)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        _load_reference_data()


@pytest.fixture
def national_client(client: Any, django_user_model: Any) -> Any:
    """A client logged in as a national authority officer (sees every region)."""
    from cleanprod.accounts.tests.factories import authority

    client.force_login(authority("national_officer", None, role="officer"))
    return client


CHROMIUM = os.environ.get("CLEANPROD_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright (no downloaded browser builds)."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
