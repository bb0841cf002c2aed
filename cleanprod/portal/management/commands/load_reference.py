from typing import Any

from django.core.management.base import BaseCommand

from cleanprod.evaluation.services import load_shipped_systems
from cleanprod.industries.loader import load_groups, load_industries
from cleanprod.plans.loader import load_reference as load_plans_reference
from cleanprod.regions.loader import load_regions


class Command(BaseCommand):
    help = (
        "Load the shipped reference data (regions, industries, industry groups, indicator "
        "systems, the plans' entries and emission factors); idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = {
            "regions": load_regions(),
            "industries": load_industries(),
            "industry groups": load_groups(),
            "indicator systems": load_shipped_systems(),
        }
        # Plan entries resolve their industries through the groups loaded above.
        load_plans_reference()
        for name, changed in counts.items():
            self.stdout.write(f"{name}: {changed} changed")
