"""The number of queries of each list and detail page does not grow with the number of rows.

For every endpoint of the API router (and the plans' router) and the main list pages of the web
UI: make N rows, count the queries of one request, make 2N more, count again; the counts must
be equal, for a national administrator and for a Shenzhen officer (whose scope is a region
range). Every row is made in Shenzhen's Nanshan district with its relations (members, staff,
specialties, deadlines…), so a relation read per row shows as a growing count.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from cleanprod.accounts.tests.factories import authority, user
from cleanprod.audits.models import Audit, AuditKind, Option, Panel, Review, Roster, RosterEntry
from cleanprod.audits.services.audits import open_audit
from cleanprod.changerequests.models import ChangeRequest
from cleanprod.evaluation.models import Assessment, SystemVersion
from cleanprod.industries.models import Industry, IndustryGroup, IndustryGroupMember
from cleanprod.plans.models import (
    CarbonCalculation,
    FactorLibraryVersion,
    Target,
    TargetAllocation,
    Technology,
)
from cleanprod.registry.models import AgencyStaff, Engagement
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db

N = 3
REGION = "440305"  # Shenzhen, Nanshan: in both users' scope
_seq = itertools.count(1)


def _enterprise() -> Any:
    return factories.enterprise(region=REGION, industry="3360")


def _agency() -> Any:
    agency = factories.agency(region=REGION, published=True, valid_until=dt.date(2099, 1, 1))
    agency.industry_scope.add(Industry.objects.get(code="33"))
    AgencyStaff.objects.create(agency=agency, name="王审核", certificate_no=f"QC-{next(_seq)}")
    return agency


def _expert() -> Any:
    expert = factories.expert(region=REGION)
    expert.specialties.add(Industry.objects.get(code="33"))
    return expert


def _park() -> Any:
    park = factories.park(region=REGION, published=True)
    e = _enterprise()
    e.park = park
    e.save()
    return park


def _engagement() -> Any:
    return Engagement.objects.create(
        agency=_agency(), enterprise=_enterprise(), start_date=dt.date(2025, 1, 1)
    )


def _user() -> Any:
    return authority(f"qc_user_{next(_seq)}", REGION, role="viewer")


def _audit() -> Audit:
    lead = _enterprise()
    audit = open_audit(lead, AuditKind.MANDATORY, 2025, published_on=dt.date(2025, 3, 1))
    agency = _agency()
    audit.agency = agency
    audit.park = _park()
    audit.save()
    audit.members.set([_enterprise()])
    audit.staff.set(agency.staff.all())
    return audit


def _option() -> Option:
    n = next(_seq)
    return Option.objects.create(
        audit=_audit(), code=f"O{n}", name=f"方案{n}", category="technology"
    )


def _review() -> Review:
    audit = _audit()
    panel = Panel.objects.create(audit=audit, stage="evaluation", seed="1", rule="r")
    return Review.objects.create(
        audit=audit,
        panel=panel,
        stage="evaluation",
        template_slug="t",
        template_version="1",
        decision="passed",
        opinion="同意",
    )


def _roster() -> Roster:
    roster = Roster.objects.create(
        region_id="440300",
        year=2000 + next(_seq),
        kind="mandatory",
        title="名单",
        status="published",
    )
    RosterEntry.objects.create(roster=roster, enterprise=_enterprise(), origin="added")
    return roster


def _change_request() -> ChangeRequest:
    e = _enterprise()
    asker = user(f"qc_ent_{next(_seq)}", party="enterprise", enterprise=e)
    return ChangeRequest.objects.create(
        content_type=ContentType.objects.get_for_model(e),
        object_id=e.pk,
        region_id=e.region_id,
        object_repr=str(e),
        changes={"industry_code": {"label": "行业", "value": "3340", "display": "3340"}},
        previous={"industry_code": {"label": "行业", "value": "3360", "display": "3360"}},
        reason="测试",
        requested_by=asker,
    )


def _assessment() -> Assessment:
    return Assessment.objects.create(
        enterprise=_enterprise(),
        system=SystemVersion.objects.filter(current=True).first(),
        inputs={},
        grade="II",
        index_i=0,
        index_ii=0,
        index_iii=0,
        result={},
    )


def _group() -> Any:
    n = next(_seq)
    group = IndustryGroup.objects.create(
        slug=f"qc-group-{n}", name="行业组", short_name="组", source="测试", position=100 + n
    )
    IndustryGroupMember.objects.create(group=group, code="3360", label="电镀")
    return group


def _target() -> Target:
    return Target.objects.create(
        slug=f"qc-target-{next(_seq)}",
        kind="target",
        document="14th",
        name="目标",
        source="§1",
        unit="%",
        definition="d",
        scope="national",
        target_year=2025,
        target_kind="absolute",
        direction="down",
    )


def _technology() -> Technology:
    return Technology.objects.create(
        slug=f"qc-tech-{next(_seq)}",
        origin="catalogue",
        name="技术",
        stage="promotion",
        region_id=REGION,
        published=True,
    )


def _allocation() -> TargetAllocation:
    return TargetAllocation.objects.create(target=_target(), region_id=REGION, value=Decimal(1))


def _carbon() -> CarbonCalculation:
    library, _ = FactorLibraryVersion.objects.get_or_create(version="qc-lib")
    e = _enterprise()
    return CarbonCalculation.objects.create(
        enterprise=e,
        year=2025,
        region_id=e.region_id,
        industry_code=e.industry_code,
        activities=[],
        library=library,
        total_tco2=Decimal(1),
        total_text="1",
        lines=[],
    )


@dataclass
class Endpoint:
    name: str
    url: str  # the list; the detail is url + key + "/"
    make: Callable[[], Any]
    key: str = "pk"
    officers_see: bool = True  # whether an officer (not an administrator) reaches the rows


API = [
    Endpoint("industry groups", "/api/industry-groups/", _group, key="slug"),
    Endpoint("enterprises", "/api/enterprises/", _enterprise),
    Endpoint("parks", "/api/parks/", _park),
    Endpoint("agencies", "/api/agencies/", _agency),
    Endpoint("experts", "/api/experts/", _expert),
    Endpoint("engagements", "/api/engagements/", _engagement),
    Endpoint("users", "/api/users/", _user, officers_see=False),
    Endpoint("changes", "/api/changes/", _enterprise, key=""),
    Endpoint("change-requests", "/api/change-requests/", _change_request),
    Endpoint("audits", "/api/audits/", _audit),
    Endpoint("options", "/api/options/", _option),
    Endpoint("reviews", "/api/reviews/", _review),
    Endpoint("rosters", "/api/rosters/", _roster),
    Endpoint("assessments", "/api/assessments/", _assessment),
    Endpoint("plan targets", "/api/plans/targets/", _target, key="slug"),
    Endpoint("technologies", "/api/plans/technologies/", _technology, key="slug"),
    Endpoint("allocations", "/api/plans/allocations/", _allocation),
    Endpoint("carbon", "/api/plans/carbon/", _carbon),
]

WEB = [
    Endpoint("enterprise list", "registry:enterprise-list", _enterprise),
    Endpoint("park list", "registry:park-list", _park),
    Endpoint("agency list", "registry:agency-list", _agency),
    Endpoint("expert list", "registry:expert-list", _expert),
    Endpoint("audit list", "audits:audit-list", _audit),
    Endpoint("roster list", "audits:roster-list", _roster),
    Endpoint("change log", "changelog:list", _enterprise),
    Endpoint("technology catalogue", "plans:technology-list", _technology),
]

USERS = {
    "national administrator": lambda: authority("qc_national", None, role="administrator"),
    "Shenzhen officer": lambda: authority("qc_shenzhen", "440300", role="officer"),
}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # throttle counters and cached reference data of earlier tests


def _count(get: Callable[[], Any]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as ctx:
        response = get()
    assert response.status_code == 200, getattr(response, "content", b"")[:500]
    return len(ctx.captured_queries), response


def _queries(ctx_queries: list[dict[str, str]]) -> str:
    return "\n".join(q["sql"] for q in ctx_queries)


@pytest.mark.parametrize("who", list(USERS))
@pytest.mark.parametrize("endpoint", API, ids=[e.name for e in API])
def test_api_queries_do_not_grow(endpoint: Endpoint, who: str) -> None:
    client = APIClient()
    client.force_authenticate(USERS[who]())
    rows = [endpoint.make() for _ in range(N)]
    client.get(endpoint.url)  # warm the per-process and cached reference data

    few, body = _count(lambda: client.get(endpoint.url))
    seen_few = body.json()["count"]
    rows += [endpoint.make() for _ in range(2 * N)]
    many, body = _count(lambda: client.get(endpoint.url))
    visible = endpoint.officers_see or who != "Shenzhen officer"
    if visible:
        assert body.json()["count"] >= seen_few + 2 * N, "the new rows must be in the scope"
    assert many == few, f"{endpoint.name}: {few} queries for {seen_few} rows, {many} for 3×"

    if endpoint.key and visible:
        detail = f"{endpoint.url}{getattr(rows[-1], endpoint.key)}/"
        first, _ = _count(lambda: client.get(detail))
        rows.append(endpoint.make())
        again, _ = _count(lambda: client.get(f"{endpoint.url}{getattr(rows[-1], endpoint.key)}/"))
        assert again == first, f"{endpoint.name} detail: {first} then {again} queries"


@pytest.mark.parametrize("who", list(USERS))
@pytest.mark.parametrize("endpoint", WEB, ids=[e.name for e in WEB])
def test_list_pages_queries_do_not_grow(client: Any, endpoint: Endpoint, who: str) -> None:
    client.force_login(USERS[who]())
    url = reverse(endpoint.url)
    for _ in range(N):
        endpoint.make()
    client.get(url)

    few, _ = _count(lambda: client.get(url))
    for _ in range(2 * N):
        endpoint.make()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b"<tr") >= 3 * N, "the rows must be listed"
    many = len(ctx.captured_queries)
    assert many == few, (
        f"{endpoint.name}: {few} then {many} queries\n{_queries(ctx.captured_queries)}"
    )


# Reference data loaded with the platform (not made per test): a fixed, small number of queries
# for the whole list, whatever its length (3,000 regions, 1,700 industries).
REFERENCE = [
    "/api/regions/",
    "/api/regions/440305/",
    "/api/industries/",
    "/api/industries/3360/",
    "/api/indicator-systems/",
    "/api/audits/dashboard/",
    "/api/plans/dashboard/",
]


@pytest.mark.parametrize("url", REFERENCE)
def test_reference_lists_run_a_few_queries(url: str, django_assert_max_num_queries: Any) -> None:
    client = APIClient()
    client.force_authenticate(USERS["national administrator"]())
    client.get(url)
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_cached_industry_groups_match_the_model() -> None:
    """The cached map gives each enterprise the groups ``Enterprise.industry_groups`` gives."""
    from cleanprod.registry.api.groups import group_slugs

    for code in ("3360", "2211", "1340", "3130", "0111"):
        e = factories.enterprise(region=REGION, industry=code)
        assert group_slugs(code) == [g.slug for g in e.industry_groups()]
    assert group_slugs("3360"), "electroplating belongs to at least one group"


def test_industry_group_cache_follows_changes() -> None:
    """A new member (or group) is seen at the next read, not after the cache expires."""
    from cleanprod.industries.models import IndustryGroup, IndustryGroupMember
    from cleanprod.registry.api.groups import group_slugs

    group = IndustryGroup.objects.first()
    assert group is not None and group.slug not in group_slugs("0111")
    member = IndustryGroupMember.objects.create(group=group, code="0111", label="稻谷种植")
    assert group.slug in group_slugs("0111")
    member.delete()
    assert group.slug not in group_slugs("0111")
