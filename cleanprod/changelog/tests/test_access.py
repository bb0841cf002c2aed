"""Who may read the change log (see cleanprod.testing.access).

Rules: authorities search the log within their region; every user reads its own changes; the
log is a record: nobody adds, changes or deletes entries through the permission path (they are
written by the model signals only).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType

from cleanprod.changelog.models import ObjectChange
from cleanprod.registry.models import Enterprise
from cleanprod.testing.access import (
    READ,
    REGION,
    ApiChecks,
    PolicyCase,
    WebChecks,
    World,
    expect,
)

PLACES = ("sz", "gz", "bj")
LOG_BUG = (
    "bug: the ObjectChange policy (changelog/apps.py, region='region_code') grants officers "
    "add/change and administrators delete on change-log entries; the log should be read-only"
)


class TestObjectChangeAccess(PolicyCase, ApiChecks, WebChecks):
    """Change-log entries: read-only API, web list (searched by the authorities). Entry gz was
    made by the enterprise user (its own change)."""

    model = ObjectChange
    EXPECT = expect(
        PLACES,
        authority_actions={"viewer": READ, "officer": READ, "administrator": READ},
        grants={"enterprise": ({"gz"}, READ)},
    )
    api = "/api/changes/"
    web_list = "changelog:list"

    def make(self, world: World, place: str) -> Any:
        return ObjectChange.objects.create(
            user=world.users["enterprise"] if place == "gz" else None,
            request_id=uuid.uuid4(),
            source="web",
            action="update",
            content_type=ContentType.objects.get_for_model(Enterprise),
            object_id=str(world.enterprise[place].pk),
            object_repr=f"变更记录{place}",
            region_code=REGION[place],
        )

    def label(self, obj: Any) -> str:
        return obj.object_repr
