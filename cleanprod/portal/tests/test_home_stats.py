"""The home page's totals: public by rule (the anonymous policy), cached, renewed on change."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cleanprod.platform.permissions import VIEW
from cleanprod.registry.models import Agency, Enterprise, Park
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def places() -> None:
    factories.enterprise()
    factories.enterprise(above_size=False)
    factories.park(published=True)
    factories.park(published=False)
    factories.park(published=False)
    factories.agency(published=True)
    factories.agency(published=False)


def _counts(client: Any) -> dict[str, Any]:
    response = client.get("/")
    assert response.status_code == 200
    return dict(response.context["counts"])


def test_counts_are_those_the_anonymous_policy_allows(client: Any, places: None) -> None:
    counts = _counts(client)
    anonymous = AnonymousUser()
    assert counts["parks"] == Park.objects.restrict(anonymous, VIEW).count() == 1
    assert counts["agencies"] == Agency.objects.restrict(anonymous, VIEW).count() == 1
    assert Park.objects.count() > counts["parks"]  # drafts are not counted in public
    # No enterprise is public by rule: no total is shown rather than a total of hidden rows.
    assert Enterprise.objects.restrict(anonymous, VIEW).count() == 0
    assert counts["enterprises"] is None and counts["experts"] is None


def test_counts_cached_and_renewed_on_publication(client: Any, places: None) -> None:
    _counts(client)
    with CaptureQueriesContext(connection) as ctx:
        assert _counts(client)["parks"] == 1
    registry = [q["sql"] for q in ctx.captured_queries if '"registry_' in q["sql"]]
    assert not registry, "the totals come from the cache"
    park = Park.objects.filter(published=False).first()
    assert park is not None
    park.published = True
    park.save()
    assert _counts(client)["parks"] == 2


def test_counts_are_cached_per_language(client: Any, places: None) -> None:
    _counts(client)
    keys = [k for k in cache._cache if "home-stats" in k and "version" not in k]  # type: ignore[attr-defined]
    client.cookies["django_language"] = "en"
    _counts(client)
    more = [k for k in cache._cache if "home-stats" in k and "version" not in k]  # type: ignore[attr-defined]
    assert len(more) == len(keys) + 1
