"""Load the plans (:func:`cleanprod.core.plans.load_plans`) and the shipped factor library
(:func:`cleanprod.core.carbon.load_factor_library`) into the database. Idempotent: rows are
upserted by their stable ids; catalogue entries added by authorities are left alone."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cleanprod.core import carbon
from cleanprod.core.plans import Plans, load_plans
from cleanprod.core.plans import Target as CoreTarget
from cleanprod.industries.models import IndustryGroup
from cleanprod.plans.models import (
    EmissionFactor,
    FactorLibraryVersion,
    KeyProject,
    Substance,
    Substitution,
    Target,
    Technology,
)
from cleanprod.plans.models.catalogue import codes_text


def _codes(plans: Plans, industries: tuple[str, ...], groups: tuple[str, ...] = ()) -> list[str]:
    """GB/T 4754 prefixes of plan industries and industry groups, sorted and unique."""
    codes: set[str] = set()
    for ident in industries:
        codes.update(plans.get(ident).codes)  # type: ignore[union-attr]
    for group in IndustryGroup.objects.filter(slug__in=groups).prefetch_related("members"):
        codes.update(group.codes())
    return sorted(codes)


def _target_fields(plans: Plans, t: CoreTarget, kind: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "document": t.source.document,
        "name": t.name,
        "source": "; ".join(str(s) for s in (t.source, *t.also)),
        "unit": t.metric.unit,
        "definition": t.metric.definition,
        "scope": str(t.scope),
        "industries": list(t.industries),
        "industry_groups": list(t.industry_groups),
        "industry_codes": _codes(plans, t.industries, t.industry_groups),
        "baseline_value": t.baseline.value if t.baseline else None,
        "baseline_year": t.baseline.year if t.baseline else None,
        "baseline_kind": str(t.baseline.kind) if t.baseline else "",
        "target_value": t.target.value,
        "target_year": t.target.year,
        "target_kind": str(t.target.kind),
        "direction": str(t.direction),
        "comparison": str(t.comparison or ""),
        "comparison_text": t.comparison_text,
        "approximate": t.approximate,
        "additive": t.additive,
        "qualitative": t.qualitative,
        "note": t.note,
    }


@transaction.atomic
def load_plan_data() -> dict[str, int]:
    """Upsert every target, quantity, key project, technology, substance and substitution."""
    plans = load_plans()
    projects = {}
    for k in plans.key_projects:
        projects[k.id], _ = KeyProject.objects.update_or_create(
            slug=k.id,
            defaults={
                "document": k.source.document,
                "name": k.name,
                "source": "; ".join(str(s) for s in (k.source, *k.also)),
                "pollutants": list(k.pollutants),
                "industries": _codes(plans, k.industries),
                "focus": k.focus,
            },
        )
    for kind, entries in (("target", plans.targets), ("quantity", plans.quantities)):
        for t in entries:
            fields = _target_fields(plans, t, kind)
            fields["key_project"] = projects.get(t.key_project or "")
            Target.objects.update_or_create(slug=t.id, defaults=fields)
    techs = {}
    for tech in plans.technologies:
        codes = _codes(plans, tech.industries, tech.industry_groups)
        pen = tech.penetration
        techs[tech.id], _ = Technology.objects.update_or_create(
            slug=tech.id,
            defaults={
                "origin": Technology.Origin.PLAN,
                "name": tech.name,
                "source": "; ".join(str(s) for s in (tech.source, *tech.also)),
                "stage": str(tech.stage),
                "stage_text": tech.stage_text,
                "pollutants": list(tech.pollutants),
                "industries": list(tech.industries),
                "industry_groups": list(tech.industry_groups),
                "industry_codes": codes,
                "codes_text": codes_text(codes),
                "key_project": projects.get(tech.key_project or ""),
                "includes": list(tech.includes),
                "penetration_target": pen.value if pen else None,
                "penetration_year": pen.year if pen else None,
                "penetration_comparison": str(pen.comparison) if pen else "",
                "description": tech.note,
                "published": True,
            },
        )
    substances = {}
    for s in plans.substances:
        substances[s.id], _ = Substance.objects.update_or_create(
            slug=s.id,
            defaults={
                "name": s.name,
                "name_en": s.name_en,
                "source": str(s.source),
                "priority_chemical": s.priority_chemical or "",
            },
        )
    for sub in plans.substitutions:
        row, _ = Substitution.objects.update_or_create(
            slug=sub.id,
            defaults={
                "name": sub.name,
                "source": "; ".join(str(s) for s in (sub.source, *sub.also)),
                "field": str(sub.field),
                "stage": str(sub.stage),
                "industry_codes": _codes(plans, sub.industries),
                "technology": techs.get(sub.technology or ""),
            },
        )
        row.replaces.set([substances[r] for r in sub.replaces])
    return {
        "targets": len(plans.targets) + len(plans.quantities),
        "key_projects": len(plans.key_projects),
        "technologies": len(plans.technologies),
        "substances": len(plans.substances),
        "substitutions": len(plans.substitutions),
    }


def store_library(
    library: carbon.FactorLibrary, note: str = "", based_on: FactorLibraryVersion | None = None
) -> FactorLibraryVersion:
    """Store a core factor library as a new version (the existing one if already stored)."""
    existing = FactorLibraryVersion.objects.filter(version=library.version).first()
    if existing is not None:
        return existing
    version = FactorLibraryVersion.objects.create(
        version=library.version, note=note, based_on=based_on
    )
    EmissionFactor.objects.bulk_create(
        EmissionFactor(
            library=version,
            factor_id=f.id,
            value=str(f.value),
            unit=f.unit,
            source=f.source,
            status=str(f.status),
            note=f.note,
        )
        for f in library.factors
    )
    return version


@transaction.atomic
def load_factor_data() -> FactorLibraryVersion:
    """Store the shipped factor library; it becomes current if no version is current yet."""
    version = store_library(carbon.load_factor_library(), note="cleanprod/data/factors (shipped)")
    if not FactorLibraryVersion.objects.filter(current=True).exists():
        FactorLibraryVersion.objects.filter(pk=version.pk).update(current=True)
        version.current = True
    return version


def load_reference() -> dict[str, int]:
    """Everything this app loads for ``cleanprod load_reference``."""
    counts = load_plan_data()
    counts["factor_libraries"] = 1 if load_factor_data() else 0
    return counts
