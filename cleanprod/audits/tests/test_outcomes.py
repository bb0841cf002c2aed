"""Audit outcomes through the web forms: every benefit in the unit the user knows, stored in
one unit; rejection with a reason; the performance table and the plans' metrics show them."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from cleanprod.audits.models import Audit, Option, OptionStatus, Phase
from cleanprod.audits.services import options as opt
from cleanprod.audits.tests import fixtures
from cleanprod.changelog.models import ObjectChange
from cleanprod.plans.dashboard import dashboard
from cleanprod.plans.facts import Scope, counters
from cleanprod.plans.summary import refresh_summaries
from cleanprod.regions.models import Region

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _act(c: Client, audit: Audit, action: str, data: dict) -> str:
    url = reverse("audits:audit-action", args=[audit.pk, action])
    return c.post(url, data, follow=True).content.decode()


def _at(world, phase: str) -> Audit:
    audit = fixtures.new_audit(world)
    Audit.objects.filter(pk=audit.pk).update(phase=phase)
    return Audit.objects.get(pk=audit.pk)


def test_benefits_in_user_units_reach_performance_and_the_plans_metrics():
    world = fixtures.build()
    audit = _at(world, Phase.OPTIONS)
    ent = _client(world.enterprise_user)
    page = ent.get(audit.get_absolute_url()).content.decode()
    # Every quantity of the performance table can be entered, with its units.
    for key in ("energy", "water", "materials", "cod", "nh3n", "so2", "nox", "vocs"):
        assert f'name="expected_{key}"' in page and f'name="expected_{key}_unit"' in page
    for key in ("heavy_metals", "hazardous_waste", "co2", "money"):
        assert f'name="expected_{key}"' in page
    assert "万千瓦时" in page and "万元" in page
    _act(
        ent,
        audit,
        "option",
        {
            "code": "F1",
            "name": "加强漂洗管理",
            "category": "management",
            "investment": "5",
            "expected_cod": "2",
            "expected_cod_unit": "t",
            "expected_co2": "1.5",
            "expected_co2_unit": "10k_t",
            "expected_energy": "10",
            "expected_energy_unit": "10k_kwh",
            "expected_money": "5000",
            "expected_money_unit": "cny",
        },
    )
    option = audit.options.get(code="F1")
    assert option.expected_cod == Decimal(2)
    assert option.expected_co2 == Decimal(15000)
    assert option.expected_energy == Decimal("12.29")  # 10 万kWh × 1.229 tce
    assert option.expected_money == Decimal("0.5")  # 5000 元 = 0.5 万元
    version = Option.objects.get(pk=option.pk).version
    _act(ent, audit, "screen", {"option": option.pk, "keep": "1", "version": version})
    option.refresh_from_db()
    body = _act(
        ent,
        audit,
        "implement",
        {
            "option": option.pk,
            "version": option.version,
            "actual_investment": "4.5",
            "verified_cod": "1500",
            "verified_cod_unit": "kg",
            "verified_co2": "1.2",
            "verified_co2_unit": "10k_t",
            "verified_heavy_metals": "300",
            "verified_heavy_metals_unit": "g",
        },
    )
    assert "alert-danger" not in body
    option.refresh_from_db()
    assert option.status == OptionStatus.IMPLEMENTED
    assert (option.verified_cod, option.verified_co2) == (Decimal("1.5"), Decimal(12000))
    assert option.verified_heavy_metals == Decimal("0.3")

    perf = opt.performance(audit)
    assert perf["cod"] == Decimal("1.5") and perf["co2"] == Decimal(12000)
    # The authority verifies (correcting CO2 in its own unit); the plans count verified options.
    officer = _client(world.shenzhen)
    body = _act(
        officer,
        audit,
        "verify",
        {
            "option": option.pk,
            "version": option.version,
            "verified_co2": "11000",
            "verified_co2_unit": "t",
        },
    )
    assert "alert-danger" not in body
    option.refresh_from_db()
    assert option.status == OptionStatus.VERIFIED and option.verified_co2 == Decimal(11000)
    assert option.verified_cod == Decimal("1.5")  # left blank: kept
    perf = opt.performance(audit)
    assert perf["cod"] == Decimal("1.5") and perf["co2"] == Decimal(11000)
    page = officer.get(audit.get_absolute_url()).content.decode()
    assert ">1.50<" in page and ">11000<" in page  # the performance table

    cells = counters(Scope(region=Region.objects.get(code="440300")))
    assert sum(v.get("cod", 0) for v in cells.values()) == Decimal("1.5")
    assert sum(v.get("co2", 0) for v in cells.values()) == Decimal(11000)
    year = str(option.verified_on.year)
    refresh_summaries()  # the worker's nightly refresh the province pages read
    data = dashboard(world.shenzhen, {"metric": "cod", "year": year})
    headline = {h["slug"]: h["value"] for h in data["headline"]}
    assert headline["cod"] == pytest.approx(1.5) and headline["co2"] == pytest.approx(11000)


def test_a_benefit_out_of_range_names_the_field_and_writes_nothing():
    world = fixtures.build()
    audit = _at(world, Phase.OPTIONS)
    body = _act(
        _client(world.enterprise_user),
        audit,
        "option",
        {
            "code": "F1",
            "name": "x",
            "category": "management",
            "investment": "5",
            "expected_cod": "100000000",
            "expected_cod_unit": "10k_t",
            "expected_so2": "-1",
        },
    )
    # Both fields named (by their labels, in Chinese: 化学需氧量, 二氧化硫).
    assert "alert-danger" in body and "化学需氧量:" in body and "二氧化硫:" in body
    assert not audit.options.exists()


def test_an_option_is_rejected_with_its_reason_logged():
    world = fixtures.build()
    audit = _at(world, Phase.FEASIBILITY)
    option = audit.options.create(
        code="F2",
        name="三级逆流漂洗",
        category="technology",
        high_cost=True,
        investment=Decimal(150),
        status=OptionStatus.SCREENED,
    )
    ent = _client(world.enterprise_user)
    page = ent.get(audit.get_absolute_url()).content.decode()
    assert "/reject/" in page
    body = _act(ent, audit, "reject", {"option": option.pk, "reason": " "})
    option.refresh_from_db()
    assert "alert-danger" in body and option.status == OptionStatus.SCREENED
    body = _act(ent, audit, "reject", {"option": option.pk, "reason": "场地不足，无法布置三级槽"})
    option.refresh_from_db()
    assert option.status == OptionStatus.REJECTED
    assert option.rejection_barrier == "场地不足，无法布置三级槽"
    assert "场地不足" in body
    logged = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Option), object_id=str(option.pk)
    ).latest("pk")
    assert logged.postchange["status"] == "rejected"
    assert logged.user == world.enterprise_user
    # The workflow's check is now met: no medium/high-cost option is left undecided.
    assert Audit.objects.get(pk=audit.pk).options.filter(status="rejected").count() == 1
    # An implemented option is no longer rejected; the authority never rejects for them.
    done = audit.options.create(
        code="F3", name="y", category="management", status=OptionStatus.IMPLEMENTED
    )
    body = _act(ent, audit, "reject", {"option": done.pk, "reason": "晚了"})
    done.refresh_from_db()
    assert "alert-danger" in body and done.status == OptionStatus.IMPLEMENTED
    body = _act(_client(world.shenzhen), audit, "reject", {"option": option.pk, "reason": "x"})
    assert "alert-danger" in body
