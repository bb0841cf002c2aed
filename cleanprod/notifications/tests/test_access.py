"""Who may read notifications: only the addressee, who may also mark them read (change)."""

from __future__ import annotations

from typing import Any

from cleanprod.notifications.models import Notification
from cleanprod.testing.access import PolicyCase, WebChecks, World, expect

PLACES = ("sz", "gz", "bj")
MINE = frozenset({"view", "change", "export"})
ADDRESSEE = {"sz": "enterprise", "gz": "guangdong", "bj": "national"}


class TestNotificationAccess(PolicyCase, WebChecks):
    """Notifications: web list only (no API). sz is addressed to the enterprise user, gz to the
    Guangdong officer, bj to the national administrator: nobody else reads them."""

    model = Notification
    EXPECT = expect(
        PLACES, authorities=False, grants={role: ({p}, MINE) for p, role in ADDRESSEE.items()}
    )
    web_list = "notifications:list"

    def make(self, world: World, place: str) -> Any:
        return Notification.objects.create(
            user=world.users[ADDRESSEE[place]], subject=f"通知{place}"
        )

    def label(self, obj: Any) -> str:
        return obj.subject
