"""``cleanprod export MODEL --user USERNAME [--format xlsx|csv] [--filter key=value …] -o FILE``."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict

from cleanprod.registry.io import SPECS
from cleanprod.registry.io.exports import export_file, filtered


class Command(BaseCommand):
    help = (
        "Export a registry list as .xlsx or .csv with a user's scope and the list page's filters "
        "(e.g. --filter region=440000 --filter industry=33)."
    )

    requires_system_checks: list[str] = []  # a data command: no need to vet the project first

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("model", choices=sorted(SPECS))
        parser.add_argument("--user", required=True, help="whose export scope applies")
        parser.add_argument("--format", choices=["xlsx", "csv"], help="default: from -o's suffix")
        parser.add_argument(
            "--filter", action="append", default=[], metavar="KEY=VALUE", help="repeatable"
        )
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None or not user.is_active:
            raise CommandError(f"no active user {options['user']!r}")
        output: Path = options["output"]
        fmt = options["format"] or output.suffix.lstrip(".").lower()
        if fmt not in ("xlsx", "csv"):
            raise CommandError("choose --format xlsx or csv")
        params = QueryDict(mutable=True)
        for item in options["filter"]:
            key, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"--filter wants KEY=VALUE, not {item!r}")
            params.appendlist(key.strip(), value.strip())
        spec = SPECS[options["model"]]
        filterset = filtered(spec, user, params)
        unknown = set(params) - set(filterset.filters)
        if unknown:
            raise CommandError(f"unknown filter(s): {', '.join(sorted(unknown))}")
        if not filterset.is_valid():
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items())
            raise CommandError(f"invalid filter: {problems}")
        queryset = filterset.qs
        count = queryset.count()
        with output.open("wb") as out:
            shutil.copyfileobj(export_file(spec, queryset, fmt), out)
        self.stdout.write(f"{count} rows written to {output}")
