"""目标分解: the parts add up or the gap is shown, with each part's shortfall."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from cleanprod.accounts.tests.factories import authority
from cleanprod.plans.decomposition import allocate, decomposition
from cleanprod.plans.loader import load_plan_data
from cleanprod.plans.models import Target, TargetAllocation
from cleanprod.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def cod() -> Target:
    load_plan_data()
    return Target.objects.get(slug="12-cod-reduction")


def _allocate(target: Target, parts: dict[str, str]) -> None:
    for code, value in parts.items():
        TargetAllocation.objects.update_or_create(
            target=target, region_id=code, defaults={"value": Decimal(value)}
        )


def test_balanced(cod: Target) -> None:
    _allocate(cod, {"440000": "40.5", "110000": "24.5"})
    user = authority("nation", None)
    check = decomposition(user, cod)
    assert check["balanced"] is True and check["gap"] == 0 and check["total"] == Decimal(65)


def test_unbalanced_shows_gap_and_shortfalls(cod: Target) -> None:
    _allocate(cod, {"440000": "40", "110000": "20"})
    user = authority("nation", None)
    check = decomposition(user, cod, achieved={"440000": 30.0, "110000": 25.0})
    assert check["balanced"] is False and check["gap"] == Decimal(5)
    parts = {p["code"]: p for p in check["parts"]}
    assert parts["440000"]["shortfall"] == Decimal(10)
    assert parts["110000"]["shortfall"] is None
    assert {"code": "310000", "name": "上海市"} in check["unassigned"]


def test_province_decomposes_to_prefectures(cod: Target) -> None:
    _allocate(cod, {"440000": "40", "440300": "25", "440100": "10"})
    gd = authority("gd", "440000")
    check = decomposition(gd, cod, Region.objects.get(code="440000"))
    assert check["whole"] == Decimal(40) and check["gap"] == Decimal(5)


def test_target_page_shows_where_parts_do_not_add_up(national_client: Any, cod: Target) -> None:
    _allocate(cod, {"440000": "40", "110000": "20"})
    page = national_client.get(f"/plans/targets/{cod.slug}/").content.decode()
    assert 'id="gap">5' in page and "广东省" in page


def test_only_the_parent_authority_allocates(cod: Target) -> None:
    gd = authority("gd", "440000")
    shenzhen = Region.objects.get(code="440300")
    allocate(gd, cod, shenzhen, Decimal(3))
    assert TargetAllocation.objects.get(target=cod, region=shenzhen).value == 3
    with pytest.raises(PermissionDenied):
        allocate(gd, cod, Region.objects.get(code="440000"), Decimal(1))  # its own part
    with pytest.raises(PermissionDenied):
        allocate(authority("sz", "440300"), cod, Region.objects.get(code="110000"), Decimal(1))


def test_allocation_form(national_client: Any, cod: Target) -> None:
    response = national_client.post(
        f"/plans/targets/{cod.slug}/", {"region": "440000", "value": "65"}
    )
    assert response.status_code == 302
    page = national_client.get(f"/plans/targets/{cod.slug}/").content.decode()
    assert "balanced" in page or "平衡" in page
    assert TargetAllocation.objects.get(target=cod, region_id="440000").value == 65
