"""Malformed request parameters are refused with 400 naming the field, never a 500 (issue 10),
and provincial rules that the engine cannot load are refused on save (code review F5)."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cleanprod.audits.models import Audit, Phase, ProvincialRules, Roster
from cleanprod.audits.tests import fixtures

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _act(audit: Audit, action: str) -> str:
    return reverse("audits:audit-action", args=[audit.pk, action])


def test_transition_without_a_step_is_400_naming_the_step():
    world = fixtures.build()
    audit = fixtures.new_audit(world)
    response = _client(world.enterprise_user).post(_act(audit, "transition"), {})
    assert response.status_code == 400
    assert "步骤" in response.content.decode()  # the field, in Chinese
    response = _client(world.enterprise_user).post(_act(audit, "transition"), {"step": "fly"})
    assert response.status_code == 400 and "步骤" in response.content.decode()
    assert Audit.objects.get(pk=audit.pk).phase == Phase.NOT_STARTED


def test_transition_without_a_step_in_the_api_is_400_naming_the_step():
    world = fixtures.build()
    audit = fixtures.new_audit(world)
    api = APIClient()
    api.force_authenticate(world.enterprise_user)
    url = reverse("api:audit-transition", args=[audit.pk])
    response = api.post(url, {}, format="json")
    assert response.status_code == 400 and "step" in response.json()
    response = api.post(url, [1, 2], format="json")  # not an object at all
    assert response.status_code == 400
    assert api.post(url, {"step": "start"}, format="json").status_code == 200


def test_panel_size_that_is_not_a_number_is_400_naming_the_size():
    world = fixtures.build()
    audit = fixtures.new_audit(world)
    Audit.objects.filter(pk=audit.pk).update(phase=Phase.EVALUATION)
    c = _client(world.shenzhen)
    response = c.post(_act(audit, "draw_panel"), {"stage": "evaluation", "size": "x"})
    assert response.status_code == 400
    assert "专家人数" in response.content.decode()
    response = c.post(_act(audit, "draw_panel"), {"stage": "evaluation", "size": "0"})
    assert response.status_code == 400
    assert not audit.panels.exists()


def test_option_and_agency_ids_that_are_not_numbers_are_400():
    world = fixtures.build()
    audit = fixtures.new_audit(world)
    Audit.objects.filter(pk=audit.pk).update(phase=Phase.OPTIONS)
    c = _client(world.enterprise_user)
    response = c.post(_act(audit, "screen"), {"option": "abc", "keep": "1"})
    assert response.status_code == 400 and "方案" in response.content.decode()
    officer = _client(world.shenzhen)
    response = officer.post(_act(audit, "agency"), {"agency": "abc"})
    assert response.status_code == 400 and "咨询机构" in response.content.decode()
    response = officer.post(_act(audit, "agency"), {"agency": world.agency.pk, "staff": "x"})
    assert response.status_code == 400 and "咨询机构人员" in response.content.decode()


def test_roster_entry_that_is_not_a_number_is_400():
    world = fixtures.build()
    roster = Roster.objects.create(region_id="440300", year=2026, kind="mandatory", title="名单")
    url = reverse("audits:roster-action", args=[roster.pk, "remove"])
    response = _client(world.shenzhen).post(url, {"entry": "abc", "reason": "x"})
    assert response.status_code == 400 and "名单条目" in response.content.decode()


@pytest.mark.parametrize("fmt", ["", "json"])
def test_dashboard_year_that_is_not_a_number_is_400_on_the_page(fmt: str):
    world = fixtures.build()
    params = {"year": "abc", **({"format": fmt} if fmt else {})}
    response = _client(world.national).get(reverse("audits:dashboard"), params)
    assert response.status_code == 400
    if fmt:
        assert "year" in response.json()
    else:
        assert "年度" in response.content.decode()
    ok = _client(world.national).get(reverse("audits:dashboard"), {"year": "2025"})
    assert ok.status_code == 200


def test_dashboard_year_that_is_not_a_number_is_400_in_the_api():
    world = fixtures.build()
    api = APIClient()
    api.force_authenticate(world.national)
    response = api.get(reverse("api:audit-dashboard"), {"year": "abc"})
    assert response.status_code == 400 and list(response.json()) == ["year"]
    response = api.get(reverse("api:audit-dashboard"), {"year": "2025"})
    assert response.status_code == 200 and response.json()["filters"]["year"] == "2025"


BROKEN = "province: '440000'\nname: 广东\nversion: gd-1\nrules: [ {id: nonsense"


def test_provincial_rules_with_a_yaml_error_are_refused_naming_the_line():
    rules = ProvincialRules(region_id="440000", version="gd-1", text=BROKEN)
    with pytest.raises(ValidationError) as caught:
        rules.full_clean()
    message = " ".join(caught.value.message_dict["text"])
    assert "第 4 行" in message, message


GOOD = """
province: "440000"
name: 广东省
version: gd-2026-1
base_version: national-2026.12-1
documents:
  粤规:
    title: 广东省清洁生产审核实施细则（示例）
    issuer: 广东省生态环境厅
    kind: external_law
    verified: false
rules:
  - id: deadline.start
    kind: deadline
    event: start
    anchor: roster_published
    months: 3
    text: 名单公布后三个月内开展审核（广东示例规定）。
    sources:
      - {doc: 粤规, section: 第五条}
"""


def test_provincial_rules_for_another_province_or_bad_rules_are_refused():
    ProvincialRules(region_id="440000", version="ok", text=GOOD).full_clean(exclude=["created_by"])
    for text in [
        GOOD.replace('province: "440000"', 'province: "110000"'),  # another province's file
        GOOD.replace("months: 3", "months: many"),
        GOOD.replace("kind: deadline", "kind: nonsense"),
    ]:
        with pytest.raises(ValidationError) as caught:
            ProvincialRules(region_id="440000", version="x", text=text).full_clean(
                exclude=["created_by"]
            )
        assert caught.value.message_dict["text"], text


def test_admin_form_refuses_broken_provincial_rules(rf, django_user_model):
    request = rf.get("/")
    request.user = django_user_model.objects.create_superuser("root", password="x-Password-1")
    form_class = site._registry[ProvincialRules].get_form(request)
    data = {"region": "440000", "version": "gd-1", "active": "on", "created_by": request.user.pk}
    form = form_class(data={**data, "text": BROKEN})
    assert not form.is_valid()
    assert "第 4 行" in str(form.errors["text"])
    assert form_class(data={**data, "text": GOOD}).is_valid()
