"""Periodic tasks of the audits: the daily clock (scheduled by ``cleanprod worker``)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from cleanprod.audits.services.clock import run_clock
from cleanprod.jobs import services as jobs


@task()
def audit_clock(job_id: int, day: str) -> dict[str, int]:
    """Mark the milestones overdue on ``day`` (ISO date) and notify; see :func:`run_clock`."""
    with jobs.running(job_id) as (job, _progress):
        report = run_clock(dt.date.fromisoformat(day))
        result = {"newly_overdue": report.newly_overdue, "notifications": report.notifications}
        jobs.finish(job, result)
        return result
