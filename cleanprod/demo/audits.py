"""Synthetic rosters and audits for ``cleanprod demo``: every phase, options, panels, results,
some overdue, so that a newcomer sees a living system. Written with bulk inserts."""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cleanprod.audits.models import (
    Audit,
    AuditDocument,
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
from cleanprod.audits.services.audits import open_audit
from cleanprod.core import audit_rules, economics, legal_calendar
from cleanprod.industries.models import Industry
from cleanprod.platform.db import insert_plain
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
CATEGORIES = [c.value for c in OptionCategory]
BENEFIT_KEYS = ("cod", "so2", "nox", "energy", "co2")
PAYBACK_RATIOS = (2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8)  # investment / yearly net cash flow


@functools.cache
def _irr_for(ratio: float) -> float:
    """IRR of investing ``ratio`` for 10 yearly returns of 1 (it depends on the ratio only)."""
    return economics.irr(ratio, 1.0, 10)


def feasibility_of(investment: Decimal, ratio: float) -> dict[str, Any]:
    """Feasibility fields of a 10-year option at 5 %, exact and cheap for the demo."""
    flow = float(investment) / ratio
    annuity = (1 - 1.05**-10) / 0.05
    npv = flow * annuity - float(investment)
    return {
        "annual_net_cash_flow": Decimal(str(round(flow, 2))),
        "lifetime_years": 10,
        "discount_rate": Decimal("0.05"),
        "payback_years": ratio,
        "npv": npv,
        "npvr": npv / float(investment),
        "irr": _irr_for(ratio),
    }


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

        for doc in AuditDocument.objects.filter(audit__synthetic=True):
            doc.file.delete(save=False)
        for qs in (
            AuditDocument.objects.filter(synthetic),
            Audit.objects.filter(synthetic=True),
        ):
            qs._raw_delete(qs.db)
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
        self.staff_of = {a.pk: [st.pk for st in a.staff.all()] for a in self.agencies}
        self._deadline_cache: dict[dt.date, tuple[Any, ...]] = {}
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
        # Complete every audit (deadlines, options, totals) before inserting it: no UPDATEs.
        children = [self._children(audit, published) for audit in audits]
        audits = Audit.objects.bulk_create(audits, batch_size=2000)
        options, deadlines, staff = [], [], []
        for audit, (opts, dls, staff_ids) in zip(audits, children, strict=True):
            for row in (*opts, *dls):
                row["audit_id"] = audit.pk
            options += opts
            deadlines += dls
            staff += [{"audit_id": audit.pk, "agencystaff_id": s} for s in staff_ids]
        insert_plain(Option, options)
        insert_plain(Deadline, deadlines)
        insert_plain(Audit.staff.through, staff)
        # An agency works on an audit under an engagement with its enterprise (audit policy):
        # open ones for audits under way, ended ones for closed or failed audits.
        engaged = {(a.agency_id, a.enterprise_id): a for a in audits if a.agency_id is not None}
        now = timezone.now()
        insert_plain(
            Engagement,
            [
                {
                    "agency_id": agency_id,
                    "enterprise_id": enterprise_id,
                    "start_date": published,
                    "end_date": audit.closed_on
                    if audit.phase in (Phase.CLOSED, Phase.FAILED) and audit.closed_on
                    else None,
                    "note": "示例委托",
                    "synthetic": True,
                    "created": now,
                    "updated": now,
                }
                for (agency_id, enterprise_id), audit in engaged.items()
            ],
        )
        self._reviews(audits)
        return len(audits), len(options)

    def _agency(self, code: str) -> Agency | None:
        if not self.agencies:
            return None
        return self.agencies[self.rng.randrange(len(self.agencies))]

    def _children(
        self, audit: Audit, published: dt.date
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[int]]:
        """The audit's deadline and option rows and staff; sets its overdue flag and totals."""
        deadlines = []
        for d in self.deadline_rules(published):
            met = {
                "start": audit.started_on,
                "report": audit.report_submitted_on,
                "disclose": published + dt.timedelta(days=20) if audit.started_on else None,
            }.get(d.event)
            overdue = met is None and d.due < DEMO_TODAY and audit.phase != Phase.FAILED
            deadlines.append(
                {
                    "event": d.event,
                    "due": d.due,
                    "nominal_due": d.nominal_due,
                    "calendar_version": legal_calendar.calendar_version(),
                    "rule_id": d.rule.id,
                    "rule_text": d.rule.text,
                    "rule_source": "；".join(str(s) for s in d.rule.sources)[:255],
                    "rules_version": self.rules.version,
                    "met_on": met,
                    "overdue": overdue,
                }
            )
            audit.overdue = audit.overdue or overdue
        staff = self.staff_of.get(audit.agency_id, [])[:2] if audit.agency_id else []
        rank = ORDER.index(audit.phase) if audit.phase in ORDER else len(ORDER)
        if rank < ORDER.index(Phase.OPTIONS) and audit.phase != Phase.FAILED:
            return [], deadlines, staff
        made = self._options_for(audit, rank)
        counted = (OptionStatus.APPROVED, OptionStatus.IMPLEMENTED, OptionStatus.VERIFIED)
        approved = [o for o in made if o["status"] in counted]
        done = [o for o in approved if o["status"] != OptionStatus.APPROVED]
        audit.options_approved, audit.options_implemented = len(approved), len(done)
        audit.investment_approved = sum((o["investment"] for o in approved), Decimal(0))
        audit.investment_implemented = sum((o["investment"] for o in done), Decimal(0))
        return made, deadlines, staff

    def deadline_rules(self, published: dt.date) -> tuple[Any, ...]:
        if published not in self._deadline_cache:
            self._deadline_cache[published] = audit_rules.compute_deadlines(
                self.rules, {audit_rules.Anchor.ROSTER_PUBLISHED: published}
            )
        return self._deadline_cache[published]

    def _options_for(self, audit: Audit, rank: int) -> list[dict[str, Any]]:
        rng = self.rng
        made = []
        late = rank >= ORDER.index(Phase.IMPLEMENTATION) or audit.phase == Phase.FAILED
        for n in range(rng.randint(3, 7)):
            high = n >= 2 and rng.random() < 0.5
            investment = Decimal(rng.randint(60, 900) if high else rng.randint(1, 40))
            option: dict[str, Any] = {
                "code": f"F{n + 1}",
                "name": rng.choice(OPTION_NAMES),
                "category": rng.choice(CATEGORIES),
                "high_cost": high,
                "investment": investment,
                "status": OptionStatus.PROPOSED.value,
            }
            for key in BENEFIT_KEYS:
                option[f"expected_{key}"] = Decimal(rng.randint(0, 2000)) / 100
            if high and rank >= ORDER.index(Phase.FEASIBILITY):
                option.update(feasibility_of(investment, rng.choice(PAYBACK_RATIOS)))
            if rng.random() < 0.12:
                option["status"] = OptionStatus.REJECTED.value
                option["rejection_barrier"] = "投资回收期过长（示例）"
            elif not late:
                option["status"] = OptionStatus.SCREENED.value
            elif not high or rank >= ORDER.index(Phase.ACCEPTANCE) or rng.random() < 0.4:
                closed = audit.phase == Phase.CLOSED
                option["status"] = (
                    OptionStatus.VERIFIED if closed else OptionStatus.IMPLEMENTED
                ).value
                option["actual_investment"] = investment
                option["implemented_on"] = (
                    audit.started_on or dt.date(audit.year, 6, 1)
                ) + dt.timedelta(days=rng.randint(30, 500))
                for key in BENEFIT_KEYS:
                    share = Decimal(rng.randint(60, 110)) / 100
                    option[f"verified_{key}"] = (option[f"expected_{key}"] * share).quantize(
                        Decimal("0.0001")
                    )
            else:
                option["status"] = OptionStatus.APPROVED.value
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

    audit = open_audit(
        enterprise, AuditKind.MANDATORY, 2026, published_on=dt.date(2026, 5, 1), synthetic=True
    )
    division = Industry.objects.filter(code=enterprise.industry_code[:2])
    agency.industry_scope.add(*division)
    # Enough independent experts in the enterprise's division for a panel to be drawn.
    independent = (
        Expert.objects.filter(synthetic=True, active=True)
        .exclude(employer_enterprise=enterprise)
        .exclude(employer_agency=agency)
        .order_by("pk")[:6]
    )
    for expert in independent:
        expert.specialties.add(*division)
    audit.agency = agency
    audit.save(update_fields=["agency"])
    audit.staff.set(list(agency.staff.all()[:2]))
    Engagement.objects.get_or_create(
        agency=agency,
        enterprise=enterprise,
        defaults={"start_date": dt.date(2026, 5, 1), "synthetic": True},
    )
    return audit


def build_audits(seed: int, progress: Progress, share: float = 0.15) -> dict[str, int]:
    """Replace the synthetic audit data: three years of published rosters per province."""
    purge_synthetic()
    with transaction.atomic():
        return AuditDemo(seed).build(share, progress)
