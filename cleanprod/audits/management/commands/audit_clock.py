import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cleanprod.audits.services.clock import run_clock


class Command(BaseCommand):
    help = (
        "Daily job: mark overdue audit milestones and notify the enterprise, its agency and the "
        "authority (in-app now, by e-mail through the worker after commit). Idempotent; "
        "`cleanprod worker` runs it daily as a periodic job, so no cron entry is needed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, help="YYYY-MM-DD (tests)")

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_clock(options["today"] or timezone.localdate())
        self.stdout.write(
            f"{report.newly_overdue} milestones newly overdue, {report.notifications} notifications"
        )
