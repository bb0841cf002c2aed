"""Experts take part through the web: notified when drawn, a page of their panels, their own
score sheet (veto items first); the officer sees who has scored and records the decision."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from cleanprod.accounts.tests.factories import user
from cleanprod.audits.documents import review_pdf
from cleanprod.audits.models import Audit, Phase, Review, ScoreSheet
from cleanprod.audits.services import PreconditionFailed
from cleanprod.audits.services import reviews as rev
from cleanprod.audits.tests import fixtures
from cleanprod.core.review import load_template
from cleanprod.industries.models import Industry
from cleanprod.notifications.models import Notification
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db
TEMPLATE = load_template("evaluation-2026.yaml")


def _client(u) -> Client:
    c = Client()
    c.force_login(u)
    return c


@pytest.fixture
def drawn():
    """An audit awaiting evaluation, a pool of five experts with accounts, a drawn panel."""
    world = fixtures.build()
    div33 = Industry.objects.get(code="33")
    accounts = {}
    for i, name in enumerate(("甲", "乙", "丙", "丁", "戊")):
        e = factories.expert(name=name, employer_kind="other", employer_name=f"单位{i}")
        e.specialties.add(div33)
        accounts[e.pk] = user(f"expert{i}", party="expert", expert=e, email=f"x{i}@example.org")
    audit = fixtures.new_audit(world)
    Audit.objects.filter(pk=audit.pk).update(phase=Phase.EVALUATION, agency=world.agency)
    audit = Audit.objects.get(pk=audit.pk)
    panel = rev.draw_panel(world.shenzhen, audit, "evaluation", seed="11")
    seated = rev.seated(panel)
    outsider = next(u for pk, u in accounts.items() if pk not in {m.expert_id for m in seated})
    return world, audit, panel, [accounts[m.expert_id] for m in seated], outsider


def _sheet(points: str = "max", opinion: str = "同意通过") -> dict[str, str]:
    data = {f"item_{i.id}": str(i.points) if points == "max" else points for i in TEMPLATE.items}
    data["opinion"] = opinion
    return data


def test_drawn_experts_are_notified_and_see_their_panels(drawn):
    world, audit, panel, seated, outsider = drawn
    sheet_url = reverse("audits:panel-sheet", args=[panel.pk])
    for account in seated:
        note = Notification.objects.get(user=account, key=f"panel:{panel.pk}")
        assert note.link == sheet_url
    assert not Notification.objects.filter(user=outsider).exists()
    page = _client(seated[0]).get(reverse("audits:panel-list")).content.decode()
    assert audit.title in page and sheet_url in page and "尚未评分" in page
    # An expert not on the panel: no panel listed, the sheet refused.
    page = _client(outsider).get(reverse("audits:panel-list")).content.decode()
    assert sheet_url not in page
    assert _client(outsider).get(sheet_url).status_code in (403, 404)
    assert _client(outsider).post(sheet_url, _sheet()).status_code in (403, 404)
    assert not ScoreSheet.objects.exists()
    assert _client(world.enterprise_user).get(sheet_url).status_code in (403, 404)


def test_a_validation_error_keeps_everything_typed(drawn):
    _world, _audit, panel, seated, _outsider = drawn
    url = reverse("audits:panel-sheet", args=[panel.pk])
    c = _client(seated[0])
    page = c.get(url).content.decode()
    # veto items come first, then the scored items
    assert page.index(f'name="veto_{TEMPLATE.vetoes[0].id}"') < page.index(
        f'name="item_{TEMPLATE.items[0].id}"'
    )
    data = _sheet(opinion="数据基本可信，建议补充水平衡测试")
    first, last = TEMPLATE.items[0], TEMPLATE.items[-1]
    data[f"item_{first.id}"] = str(first.points + 5)  # over the item's maximum
    data[f"item_{last.id}"] = "1.5"
    response = c.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and "sheet-errors" in body
    assert f'value="{first.points + 5}"' in body  # the wrong value, to correct
    assert 'value="1.5"' in body and "数据基本可信，建议补充水平衡测试" in body
    assert not ScoreSheet.objects.exists()


def test_experts_enter_their_own_sheets_and_the_officer_decides_from_them(drawn):
    world, audit, panel, seated, _outsider = drawn
    url = reverse("audits:panel-sheet", args=[panel.pk])
    for account, opinion in zip(seated[:2], ("甲意见：同意", "乙意见：同意"), strict=False):
        response = _client(account).post(url, _sheet(opinion=opinion))
        assert response.status_code == 302, response.content.decode()[:2000]
    rows = {s.expert_id: s for s in ScoreSheet.objects.filter(panel=panel)}
    assert len(rows) == 2 and all(s.review_id is None for s in rows.values())
    assert {s.entered_by for s in rows.values()} == set(seated[:2])
    listed = _client(seated[0]).get(reverse("audits:panel-list")).content.decode()
    assert "已评分" in listed

    officer = _client(world.shenzhen)
    page = officer.get(audit.get_absolute_url()).content.decode()
    assert "已提交评分表 2 份，共 3 份" in page  # who has scored: per-expert badges
    assert page.count("专家已填写") == 2 and page.count("等待中") == 1
    # The third expert's sheet is still missing: the officer is told who, nothing is recorded.
    act = reverse("audits:audit-action", args=[audit.pk, "review"])
    body = officer.post(
        act, {"stage": "evaluation", "opinion": "同意通过评估。"}, follow=True
    ).content.decode()
    third = rev.seated(panel)[2]
    assert third.expert.name in body and not Review.objects.exists()
    assert "同意通过评估。" in body  # the officer's typed opinion is kept
    # The third expert scores too; the officer records the decision from the three sheets.
    assert _client(seated[2]).post(url, _sheet(points="3", opinion="丙：同意")).status_code == 302
    body = officer.post(
        act, {"stage": "evaluation", "opinion": "同意通过评估。"}, follow=True
    ).content.decode()
    made = Review.objects.get()
    assert made.sheets.count() == 3 and made.decision == Review.Decision.PASSED
    assert Audit.objects.get(pk=audit.pk).phase == Phase.CLOSED
    # Sheets are closed after the decision.
    assert _client(seated[0]).post(url, _sheet(points="0")).status_code == 200
    assert ScoreSheet.objects.get(panel=panel, expert_id=seated[0].expert_id).scores == {
        i.id: str(i.points) for i in TEMPLATE.items
    }
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(review_pdf(made, world.shenzhen))).pages
    )
    assert "评估意见" in text and seated[0].expert.name in text


def test_the_officer_cannot_replace_an_experts_own_sheet(drawn):
    world, audit, panel, seated, _outsider = drawn
    url = reverse("audits:panel-sheet", args=[panel.pk])
    assert _client(seated[0]).post(url, _sheet()).status_code == 302
    mine = {
        "expert_id": seated[0].expert_id,
        "scores": {i.id: "0" for i in TEMPLATE.items},
        "vetoes": {},
        "opinion": "改",
    }
    with pytest.raises(PreconditionFailed):
        rev.record_review(world.shenzhen, audit, "evaluation", [mine], "x")


def test_the_officers_validation_error_keeps_the_typed_scores(drawn):
    world, audit, panel, _seated, _outsider = drawn
    members = rev.seated(panel)
    data = {"stage": "evaluation", "opinion": "专家组意见"}
    for m in members:
        for i in TEMPLATE.items:
            data[f"e{m.expert_id}_{i.id}"] = str(i.points)
        data[f"e{m.expert_id}_opinion"] = f"意见{m.expert_id}"
    bad = f"e{members[1].expert_id}_{TEMPLATE.items[3].id}"
    data[bad] = "999"
    response = _client(world.shenzhen).post(
        reverse("audits:audit-action", args=[audit.pk, "review"]), data
    )
    body = response.content.decode()
    assert response.status_code == 200 and "alert-danger" in body
    assert f'name="{bad}" value="999"' in body
    typed = (
        f'name="e{members[2].expert_id}_{TEMPLATE.items[5].id}" value="{TEMPLATE.items[5].points}"'
    )
    assert typed in body and f"意见{members[0].expert_id}" in body and "专家组意见" in body
    assert not Review.objects.exists() and not ScoreSheet.objects.exists()
