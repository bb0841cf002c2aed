"""The content of the review documents as plain dataclasses, filled by the caller.

:func:`review_info` fills the score and veto tables from a scoring template and its decision
(:mod:`cleanprod.core.review`); the rest (enterprise, agency, panel, dates, opinion) comes from
the caller's records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

from cleanprod.core.review import Aggregate, ReviewResult, Template

__all__ = [
    "AcceptanceConclusion",
    "AgencyInfo",
    "EnterpriseInfo",
    "EvaluationOpinion",
    "GradeLike",
    "ItemScoreRow",
    "Number",
    "OptionRow",
    "PanelMemberInfo",
    "ReviewInfo",
    "TargetRow",
    "VetoRow",
    "review_info",
]

Number = int | Decimal | Fraction


class GradeLike(Protocol):
    """A level of an indicator system: :class:`cleanprod.core.scoring.model.Grade` fits.

    Smaller is better (Grade.I < Grade.II); ``label`` is the Chinese label such as ``Ⅱ级``.
    """

    @property
    def label(self) -> str: ...

    def __lt__(self, other: Any, /) -> bool: ...


@dataclass(frozen=True)
class EnterpriseInfo:
    """The audited enterprise."""

    name: str
    uscc: str
    region: str  # e.g. "江苏省苏州市（320500）"
    industry: str  # e.g. "2614 有机化学原料制造"


@dataclass(frozen=True)
class AgencyInfo:
    """The consulting agency (Agency) and its certified staff who worked on the audit."""

    name: str
    staff: tuple[str, ...]  # e.g. "王芳（审核师证书 CP-2023-0147）"


@dataclass(frozen=True)
class PanelMemberInfo:
    """An expert of the panel."""

    name: str
    title: str
    employer: str
    role: str = "成员"  # 组长 / 成员


@dataclass(frozen=True)
class ItemScoreRow:
    """One weighted item: maximum points and the panel's (mean) score."""

    item_id: str
    section: str
    text: str
    max_points: Number
    score: Number


@dataclass(frozen=True)
class VetoRow:
    """One veto item (否决项) as checked: ``found`` with the finding, or not found."""

    item_id: str
    text: str
    found: bool
    finding: str = ""


@dataclass(frozen=True)
class ReviewInfo:
    """What both documents share.

    ``decision`` is 通过 / 不通过; ``band`` (合格/良好/优秀) is shown after a pass.
    ``opinion`` is the panel's technical review opinion; blank lines separate paragraphs.
    """

    enterprise: EnterpriseInfo
    audit_id: str
    agency: AgencyInfo
    panel: tuple[PanelMemberInfo, ...]
    review_date: date
    place: str
    template_version: str
    items: tuple[ItemScoreRow, ...]
    vetoes: tuple[VetoRow, ...]
    score: Number
    pass_mark: Number
    decision: str
    band: str | None
    opinion: str
    generated_by: str
    generated_at: datetime
    synthetic: bool = False
    score_rule: str = "各专家总分的算术平均"  # or 中位数, as the template's aggregate says
    draw_seed: str | None = None  # PanelDraw.seed when the panel was drawn by cleanprod.core.panel


@dataclass(frozen=True)
class EvaluationOpinion:
    """清洁生产审核评估意见 (Evaluation)."""

    review: ReviewInfo
    report_title: str = "清洁生产审核报告"


@dataclass(frozen=True)
class OptionRow:
    """An implemented option with its investment and verified benefits."""

    name: str
    cost_class: str  # 无/低费 or 中/高费 (CostClass.LOW / HIGH)
    investment: Decimal  # 万元
    economic_benefit: Decimal  # 万元/年
    environmental_benefit: str
    verified: bool


@dataclass(frozen=True)
class TargetRow:
    """An audit target (清洁生产目标) and whether it was met."""

    indicator: str
    unit: str
    baseline: str
    target: str
    achieved: str
    met: bool


@dataclass(frozen=True)
class AcceptanceConclusion:
    """清洁生产审核验收意见 (Acceptance), with the evaluation it follows."""

    review: ReviewInfo
    evaluation_date: date | None
    options: tuple[OptionRow, ...]
    indicator_system: str  # the 清洁生产评价指标体系 the grades are against
    grade_before: GradeLike
    grade_after: GradeLike
    targets: tuple[TargetRow, ...]


def review_info(
    template: Template,
    result: ReviewResult,
    *,
    enterprise: EnterpriseInfo,
    audit_id: str,
    agency: AgencyInfo,
    panel: tuple[PanelMemberInfo, ...],
    review_date: date,
    place: str,
    opinion: str,
    generated_by: str,
    generated_at: datetime,
    synthetic: bool = False,
    draw_seed: str | None = None,
) -> ReviewInfo:
    """A :class:`ReviewInfo` whose tables and decision come from a template and its decision
    (:func:`cleanprod.core.review.decide`): item rows with the mean points per item, every veto
    item with the experts' findings, the panel score, pass mark, band and the template version.
    """
    found: dict[str, list[str]] = {}
    for f in result.vetoes:
        found.setdefault(f.item_id, []).append(f.reason)
    rule = (
        "各专家总分的中位数" if template.aggregate is Aggregate.MEDIAN else "各专家总分的算术平均"
    )
    return ReviewInfo(
        enterprise=enterprise,
        audit_id=audit_id,
        agency=agency,
        panel=panel,
        review_date=review_date,
        place=place,
        template_version=result.template_version,
        items=tuple(
            ItemScoreRow(i.id, i.section, i.text, i.points, result.item_means[i.id])
            for i in template.items
        ),
        vetoes=tuple(
            VetoRow(v.id, v.text, v.id in found, "；".join(dict.fromkeys(found.get(v.id, []))))
            for v in template.vetoes
        ),
        score=result.score,
        pass_mark=template.pass_mark,
        decision=result.decision.value,
        band=result.band,
        opinion=opinion,
        generated_by=generated_by,
        generated_at=generated_at,
        synthetic=synthetic,
        score_rule=rule,
        draw_seed=draw_seed,
    )
