"""``cleanprod worker [--once]``: run queued background tasks and enqueue the periodic ones."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker

from cleanprod.jobs.scheduler import enqueue_due

logger = logging.getLogger("cleanprod.jobs")


class Command(BaseCommand):
    help = (
        "Run background tasks from the database queue (imports, e-mail, periodic jobs) and "
        "enqueue the periodic jobs when due: the audit clock at start-up if it has not run today "
        "and then daily, the metric refresh nightly. Run one or more on any machine that reaches "
        "the database; --once runs what is due and queued, then exits."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="enqueue what is due, run every ready task, exit"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls when idle"
        )
        parser.add_argument(
            "--no-schedule", action="store_true", help="run tasks only; never enqueue periodic jobs"
        )
        parser.add_argument("--queue-name", default="*", help="queues to run (comma-separated)")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=True,  # run() returns when the queue is empty; this loop then checks the clock
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        if not options["once"]:
            worker.configure_signals()
            self.stdout.write(f"cleanprod worker {worker.worker_id} started")
        startup = True
        while worker.running:
            if not options["no_schedule"]:
                for name in enqueue_due(startup=startup):
                    self.stdout.write(f"enqueued periodic job {name}")
            startup = False
            before = worker._run_tasks
            worker.run()
            if worker._run_tasks != before:
                self.stdout.write(f"ran {worker._run_tasks - before} task(s)")
            if options["once"]:
                break
            time.sleep(options["interval"])
