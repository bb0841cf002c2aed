"""A small audit world: a Shenzhen electroplater, its agency, authorities, users."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cleanprod.accounts.tests.factories import authority, user
from cleanprod.audits.models import Audit, AuditKind
from cleanprod.audits.services.audits import open_audit
from cleanprod.industries.models import Industry
from cleanprod.registry.models import AgencyStaff
from cleanprod.registry.tests import factories


@dataclass
class World:
    enterprise: Any
    other_enterprise: Any
    agency: Any
    staff: Any
    enterprise_user: Any
    agency_user: Any
    shenzhen: Any
    beijing: Any
    national: Any


def build() -> World:
    e = factories.enterprise(region="440305", industry="3360", name="深圳某电镀厂")
    other = factories.enterprise(region="440305", industry="3360", name="深圳另一厂")
    agency = factories.agency(region="440305", name="深圳清源咨询", valid_until=dt.date(2099, 1, 1))
    agency.industry_scope.add(Industry.objects.get(code="33"))
    staff = AgencyStaff.objects.create(agency=agency, name="王审核", certificate_no="QJ-0001")
    return World(
        enterprise=e,
        other_enterprise=other,
        agency=agency,
        staff=staff,
        enterprise_user=user("ent", party="enterprise", enterprise=e),
        agency_user=user("agy", party="agency", agency=agency),
        shenzhen=authority("sz", "440300", role="officer"),
        beijing=authority("bj", "110000", role="officer"),
        national=authority("nat", None, role="administrator"),
    )


def new_audit(world: World, published: dt.date = dt.date(2025, 3, 1)) -> Audit:
    return open_audit(world.enterprise, AuditKind.MANDATORY, published.year, published_on=published)
