"""An agency's reach follows its engagement (issue 9).

Decided and documented (README, "Who may see and change what"): an agency reads its clients'
assessments only while an engagement is active; it keeps reading the audits it served (its
accountability record) but works on one only while its engagement with the enterprise is
active. Naming an agency for an audit engages it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from cleanprod.audits.models import Audit
from cleanprod.audits.services import audits as audit_services
from cleanprod.audits.services.actors import capacity
from cleanprod.audits.services.errors import NotAllowed
from cleanprod.audits.tests import fixtures
from cleanprod.evaluation.models import Assessment, SystemVersion
from cleanprod.platform.permissions import CHANGE, VIEW
from cleanprod.registry.models import Engagement

pytestmark = pytest.mark.django_db


def _assessment(enterprise) -> Assessment:
    system = SystemVersion.objects.first()
    return Assessment.objects.create(
        enterprise=enterprise,
        system=system,
        inputs={},
        grade="II",
        index_i=0,
        index_ii=90,
        index_iii=100,
        result={},
    )


def test_engagement_end_closes_assessments_and_audit_work_but_keeps_the_record():
    world = fixtures.build()
    audit = fixtures.new_audit(world)
    audit_services.assign_agency(world.enterprise_user, audit, world.agency, [world.staff.pk])
    engagement = Engagement.objects.get(agency=world.agency, enterprise=world.enterprise)
    assert engagement.end_date is None  # naming the agency engaged it
    assessment = _assessment(world.enterprise)
    agency = world.agency_user
    assert Assessment.objects.restrict(agency, VIEW).filter(pk=assessment.pk).exists()
    assert Audit.objects.restrict(agency, CHANGE).filter(pk=audit.pk).exists()
    audit = Audit.objects.get(pk=audit.pk)
    audit_services.transition(agency, audit, "start")

    engagement.end_date = dt.date.today() - dt.timedelta(days=1)
    engagement.save()
    assert not Assessment.objects.restrict(agency, VIEW).filter(pk=assessment.pk).exists()
    assert Audit.objects.restrict(agency, VIEW).filter(pk=audit.pk).exists()
    assert not Audit.objects.restrict(agency, CHANGE).filter(pk=audit.pk).exists()
    audit = Audit.objects.get(pk=audit.pk)
    with pytest.raises(NotAllowed):
        audit_services.transition(agency, audit, "complete_preparation")
    # The web and the API say the same.
    client = Client()
    client.force_login(agency)
    assert client.get(reverse("audits:audit-detail", args=[audit.pk])).status_code == 200
    assert client.get(f"/api/assessments/{assessment.pk}/").status_code == 404
    # The enterprise itself keeps working on its audit.
    assert capacity(world.enterprise_user, audit) == "enterprise"
    assert capacity(agency, audit) is None
