"""Who reaches change requests: the authorities of the organisation's region (officers decide
= change), and the user who asked (reads, withdraws = change)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from cleanprod.changerequests.models import ChangeRequest
from cleanprod.testing.access import READ, PolicyCase, World, expect

PLACES = ("sz", "gz", "bj")
ASKER = {"sz": "enterprise", "gz": "agency", "bj": "expert"}


class TestChangeRequestAccess(PolicyCase):
    """restrict() only here; the pages and the API have their own tests
    (cleanprod/changerequests/tests/test_change_requests.py)."""

    model = ChangeRequest
    EXPECT = expect(
        PLACES,
        grants={role: ({place}, READ | {"change"}) for place, role in ASKER.items()},
    )

    def make(self, world: World, place: str) -> Any:
        enterprise = world.enterprise[place]
        return ChangeRequest.objects.create(
            content_type=ContentType.objects.get_for_model(enterprise),
            object_id=enterprise.pk,
            region_id=enterprise.region_id,
            object_repr=str(enterprise),
            changes={"industry_code": {"label": "行业", "value": "3340", "display": "3340"}},
            previous={"industry_code": {"label": "行业", "value": "3360", "display": "3360"}},
            reason="测试",
            requested_by=world.users[ASKER[place]],
        )
