"""A small hand-built dataset whose every metric is computed by hand in the tests.

Enterprises (A, B, E, F key industries; D not; D and F not above-size):

====  ======  ====  ==========
name  region  code  above-size
====  ======  ====  ==========
A     440305  3360  yes
B     440305  3360  yes
C     440106  1340  yes
D     110105  1810  no
E     110105  2211  yes
F     440305  2221  no
====  ======  ====  ==========
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cleanprod.audits.models import Audit, Option, Phase
from cleanprod.evaluation.models import Assessment, SystemVersion
from cleanprod.plans.loader import load_factor_data, load_plan_data
from cleanprod.plans.models import (
    Adoption,
    Attendance,
    AttendeeRole,
    EnterpriseCapacity,
    Technology,
    TrainingSession,
)
from cleanprod.registry.models import Enterprise
from cleanprod.registry.tests import factories

PAPER_TECH = "12-tech-paper-ecf-bleaching"


@dataclass
class World:
    ent: dict[str, Enterprise]
    park_audit: Audit


def _train(session: TrainingSession, enterprise: Enterprise, role: str, year: int) -> None:
    Attendance.objects.create(
        session=session,
        enterprise=enterprise,
        person="张三",
        role=role,
        date=dt.date(year, 5, 1),
    )


def _audit(lead: Enterprise, year: int, phase: str, approved: int, implemented: int) -> Audit:
    return Audit.objects.create(
        title=f"{lead.name} {year}",
        kind="voluntary",
        enterprise=lead,
        region_id=lead.region_id,
        industry_code=lead.industry_code,
        year=year,
        phase=phase,
        options_approved=approved,
        options_implemented=implemented,
    )


def _option(audit: Audit, code: str, verified_on: dt.date | None, **benefits: Any) -> Option:
    values = {f"verified_{k}": Decimal(v) for k, v in benefits.items()}
    return Option.objects.create(
        audit=audit, code=code, name=code, category="technology", verified_on=verified_on, **values
    )


def _assess(enterprise: Enterprise, year: int, grade: str) -> None:
    system = SystemVersion.objects.first()
    a = Assessment.objects.create(
        enterprise=enterprise,
        system=system,
        inputs={},
        grade=grade,
        index_i=0,
        index_ii=0,
        index_iii=0,
        result={},
    )
    when = dt.datetime(year, 6, 1, tzinfo=dt.UTC)
    Assessment.objects.filter(pk=a.pk).update(submitted=when)


def build_world() -> World:
    load_plan_data()
    load_factor_data()
    e = {
        "A": factories.enterprise("440305", "3360"),
        "B": factories.enterprise("440305", "3360"),
        "C": factories.enterprise("440106", "1340"),
        "D": factories.enterprise("110105", "1810", above_size=False),
        "E": factories.enterprise("110105", "2211"),
        "F": factories.enterprise("440305", "2221", above_size=False),
    }
    session = TrainingSession.objects.create(
        title="培训", date=dt.date(2020, 5, 1), region_id="440000"
    )
    _train(session, e["A"], AttendeeRole.HEAD, 2020)
    _train(session, e["A"], AttendeeRole.HEAD, 2022)  # trained twice: counted once, in 2020
    _train(session, e["B"], AttendeeRole.MANAGER, 2021)  # not the head
    _train(session, e["C"], AttendeeRole.HEAD, 2022)
    _train(session, e["D"], AttendeeRole.HEAD, 2021)  # not above-size

    park = _audit(e["A"], 2021, Phase.CLOSED, 4, 3)
    park.members.set([e["B"], e["C"]])
    e_audit = _audit(e["E"], 2022, Phase.ACCEPTANCE, 2, 1)
    _audit(e["B"], 2020, Phase.OPTIONS, 2, 0)  # not passed
    _option(park, "P1", dt.date(2021, 6, 1), cod=10, co2=100)
    _option(park, "P2", dt.date(2022, 6, 1), cod=5)
    _option(park, "P3", None, cod=50)  # not verified: never counted
    _option(e_audit, "E1", dt.date(2022, 8, 1), cod=2, so2=3)
    # verified without a verification date: counts in its implementation year
    e4 = _option(e_audit, "E4", None, cod=1)
    Option.objects.filter(pk=e4.pk).update(status="verified", implemented_on=dt.date(2021, 3, 1))

    _assess(e["A"], 2020, "III")
    _assess(e["A"], 2022, "II")
    _assess(e["B"], 2022, "I")
    _assess(e["C"], 2021, "I")
    _assess(e["E"], 2021, "II")
    _assess(e["E"], 2022, "III")
    _assess(e["D"], 2021, "I")  # not a key industry

    tech = Technology.objects.get(slug=PAPER_TECH)
    EnterpriseCapacity.objects.create(enterprise=e["E"], year=2020, capacity=1000)
    EnterpriseCapacity.objects.create(enterprise=e["F"], year=2020, capacity=3000)
    EnterpriseCapacity.objects.create(enterprise=e["F"], year=2022, capacity=4000)
    Adoption.objects.create(enterprise=e["E"], technology=tech, year=2021, capacity=600)
    Adoption.objects.create(enterprise=e["E"], technology=tech, year=2022, capacity=600)
    Adoption.objects.create(enterprise=e["F"], technology=tech, year=2022, capacity=1000)
    return World(e, park)
