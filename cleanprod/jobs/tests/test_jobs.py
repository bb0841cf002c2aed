"""Background jobs: the job pages and their policy, the scheduler, the worker command."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from cleanprod.accounts.tests.factories import authority, user
from cleanprod.audits.tests import fixtures
from cleanprod.jobs import scheduler, services
from cleanprod.jobs.models import Job, ScheduledRun
from cleanprod.jobs.testing import run_queued_tasks
from cleanprod.notifications.models import Notification

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int = 0, day: int = 2) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


# -- job pages -----------------------------------------------------------------------------------


def test_job_page_polls_until_finished_then_shows_the_result(client: Client) -> None:
    owner = user("owner")
    job = services.create("audit_clock", "Clock", owner)
    services.ProgressWriter(job.pk)("check", 40, 100)
    client.force_login(owner)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'aria-valuenow="40"' in page
    assert "正在检查各行" in page and "40 / 100" in page
    fragment = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="job-status"')
    with services.running(job.pk) as (running_job, _progress):
        services.finish(running_job, {"newly_overdue": 3})
    page = client.get(job.get_absolute_url()).content.decode()
    assert "every 1s" not in page and 'id="job-ok"' in page and "newly_overdue" in page


def test_a_crashing_job_is_failed_with_its_message() -> None:
    job = services.create("x", "X")
    with pytest.raises(ZeroDivisionError), services.running(job.pk):
        1 / 0  # noqa: B018
    job.refresh_from_db()
    assert job.status == "failed" and "ZeroDivisionError" in job.message and job.finished


def test_users_see_their_own_jobs_and_superusers_all(client: Client) -> None:
    mine = services.create("import:enterprises", "Mine", user("me"))
    theirs = services.create("import:enterprises", "Theirs", authority("gd", "440000"))
    scheduled = services.create("audit_clock", "Clock")
    client.force_login(mine.user)
    body = client.get(reverse("jobs:list")).content.decode()
    assert "Mine" in body and "Theirs" not in body and "Clock" not in body
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    client.force_login(user("root", is_superuser=True, is_staff=True))
    body = client.get(reverse("jobs:list")).content.decode()
    assert "Mine" in body and "Theirs" in body and "Clock" in body
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_job_pages_need_login(client: Client) -> None:
    job = services.create("x", "X", user("someone"))
    assert client.get(reverse("jobs:list")).status_code == 302
    assert client.get(job.get_absolute_url()).status_code == 302


def test_progress_writes_are_throttled_but_keep_phase_changes_and_the_end() -> None:
    job = services.create("x", "X")
    write = services.ProgressWriter(job.pk, interval=3600)
    write("read", 5000, 0)
    write("read", 10000, 0)  # too soon: skipped
    job.refresh_from_db()
    assert (job.phase, job.done) == ("read", 5000)
    write("check", 1, 10)  # a new phase is written at once
    write("check", 10, 10)  # and so is the end of a phase
    job.refresh_from_db()
    assert (job.phase, job.done, job.total) == ("check", 10, 10)


# -- scheduler -----------------------------------------------------------------------------------


def test_the_clock_is_enqueued_once_a_day_even_when_asked_twice() -> None:
    assert scheduler.enqueue_due(at(0, 30)) == []  # before 01:00 and not at start-up
    assert scheduler.enqueue_due(at(0, 30), startup=True) == ["audit_clock"]
    assert scheduler.enqueue_due(at(0, 30), startup=True) == []  # a second worker starting
    assert scheduler.enqueue_due(at(1, 5)) == []  # 01:00 passed, but it ran today already
    assert scheduler.enqueue_due(at(2, 5)) == ["refresh_plan_metrics"]
    assert scheduler.enqueue_due(at(3)) == []
    assert scheduler.enqueue_due(at(1, 0, day=3)) == ["audit_clock"]  # the next day, at 01:00
    runs = list(ScheduledRun.objects.order_by("day", "name").values_list("name", "day"))
    assert runs == [
        ("audit_clock", dt.date(2026, 3, 2)),
        ("refresh_plan_metrics", dt.date(2026, 3, 2)),
        ("audit_clock", dt.date(2026, 3, 3)),
    ]
    assert DBTaskResult.objects.count() == 3 and Job.objects.count() == 3


def test_a_worker_that_loses_the_race_enqueues_nothing(monkeypatch: Any) -> None:
    # Another worker inserted the day's row between this worker's check and its insert.
    real_create = ScheduledRun.objects.create

    def raced(**kw: Any) -> ScheduledRun:
        real_create(**kw)
        return real_create(**kw)  # the unique (job, day) row refuses the second insert

    monkeypatch.setattr(ScheduledRun.objects, "create", raced)
    assert scheduler.enqueue_due(at(0, 30), startup=True) == []
    monkeypatch.undo()
    assert ScheduledRun.objects.count() == 0  # rolled back with the loser's transaction
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


CLOCK_ONLY = {"audit_clock": {**settings.CLEANPROD_SCHEDULE["audit_clock"], "at": "23:59:59"}}


@override_settings(CLEANPROD_SCHEDULE=CLOCK_ONLY)  # due at start-up only, whatever the hour
def test_the_worker_runs_the_clock_at_start_up_and_sends_the_reminders() -> None:
    world = fixtures.build()
    world.enterprise_user.email = "ent@example.org"
    world.enterprise_user.save()
    audit = fixtures.new_audit(world, dt.date(2025, 1, 31))  # long overdue today
    # As in the demo data: a milestone already flagged overdue, but nobody was reminded.
    audit.deadlines.filter(event="disclose").update(overdue=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        out = run_queued_tasks(schedule=True)
    assert "enqueued periodic job audit_clock" in out
    job = Job.objects.get(kind="audit_clock")
    assert job.status == "succeeded" and job.result["newly_overdue"] == 2
    audit.refresh_from_db()
    assert audit.overdue
    keys = set(
        Notification.objects.filter(user=world.enterprise_user).values_list("key", flat=True)
    )
    assert keys == {f"overdue:{d.pk}" for d in audit.deadlines.all()}
    run_queued_tasks()  # the mail tasks the clock queued after its commit
    assert any("ent@example.org" in m.to for m in mail.outbox)
    assert ScheduledRun.objects.filter(name="audit_clock").count() == 1
    run_queued_tasks(schedule=True)  # a second start on the same day: no second run
    assert Job.objects.filter(kind="audit_clock").count() == 1
