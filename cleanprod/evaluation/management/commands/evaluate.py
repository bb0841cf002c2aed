"""``cleanprod evaluate --system SLUG_OR_PATH DATA.(csv|xlsx) [--format table|json|csv]
[--advise]``."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cleanprod.core.scoring.cli import OK, run_evaluate
from cleanprod.core.scoring.tabular import FORMATTERS


class Command(BaseCommand):
    help = "按清洁生产评价指标体系评价 CSV/XLSX 中的每家企业（每行一家）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--system", required=True, help="指标体系 slug 或 YAML 文件路径")
        parser.add_argument("data", help="企业数据文件（.csv 或 .xlsx）")
        parser.add_argument("--format", default="table", choices=sorted(FORMATTERS))
        parser.add_argument(
            "--advise", action="store_true", help="为每家企业给出达到更高等级的最少改进方案"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text, code = run_evaluate(
            options["system"], options["data"], options["format"], options["advise"]
        )
        if code != OK:
            raise CommandError(text, returncode=code)
        self.stdout.write(text, ending="")
