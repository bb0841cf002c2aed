"""Loading systems into the database, self-assessment, and grading a whole scope at once."""

from __future__ import annotations

import functools
import hashlib
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cleanprod.core import scoring
from cleanprod.core.scoring import loader
from cleanprod.core.scoring.advisor import advise
from cleanprod.core.scoring.tabular import parse_records, plan_dict, result_dict
from cleanprod.evaluation.models import Assessment, SystemVersion
from cleanprod.platform.permissions import VIEW, can, party_of
from cleanprod.regions.models import child_containing
from cleanprod.registry.models import Enterprise


class AssessmentError(Exception):
    """Bad input or refused submission; the message names the column."""


@functools.lru_cache(maxsize=64)
def parsed_system(pk: int, text: str, slug: str) -> scoring.IndicatorSystem:
    return loader.parse_system(text, f"{slug} (#{pk})")


@transaction.atomic
def load_system_text(text: str, origin: str) -> tuple[SystemVersion, bool]:
    """Validate a system file and store it as a version; the newest version becomes current.

    Returns the version and whether it was new. Raises the core's SystemValidationError.
    """
    system = loader.parse_system(text, origin)
    digest = hashlib.sha256(text.encode()).hexdigest()
    existing = SystemVersion.objects.filter(slug=system.slug, version=system.version).first()
    if existing is not None:
        if existing.sha256 != digest:
            raise AssessmentError(
                _(
                    "%(slug)s version %(version)s is already loaded with other content; "
                    "give the changed file a new version."
                )
                % {"slug": system.slug, "version": system.version}
            )
        return existing, False
    SystemVersion.objects.filter(slug=system.slug).update(current=False)
    made = SystemVersion.objects.create(
        slug=system.slug,
        version=system.version,
        name=system.name,
        status=system.status,
        industries=list(system.industries),
        source=system.source,
        text=text,
        sha256=digest,
    )
    return made, True


def load_shipped_systems() -> int:
    """Load every shipped system file (idempotent); returns how many versions were new."""
    return sum(load_system_text(text, name)[1] for name, text in loader.shipped_files())


def evaluate_inputs(version: SystemVersion, inputs: dict[str, str], record_id: str = "form") -> Any:
    """Grade one row of inputs exactly as `cleanprod evaluate` grades a CSV row."""
    system = version.system()
    header = ["id", *inputs]
    try:
        (record,) = parse_records(system, header, [(2, [record_id, *inputs.values()])])
    except scoring.TabularError as exc:
        raise AssessmentError(str(exc)) from exc
    return system, record, scoring.evaluate(system, record)


@transaction.atomic
def submit(
    user: Any,
    enterprise: Enterprise,
    version: SystemVersion,
    inputs: dict[str, str],
    supersedes: Assessment | None = None,
) -> Assessment:
    """Store a self-assessment with its result; it cannot be edited afterwards."""
    if not _may_add(user, enterprise):
        raise AssessmentError(_("You may not submit assessments for this enterprise."))
    assessment = Assessment(enterprise=enterprise, system=version)
    inputs = {k: str(v).strip() for k, v in inputs.items() if str(v).strip()}
    system, record, result = evaluate_inputs(version, inputs, enterprise.uscc)
    plans = advise(system, result, params=record.params)
    data = result_dict(result)
    data["advice"] = [plan_dict(p) for p in plans]
    data["advice_text"] = [p.describe() for p in plans]
    assessment.inputs = inputs
    assessment.grade = result.grade.name
    assessment.index_i, assessment.index_ii, assessment.index_iii = (
        Decimal(str(round(float(y), 4))) for y in result.index
    )
    assessment.result = data
    assessment.submitted_by = user
    assessment.supersedes = supersedes
    assessment.save()
    return assessment


def _may_add(user: Any, enterprise: Enterprise) -> bool:
    """Enterprises assess themselves; agencies their clients; authorities in their scope."""
    if getattr(user, "is_superuser", False):
        return True
    party = party_of(user)
    if party == "enterprise":
        return user.enterprise_id == enterprise.pk
    return party in ("agency", "authority") and can(user, VIEW, enterprise)


def latest_inputs(user: Any, slug: str, enterprises: Any) -> list[Assessment]:
    """Each enterprise's latest assessment against system ``slug``, within the user's scope."""
    scoped = Assessment.objects.restrict(user, VIEW).filter(
        system__slug=slug, enterprise__in=enterprises
    )
    latest = scoped.values("enterprise_id").annotate(last=Max("pk")).values("last")
    return list(Assessment.objects.filter(pk__in=latest).select_related("enterprise", "system"))


def grade_scope(user: Any, slug: str, region: Any = None) -> dict[str, Any]:
    """Grade every enterprise in scope that has data for ``slug`` in one vectorised pass, with
    the current system version, and give the share at each grade by region and industry."""
    version = SystemVersion.objects.filter(slug=slug, current=True).first()
    if version is None:
        raise AssessmentError(_("Unknown indicator system."))
    enterprises = Enterprise.objects.restrict(user, VIEW)
    if region is not None:
        enterprises = enterprises.in_region(region)
    rows = latest_inputs(user, slug, enterprises)
    system = version.system()
    records = []
    for a in rows:
        header = ["id", *a.inputs]
        records += parse_records(system, header, [(2, [str(a.enterprise_id), *a.inputs.values()])])
    by_region: dict[str, Counter[str]] = defaultdict(Counter)
    by_industry: dict[str, Counter[str]] = defaultdict(Counter)
    total: Counter[str] = Counter()
    if records:
        batch = scoring.evaluate_batch(system, scoring.to_arrays(system, records))
        ancestor = region.code if region is not None else None
        for i, a in enumerate(rows):
            grade = scoring.Grade(int(batch.grade[i])).name
            total[grade] += 1
            child = child_containing(a.enterprise.region_id, ancestor) or a.enterprise.region_id
            by_region[child][grade] += 1
            by_industry[a.enterprise.industry_code[:2]][grade] += 1

    def shares(counter: Counter[str]) -> dict[str, Any]:
        n = sum(counter.values())
        return {
            "n": n,
            **{g: counter.get(g, 0) for g in ("I", "II", "III", "BELOW")},
            "advanced_share": round(100 * (counter["I"] + counter["II"]) / n, 1) if n else None,
        }

    return {
        "system": {"slug": version.slug, "version": version.version, "name": version.name},
        "totals": shares(total),
        "by_region": {code: shares(c) for code, c in sorted(by_region.items())},
        "by_industry": {code: shares(c) for code, c in sorted(by_industry.items())},
    }
