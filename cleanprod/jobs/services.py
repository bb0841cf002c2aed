"""Start background jobs and report their progress from inside the task.

A view or the scheduler calls :func:`create` (a :class:`Job` row the user can watch) and
:func:`enqueue_after_commit`; the task body runs under :func:`running`, which marks the job
running, hands it a :class:`ProgressWriter` and records the outcome.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.utils import timezone

from cleanprod.jobs.models import Job


def create(
    kind: str,
    title: str,
    user: Any = None,
    *,
    params: dict[str, Any] | None = None,
    payload: bytes | None = None,
) -> Job:
    """A waiting job of ``kind`` started by ``user`` (``None`` for scheduled jobs)."""
    return Job.objects.create(
        kind=kind, title=title[:200], user=user, params=params or {}, payload=payload
    )


def enqueue_after_commit(job: Job, task: Any, *args: Any) -> None:
    """Enqueue ``task(job.pk, *args)`` once the job row is committed.

    After commit, because a worker in another process must find the job (and its file) when the
    task starts, and nothing must run for a job whose transaction rolled back.
    """

    def send() -> None:
        result = task.enqueue(job.pk, *args)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(send)


class ProgressWriter:
    """The importer's ``Progress`` callback that writes to the job row, at most every
    ``interval`` seconds (and at every new phase) so 100k rows are not 100k updates.

    Each write is a single ``UPDATE`` in autocommit: its own short transaction, which the job
    page sees at once.
    """

    def __init__(self, job_id: int, interval: float = 0.5) -> None:
        self.job_id = job_id
        self.interval = interval
        self.phase = ""
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == self.phase and now - self.last < self.interval and done != total:
            return
        self.phase, self.last = phase, now
        Job.objects.filter(pk=self.job_id).update(phase=phase, done=done, total=total)


@contextmanager
def running(job_id: int) -> Iterator[tuple[Job, Callable[[str, int, int], None]]]:
    """Run the body of a job's task: mark it running, then finished or failed.

    The body stores its outcome with :func:`finish` (or :func:`fail` for an expected failure
    such as row errors); an exception marks the job failed and is re-raised so the task's own
    result says failed too.
    """
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started=timezone.now())
    job = Job.objects.get(pk=job_id)
    try:
        yield job, ProgressWriter(job_id)
    except Exception as exc:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            message=f"{type(exc).__name__}: {exc}"[:2000],
            finished=timezone.now(),
            payload=None,
        )
        raise
    else:
        Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
            status=Job.Status.SUCCEEDED, finished=timezone.now(), payload=None
        )


def finish(job: Job, result: dict[str, Any], message: str = "") -> None:
    """Record a successful outcome."""
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED,
        result=result,
        message=message,
        finished=timezone.now(),
        payload=None,
    )


def fail(
    job: Job, message: str, errors: list[dict[str, Any]], result: dict[str, Any] | None = None
) -> None:
    """Record a failure the user can act on (row errors), not a crash."""
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED,
        result=result,
        message=message,
        errors=errors,
        finished=timezone.now(),
        payload=None,
    )
