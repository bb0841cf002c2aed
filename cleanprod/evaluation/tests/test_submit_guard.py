"""An assessment is permanent: an empty one is refused (naming the indicators to fill in), one
without the confirmation is refused keeping what was typed, and only an enterprise is offered the
self-assessment without choosing an enterprise first (issue 11, dead ends)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cleanprod.accounts.tests.factories import authority, user
from cleanprod.evaluation.models import Assessment
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db
SLUG = "hazardous-waste-incineration"
URL = reverse("evaluation:assess", args=[SLUG])


@pytest.fixture
def enterprise_client() -> tuple[Client, object]:
    e = factories.enterprise(region="330106", industry="7724")
    c = Client()
    c.force_login(user("ent-guard", party="enterprise", enterprise=e))
    return c, e


def test_empty_submission_is_refused_naming_the_indicators(enterprise_client) -> None:
    c, e = enterprise_client
    response = c.post(URL + f"?enterprise={e.pk}", {"confirm": "1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        'id="assess-error"' in body and "信息化管理水平" in body.split('id="assess-error"')[1][:600]
    )
    assert not Assessment.objects.exists()


def test_submission_needs_the_confirmation_and_keeps_the_values(enterprise_client) -> None:
    c, e = enterprise_client
    response = c.post(URL + f"?enterprise={e.pk}", {"dioxin_emission": "0.05"})
    body = response.content.decode()
    assert 'id="assess-error"' in body and 'value="0.05"' in body
    assert not Assessment.objects.exists()
    response = c.post(URL + f"?enterprise={e.pk}", {"dioxin_emission": "0.05", "confirm": "1"})
    assert response.status_code == 302
    assert Assessment.objects.filter(enterprise=e).count() == 1


def test_self_assessment_is_offered_only_to_an_enterprise(enterprise_client) -> None:
    c, _e = enterprise_client
    assert URL in c.get(reverse("evaluation:system-list")).content.decode()
    officer = Client()
    officer.force_login(authority("sz-guard", "440300", role="officer"))
    assert URL not in officer.get(reverse("evaluation:system-list")).content.decode()
    # Reached without an enterprise: back to the system with a message, not a 404.
    response = officer.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:system-detail", args=[SLUG])


def test_an_authority_assesses_an_enterprise_of_its_scope_by_uscc() -> None:
    mine = factories.enterprise(region="440305", industry="7724")
    elsewhere = factories.enterprise(region="110105", industry="7724")
    officer = Client()
    officer.force_login(authority("sz-uscc", "440300", role="officer"))
    detail = officer.get(reverse("evaluation:system-detail", args=[SLUG])).content.decode()
    assert 'id="assess-for"' in detail
    page = officer.get(URL, {"uscc": mine.uscc.lower()})
    assert page.status_code == 200 and mine.name in page.content.decode()
    refused = officer.get(URL, {"uscc": elsewhere.uscc}, follow=True).content.decode()
    assert elsewhere.uscc in refused and elsewhere.name not in refused
