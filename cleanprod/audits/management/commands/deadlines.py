"""``cleanprod deadlines``: every statutory deadline of a roster, nominal and legal dates."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cleanprod.audits.models.audits import DEADLINE_EVENTS
from cleanprod.audits.rules import effective_rules
from cleanprod.core import audit_rules, legal_calendar
from cleanprod.core.calendar import CalendarError


def _date(field: str) -> Any:
    def parse(value: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--{field}: “{value}” is not a date (YYYY-MM-DD)") from None

    return parse


class Command(BaseCommand):
    help = (
        "Print every audit deadline counted from a roster's publication (and, if given, from the "
        "passed evaluation): the nominal last day, the legal last day (民法典 第二百零三条: a "
        "period ending on a statutory holiday or rest day ends on the next working day), the "
        "rule id and its source, under the national rules or a province's effective rules."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--published", required=True, type=_date("published"), help="roster published on"
        )
        parser.add_argument(
            "--evaluation-passed",
            type=_date("evaluation-passed"),
            help="evaluation passed on (adds the implementation and acceptance deadlines)",
        )
        parser.add_argument(
            "--province", help="six-digit province code, e.g. 440000 (its override applies)"
        )
        parser.add_argument(
            "--trigger",
            choices=[t.value for t in audit_rules.Trigger],
            help="only the rules that apply to this mandatory-audit trigger",
        )
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        province = options["province"]
        if province is not None and not (
            len(province) == 6 and province.isdigit() and province.endswith("0000")
        ):
            raise CommandError(f"--province: “{province}” is not a province code such as 440000")
        rules = effective_rules(province) if province else audit_rules.load_national_rules()
        anchors = {audit_rules.Anchor.ROSTER_PUBLISHED: options["published"]}
        if options["evaluation_passed"] is not None:
            anchors[audit_rules.Anchor.EVALUATION_PASSED] = options["evaluation_passed"]
        trigger = options["trigger"]
        try:
            found = [
                d
                for d in audit_rules.compute_deadlines(rules, anchors)
                # A rule that names triggers applies only to them; the others apply to all.
                if trigger is None or not d.rule.triggers or trigger in d.rule.triggers
            ]
        except CalendarError as exc:
            raise CommandError(f"--published: {exc}") from None
        rows = [_row(d) for d in found]
        if options["format"] == "json":
            report = {
                "published": options["published"].isoformat(),
                "evaluation_passed": options["evaluation_passed"]
                and options["evaluation_passed"].isoformat(),
                "province": province,
                "trigger": trigger,
                "rules_version": rules.version,
                "calendar_version": legal_calendar.calendar_version(),
                "extension_rule": {
                    "id": legal_calendar.RULE_ID,
                    "text": legal_calendar.RULE_TEXT,
                    "source": legal_calendar.RULE_SOURCE,
                },
                "deadlines": rows,
            }
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"rules {rules.version}; calendar {legal_calendar.calendar_version()}")
        widths = (20, 10, 10, 30, 0)  # the source, last, is not padded
        self.stdout.write(_line(("event", "nominal", "legal", "rule", "source"), widths))
        for r in rows:
            cells = (r["event"], r["nominal_due"], r["legal_due"], r["rule_id"], r["source"])
            self.stdout.write(_line(cells, widths))
            if r["note"]:
                self.stdout.write(f"    {r['note']}")
            if r["provisional"]:
                self.stdout.write(
                    "    provisional: the State Council has not published this year's schedule "
                    "in the holiday data yet"
                )


def _line(cells: tuple[str, ...], widths: tuple[int, ...]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def _row(d: audit_rules.Deadline) -> dict[str, Any]:
    return {
        "event": d.event,
        "label": str(DEADLINE_EVENTS.get(d.event, d.event)),
        "anchor": d.anchor.value,
        "anchor_date": d.anchor_date.isoformat(),
        "nominal_due": d.nominal_due.isoformat(),
        "legal_due": d.due.isoformat(),
        "extended": d.period.moved,
        "provisional": d.period.provisional,
        "note": d.period.note,
        "rule_id": d.rule.id,
        "rule_text": d.rule.text,
        "source": d.rule.source_text,
        "origin": d.rule.origin,
    }
