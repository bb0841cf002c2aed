from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cleanprod.industries.loader import load_industry_rows, parse_industries


class Command(BaseCommand):
    help = (
        "Import a full GB/T 4754 list from a UTF-8 CSV with columns level,code,name,parent "
        "(sections, divisions, middle classes and classes). Existing codes are updated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            rows = parse_industries(path.read_text("utf-8-sig"), path.name)
            changed = load_industry_rows(rows)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{len(rows)} rows read, {changed} changed")
