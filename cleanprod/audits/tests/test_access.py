"""Who may view, add, change, delete and export audit records (see cleanprod.testing.access).

The world's audits: sz (enterprise sz, served by agency sz under an active engagement, expert sz
on its panel), gz (enterprise gz, served by agency sz whose engagement has ended), bj.

Rules: the enterprise works on its own audit (view, change, export); the agency keeps reading the
audits it served (its accountability record) but works on one only while its engagement with the
audit's enterprise is active (issue 9, being implemented); experts read the audits of the panels
they sit on; panels and reviews are the authority's and the experts' acts, which the audited
enterprise and its agency read but do not change. Rosters published, their entries, credit events
and provincial rules are public records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cleanprod.audits.models import (
    Audit,
    CreditEvent,
    EmissionExceedance,
    EnergyExceedance,
    Option,
    Panel,
    ProvincialRules,
    Review,
    Roster,
    RosterEntry,
    SubstanceRecord,
)
from cleanprod.testing.access import READ, WORK, ApiChecks, PolicyCase, WebChecks, World, expect

PLACES = ("sz", "gz", "bj")
RULE4 = "lead implementing: an agency works on an audit only while its engagement is active"
PANEL_BUG = (
    "bug: the policy grants the audited enterprise and its agency 'change' on the panel and the "
    "review that judge their audit (own_actions=WORK in audits/policies.py)"
)
AUDIT_RULES = {
    "enterprise": ({"sz"}, WORK),
    "agency": {"view": {"sz", "gz"}, "export": {"sz", "gz"}, "change": {"sz"}},
    "expert": ({"sz"}, READ),
}
JUDGED_RULES = {  # panels and reviews: read only for the audited parties
    "enterprise": ({"sz"}, READ),
    "agency": ({"sz", "gz"}, READ),
    "expert": ({"sz"}, READ),
}


class TestAuditAccess(PolicyCase, ApiChecks, WebChecks):
    """Audits: read-only API; web list and detail (the audit's actions have their own tests)."""

    model = Audit
    EXPECT = expect(PLACES, grants=AUDIT_RULES)
    api = "/api/audits/"
    web_list, web_detail = "audits:audit-list", "audits:audit-detail"

    def make(self, world: World, place: str) -> Any:
        return world.audit[place]

    def label(self, obj: Any) -> str:
        return obj.title


class TestOptionAccess(PolicyCase, ApiChecks):
    """Options: read-only API (written through the audit's pages)."""

    model = Option
    EXPECT = expect(PLACES, grants=AUDIT_RULES)
    api = "/api/options/"

    def make(self, world: World, place: str) -> Any:
        return Option.objects.create(
            audit=world.audit[place], code=f"O-{place}", name=f"方案{place}", category="technology"
        )


class TestPanelAccess(PolicyCase):
    """Panels: no endpoint of their own (shown on the audit's page), so restrict() only."""

    model = Panel
    EXPECT = expect(PLACES, grants=JUDGED_RULES)

    def make(self, world: World, place: str) -> Any:
        return world.panel[place]


class TestReviewAccess(PolicyCase, ApiChecks):
    """Reviews: read-only API."""

    model = Review
    EXPECT = expect(PLACES, grants=JUDGED_RULES)
    api = "/api/reviews/"

    def make(self, world: World, place: str) -> Any:
        return Review.objects.create(
            audit=world.audit[place],
            panel=world.panel[place],
            stage="evaluation",
            template_slug="t",
            template_version="1",
            decision="passed",
            opinion="同意",
        )


def _roster(world: World, place: str) -> Roster:
    """Roster sz is a draft; gz and bj are published."""
    if place not in world.extra.setdefault("rosters", {}):
        world.extra["rosters"][place] = Roster.objects.create(
            region_id=world.enterprise[place].region_id,
            year=2026,
            kind="mandatory",
            title=f"名单{place}",
            status="draft" if place == "sz" else "published",
        )
    return world.extra["rosters"][place]


class TestRosterAccess(PolicyCase, ApiChecks, WebChecks):
    """Rosters: read-only API; web list and detail (drafting and publishing have own tests)."""

    model = Roster
    EXPECT = expect(PLACES, public={"gz", "bj"})
    api = "/api/rosters/"
    web_list, web_detail = "audits:roster-list", "audits:roster-detail"

    def make(self, world: World, place: str) -> Any:
        return _roster(world, place)

    def label(self, obj: Any) -> str:
        return obj.title


class TestRosterEntryAccess(PolicyCase):
    """Roster entries: shown inside their roster, no endpoint of their own: restrict() only.
    Entries of published rosters are public; an enterprise reads its own entries, drafts too."""

    model = RosterEntry
    EXPECT = expect(PLACES, public={"gz", "bj"}, grants={"enterprise": ({"sz"}, READ)})

    def make(self, world: World, place: str) -> Any:
        return RosterEntry.objects.create(
            roster=_roster(world, place), enterprise=world.enterprise[place], origin="added"
        )


class _FactCase(PolicyCase):
    """Recorded exceedances and substances: the enterprise reads its own; restrict() only (they
    are imported by authorities and shown on the enterprise's page)."""

    EXPECT = expect(PLACES, grants={"enterprise": ({"sz"}, READ)})
    values: dict[str, Any] = {}

    def make(self, world: World, place: str) -> Any:
        return self.model._default_manager.create(
            enterprise=world.enterprise[place], year=2025, evidence=f"证据{place}", **self.values
        )


class TestEmissionExceedanceAccess(_FactCase):
    """Emission exceedances: restrict() only."""

    model = EmissionExceedance
    values = {"kind": "standard", "pollutant": "cod", "value": 2.0, "limit": 1.0, "unit": "mg/L"}


class TestEnergyExceedanceAccess(_FactCase):
    """Energy-quota exceedances: restrict() only."""

    model = EnergyExceedance
    values = {"product": "钢", "value": 2.0, "quota": 1.0, "unit": "kgce/t"}


class TestSubstanceRecordAccess(_FactCase):
    """Toxic substances used or emitted: restrict() only."""

    model = SubstanceRecord
    values = {"name": "铅", "role": "used"}


class TestCreditEventAccess(PolicyCase):
    """Credit events of agencies: public records; authorities record them in their region
    (the agency's). No endpoint of their own (shown on the agency's page): restrict() only."""

    model = CreditEvent
    EXPECT = expect(PLACES, public=PLACES)

    def make(self, world: World, place: str) -> Any:
        return CreditEvent.objects.create(
            agency=world.agency[place], kind="warning", reason="测试", start=dt.date(2025, 1, 1)
        )


class TestProvincialRulesAccess(PolicyCase):
    """Provincial audit rules: public records, kept by provinces (places gd = 440000 and
    bjp = 110000; a prefecture does not write its province's rules). restrict() only."""

    model = ProvincialRules
    places = ("gd", "bjp")
    EXPECT = expect(places, public=places)

    def make(self, world: World, place: str) -> Any:
        from cleanprod.testing.access import REGION

        return ProvincialRules.objects.create(region_id=REGION[place], version="t1", text="{}")
