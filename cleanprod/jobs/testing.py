"""Run queued background tasks inside a test, deterministically, in the test's transaction."""

from __future__ import annotations

from io import StringIO
from unittest import mock

from django.core.management import call_command


def run_queued_tasks(*, schedule: bool = False) -> str:
    """Run every ready task (``cleanprod worker --once``) and return the worker's output.

    The db worker closes "old" connections between tasks; inside a test's transaction that
    would poison the connection, so that call is switched off here.
    """
    out = StringIO()
    args = ["--once"] + ([] if schedule else ["--no-schedule"])
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", *args, stdout=out)
    return out.getvalue()
