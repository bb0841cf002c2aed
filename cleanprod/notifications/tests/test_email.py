"""E-mail of notifications: queued after commit, absolute links, retried, outcome recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.test import TestCase, override_settings
from django_tasks_db.models import DBTaskResult

from cleanprod.accounts.tests.factories import user as make_user
from cleanprod.audits.services import rosters
from cleanprod.audits.tests import fixtures
from cleanprod.jobs.testing import run_queued_tasks
from cleanprod.notifications.models import Notification
from cleanprod.notifications.services import notify
from cleanprod.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader() -> Any:
    return make_user("reader", email="reader@example.org")


class Boom(Exception):
    pass


def test_no_mail_when_the_transaction_rolls_back(reader: Any) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify([reader], "subject", link="/audits/1/")
                raise Boom
        except Boom:
            pass
    assert callbacks == [] and not DBTaskResult.objects.exists()
    run_queued_tasks()
    assert mail.outbox == [] and not Notification.objects.exists()


@override_settings(CLEANPROD_BASE_URL="https://cp.example.gov.cn")
def test_mail_is_sent_by_a_task_after_commit_with_an_absolute_link(reader: Any) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify([reader, make_user("no_mail", email="")], "Listed", body="See.", link="/audits/7/")
        assert mail.outbox == []  # nothing goes out inside the transaction
        assert not DBTaskResult.objects.exists()
    assert DBTaskResult.objects.count() == 1  # only the user with an address gets a mail task
    assert mail.outbox == []  # queued, not sent in the request
    run_queued_tasks()
    [message] = mail.outbox
    assert message.to == ["reader@example.org"] and message.subject == "Listed"
    assert "https://cp.example.gov.cn/audits/7/" in message.body
    note = Notification.objects.get(user=reader)
    assert note.emailed and note.emailed_at and note.email_attempts == 1 and not note.email_error
    assert note.link == "/audits/7/"  # the in-app link stays relative


def test_publishing_a_roster_mails_only_after_commit() -> None:
    world = fixtures.build()
    world.enterprise_user.email = "ent@example.org"
    world.enterprise_user.save()
    roster = rosters.propose(world.shenzhen, Region.objects.get(code="440300"), 2025)
    rosters.add_entry(world.shenzhen, roster, "群众举报核实", enterprise=world.enterprise)
    with TestCase.captureOnCommitCallbacks(execute=True):
        rosters.publish(world.shenzhen, roster)
        assert Notification.objects.filter(user=world.enterprise_user).exists()
        assert mail.outbox == []
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["ent@example.org"]]
    assert roster.title in mail.outbox[0].subject


@override_settings(CLEANPROD_EMAIL_ATTEMPTS=2, CLEANPROD_EMAIL_RETRY_DELAYS=(60,))
def test_a_send_failure_is_recorded_and_retried(reader: Any) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify([reader], "Overdue", link="/audits/1/")
    failing = mock.patch(
        "cleanprod.notifications.tasks.send_mail", side_effect=ConnectionRefusedError("smtp down")
    )
    with failing:
        run_queued_tasks()
    note = Notification.objects.get()
    assert not note.emailed and note.email_attempts == 1 and "smtp down" in note.email_error
    retry = DBTaskResult.objects.ready()
    assert not retry.exists()  # waits for its delay
    later = DBTaskResult.objects.filter(status="READY").get()
    assert later.run_after is not None and later.run_after > later.enqueued_at
    # When the delay has passed, the second attempt fails too: the last attempt fails the task.
    DBTaskResult.objects.filter(pk=later.pk).update(run_after=later.enqueued_at)
    with failing:
        run_queued_tasks()
    note.refresh_from_db()
    assert not note.emailed and note.email_attempts == 2
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1
    assert mail.outbox == []


def test_a_retry_that_succeeds_records_the_mail(reader: Any) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify([reader], "Overdue", link="/audits/1/")
    with mock.patch("cleanprod.notifications.tasks.send_mail", return_value=0):
        run_queued_tasks()  # the backend accepted nothing: not e-mailed
    note = Notification.objects.get()
    assert not note.emailed and note.email_attempts == 1 and note.email_error
    DBTaskResult.objects.filter(status="READY").update(
        run_after=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )
    run_queued_tasks()
    note.refresh_from_db()
    assert note.emailed and note.email_attempts == 2 and note.email_error == ""
    assert len(mail.outbox) == 1
