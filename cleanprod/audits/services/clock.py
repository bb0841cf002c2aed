"""The daily clock: mark overdue milestones and notify the enterprise, its agency, the authority."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cleanprod.accounts.models import User
from cleanprod.audits.models import Audit, Deadline
from cleanprod.changelog.bulk import logged_update
from cleanprod.core import legal_calendar
from cleanprod.core.calendar import CalendarError
from cleanprod.notifications.models import Notification
from cleanprod.notifications.services import notify
from cleanprod.regions.models import Region


@dataclass
class ClockReport:
    newly_overdue: int
    notifications: int


def authorities_for(region_code: str) -> list[User]:
    """Officers and administrators whose region contains ``region_code`` (national included)."""
    region = Region.objects.get(code=region_code)
    chain = [r.code for r in region.ancestors()] + [region.code]
    return list(
        User.objects.filter(
            Q(region_id__in=chain) | Q(region__isnull=True),
            party="authority",
            role__in=["officer", "administrator"],
            is_active=True,
        )
    )


def _legal_day_passed(deadline: Deadline, today: dt.date, version: str) -> bool:
    """Recompute the legal day with the installed holiday data; store it if it changed.

    A due date in a year the State Council had not yet scheduled was computed without 调休 and
    may be too early; once the ``holidays`` package is upgraded the clock corrects it here
    instead of flagging a milestone before its legal day (民法典 第二百零三条).
    """
    try:
        legal = legal_calendar.legal_due(deadline.nominal_due)
    except CalendarError:  # outside the holiday data: keep the stored day
        return True
    if legal != deadline.due:
        logged_update(Deadline.objects.filter(pk=deadline.pk), due=legal, calendar_version=version)
        deadline.due = legal
    return legal < today


@transaction.atomic
def run_clock(today: dt.date) -> ClockReport:
    """Mark every unmet milestone whose legal day is before ``today`` overdue and notify, once."""
    due = Deadline.objects.filter(met_on__isnull=True, due__lt=today).select_related(
        "audit__enterprise", "audit__agency"
    )
    version = legal_calendar.calendar_version()
    overdue = [d for d in due if _legal_day_passed(d, today, version)]
    newly = [d for d in overdue if not d.overdue]
    logged_update(Deadline.objects.filter(pk__in=[d.pk for d in newly]), overdue=True)
    logged_update(
        Audit.objects.filter(pk__in={d.audit_id for d in newly}, overdue=False), overdue=True
    )
    # Remind of every overdue milestone nobody was reminded of yet, not only the newly overdue:
    # milestones flagged by a bulk load (the demo data) get their reminders on the first run.
    keys = [f"overdue:{d.pk}" for d in overdue]
    reminded: set[str] = set()
    for start in range(0, len(keys), 900):  # below SQLite's query parameter limit
        found = Notification.objects.filter(key__in=keys[start : start + 900])
        reminded.update(found.values_list("key", flat=True))
    sent = 0
    for d in overdue:
        if f"overdue:{d.pk}" in reminded:
            continue
        audit = d.audit
        users = list(User.objects.filter(enterprise=audit.enterprise, is_active=True))
        if audit.agency_id:
            users += list(User.objects.filter(agency_id=audit.agency_id, is_active=True))
        users += authorities_for(audit.region_id)
        sent += notify(
            users,
            subject=_("Overdue: %(event)s of %(audit)s (due %(due)s)")
            % {"event": d.label, "audit": audit.title, "due": d.due},
            body=f"{d.rule_text}（{d.rule_source}）",
            link=audit.get_absolute_url(),
            key=f"overdue:{d.pk}",
        )
    return ClockReport(newly_overdue=len(newly), notifications=sent)
