"""Synthetic rosters and audits for ``cleanprod demo``: every phase, options, panels, results,
some overdue, so that a newcomer sees a living system. Written with bulk inserts."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from cleanprod.audits.models import (
    Audit,
    AuditKind,
    AuditTransition,
    CreditEvent,
    Deadline,
    EmissionExceedance,
    Option,
    OptionCategory,
    OptionStatus,
    Panel,
    PanelMember,
    Phase,
    PhaseRecord,
    Review,
    Roster,
    RosterEntry,
    ScoreSheet,
)
from cleanprod.audits.models.audits import SEVEN_PHASES
from cleanprod.audits.rules import effective_rules
from cleanprod.core import audit_rules, economics
from cleanprod.industries.models import Industry
from cleanprod.regions.models import Level, Region
from cleanprod.registry.models import Agency, Engagement, Enterprise, Expert

Progress = Callable[[int], None]
YEARS = (2023, 2024, 2025)
DEMO_TODAY = dt.date(2026, 6, 30)  # the demo's "now": deadlines before it are overdue
# Where synthetic audits stand, by roster year (weights of each phase).
PHASE_WEIGHTS = {
    2023: {
        Phase.CLOSED: 60,
        Phase.FAILED: 6,
        Phase.ACCEPTANCE: 10,
        Phase.HIGH_COST_IMPLEMENTATION: 14,
        Phase.EVALUATION: 10,
    },
    2024: {
        Phase.HIGH_COST_IMPLEMENTATION: 30,
        Phase.EVALUATION: 20,
        Phase.CONTINUATION: 10,
        Phase.IMPLEMENTATION: 10,
        Phase.CLOSED: 20,
        Phase.FAILED: 4,
        Phase.ACCEPTANCE: 6,
    },
    2025: {
        Phase.NOT_STARTED: 10,
        Phase.PREPARATION: 10,
        Phase.PRE_ASSESSMENT: 10,
        Phase.ASSESSMENT: 12,
        Phase.OPTIONS: 12,
        Phase.FEASIBILITY: 12,
        Phase.IMPLEMENTATION: 12,
        Phase.CONTINUATION: 10,
        Phase.EVALUATION: 12,
    },
}
ORDER = [
    Phase.NOT_STARTED,
    *SEVEN_PHASES,
    Phase.EVALUATION,
    Phase.HIGH_COST_IMPLEMENTATION,
    Phase.ACCEPTANCE,
    Phase.CLOSED,
]
OPTION_NAMES = [
    "加强物料管理",
    "漂洗水逆流回用",
    "余热回收利用",
    "变频节能改造",
    "危废减量化",
    "VOCs源头替代",
    "在线监测升级",
    "工艺参数优化",
    "员工清洁生产培训",
    "清污分流改造",
]


def purge_synthetic() -> None:
    """Delete synthetic audit data, dependants first (raw deletes: no per-row signals)."""
    with transaction.atomic():
        synthetic = Q(audit__synthetic=True)
        for qs in (
            ScoreSheet.objects.filter(review__audit__synthetic=True),
            Review.objects.filter(synthetic),
            PanelMember.objects.filter(panel__audit__synthetic=True),
            Panel.objects.filter(synthetic),
            Option.objects.filter(synthetic),
            Deadline.objects.filter(synthetic),
            PhaseRecord.objects.filter(synthetic),
            AuditTransition.objects.filter(synthetic),
            Audit.members.through.objects.filter(audit__synthetic=True),
            Audit.staff.through.objects.filter(audit__synthetic=True),
            CreditEvent.objects.filter(Q(audit__synthetic=True) | Q(agency__synthetic=True)),
        ):
            qs._raw_delete(qs.db)
        Audit.objects.filter(synthetic=True).delete()  # documents: the ORM deletes files too
        for qs in (
            RosterEntry.objects.filter(roster__synthetic=True),
            Roster.objects.filter(synthetic=True),
            EmissionExceedance.objects.filter(enterprise__synthetic=True),
        ):
            qs._raw_delete(qs.db)


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class AuditDemo:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed * 7 + 3)
        self.rules = effective_rules("440000")
        self.agencies = list(Agency.objects.filter(synthetic=True).prefetch_related("staff"))
        self.experts = list(
            Expert.objects.filter(synthetic=True, active=True).values_list("pk", flat=True)
        )

    def build(self, share: float, progress: Progress) -> dict[str, int]:
        provinces = Region.objects.filter(level=Level.PROVINCE).exclude(
            code__in=["710000", "810000", "820000"]
        )
        counts = {"rosters": 0, "audits": 0, "options": 0}
        for province in provinces:
            ents = list(
                Enterprise.objects.in_region(province)
                .filter(synthetic=True, above_size=True)
                .order_by("pk")
                .values_list("pk", "region_id", "industry_code", "name")
            )
            if not ents:
                continue
            self.rng.shuffle(ents)
            per_year = max(1, int(len(ents) * share / len(YEARS)))
            for i, year in enumerate(YEARS):
                chosen = ents[i * per_year : (i + 1) * per_year]
                made = self._roster(province, year, chosen)
                counts["rosters"] += 1
                counts["audits"] += made[0]
                counts["options"] += made[1]
                progress(len(chosen))
        return counts

    def _roster(
        self, province: Region, year: int, chosen: list[tuple[Any, ...]]
    ) -> tuple[int, int]:
        published = dt.date(year, self.rng.randint(3, 6), self.rng.randint(1, 28))
        roster = Roster.objects.create(
            region=province,
            year=year,
            kind=Roster.Kind.MANDATORY,
            status=Roster.Status.PUBLISHED,
            title=f"{province.name}{year}年强制性清洁生产审核名单（示例）",
            published_at=published,
            rules_version=self.rules.version,
            synthetic=True,
        )
        facts, entries = [], []
        for pk, _region, _code, _name in chosen:
            facts.append(
                EmissionExceedance(
                    enterprise_id=pk,
                    year=year,
                    kind="standard",
                    pollutant=self.rng.choice(["COD", "氨氮", "SO2", "总铬"]),
                    value=round(self.rng.uniform(1.1, 2.0), 2),
                    limit=1.0,
                    unit="倍标准限值",
                    evidence="示例监测记录（合成数据）",
                )
            )
            entries.append(
                RosterEntry(
                    roster=roster,
                    enterprise_id=pk,
                    origin=RosterEntry.Origin.PROPOSED,
                    triggers=["over_emission"],
                    reasons="示例：污染物排放超标（trigger.over_emission）",
                )
            )
        EmissionExceedance.objects.bulk_create(facts, batch_size=2000)
        entries = RosterEntry.objects.bulk_create(entries, batch_size=2000)
        return self._audits(roster, entries, chosen, published)

    def _audits(
        self,
        roster: Roster,
        entries: list[RosterEntry],
        chosen: list[tuple[Any, ...]],
        published: dt.date,
    ) -> tuple[int, int]:
        audits = []
        for entry, (pk, region, code, name) in zip(entries, chosen, strict=True):
            phase = _weighted(self.rng, PHASE_WEIGHTS[roster.year])
            rank = ORDER.index(phase) if phase in ORDER else len(ORDER)
            audit = Audit(
                title=f"{name} {roster.year}年清洁生产审核",
                kind=AuditKind.MANDATORY,
                enterprise_id=pk,
                roster_entry=entry,
                region_id=region,
                industry_code=code,
                year=roster.year,
                phase=phase,
                rules_version=self.rules.version,
                synthetic=True,
                focus="示例审核重点" if rank >= 3 else "",
                pre_grade=self.rng.choice(["II", "III", "BELOW"]) if rank >= 3 else "",
            )
            agency = self._agency(code)
            if agency is not None and phase != Phase.NOT_STARTED:
                audit.agency = agency
            if rank >= 2 or phase == Phase.FAILED:
                audit.started_on = published + dt.timedelta(days=self.rng.randint(20, 70))
            if rank >= ORDER.index(Phase.EVALUATION) or phase == Phase.FAILED:
                audit.report_submitted_on = published + dt.timedelta(
                    days=self.rng.randint(200, 360)
                )
            if rank >= ORDER.index(Phase.HIGH_COST_IMPLEMENTATION):
                audit.evaluation_passed_on = audit.report_submitted_on + dt.timedelta(days=60)
            if phase == Phase.CLOSED:
                audit.closed_on = audit.evaluation_passed_on + dt.timedelta(days=300)
                audit.post_grade = self.rng.choice(["I", "II", "II", "III"])
            audits.append(audit)
        audits = Audit.objects.bulk_create(audits, batch_size=2000)
        option_count = self._options_and_deadlines(audits, published)
        self._reviews(audits)
        return len(audits), option_count

    def _agency(self, code: str) -> Agency | None:
        if not self.agencies:
            return None
        return self.agencies[self.rng.randrange(len(self.agencies))]

    def _options_and_deadlines(self, audits: list[Audit], published: dt.date) -> int:
        options, deadlines, staff_links, updates = [], [], [], []
        for audit in audits:
            for d in audit_rules.compute_deadlines(
                self.rules, {audit_rules.Anchor.ROSTER_PUBLISHED: published}
            ):
                met = {
                    "start": audit.started_on,
                    "report": audit.report_submitted_on,
                    "disclose": published + dt.timedelta(days=20) if audit.started_on else None,
                }.get(d.event)
                overdue = met is None and d.due < DEMO_TODAY and audit.phase != Phase.FAILED
                deadlines.append(
                    Deadline(
                        audit=audit,
                        event=d.event,
                        due=d.due,
                        rule_id=d.rule.id,
                        rule_text=d.rule.text,
                        rule_source="；".join(str(s) for s in d.rule.sources)[:255],
                        rules_version=self.rules.version,
                        met_on=met,
                        overdue=overdue,
                    )
                )
                audit.overdue = audit.overdue or overdue
            if audit.agency_id:
                staff = [
                    s.pk
                    for s in next(a for a in self.agencies if a.pk == audit.agency_id).staff.all()
                ][:2]
                staff_links += [
                    Audit.staff.through(audit_id=audit.pk, agencystaff_id=s) for s in staff
                ]
            rank = ORDER.index(audit.phase) if audit.phase in ORDER else len(ORDER)
            if rank < ORDER.index(Phase.OPTIONS) and audit.phase != Phase.FAILED:
                continue
            made = self._options_for(audit, rank)
            options += made
            approved = [
                o
                for o in made
                if o.status
                in (OptionStatus.APPROVED, OptionStatus.IMPLEMENTED, OptionStatus.VERIFIED)
            ]
            done = [o for o in approved if o.status != OptionStatus.APPROVED]
            audit.options_approved, audit.options_implemented = len(approved), len(done)
            audit.investment_approved = sum((o.investment for o in approved), Decimal(0))
            audit.investment_implemented = sum((o.investment for o in done), Decimal(0))
            updates.append(audit)
        Deadline.objects.bulk_create(deadlines, batch_size=5000)
        Option.objects.bulk_create(options, batch_size=5000)
        Audit.staff.through.objects.bulk_create(staff_links, batch_size=5000)
        Audit.objects.bulk_update(
            audits,
            [
                "overdue",
                "options_approved",
                "options_implemented",
                "investment_approved",
                "investment_implemented",
            ],
            batch_size=2000,
        )
        return len(options)

    def _options_for(self, audit: Audit, rank: int) -> list[Option]:
        rng = self.rng
        made = []
        late = rank >= ORDER.index(Phase.IMPLEMENTATION) or audit.phase == Phase.FAILED
        for n in range(rng.randint(3, 7)):
            high = n >= 2 and rng.random() < 0.5
            investment = Decimal(rng.randint(60, 900) if high else rng.randint(1, 40))
            option = Option(
                audit=audit,
                code=f"F{n + 1}",
                name=rng.choice(OPTION_NAMES),
                category=rng.choice(list(OptionCategory)),
                high_cost=high,
                investment=investment,
            )
            for key in ("cod", "so2", "nox", "energy", "co2"):
                setattr(option, f"expected_{key}", Decimal(str(round(rng.uniform(0, 20), 2))))
            if high and rank >= ORDER.index(Phase.FEASIBILITY):
                flow = float(investment) / rng.uniform(2.5, 8)
                result = economics.feasibility(float(investment), flow, 0.05, 10)
                option.annual_net_cash_flow = Decimal(str(round(flow, 2)))
                option.lifetime_years, option.discount_rate = 10, Decimal("0.05")
                option.payback_years, option.npv, option.npvr, option.irr = (
                    result.payback_years,
                    result.npv,
                    result.npvr,
                    result.irr,
                )
            if rng.random() < 0.12:
                option.status, option.rejection_barrier = (
                    OptionStatus.REJECTED,
                    "投资回收期过长（示例）",
                )
            elif not late:
                option.status = OptionStatus.SCREENED
            elif not high or rank >= ORDER.index(Phase.ACCEPTANCE) or rng.random() < 0.4:
                option.status = (
                    OptionStatus.VERIFIED
                    if audit.phase == Phase.CLOSED
                    else OptionStatus.IMPLEMENTED
                )
                option.actual_investment = investment
                option.implemented_on = (
                    audit.started_on or dt.date(audit.year, 6, 1)
                ) + dt.timedelta(days=rng.randint(30, 500))
                for key in ("cod", "so2", "nox", "energy", "co2"):
                    expected = getattr(option, f"expected_{key}")
                    setattr(
                        option,
                        f"verified_{key}",
                        (expected * Decimal(str(round(rng.uniform(0.6, 1.1), 2)))).quantize(
                            Decimal("0.0001")
                        ),
                    )
            else:
                option.status = OptionStatus.APPROVED
            made.append(option)
        return made

    def _reviews(self, audits: list[Audit]) -> None:
        if len(self.experts) < 3:
            return
        reviewed = [
            a
            for a in audits
            if a.phase
            in (Phase.HIGH_COST_IMPLEMENTATION, Phase.ACCEPTANCE, Phase.CLOSED, Phase.FAILED)
        ]
        panels, members, reviews = [], [], []
        for audit in reviewed:
            stages = ["evaluation"] + (["acceptance"] if audit.phase == Phase.CLOSED else [])
            for stage in stages:
                seed = str(self.rng.randrange(2**63))
                panels.append(
                    (
                        audit,
                        stage,
                        Panel(
                            audit=audit,
                            stage=stage,
                            seed=seed,
                            rule="示例抽取（合成数据）",
                            log={"demo": True},
                        ),
                    )
                )
        Panel.objects.bulk_create([p for _a, _s, p in panels], batch_size=2000)
        for audit, stage, panel in panels:
            for expert in self.rng.sample(self.experts, 3):
                members.append(PanelMember(panel=panel, expert_id=expert))
            failed = audit.phase == Phase.FAILED
            reviews.append(
                Review(
                    audit=audit,
                    panel=panel,
                    stage=stage,
                    template_slug=f"{stage}-demo",
                    template_version="demo",
                    score=Decimal(self.rng.randint(45, 59) if failed else self.rng.randint(65, 95)),
                    decision=Review.Decision.FAILED if failed else Review.Decision.PASSED,
                    opinion="示例技术审查意见（合成数据）。",
                )
            )
        PanelMember.objects.bulk_create(members, batch_size=5000)
        Review.objects.bulk_create(reviews, batch_size=2000)


def demo_user_audit(enterprise: Enterprise, agency: Agency) -> Audit:
    """An audit listed but not started for the demo enterprise, to try the workflow."""
    from cleanprod.audits.services.audits import open_audit

    audit = open_audit(
        enterprise, AuditKind.MANDATORY, 2026, published_on=dt.date(2026, 5, 1), synthetic=True
    )
    agency.industry_scope.add(*Industry.objects.filter(code=enterprise.industry_code[:2]))
    audit.agency = agency
    audit.save(update_fields=["agency"])
    audit.staff.set(list(agency.staff.all()[:2]))
    Engagement.objects.get_or_create(
        agency=agency,
        enterprise=enterprise,
        defaults={"start_date": dt.date(2026, 5, 1), "synthetic": True},
    )
    return audit


def build_audits(seed: int, progress: Progress, share: float = 0.3) -> dict[str, int]:
    """Replace the synthetic audit data: three years of published rosters per province."""
    purge_synthetic()
    with transaction.atomic():
        return AuditDemo(seed).build(share, progress)
