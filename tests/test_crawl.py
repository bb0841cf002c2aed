"""Every link a party sees leads somewhere: a bounded crawl as each demo role and anonymous.

Starting from the home page, the workbench and the navigation, the crawl follows internal links
breadth-first (a bounded number of pages per role) and fails on any response ≥ 500 and on any
link answering 403 or 404 — a link shown to a user must be one the user may open.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from io import StringIO
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

ROLES = (
    None,
    "demo_national",
    "demo_guangdong",
    "demo_shenzhen",
    "demo_enterprise",
    "demo_agency",
    "demo_expert",
)
MAX_PAGES = 150
MAX_DEPTH = 3
# Not pages: the admin (its own permission system), the API's documentation, logging out,
# switching language, and downloads/exports (slow to build, not navigation).
SKIP = re.compile(
    r"^/(admin/|api/|i18n/|accounts/logout/|static/|media/)"
    r"|/(export|download|pdf|template)(/|\.|$|\?)|[?&](format|export)=|\.(xlsx|csv|pdf)(\?|$)"
)
HREF = re.compile(r"""<a\b[^>]*?\bhref=["']([^"'#][^"']*)["']""", re.IGNORECASE)
LOGIN = "/accounts/login/"
LIST_PAGE = re.compile(r"[?&]page=(\d+)")


def _links(html: str) -> list[str]:
    found = []
    for href in HREF.findall(html):
        href = urldefrag(href.replace("&amp;", "&"))[0]
        if not href.startswith("/") or href.startswith("//") or SKIP.search(href):
            continue
        found.append(href)
    return found


PER_PATTERN = 3


def _normalise(url: str) -> str:
    """Pages of one list differ only by their query: the first page stands for them all."""
    parts = urlsplit(url)
    return parts.path if parts.query and LIST_PAGE.search(url) else url


def _pattern(url: str) -> str:
    """The route a URL is an instance of (``/audits/rosters/N/``, ``/plans/targets/*/``), with
    its query's keys: a few instances of each stand for all, so the bounded crawl reaches every
    kind of page instead of fifty rosters."""
    parts = urlsplit(url)
    segments = parts.path.strip("/").split("/")
    shape = ["N" if s.isdigit() else ("*" if i == 2 else s) for i, s in enumerate(segments)]
    keys = sorted({k.split("=")[0] for k in parts.query.split("&") if k})
    return "/".join(shape) + "?" + "&".join(keys)


def crawl(client: Client, starts: list[str], logged_in: bool = False) -> tuple[list[str], int]:
    """Breadth-first from ``starts``: the broken links found, and how many pages were read."""
    seen: set[str] = set()
    patterns: Counter[str] = Counter()
    queue: deque[tuple[str, int, str]] = deque((s, 0, "(start)") for s in starts)
    broken: list[str] = []
    pages = 0
    while queue and pages < MAX_PAGES:
        url, depth, source = queue.popleft()
        key = _normalise(url)
        if key in seen or patterns[_pattern(key)] >= PER_PATTERN:
            continue
        seen.add(key)
        patterns[_pattern(key)] += 1
        response = client.get(url)
        pages += 1
        if response.status_code >= 500 or response.status_code in (403, 404):
            broken.append(f"{response.status_code} {url} (linked from {source})")
            continue
        if response.status_code in (301, 302):
            location = response["Location"]
            if logged_in and location.startswith(LOGIN):
                broken.append(f"login {url} (linked from {source})")  # a refusal in disguise
                continue
            if location.startswith("/") and _normalise(location) not in seen:
                queue.appendleft((location, depth, url))
            continue
        if depth >= MAX_DEPTH or "html" not in response.get("Content-Type", ""):
            continue
        for link in _links(response.content.decode()):
            if _normalise(link) not in seen:
                queue.append((link, depth + 1, url))
    return broken, pages


@pytest.fixture
def demo(db: Any) -> None:
    call_command("demo", "--enterprises", "200", "--seed", "1", stdout=StringIO())


def test_no_link_shown_to_a_party_is_broken(demo: None) -> None:
    problems: list[str] = []
    for username in ROLES:
        client = Client()
        starts = ["/"]
        if username:
            client.force_login(get_user_model().objects.get(username=username))
            starts = ["/workbench/", "/"]
        broken, pages = crawl(client, starts, logged_in=bool(username))
        assert pages > 5, f"{username or 'anonymous'}: only {pages} pages reached"
        problems += [f"{username or 'anonymous'}: {b}" for b in broken]
    assert not problems, "\n".join(problems)
