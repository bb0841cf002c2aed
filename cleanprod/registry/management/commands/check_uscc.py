import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cleanprod.core.codes import uscc_problem


class Command(BaseCommand):
    help = (
        "Check unified social credit codes (GB 32100-2015). Codes as arguments, or '-' to read "
        "one per line from standard input. Prints CODE<TAB>valid or CODE<TAB>invalid<TAB>reason; "
        "exits 1 if any code is invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("codes", nargs="+", metavar="CODE")

    def handle(self, *args: Any, **options: Any) -> None:
        codes: list[str] = options["codes"]
        if codes == ["-"]:
            codes = [line.strip() for line in sys.stdin if line.strip()]
        bad = 0
        for code in codes:
            problem = uscc_problem(code)
            if problem is None:
                self.stdout.write(f"{code}\tvalid")
            else:
                bad += 1
                self.stdout.write(f"{code}\tinvalid\t{problem}")
        if bad:
            sys.exit(1)
