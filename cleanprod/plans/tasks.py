"""Periodic tasks of the plans: the nightly metric refresh (scheduled by ``cleanprod worker``)."""

from __future__ import annotations

from django_tasks import task

from cleanprod.jobs import services as jobs
from cleanprod.plans.summary import refresh_summaries


@task()
def refresh_plan_metrics(job_id: int, day: str) -> dict[str, int]:
    """Recount the dashboard summaries from the platform's facts (``day`` names the run)."""
    with jobs.running(job_id) as (job, _progress):
        counts = dict(refresh_summaries())
        jobs.finish(job, counts)
        return counts
