import time
from typing import Any

from django.core.management.base import BaseCommand

from cleanprod.plans.summary import refresh_summaries


class Command(BaseCommand):
    help = "Recount the progress metrics from the platform's facts into the dashboard summaries."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        counts = refresh_summaries()
        for name, n in counts.items():
            self.stdout.write(f"{name}: {n}")
        self.stdout.write(f"done in {time.monotonic() - started:.1f} s")
