"""The audit rule set in force for a province: national rules merged with its active override."""

from __future__ import annotations

from typing import Any

import yaml
from django.utils.translation import gettext as _

from cleanprod.audits.models import (
    EmissionExceedance,
    EnergyExceedance,
    ProvincialRules,
    SubstanceRecord,
)
from cleanprod.core import audit_rules as core
from cleanprod.registry.models import Enterprise


def effective_rules(province_code: str) -> core.RuleSet:
    """National rules, overridden by the province's active rules when it has any."""
    national = core.load_national_rules()
    override = (
        ProvincialRules.objects.filter(region_id=province_code, active=True)
        .order_by("-created")
        .first()
    )
    if override is None:
        return national
    parsed = core.parse_override(
        yaml.safe_load(override.text), f"{province_code}:{override.version}"
    )
    return core.merge_rule_sets(national, parsed)


def validate_override(text: str, province_code: str) -> None:
    """Raise core.AuditRulesError (with messages naming rule ids) if the override is invalid.

    A YAML syntax error is reported with its line number (1-based) as the editor shows it.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise core.AuditRulesError(
            _("YAML syntax error on line %(line)s: %(problem)s")
            % {
                "line": mark.line + 1 if mark is not None else "?",
                "problem": getattr(exc, "problem", None) or exc,
            }
        ) from exc
    parsed = core.parse_override(data, f"{province_code}:new")
    if parsed.province != province_code:
        raise core.AuditRulesError(f"override is for {parsed.province}, not {province_code}")
    core.merge_rule_sets(core.load_national_rules(), parsed)


def enterprise_facts(enterprise: Enterprise, year: int) -> core.EnterpriseFacts:
    """The facts on record for ``enterprise`` in ``year``, as the core's dataclasses."""
    emissions = tuple(
        core.EmissionExceedance(
            pollutant=r.pollutant,
            kind=core.ExceedanceKind(r.kind),
            value=r.value,
            limit=r.limit,
            unit=r.unit,
            evidence=r.evidence,
        )
        for r in EmissionExceedance.objects.filter(enterprise=enterprise, year=year)
    )
    energy = tuple(
        core.EnergyExceedance(
            product=r.product, value=r.value, quota=r.quota, unit=r.unit, evidence=r.evidence
        )
        for r in EnergyExceedance.objects.filter(enterprise=enterprise, year=year)
    )
    substances = tuple(
        core.Substance(
            name=r.name,
            role=core.SubstanceRole(r.role),
            evidence=r.evidence,
            cas_numbers=tuple(c.strip() for c in r.cas_numbers.split(";") if c.strip()),
            declared=frozenset(
                core.SubstanceClass(c.strip()) for c in r.declared.split(",") if c.strip()
            ),
        )
        for r in SubstanceRecord.objects.filter(enterprise=enterprise, year=year)
    )
    return core.EnterpriseFacts(emissions=emissions, energy=energy, substances=substances)


def assess(enterprise: Enterprise, year: int, rules: core.RuleSet | None = None) -> Any:
    rules = rules or effective_rules(enterprise.region_id[:2] + "0000")
    return core.assess_triggers(
        enterprise_facts(enterprise, year), rules, core.load_priority_chemicals()
    )
