"""Every transition with its actor and preconditions, races, agency scope, options, rates."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cleanprod.audits.models import Audit, CreditEvent, Phase
from cleanprod.audits.services import Conflict, NotAllowed, PreconditionFailed
from cleanprod.audits.services import audits as svc
from cleanprod.audits.services import options as opt
from cleanprod.audits.services.accountability import agency_record, record_credit_event
from cleanprod.audits.tests import fixtures
from cleanprod.industries.models import Industry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def started(world):
    audit = fixtures.new_audit(world)
    svc.assign_agency(world.enterprise_user, audit, world.agency, [world.staff.pk])
    return svc.transition(world.agency_user, audit, "start")


def through_assessment(world, audit):
    u = world.enterprise_user
    svc.record_outputs(u, audit, Phase.PREPARATION, {"team": "张三、李四", "plan": "三个月计划"})
    audit = svc.transition(u, audit, "complete_preparation")
    svc.record_outputs(
        u, audit, Phase.PRE_ASSESSMENT, {"current_state": "现状", "targets": "COD −10%"}
    )
    svc.set_pre_assessment(u, audit, "III", "电镀线")
    audit = svc.transition(u, audit, "complete_pre_assessment")
    svc.record_outputs(u, audit, Phase.ASSESSMENT, {"balances": "水平衡", "causes": "漂洗"})
    return svc.transition(u, audit, "complete_assessment")


def test_start_needs_a_worker_and_named_staff():
    world = fixtures.build()
    audit = fixtures.new_audit(world)
    with pytest.raises(NotAllowed):
        svc.transition(world.shenzhen, audit, "start")  # authorities do not run the audit
    audit.agency = world.agency
    audit.save()
    with pytest.raises(PreconditionFailed, match=r"staff|人员"):
        svc.transition(world.enterprise_user, audit, "start")
    audit.staff.add(world.staff)
    audit = svc.transition(world.enterprise_user, audit, "start")
    assert audit.phase == Phase.PREPARATION and audit.started_on is not None
    assert audit.deadlines.get(event="start").met_on == audit.started_on


def test_each_phase_needs_its_outputs():
    world = fixtures.build()
    audit = started(world)
    u = world.enterprise_user
    with pytest.raises(PreconditionFailed, match="team"):
        svc.transition(u, audit, "complete_preparation")
    svc.record_outputs(u, audit, Phase.PREPARATION, {"team": "张三", "plan": "计划"})
    audit = svc.transition(u, audit, "complete_preparation")
    with pytest.raises(PreconditionFailed):
        svc.transition(u, audit, "complete_pre_assessment")
    svc.record_outputs(u, audit, Phase.PRE_ASSESSMENT, {"current_state": "现状", "targets": "目标"})
    with pytest.raises(PreconditionFailed):
        svc.transition(u, audit, "complete_pre_assessment")  # no grade and focus yet
    svc.set_pre_assessment(u, audit, "III", "电镀线")
    audit = svc.transition(u, audit, "complete_pre_assessment")
    assert audit.phase == Phase.ASSESSMENT
    with pytest.raises(Conflict):
        svc.record_outputs(u, audit, Phase.PREPARATION, {"team": "改"})  # past phase


def test_full_path_with_options_and_feasibility_of_the_published_example():
    world = fixtures.build()
    u = world.enterprise_user
    audit = through_assessment(world, started(world))
    with pytest.raises(PreconditionFailed):
        svc.transition(u, audit, "complete_options")  # no options
    low = opt.add_option(
        u,
        audit,
        code="F1",
        name="加强漂洗管理",
        category="management",
        investment=Decimal("2"),
        expected={"cod": Decimal("1.5")},
    )
    high = opt.add_option(
        u, audit, code="F2", name="逆流漂洗改造", category="technology", investment=Decimal("150")
    )
    dropped = opt.add_option(
        u, audit, code="F3", name="更换镀种", category="product", investment=Decimal("500")
    )
    assert (low.high_cost, high.high_cost) == (False, True)
    with pytest.raises(PreconditionFailed):
        svc.transition(u, audit, "complete_options")  # not screened
    opt.screen(u, low, keep=True)
    opt.screen(u, high, keep=True)
    with pytest.raises(PreconditionFailed, match=r"barrier|障碍"):
        opt.screen(u, dropped, keep=False)
    opt.screen(u, dropped, keep=False, barrier="客户不接受")
    opt.implement(u, low, actual_investment=Decimal("1.8"), benefits={"cod": Decimal("1.2")})
    audit = svc.transition(u, audit, "complete_options")

    with pytest.raises(PreconditionFailed):
        svc.transition(u, audit, "complete_feasibility")
    with pytest.raises(PreconditionFailed):
        opt.decide(u, high, approve=True)  # no feasibility yet
    high = opt.analyse_feasibility(
        u,
        high,
        annual_net_cash_flow=Decimal("32.5"),
        lifetime_years=10,
        discount_rate=Decimal("0.05"),
    )
    assert round(high.payback_years, 2) == 4.62
    assert round(high.npv, 2) == 100.96
    assert round(high.irr * 100, 2) == 17.26
    opt.decide(u, high, approve=True)
    audit = svc.transition(u, audit, "complete_feasibility")
    audit = svc.transition(u, audit, "complete_implementation")
    with pytest.raises(PreconditionFailed):
        svc.transition(u, audit, "submit_report")
    svc.record_outputs(u, audit, Phase.CONTINUATION, {"continuing_plan": "持续计划"})
    with pytest.raises(PreconditionFailed, match=r"report|报告"):
        svc.transition(u, audit, "submit_report")
    svc.upload_document(u, audit, "report", SimpleUploadedFile("报告.pdf", PDF, "application/pdf"))
    audit = svc.transition(u, audit, "submit_report")
    assert audit.phase == Phase.EVALUATION and audit.report_submitted_on
    assert audit.deadlines.get(event="report").met_on == audit.report_submitted_on

    rates = opt.implementation_rates(audit.options.all())
    assert (rates["approved"], rates["implemented"]) == (2, 1)
    assert rates["by_count"] == 0.5
    assert rates["by_investment"] == pytest.approx(2 / 152)
    audit.refresh_from_db()
    assert (audit.options_approved, audit.options_implemented) == (2, 1)
    assert opt.performance(audit)["cod"] == Decimal("1.2")


def test_racing_transitions_second_gets_a_conflict():
    world = fixtures.build()
    audit = started(world)
    svc.record_outputs(
        world.enterprise_user, audit, Phase.PREPARATION, {"team": "甲", "plan": "乙"}
    )
    copy_a = Audit.objects.get(pk=audit.pk)
    copy_b = Audit.objects.get(pk=audit.pk)
    svc.transition(world.enterprise_user, copy_a, "complete_preparation")
    with pytest.raises(Conflict) as exc:
        svc.transition(world.agency_user, copy_b, "complete_preparation")
    assert "预审核" in str(exc.value) or "Pre-assessment" in str(exc.value)
    # A stale copy whose phase still matches is caught by the version check.
    fresh = Audit.objects.get(pk=audit.pk)
    stale = Audit.objects.get(pk=audit.pk)
    Audit.objects.filter(pk=audit.pk).update(version=fresh.version + 1)
    with pytest.raises(Conflict, match=r"Another user|其他用户|另一"):
        svc._move(world.enterprise_user, stale, "x", Phase.ASSESSMENT)
    assert Audit.objects.get(pk=audit.pk).phase == Phase.PRE_ASSESSMENT
    assert audit.transitions.count() == 2


def test_outsiders_cannot_act():
    world = fixtures.build()
    audit = fixtures.new_audit(world)
    from cleanprod.accounts.tests.factories import user

    stranger = user("stranger", party="enterprise", enterprise=world.other_enterprise)
    with pytest.raises(NotAllowed):
        svc.record_outputs(stranger, audit, Phase.PREPARATION, {"team": "x"})
    with pytest.raises(NotAllowed):
        svc.assign_agency(world.beijing, audit, world.agency, [world.staff.pk])


def test_agency_scope_filing_and_credit_events():
    world = fixtures.build()
    audit = fixtures.new_audit(world)
    narrow = fixtures.factories.agency(
        region="440305", name="窄范围机构", valid_until=dt.date(2099, 1, 1)
    )
    narrow.industry_scope.add(Industry.objects.get(code="26"))
    staff = narrow.staff.create(name="赵", certificate_no="QJ-9")
    with pytest.raises(PreconditionFailed, match=r"scope|范围"):
        svc.assign_agency(world.enterprise_user, audit, narrow, [staff.pk])
    world.agency.valid_until = dt.date(2020, 1, 1)
    world.agency.save()
    with pytest.raises(PreconditionFailed, match=r"expired|过期|到期"):
        svc.assign_agency(world.enterprise_user, audit, world.agency, [world.staff.pk])
    world.agency.valid_until = dt.date(2099, 1, 1)
    world.agency.save()
    with pytest.raises(NotAllowed):
        record_credit_event(
            world.enterprise_user, world.agency, "suspension", "x", dt.date(2020, 1, 1)
        )
    record_credit_event(
        world.shenzhen, world.agency, CreditEvent.Kind.WARNING, "资料不全", dt.date(2024, 1, 1)
    )
    svc.assign_agency(world.enterprise_user, audit, world.agency, [world.staff.pk])  # warning only
    record_credit_event(
        world.shenzhen,
        world.agency,
        CreditEvent.Kind.FALSIFICATION,
        "审核报告数据造假",
        dt.date(2024, 6, 1),
    )
    other = fixtures.new_audit(world)
    with pytest.raises(PreconditionFailed, match=r"credit|信用"):
        svc.assign_agency(world.enterprise_user, other, world.agency, [world.staff.pk])
    record = agency_record(world.agency)
    assert record["total"] == 1 and record["pass_rate"] is None


def test_upload_checks_type_size_and_content():
    world = fixtures.build()
    audit = started(world)
    u = world.enterprise_user
    with pytest.raises(PreconditionFailed, match=r"type|类型"):
        svc.upload_document(u, audit, "report", SimpleUploadedFile("a.exe", b"MZ", "application/x"))
    with pytest.raises(PreconditionFailed, match=r"content|内容"):
        svc.upload_document(u, audit, "report", SimpleUploadedFile("a.pdf", b"not a pdf"))
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (20 * 1024 * 1024))
    with pytest.raises(PreconditionFailed, match="20"):
        svc.upload_document(u, audit, "report", big)
    doc = svc.upload_document(u, audit, "report", SimpleUploadedFile("ok.pdf", PDF))
    assert doc.size == len(PDF) and doc.content_type == "application/pdf"


def test_agency_record_fragment_counts_what_the_reader_may_see(client):
    from django.urls import reverse

    world = fixtures.build()
    started(world)
    url = reverse("audits:agency-record", args=[world.agency.pk])
    client.force_login(world.shenzhen)
    page = client.get(url).content.decode()
    assert 'id="audits-served"' in page and world.enterprise.name in page
    client.force_login(world.beijing)  # an authority elsewhere sees none of these audits
    assert (
        client.get(url).status_code == 404
        or world.enterprise.name not in client.get(url).content.decode()
    )
