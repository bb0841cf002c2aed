import io
import sys
import time
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from cleanprod.demo.audits import build_audits, demo_user_audit
from cleanprod.demo.audits import purge_synthetic as purge_audits
from cleanprod.demo.plans import build_plans
from cleanprod.demo.plans import purge_synthetic as purge_plans
from cleanprod.demo.registry import build_registry
from cleanprod.demo.users import DEFAULT_DEMO_PASSWORD, build_users
from cleanprod.platform.db import analyze
from cleanprod.registry.models import Enterprise

# The apps whose tables the demo fills (directly or through the services it calls).
DEMO_APPS = ("accounts", "registry", "audits", "evaluation", "plans", "changelog")


def demo_models() -> list[Any]:
    """Every table of :data:`DEMO_APPS`, many-to-many link tables included."""
    found: list[Any] = []
    for label in DEMO_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                found.append(model)
    return found


class Command(BaseCommand):
    help = (
        "Build a reproducible synthetic dataset (marked synthetic everywhere it is shown): "
        "enterprises across all provinces and key industries with valid codes, parks, agencies "
        "and experts. Replaces any previous synthetic data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enterprises", type=int, default=2000, help="default 2,000")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when synthetic data already exists (used by make run)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Enterprise.objects.filter(synthetic=True).exists():
            self.stdout.write("synthetic data present; nothing to do")
            return
        started = time.monotonic()
        call_command("load_reference", stdout=io.StringIO())
        n = options["enterprises"]
        purge_plans()  # plan facts point at enterprises: purge them before the registry
        purge_audits()
        with tqdm(
            total=n, unit="ent", desc="enterprises", file=sys.stderr, disable=None, mininterval=0.5
        ) as bar:
            counts = build_registry(n, options["seed"], bar.update)
        users = build_users()
        with tqdm(
            total=int(n * 0.85 * 0.15),
            unit="audit",
            desc="audits",
            file=sys.stderr,
            disable=None,
            mininterval=0.5,
        ) as bar:
            counts.update(build_audits(options["seed"], bar.update))
        demo_user_audit(users["demo_enterprise"].enterprise, users["demo_agency"].agency)
        with tqdm(
            total=n, unit="ent", desc="plans", file=sys.stderr, disable=None, mininterval=0.5
        ) as bar:
            counts.update(build_plans(options["seed"], bar.update))
        # Statistics for the freshly loaded tables: without them the planner keeps the plans of
        # the empty tables (sequential scans) until autovacuum, if on, gets there.
        analysed = analyze(*demo_models())
        self.stdout.write(
            f"demo users: {', '.join(users)} (password from CLEANPROD_DEMO_PASSWORD, "
            f"default {DEFAULT_DEMO_PASSWORD!r})"
        )
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(f"analysed tables: {len(analysed)}")
        self.stdout.write(f"done in {time.monotonic() - started:.1f} s")
