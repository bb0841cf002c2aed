"""Periodic jobs: django-tasks has no scheduler, so each ``cleanprod worker`` asks this module
every few seconds which jobs are due and enqueues them.

``settings.CLEANPROD_SCHEDULE`` names each job's task (a dotted path to a django-tasks task taking
``(job_id, day)``), its local time of day and whether it also runs when a worker starts and it
has not run today. A :class:`ScheduledRun` row unique per (job, day) makes the first worker to
insert it the only one to enqueue: several workers on several machines run each job once a day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from cleanprod.jobs import services
from cleanprod.jobs.models import ScheduledRun


def schedule() -> dict[str, dict[str, Any]]:
    """The configured periodic jobs by name."""
    return dict(getattr(settings, "CLEANPROD_SCHEDULE", {}))


def is_due(entry: dict[str, Any], local: dt.datetime, startup: bool) -> bool:
    """Whether a job not yet run on ``local``'s day should run now."""
    if startup and entry.get("at_startup"):
        return True
    return local.time() >= dt.time.fromisoformat(entry["at"])


def enqueue_due(now: dt.datetime | None = None, *, startup: bool = False) -> list[str]:
    """Enqueue every periodic job due now and not yet enqueued today; returns their names."""
    local = timezone.localtime(now or timezone.now())
    day = local.date()
    enqueued = []
    for name, entry in schedule().items():
        if not is_due(entry, local, startup):
            continue
        if ScheduledRun.objects.filter(name=name, day=day).exists():
            continue
        task = import_string(entry["task"])
        try:
            # One transaction for the day's row, the job and (database backend) the queued task:
            # either all exist or none, and a second worker's insert fails on the unique row.
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=name, day=day)
                job = services.create(name, f"{entry.get('title', name)} {day.isoformat()}")
                job.task_id = str(task.enqueue(job.pk, day.isoformat()).id)
                job.save(update_fields=["task_id"])
                run.job = job
                run.save(update_fields=["job"])
        except IntegrityError:
            continue  # another worker enqueued it first
        enqueued.append(name)
    return enqueued
