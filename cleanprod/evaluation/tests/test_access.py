"""Who may view, add, change, delete and export self-assessments and indicator systems.

Rules: an enterprise submits (adds) and reads its own assessments; an agency reads those of an
enterprise only while its engagement with it is active (issue 9, being implemented: agency sz's
engagement with enterprise gz has ended); authorities by region; indicator systems are reference
data every logged-in user reads.
"""

from __future__ import annotations

from typing import Any

from cleanprod.evaluation.models import Assessment, SystemVersion
from cleanprod.evaluation.services import submit
from cleanprod.testing.access import READ, ApiChecks, PolicyCase, WebChecks, World, expect

PLACES = ("sz", "gz", "bj")
SLUG = "hazardous-waste-incineration"
RULE3 = "lead implementing: an agency reads assessments only while its engagement is active"


class TestAssessmentAccess(PolicyCase, ApiChecks, WebChecks):
    """Assessments: API list/detail (creation is the submit service, tested in test_platform);
    web detail. Assessments are immutable: no change or delete endpoint."""

    model = Assessment
    EXPECT = expect(
        PLACES,
        grants={
            "enterprise": {"view": {"sz"}, "export": {"sz"}, "add": {"sz"}},
            "agency": ({"sz"}, READ),
        },
    )
    api = "/api/assessments/"
    web_detail = "evaluation:assessment-detail"

    def make(self, world: World, place: str) -> Any:
        version = SystemVersion.objects.get(slug=SLUG, current=True)
        made: Assessment = submit(
            world.users["national"], world.enterprise[place], version, {"dioxin_emission": "0.2"}
        )
        return made


class TestSystemVersionAccess(PolicyCase, ApiChecks):
    """Indicator systems: reference data; read-only API (current versions, by slug). One place:
    the test database holds one shipped system."""

    model = SystemVersion
    places = ("sz",)
    EXPECT = expect(PLACES, authorities=False, logged_in_read=True)
    api, api_lookup, api_field = "/api/indicator-systems/", "slug", "slug"

    def make(self, world: World, place: str) -> Any:
        return SystemVersion.objects.filter(current=True).order_by("slug")[PLACES.index(place)]
