"""Every write leaves its trace: after the services run, the log agrees with the database.

The invariant checked: for every row of every tracked model, the newest change-log entry's
"after" values equal the row as stored. A service that writes with ``QuerySet.update()`` or
``bulk_create()`` without logging (the audit phase, roster publication, deadlines met, the
daily overdue flags, option totals, panel members, superseded carbon calculations) breaks it.
The scenarios are the services' own tests, run here as they are.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from cleanprod.audits.models import Audit, Deadline, Phase, Roster
from cleanprod.audits.services import audits as audit_services
from cleanprod.audits.services.clock import run_clock
from cleanprod.audits.tests import test_deadlines_and_rosters as roster_tests
from cleanprod.audits.tests import test_reviews as review_tests
from cleanprod.audits.tests import test_workflow as workflow_tests
from cleanprod.changelog.models import ObjectChange
from cleanprod.changelog.signals import snapshot, tracked

pytestmark = pytest.mark.django_db


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def assert_log_matches_database() -> int:
    """Fail naming each row whose stored values differ from its newest log entry."""
    problems: list[str] = []
    checked = 0
    for model in apps.get_models():
        if not tracked(model):
            continue
        content_type = ContentType.objects.get_for_model(model)
        newest: dict[str, Any] = {}
        for object_id, after in (
            ObjectChange.objects.filter(content_type=content_type)
            .order_by("pk")
            .values_list("object_id", "postchange")
        ):
            newest[object_id] = after
        for obj in model._default_manager.all():
            checked += 1
            key = str(obj.pk)
            if key not in newest:
                problems.append(f"{model.__name__} {key}: not in the log")
            elif newest[key] != _json(snapshot(obj)):
                logged, stored = newest[key] or {}, _json(snapshot(obj))
                fields = sorted(k for k in stored if logged.get(k) != stored[k])
                problems.append(f"{model.__name__} {key}: log differs in {fields}")
    assert not problems, "\n".join(problems)
    return checked


def test_audit_workflow_with_options_and_feasibility_is_fully_logged():
    workflow_tests.test_full_path_with_options_and_feasibility_of_the_published_example()
    assert assert_log_matches_database() > 10
    audit = Audit.objects.get()
    phases = [
        (entry.prechange or {}).get("phase")
        for entry in ObjectChange.objects.filter(
            content_type__model="audit", object_id=str(audit.pk), action="update"
        ).order_by("pk")
    ]
    assert Phase.NOT_STARTED in phases and Phase.OPTIONS in phases


def test_reviews_and_panels_are_fully_logged():
    review_tests.test_evaluation_pass_opens_high_cost_implementation_with_deadlines_and_pdf()
    assert_log_matches_database()


def test_roster_publication_is_logged(client):
    roster_tests.test_review_publish_and_public_list(client)
    assert_log_matches_database()
    roster = Roster.objects.get(status=Roster.Status.PUBLISHED)
    entry = ObjectChange.objects.filter(
        content_type__model="roster", object_id=str(roster.pk), action="update"
    ).latest("pk")
    assert entry.prechange["status"] == "draft" and entry.postchange["status"] == "published"


def test_the_daily_clock_is_logged():
    from cleanprod.audits.tests import fixtures

    world = fixtures.build()
    audit = fixtures.new_audit(world, published=dt.date(2024, 1, 2))
    report = run_clock(dt.date(2026, 1, 1))
    assert report is not None
    assert_log_matches_database()
    overdue = Deadline.objects.filter(audit=audit, overdue=True)
    assert overdue.exists()
    logged = ObjectChange.objects.filter(content_type__model="deadline", action="update")
    assert logged.count() == overdue.count()
    assert ObjectChange.objects.filter(
        content_type__model="audit", object_id=str(audit.pk), postchange__overdue=True
    ).exists()
    audit_services.meet_deadline(audit, "start")
    assert_log_matches_database()


def test_imports_are_fully_logged():
    """The importer writes in bulk (its own INSERT/UPDATE path): creates and updates both leave
    entries that agree with the database."""
    from cleanprod.accounts.tests.factories import authority
    from cleanprod.registry.io import SPECS, import_file
    from cleanprod.registry.tests.test_import import ent_row, xlsx

    officer = authority("gd_import", "440000")
    first = import_file(SPECS["enterprises"], officer, xlsx([ent_row(1), ent_row(2)]), "e.xlsx")
    assert first.ok, first.errors
    assert_log_matches_database()
    renamed = ent_row(1)
    renamed[1] = "改名后的企业"
    second = import_file(SPECS["enterprises"], officer, xlsx([renamed]), "e.xlsx")
    assert second.ok and second.updated == 1, second
    assert_log_matches_database()
