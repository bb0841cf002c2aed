"""Panel draws with exclusions, score sheets and decisions, the PDFs in Chinese."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from cleanprod.audits.documents import review_pdf
from cleanprod.audits.models import Audit, OptionStatus, Phase
from cleanprod.audits.services import Conflict, NotAllowed, PreconditionFailed
from cleanprod.audits.services import reviews as rev
from cleanprod.audits.tests import fixtures
from cleanprod.core.review import load_template
from cleanprod.industries.models import Industry
from cleanprod.registry.models import Expert
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


def _pool(world):
    """Eight electroplating experts: some with conflicts, two sharing an employer."""
    div33 = Industry.objects.get(code="33")
    uni = factories.enterprise(region="110105", industry="3360", name="某研究院企业")
    experts = {
        "own_staff": factories.expert(
            name="本企业员工", employer_kind="enterprise", employer_enterprise=world.enterprise
        ),
        "agency_staff": factories.expert(
            name="机构员工", employer_kind="agency", employer_agency=world.agency
        ),
        "inactive": factories.expert(name="停用专家", active=False),
        "chem_only": factories.expert(name="化工专家"),
        "a": factories.expert(name="甲", employer_kind="other", employer_name="清华大学"),
        "b": factories.expert(name="乙", employer_kind="other", employer_name="清华大学"),
        "c": factories.expert(name="丙", employer_kind="enterprise", employer_enterprise=uni),
        "d": factories.expert(name="丁", employer_kind="other", employer_name="环科院"),
        "e": factories.expert(name="戊", employer_kind="other", employer_name="清洁生产中心"),
    }
    for key, e in experts.items():
        e.specialties.add(Industry.objects.get(code="26") if key == "chem_only" else div33)
    return experts


def _awaiting(world, phase=Phase.EVALUATION):
    audit = fixtures.new_audit(world)
    Audit.objects.filter(pk=audit.pk).update(phase=phase, agency=world.agency)
    return Audit.objects.get(pk=audit.pk)


def test_draw_excludes_conflicts_and_is_reproducible():
    world = fixtures.build()
    experts = _pool(world)
    audit = _awaiting(world)
    with pytest.raises(NotAllowed):
        rev.draw_panel(world.enterprise_user, audit, "evaluation")
    with pytest.raises(Conflict):
        rev.draw_panel(world.shenzhen, audit, "acceptance")
    panel = rev.draw_panel(world.shenzhen, audit, "evaluation", seed="12345")
    seated = {m.expert.name for m in rev.seated(panel)}
    assert len(seated) == 3
    assert not seated & {"本企业员工", "机构员工", "停用专家", "化工专家"}
    assert not {"甲", "乙"} <= seated  # one member per employer
    excluded = {row[0]: row[1] for row in panel.log["excluded"]}
    assert excluded[str(experts["own_staff"].pk)] == "enterprise_staff"
    assert excluded[str(experts["agency_staff"].pk)] == "agency_staff"
    assert excluded[str(experts["inactive"].pk)] == "inactive"
    again = rev.draw_panel(world.shenzhen, audit, "evaluation", seed="12345")
    assert [m.expert_id for m in rev.seated(again)] == [m.expert_id for m in rev.seated(panel)]
    with pytest.raises(PreconditionFailed):
        rev.draw_panel(world.shenzhen, audit, "evaluation", size=7)


def _sheets(panel, template, points, veto=None):
    sheets = []
    for i, m in enumerate(rev.seated(panel)):
        scores = {item.id: str(min(item.points, points)) for item in template.items}
        vetoes = {template.vetoes[0].id: veto} if veto and i == 0 else {}
        sheets.append(
            {"expert_id": m.expert_id, "scores": scores, "vetoes": vetoes, "opinion": "同意"}
        )
    return sheets


def test_evaluation_pass_opens_high_cost_implementation_with_deadlines_and_pdf():
    world = fixtures.build()
    _pool(world)
    audit = _awaiting(world)
    audit.options.create(
        code="F1",
        name="逆流漂洗",
        category="technology",
        high_cost=True,
        investment=Decimal(150),
        status=OptionStatus.APPROVED,
        npv=100.96,
    )
    panel = rev.draw_panel(world.shenzhen, audit, "evaluation", seed="7")
    template = load_template("evaluation-2026.yaml")
    with pytest.raises(PreconditionFailed):
        rev.record_review(
            world.shenzhen, audit, "evaluation", _sheets(panel, template, 99)[:1], "x"
        )
    review = rev.record_review(
        world.shenzhen,
        audit,
        "evaluation",
        _sheets(panel, template, 99),
        "审核过程规范，同意通过评估。",
    )
    audit.refresh_from_db()
    assert review.decision == "passed" and audit.phase == Phase.HIGH_COST_IMPLEMENTATION
    assert review.template_version == template.version
    events = set(audit.deadlines.values_list("event", flat=True))
    assert {"options_implemented", "acceptance"} <= events
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(review_pdf(review, world.shenzhen))).pages
    )
    assert "评估意见" in text and world.enterprise.name in text and "审核过程规范" in text
    assert rev.seated(panel)[0].expert.name in text


def test_veto_fails_the_evaluation_whatever_the_score():
    world = fixtures.build()
    _pool(world)
    audit = _awaiting(world)
    panel = rev.draw_panel(world.shenzhen, audit, "evaluation", seed="9")
    template = load_template("evaluation-2026.yaml")
    review = rev.record_review(
        world.shenzhen,
        audit,
        "evaluation",
        _sheets(panel, template, 99, veto="监测数据造假"),
        "存在否决项。",
    )
    audit.refresh_from_db()
    assert review.decision == "failed" and audit.phase == Phase.FAILED
    assert review.vetoes[0][2] == "监测数据造假"


def test_acceptance_regrades_and_closes_and_its_pdf_has_the_chinese_text():
    world = fixtures.build()
    _pool(world)
    audit = _awaiting(world, Phase.ACCEPTANCE)
    Audit.objects.filter(pk=audit.pk).update(pre_grade="III")
    audit.refresh_from_db()
    audit.options.create(
        code="F1",
        name="逆流漂洗改造",
        category="technology",
        high_cost=True,
        investment=Decimal(150),
        actual_investment=Decimal(148),
        status=OptionStatus.IMPLEMENTED,
        verified_cod=Decimal("12.5"),
    )
    panel = rev.draw_panel(world.shenzhen, audit, "acceptance", seed="11")
    template = load_template("acceptance-2026.yaml")
    with pytest.raises(PreconditionFailed):
        rev.record_review(world.shenzhen, audit, "acceptance", _sheets(panel, template, 99), "好")
    review = rev.record_review(
        world.shenzhen,
        audit,
        "acceptance",
        _sheets(panel, template, 99),
        "中/高费方案已全部实施，同意通过验收。",
        post_grade="II",
    )
    audit.refresh_from_db()
    assert audit.phase == Phase.CLOSED and audit.post_grade == "II" and audit.closed_on
    reader = PdfReader(io.BytesIO(review_pdf(review, world.shenzhen)))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "验收" in text and "逆流漂洗改造" in text and "同意通过验收" in text
    assert world.enterprise.uscc in text and world.agency.name in text
    assert Expert.objects.filter(name__in=[m.expert.name for m in rev.seated(panel)]).count() == 3
