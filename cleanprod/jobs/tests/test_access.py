"""Who reaches background jobs: only the user who started one (and superusers)."""

from __future__ import annotations

from typing import Any

from cleanprod.jobs.models import Job
from cleanprod.testing.access import READ, PolicyCase, WebChecks, World, expect

PLACES = ("sz", "gz", "bj")
OWNER = {"sz": "enterprise", "gz": "guangdong", "bj": "national"}


class TestJobAccess(PolicyCase, WebChecks):
    """Jobs: the web list and job pages; sz was started by the enterprise user, gz by the
    Guangdong officer, bj by the national administrator: nobody else sees them."""

    model = Job
    EXPECT = expect(PLACES, authorities=False, grants={r: ({p}, READ) for p, r in OWNER.items()})
    web_list = "jobs:list"

    def make(self, world: World, place: str) -> Any:
        return Job.objects.create(kind="test", title=f"任务{place}", user=world.users[OWNER[place]])

    def label(self, obj: Any) -> str:
        return obj.title
