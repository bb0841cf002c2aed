"""The audit pages over HTTP: actions, refusals as messages, scoped documents, the dashboard."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cleanprod.audits.models import Audit, Phase
from cleanprod.audits.services import audits as svc
from cleanprod.audits.services import options as opt
from cleanprod.audits.services.audits import open_audit
from cleanprod.audits.tests import fixtures
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_enterprise_takes_steps_through_the_page():
    world = fixtures.build()
    audit = fixtures.new_audit(world)
    audit.agency = world.agency
    audit.save()
    audit.staff.add(world.staff)
    c = _client(world.enterprise_user)
    page = c.get(audit.get_absolute_url()).content.decode()
    assert 'data-step="start"' in page and "deadline.start" in page
    act = reverse("audits:audit-action", args=[audit.pk, "transition"])
    response = c.post(act, {"step": "start"}, follow=True)
    assert Audit.objects.get(pk=audit.pk).phase == Phase.PREPARATION
    response = c.post(act, {"step": "complete_preparation"}, follow=True)
    assert "alert-danger" in response.content.decode()  # outputs missing: a message, no 500
    c.post(
        reverse("audits:audit-action", args=[audit.pk, "outputs"]), {"team": "张三", "plan": "计划"}
    )
    c.post(act, {"step": "complete_preparation"})
    assert Audit.objects.get(pk=audit.pk).phase == Phase.PRE_ASSESSMENT
    # A second click from a stale page: a clear conflict message, nothing changes.
    response = c.post(act, {"step": "complete_preparation"}, follow=True)
    body = response.content.decode()
    assert "alert-danger" in body and Audit.objects.get(pk=audit.pk).phase == Phase.PRE_ASSESSMENT


def test_authority_sees_but_cannot_run_the_audit_and_outsiders_get_404():
    world = fixtures.build()
    audit = fixtures.new_audit(world)
    c = _client(world.shenzhen)
    assert c.get(audit.get_absolute_url()).status_code == 200
    c.post(reverse("audits:audit-action", args=[audit.pk, "transition"]), {"step": "start"})
    assert Audit.objects.get(pk=audit.pk).phase == Phase.NOT_STARTED
    assert _client(world.beijing).get(audit.get_absolute_url()).status_code == 404
    assert Client().get(audit.get_absolute_url()).status_code == 404


def test_documents_are_served_only_in_scope():
    world = fixtures.build()
    audit = fixtures.new_audit(world)
    doc = svc.upload_document(
        world.enterprise_user, audit, "plan", SimpleUploadedFile("计划.pdf", b"%PDF-1.4 test")
    )
    url = reverse("audits:document", args=[audit.pk, doc.pk])
    response = _client(world.shenzhen).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert _client(world.beijing).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    assert "/media/" not in doc.file.url or Client().get(doc.file.url).status_code != 200


def test_dashboard_counts_and_rates_by_child_region():
    world = fixtures.build()
    bj = factories.enterprise(region="110105", industry="3360")
    gz = factories.enterprise(region="440106", industry="1340")
    a1 = fixtures.new_audit(world)  # Shenzhen, not started
    a2 = open_audit(gz, "mandatory", 2025, published_on=dt.date(2025, 3, 1))
    a3 = open_audit(bj, "mandatory", 2025, published_on=dt.date(2025, 3, 1))
    Audit.objects.filter(pk=a2.pk).update(
        phase=Phase.CLOSED,
        options_approved=4,
        options_implemented=3,
        investment_approved=Decimal(100),
        investment_implemented=Decimal(25),
    )
    Audit.objects.filter(pk=a3.pk).update(phase=Phase.FAILED, overdue=True)
    Audit.objects.filter(pk=a1.pk).update(overdue=True, options_approved=1)
    national = _client(world.national).get(reverse("audits:dashboard"), {"format": "json"}).json()
    assert national["totals"]["audits"] == 3 and national["totals"]["overdue"] == 2
    assert national["totals"]["closed"] == 1 and national["totals"]["failed"] == 1
    assert national["totals"]["implementation_rate_by_count"] == 60.0  # 3 of 5
    assert national["totals"]["implementation_rate_by_investment"] == 25.0
    gd = next(c for c in national["children"] if c["code"] == "440000")
    assert gd["audits"] == 2 and gd["closed"] == 1
    shenzhen = _client(world.shenzhen).get(reverse("audits:dashboard"), {"format": "json"}).json()
    assert shenzhen["region"]["code"] == "440300" and shenzhen["totals"]["audits"] == 1
    assert {c["code"] for c in shenzhen["children"]} >= {"440305"}
    closed = next(p for p in national["by_phase"] if p["phase"] == "closed")
    assert closed["audits"] == 1
    page = _client(world.national).get(reverse("audits:dashboard")).content.decode()
    assert "phase-chart" in page and "广东省" in page


def test_option_actions_through_the_page():
    world = fixtures.build()
    audit = fixtures.new_audit(world)
    Audit.objects.filter(pk=audit.pk).update(phase=Phase.OPTIONS)
    c = _client(world.enterprise_user)
    c.post(
        reverse("audits:audit-action", args=[audit.pk, "option"]),
        {
            "code": "F1",
            "name": "漂洗改造",
            "category": "technology",
            "investment": "150",
            "expected_cod": "3",
        },
    )
    option = audit.options.get()
    assert option.high_cost and option.expected_cod == Decimal("3")
    c.post(
        reverse("audits:audit-action", args=[audit.pk, "screen"]),
        {"option": option.pk, "keep": "1"},
    )
    option.refresh_from_db()
    assert option.status == "screened"
    assert opt.high_cost_threshold() == 50


def test_dashboard_rolls_up_units_without_a_prefecture():
    world = fixtures.build()
    xiantao = factories.enterprise(region="429004", industry="1340")  # under Hubei directly
    wuhan = factories.enterprise(region="420102", industry="1340")
    bj = factories.enterprise(region="110105", industry="3360")  # a municipality's district
    for e in (xiantao, wuhan, bj):
        open_audit(e, "mandatory", 2025, published_on=dt.date(2025, 3, 1))
    c = _client(world.national)
    national = c.get(reverse("audits:dashboard"), {"format": "json"}).json()
    by_code = {row["code"]: row["audits"] for row in national["children"]}
    assert by_code["420000"] == 2 and by_code["110000"] == 1
    hubei = c.get(reverse("audits:dashboard"), {"format": "json", "region": "420000"}).json()
    by_code = {row["code"]: row["audits"] for row in hubei["children"]}
    assert by_code["429004"] == 1 and by_code["420100"] == 1
    beijing = c.get(reverse("audits:dashboard"), {"format": "json", "region": "110000"}).json()
    assert {row["code"]: row["audits"] for row in beijing["children"]}["110105"] == 1
