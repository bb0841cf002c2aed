"""``cleanprod systems list`` and ``cleanprod systems validate PATH``."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cleanprod.core.scoring.cli import OK, run_systems_list, run_systems_validate


class Command(BaseCommand):
    help = "列出随平台发布的指标体系，或校验一个指标体系文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="列出随平台发布的指标体系")
        validate = sub.add_parser("validate", help="校验指标体系 YAML 文件")
        validate.add_argument("path")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            text, code = run_systems_list()
        else:
            text, code = run_systems_validate(options["path"])
        if code != OK:
            raise CommandError(text, returncode=code)
        self.stdout.write(text, ending="")
