"""DISTINCT only where a rule crosses a to-many relation (see RestrictedQuerySet.restrict).

An authority's rule is a region range on the audit itself: no row can repeat, and a
``SELECT DISTINCT`` would only add a sort over every column (and a subquery under COUNT). An
enterprise reaches audits as their lead *or a member*: the join on members repeats rows, so
its query keeps DISTINCT.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cleanprod.audits.models import Audit
from cleanprod.audits.tests.fixtures import build, new_audit
from cleanprod.platform.permissions import VIEW, allowed_q, crosses_to_many
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Any:
    w = build()
    led = new_audit(w)
    # Two members: the enterprise's join on members yields the audit twice without DISTINCT.
    led.members.set([w.other_enterprise, factories.enterprise(region="440305")])
    joined = new_audit(w)
    joined.enterprise = w.other_enterprise
    joined.save()
    joined.members.set([w.enterprise, factories.enterprise(region="440305")])
    return w


def _sql(qs: Any) -> str:
    return str(qs.query).upper()


def test_authority_audit_query_has_no_distinct(world: Any) -> None:
    for who in (world.shenzhen, world.national):
        qs = Audit.objects.restrict(who, VIEW)
        assert "DISTINCT" not in _sql(qs)
        ids = list(qs.values_list("pk", flat=True))
        # Same rows as the always-distinct query the policy used to build.
        everything = Audit.objects.filter(allowed_q(Audit, who, VIEW)).distinct()
        assert sorted(ids) == sorted(everything.values_list("pk", flat=True))
        assert len(ids) == len(set(ids)) == 2


def test_enterprise_audit_query_keeps_distinct(world: Any) -> None:
    qs = Audit.objects.restrict(world.enterprise_user, VIEW)
    assert "DISTINCT" in _sql(qs)
    ids = list(qs.values_list("pk", flat=True))
    assert len(ids) == len(set(ids)) == 2  # lead of one, member of the other, each once
    undistinct = Audit.objects.filter(allowed_q(Audit, world.enterprise_user, VIEW))
    assert undistinct.count() > 2, "the members join does repeat rows: DISTINCT is needed"


def test_api_audit_list_of_an_officer_runs_no_distinct(world: Any) -> None:
    client = APIClient()
    client.force_authenticate(world.shenzhen)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/api/audits/").json()
    assert body["count"] == 2
    assert not [q["sql"] for q in ctx.captured_queries if "DISTINCT" in q["sql"].upper()]


def test_crosses_to_many_follows_the_lookup_path() -> None:
    from django.db.models import Q

    assert not crosses_to_many(Audit, Q(region_id__gte="4403", region_id__lt="4404"))
    assert not crosses_to_many(Audit, Q(enterprise__region_id="440305") | Q(pk__in=[1]))
    assert crosses_to_many(Audit, Q(enterprise_id=1) | Q(members=1))
    assert crosses_to_many(Audit, Q(panels__members__expert_id=1))
