"""Rosters: propose the mandatory list from enterprise data, review it, publish it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cleanprod.accounts.models import User
from cleanprod.audits.models import (
    AuditKind,
    EmissionExceedance,
    EnergyExceedance,
    Roster,
    RosterEntry,
    SubstanceRecord,
)
from cleanprod.audits.rules import assess, effective_rules
from cleanprod.audits.services.audits import open_audit, today
from cleanprod.audits.services.errors import Conflict, NotAllowed, PreconditionFailed
from cleanprod.changelog.bulk import logged_bulk_create, logged_update
from cleanprod.notifications.services import notify
from cleanprod.platform.locking import StaleObject, claim
from cleanprod.platform.permissions import ADD, CHANGE, VIEW, can
from cleanprod.regions.models import Region
from cleanprod.registry.models import Enterprise, Park

# The facts a mandatory roster is proposed from (超标排放, 超能耗限额, 使用或排放有毒有害物质).
FACTS = (EmissionExceedance, EnergyExceedance, SubstanceRecord)
KIND_OF_ROSTER = {
    Roster.Kind.MANDATORY: AuditKind.MANDATORY,
    Roster.Kind.VOLUNTARY: AuditKind.VOLUNTARY,
    Roster.Kind.PILOT: AuditKind.PILOT,
}


def _authority(user: Any, roster: Roster, action: str = CHANGE) -> None:
    if not can(user, action, roster):
        raise NotAllowed(_("This roster lies outside your scope."))


@transaction.atomic
def propose(user: Any, region: Region, year: int, kind: str = Roster.Kind.MANDATORY) -> Roster:
    """A draft roster; for a mandatory roster, the enterprises whose facts trigger an audit."""
    roster = Roster(
        region=region,
        year=year,
        kind=kind,
        created_by=user,
        title=f"{region.full_name}{year}年{Roster.Kind(kind).label}名单",
        rules_version=effective_rules(region.code[:2] + "0000").version,
    )
    roster.save()
    if not can(user, ADD, roster):
        raise NotAllowed(_("You may not draw up rosters for this region."))
    if kind != Roster.Kind.MANDATORY:
        return roster
    with_facts: set[int] = set()
    for model in FACTS:
        with_facts.update(
            model.objects.filter(
                year=year, enterprise__in=Enterprise.objects.in_region(region)
            ).values_list("enterprise_id", flat=True)
        )
    entries = []
    for enterprise in Enterprise.objects.filter(pk__in=with_facts).order_by("pk"):
        found = assess(enterprise, year)
        if not found.findings:
            continue
        entries.append(
            RosterEntry(
                roster=roster,
                enterprise=enterprise,
                origin=RosterEntry.Origin.PROPOSED,
                triggers=sorted({str(f.trigger) for f in found.findings}),
                reasons="\n".join(f"{f.reason}（{f.rule.id}）" for f in found.findings),
            )
        )
    logged_bulk_create(RosterEntry, entries)
    return roster


def explain_empty(region: Region, year: int) -> str:
    """Why a mandatory proposal for ``region`` and ``year`` found nobody: the facts it read
    (how many of each kind) and the reason none put an enterprise on the roster."""
    enterprises = Enterprise.objects.in_region(region)
    counts = []
    checked: set[int] = set()
    for model in FACTS:
        rows = model.objects.filter(year=year, enterprise__in=enterprises)
        counts.append(f"{model._meta.verbose_name_plural} {rows.count()}")
        checked.update(rows.values_list("enterprise_id", flat=True))
    looked = _("Facts read for %(region)s, %(year)s: %(counts)s.") % {
        "region": region.full_name,
        "year": year,
        "counts": "，".join(counts),
    }
    if checked:
        why = _(
            "The facts of %(n)d enterprises were checked against the rules %(rules)s and none "
            "triggers a mandatory audit."
        ) % {"n": len(checked), "rules": effective_rules(region.code[:2] + "0000").version}
        return f"{looked} {why}"
    years = sorted(
        {
            y
            for model in FACTS
            for y in model.objects.filter(enterprise__in=enterprises)
            .values_list("year", flat=True)
            .distinct()
        }
    )
    if years:
        why = _("No fact is recorded for that year; facts exist for %(years)s.") % {
            "years": "、".join(str(y) for y in years)
        }
    else:
        why = _(
            "No exceedance, energy-quota or toxic-substance record exists for an enterprise of "
            "this region: record the facts first."
        )
    return f"{looked} {why}"


def _draft(roster: Roster) -> None:
    if roster.status != Roster.Status.DRAFT:
        raise Conflict(_("A published roster cannot be changed."))


def _claim(roster: Roster, expected_version: int | None) -> None:
    """Optimistic lock on the roster: every change to it or its entries bumps its version, so
    an officer acting on a page that no longer shows the roster as it is gets a conflict."""
    try:
        claim(roster, expected_version)
    except StaleObject as exc:
        raise Conflict(str(exc)) from exc
    roster.__dict__.pop("_version_claimed", None)  # the roster row itself is not saved here


@transaction.atomic
def add_entry(
    user: Any,
    roster: Roster,
    reason: str,
    enterprise: Enterprise | None = None,
    park: Park | None = None,
    expected_version: int | None = None,
) -> RosterEntry:
    _authority(user, roster)
    _draft(roster)
    if not reason.strip():
        raise PreconditionFailed(_("Give the reason for adding it."))
    subject = enterprise or park
    if subject is None or not can(user, VIEW, subject):
        raise NotAllowed(_("Choose an enterprise or park in your scope."))
    if not Region.objects.subtree(roster.region).filter(code=subject.region_id).exists():
        raise PreconditionFailed(_("It lies outside the roster's region."))
    _claim(roster, expected_version)
    if enterprise is not None and roster.entries.filter(enterprise=enterprise).exists():
        entry = roster.entries.get(enterprise=enterprise)
        entry.removed, entry.removal_reason = False, ""
        entry.reasons = f"{entry.reasons}\n{reason}".strip()
        entry.save()
        return entry
    origin = (
        RosterEntry.Origin.APPLIED
        if roster.kind == Roster.Kind.VOLUNTARY
        else RosterEntry.Origin.ADDED
    )
    return RosterEntry.objects.create(
        roster=roster, enterprise=enterprise, park=park, origin=origin, reasons=reason
    )


@transaction.atomic
def remove_entry(
    user: Any, entry: RosterEntry, reason: str, expected_version: int | None = None
) -> RosterEntry:
    _authority(user, entry.roster)
    _draft(entry.roster)
    if not reason.strip():
        raise PreconditionFailed(_("Give the reason for removing it."))
    _claim(entry.roster, expected_version)
    entry.removed, entry.removal_reason = True, reason
    entry.save()
    return entry


@transaction.atomic
def publish(user: Any, roster: Roster, expected_version: int | None = None) -> Roster:
    """Publish: open an audit per entry with its statutory deadlines, notify the enterprises."""

    _authority(user, roster)
    if expected_version is not None:
        _claim(roster, expected_version)
    updated = logged_update(
        Roster.objects.filter(pk=roster.pk, status=Roster.Status.DRAFT),
        status=Roster.Status.PUBLISHED,
        published_at=today(),
        published_by=user,
    )
    if updated != 1:
        raise Conflict(_("The roster has already been published."))
    roster.refresh_from_db()
    kind = KIND_OF_ROSTER[Roster.Kind(roster.kind)]
    for entry in roster.entries.filter(removed=False).select_related("enterprise", "park"):
        if entry.park is not None:
            members = list(entry.park.members.all())
            if not members:
                continue
            lead = entry.enterprise or members[0]
            audit = open_audit(
                lead,
                kind,
                roster.year,
                roster_entry=entry,
                park=entry.park,
                members=members,
                published_on=roster.published_at,
            )
        else:
            audit = open_audit(
                entry.enterprise,
                kind,
                roster.year,
                roster_entry=entry,
                published_on=roster.published_at,
            )
        notify(
            User.objects.filter(enterprise__in=audit.covered_enterprises(), is_active=True),
            subject=_("Listed in %(roster)s") % {"roster": roster.title},
            body=_("Your enterprise is listed for a cleaner-production audit; see the deadlines."),
            link=audit.get_absolute_url(),
            key=f"roster:{roster.pk}:audit:{audit.pk}",
        )
    return roster
