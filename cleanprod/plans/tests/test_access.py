"""Who may view, add, change, delete and export plan records (see cleanprod.testing.access).

Rules: the plans (targets, key projects, substances, substitutions) and the factor library are
public documents that only superusers write; the technology catalogue's published entries are
public and authorities add entries in their region; allocations, annual plans, milestones,
training sessions and summaries belong to the authorities of their region; the enterprise facts
(attendance, capacity, adoption, carbon calculations) are also read by their enterprise.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from cleanprod.plans.models import (
    Adoption,
    AnnualPlan,
    Attendance,
    CarbonCalculation,
    EmissionFactor,
    EnterpriseCapacity,
    FactorLibraryVersion,
    KeyProject,
    MetricSummary,
    Milestone,
    Substance,
    Substitution,
    Target,
    TargetAllocation,
    Technology,
    TechnologySummary,
    TrainingSession,
)
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
PUBLIC_DOCUMENT = expect(PLACES, authorities=False, public=PLACES)


def _target(place: str) -> Target:
    return Target.objects.create(
        slug=f"t-{place}",
        kind="target",
        document="14th",
        name=f"目标{place}",
        source="§1",
        unit="%",
        definition="d",
        scope="national",
        target_year=2025,
        target_kind="absolute",
        direction="down",
    )


def _technology(world: World, place: str) -> Technology:
    """Technology sz and bj are unpublished catalogue entries; gz is published."""
    techs = world.extra.setdefault("technologies", {})
    if place not in techs:
        techs[place] = Technology.objects.create(
            slug=f"tech-{place}",
            origin="catalogue",
            name=f"技术{place}",
            stage="promotion",
            region_id=REGION[place],
            published=place == "gz",
        )
    return techs[place]


def _library(world: World) -> FactorLibraryVersion:
    if "library" not in world.extra:
        world.extra["library"] = FactorLibraryVersion.objects.create(version="test-lib")
    return world.extra["library"]


class TestTargetAccess(PolicyCase, ApiChecks, WebChecks):
    """Plan targets: a public document; read-only API and web pages."""

    model = Target
    EXPECT = PUBLIC_DOCUMENT
    api, api_lookup, api_field = "/api/plans/targets/", "slug", "slug"
    web_list, web_detail, web_key = "plans:target-list", "plans:target-detail", "slug"

    def make(self, world: World, place: str) -> Any:
        return _target(place)


class TestKeyProjectAccess(PolicyCase):
    """Key projects: a public document, shown inside the plan's pages: restrict() only."""

    model = KeyProject
    EXPECT = PUBLIC_DOCUMENT

    def make(self, world: World, place: str) -> Any:
        return KeyProject.objects.create(slug=f"k-{place}", document="14th", name="k", source="s")


class TestSubstanceAccess(PolicyCase):
    """Priority substances: a public document: restrict() only."""

    model = Substance
    EXPECT = PUBLIC_DOCUMENT

    def make(self, world: World, place: str) -> Any:
        return Substance.objects.create(slug=f"s-{place}", name=f"物质{place}", source="s")


class TestSubstitutionAccess(PolicyCase):
    """Substitutions: a public document: restrict() only."""

    model = Substitution
    EXPECT = PUBLIC_DOCUMENT

    def make(self, world: World, place: str) -> Any:
        return Substitution.objects.create(
            slug=f"x-{place}", name=f"替代{place}", source="s", field="f", stage="pilot"
        )


class TestFactorLibraryVersionAccess(PolicyCase):
    """Factor library versions: public, only superusers write: restrict() only."""

    model = FactorLibraryVersion
    EXPECT = PUBLIC_DOCUMENT

    def make(self, world: World, place: str) -> Any:
        return FactorLibraryVersion.objects.create(version=f"lib-{place}")


class TestEmissionFactorAccess(PolicyCase):
    """Emission factors: public, only superusers write: restrict() only."""

    model = EmissionFactor
    EXPECT = PUBLIC_DOCUMENT

    def make(self, world: World, place: str) -> Any:
        return EmissionFactor.objects.create(
            library=_library(world),
            factor_id=f"f-{place}",
            value="1.0",
            unit="t/t",
            source="s",
            status="confirmed",
        )


class TestTechnologyAccess(PolicyCase, ApiChecks, WebChecks):
    """The technology catalogue: published entries public, authorities' entries by region.
    Read-only API; web list and detail (the add page adds in the user's own region and has its
    own tests in test_pages.py)."""

    model = Technology
    EXPECT = expect(PLACES, public={"gz"})
    api, api_lookup, api_field = "/api/plans/technologies/", "slug", "slug"
    web_list, web_detail, web_key = "plans:technology-list", "plans:technology-detail", "slug"

    def make(self, world: World, place: str) -> Any:
        return _technology(world, place)


class TestTargetAllocationAccess(PolicyCase, ApiChecks):
    """Target allocations: the region's authorities; read-only API."""

    model = TargetAllocation
    EXPECT = expect(PLACES)
    api = "/api/plans/allocations/"

    def make(self, world: World, place: str) -> Any:
        return TargetAllocation.objects.create(
            target=_target(place), region_id=REGION[place], value=Decimal("1")
        )


def _plan(world: World, place: str) -> AnnualPlan:
    plans = world.extra.setdefault("plans", {})
    if place not in plans:
        plans[place] = AnnualPlan.objects.create(
            region_id=REGION[place], year=2026, title=f"计划{place}"
        )
    return plans[place]


class TestAnnualPlanAccess(PolicyCase):
    """Annual plans: the region's authorities (shown on the annual-plans page): restrict()."""

    model = AnnualPlan
    EXPECT = expect(PLACES)

    def make(self, world: World, place: str) -> Any:
        return _plan(world, place)


class TestMilestoneAccess(PolicyCase):
    """Milestones of annual plans: restrict() only."""

    model = Milestone
    EXPECT = expect(PLACES)

    def make(self, world: World, place: str) -> Any:
        return Milestone.objects.create(
            plan=_plan(world, place), description="m", due=dt.date(2026, 6, 30)
        )


def _session(world: World, place: str) -> TrainingSession:
    sessions = world.extra.setdefault("sessions", {})
    if place not in sessions:
        sessions[place] = TrainingSession.objects.create(
            title=f"培训{place}", date=dt.date(2025, 5, 1), region_id=REGION[place]
        )
    return sessions[place]


class TestTrainingSessionAccess(PolicyCase):
    """Training sessions: the region's authorities: restrict() only."""

    model = TrainingSession
    EXPECT = expect(PLACES)

    def make(self, world: World, place: str) -> Any:
        return _session(world, place)


OWN_FACT = expect(PLACES, grants={"enterprise": ({"sz"}, READ)})


class TestAttendanceAccess(PolicyCase):
    """Training attendance: also read by the enterprise; restrict() only."""

    model = Attendance
    EXPECT = OWN_FACT

    def make(self, world: World, place: str) -> Any:
        return Attendance.objects.create(
            session=_session(world, place),
            enterprise=world.enterprise[place],
            person="张三",
            role="head",
            date=dt.date(2025, 5, 1),
        )


class TestEnterpriseCapacityAccess(PolicyCase):
    """Production capacity: also read by the enterprise; restrict() only."""

    model = EnterpriseCapacity
    EXPECT = OWN_FACT

    def make(self, world: World, place: str) -> Any:
        return EnterpriseCapacity.objects.create(
            enterprise=world.enterprise[place], year=2025, capacity=Decimal("10")
        )


class TestAdoptionAccess(PolicyCase):
    """Technology adoption: also read by the enterprise; restrict() only."""

    model = Adoption
    EXPECT = OWN_FACT

    def make(self, world: World, place: str) -> Any:
        return Adoption.objects.create(
            enterprise=world.enterprise[place], technology=_technology(world, place), year=2025
        )


class TestCarbonCalculationAccess(PolicyCase, ApiChecks, WebChecks):
    """Carbon calculations: also read by the enterprise; read-only API, web detail."""

    model = CarbonCalculation
    EXPECT = OWN_FACT
    api = "/api/plans/carbon/"
    web_detail = "plans:carbon-detail"

    def make(self, world: World, place: str) -> Any:
        ent = world.enterprise[place]
        return CarbonCalculation.objects.create(
            enterprise=ent,
            year=2025,
            region_id=ent.region_id,
            industry_code=ent.industry_code,
            activities=[],
            library=_library(world),
            total_tco2=Decimal("1"),
            total_text="1",
            lines=[],
        )


class TestMetricSummaryAccess(PolicyCase):
    """Metric summaries (aggregates of a region): the region's authorities; restrict() only
    (the dashboard reads them through restrict)."""

    model = MetricSummary
    EXPECT = expect(PLACES)

    def make(self, world: World, place: str) -> Any:
        return MetricSummary.objects.create(
            level=3, region=REGION[place], industry_code="", year=2025
        )


class TestTechnologySummaryAccess(PolicyCase):
    """Technology summaries: the region's authorities; restrict() only."""

    model = TechnologySummary
    EXPECT = expect(PLACES)

    def make(self, world: World, place: str) -> Any:
        return TechnologySummary.objects.create(
            level=3, region=REGION[place], technology=_technology(world, "gz"), year=2025
        )
