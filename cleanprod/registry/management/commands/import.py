"""``cleanprod import enterprises|parks|agencies|experts FILE --user USERNAME [--dry-run]``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from cleanprod.registry.io import SPECS, import_file


class Command(BaseCommand):
    help = (
        "Import registry rows from an .xlsx or .csv file as a user: every row is validated "
        "first and nothing is written unless all pass. Errors are printed as 第N行 列名：原因; "
        "the exit status is 1 if there is any."
    )

    requires_system_checks: list[str] = []  # a data command: no need to vet the project first

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("model", choices=sorted(SPECS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="whose permissions apply")
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None or not user.is_active:
            raise CommandError(f"no active user {options['user']!r}")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        bars: dict[str, tqdm] = {}

        def progress(phase: str, done: int, total: int) -> None:
            bar = bars.get(phase)
            if bar is None:
                bar = bars[phase] = tqdm(
                    total=total or None,
                    desc=phase,
                    unit="row",
                    file=sys.stderr,
                    disable=None,
                    leave=False,
                    mininterval=0.5,
                )
            bar.update(done - bar.n)

        try:
            with path.open("rb") as file:
                result = import_file(
                    SPECS[options["model"]],
                    user,
                    file,
                    path.name,
                    dry_run=options["dry_run"],
                    progress=progress,
                )
        finally:
            for bar in bars.values():
                bar.close()
        for error in result.errors:
            self.stdout.write(str(error))
        if result.errors:
            self.stderr.write(f"{len(result.errors)} error(s); nothing was written")
            sys.exit(1)
        summary = (
            f"{result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged ({result.rows} rows)"
        )
        self.stdout.write(summary + ("; dry run, nothing written" if result.dry_run else ""))
