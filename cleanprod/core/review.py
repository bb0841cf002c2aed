"""Scoring templates and the decision of an expert review: Evaluation (评估) and Acceptance (验收).

A template is versioned data (``cleanprod/data/review_templates/*.yaml``): veto items (否决项)
and weighted items with their maximum points, a pass mark and optional bands. The decision:

1. **Vetoes first.** If any expert finds any veto item, the decision is 不通过 whatever the
   scores (each finding is kept with the expert and the reason).
2. **Scores.** Every expert scores every item from 0 to its maximum points; the expert's total is
   the sum. The panel score is the ``mean`` of the experts' totals, or their ``median`` if the
   template says ``aggregate: median`` (the mean of the two middle totals for an even panel).
   Arithmetic is exact (:class:`~fractions.Fraction`): 59.999… never rounds up to a pass.
3. **Pass mark.** Score ≥ ``pass_mark`` → 通过, else 不通过. The band (e.g. 合格/良好/优秀) is
   the highest band whose ``min`` the score reaches, given only for a pass.

Scores are ``int``, :class:`~fractions.Fraction`, :class:`~decimal.Decimal` or decimal strings;
``float`` is refused because 0.1 is not exact in binary.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from importlib import resources
from typing import Any

import yaml

from cleanprod.core.errors import CoreError

__all__ = [
    "Aggregate",
    "Band",
    "Decision",
    "ReviewError",
    "ReviewKind",
    "ReviewResult",
    "ScoreSheet",
    "SheetError",
    "Template",
    "TemplateError",
    "TemplateItem",
    "TemplateSource",
    "VetoFinding",
    "VetoItem",
    "decide",
    "format_score",
    "load_template",
    "parse_template",
    "shipped_templates",
]

TEMPLATE_PACKAGE = "cleanprod.data"
TEMPLATE_DIR = "review_templates"


class ReviewError(CoreError, ValueError):
    """Base class of review errors. ``problems`` lists each problem."""

    def __init__(self, heading: str, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(heading + "\n" + "\n".join(f"- {p}" for p in problems))


class TemplateError(ReviewError):
    """A template file is invalid; each problem names the item."""

    def __init__(self, filename: str, problems: Sequence[str]) -> None:
        self.filename = filename
        super().__init__(f"{filename}：评分模板有误：", problems)


class SheetError(ReviewError):
    """The experts' score sheets are invalid; each problem names the expert and the item."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("专家评分表有误：", problems)


class ReviewKind(StrEnum):
    """Which review a template is for."""

    EVALUATION = "evaluation"  # 清洁生产审核评估
    ACCEPTANCE = "acceptance"  # 清洁生产审核验收


class Aggregate(StrEnum):
    """How the experts' totals become the panel score."""

    MEAN = "mean"
    MEDIAN = "median"


class Decision(StrEnum):
    """The outcome of a review."""

    PASS = "通过"
    FAIL = "不通过"


@dataclass(frozen=True)
class TemplateSource:
    """The document a template follows and whether its wording was checked against it."""

    document: str
    number: str
    issuer: str
    verified: bool
    note: str = ""


@dataclass(frozen=True)
class VetoItem:
    """A veto item (否决项): found → 不通过."""

    id: str
    text: str


@dataclass(frozen=True)
class TemplateItem:
    """A weighted item scored from 0 to ``points``."""

    id: str
    section: str
    text: str
    points: Fraction


@dataclass(frozen=True)
class Band:
    """A named band of passing scores, from ``min`` upwards."""

    name: str
    min: Fraction


@dataclass(frozen=True)
class Template:
    """A validated scoring template. ``version`` is stored with every review."""

    id: str
    kind: ReviewKind
    version: str
    title: str
    source: TemplateSource
    aggregate: Aggregate
    pass_mark: Fraction
    bands: tuple[Band, ...]
    vetoes: tuple[VetoItem, ...]
    items: tuple[TemplateItem, ...]

    @property
    def total(self) -> Fraction:
        """The maximum total score."""
        return sum((i.points for i in self.items), Fraction(0))


@dataclass(frozen=True)
class ScoreSheet:
    """One expert's sheet: points per item, veto findings (item id → reason), the opinion."""

    expert_id: str
    scores: Mapping[str, int | Fraction | Decimal | str]
    vetoes: Mapping[str, str]
    opinion: str


@dataclass(frozen=True)
class VetoFinding:
    """A veto item found by an expert."""

    item_id: str
    text: str
    expert_id: str
    reason: str


@dataclass(frozen=True)
class ReviewResult:
    """The decision with everything that produced it.

    ``score`` is the panel score (exact); ``item_means`` the mean points per item across the
    experts, for the document's table. ``reason`` explains the decision in Chinese.
    """

    template_id: str
    template_version: str
    decision: Decision
    score: Fraction
    band: str | None
    totals: tuple[tuple[str, Fraction], ...]
    item_means: Mapping[str, Fraction]
    vetoes: tuple[VetoFinding, ...]
    reason: str


# --- templates -------------------------------------------------------------------------------


def _number(value: Any) -> Fraction | None:
    """An exact number from YAML or a sheet; ``None`` if it is not a finite number."""
    try:
        if isinstance(value, bool):
            return None
        if isinstance(value, int | Fraction | Decimal):
            return Fraction(value)
        if isinstance(value, float):  # YAML parses 2.5 as float: its shortest repr is exact
            return Fraction(repr(value))
        if isinstance(value, str):
            return Fraction(Decimal(value.strip()))
    except (ArithmeticError, ValueError):
        return None
    return None


def format_score(score: Fraction) -> str:
    """A score for display, truncated (not rounded) to two decimals: ``179/3`` → ``59.66``.

    Truncation never shows a failing score as the pass mark (59.999 is not "60.00").
    """
    hundredths = score.numerator * 100 // score.denominator
    sign = "-" if hundredths < 0 else ""
    whole, frac = divmod(abs(hundredths), 100)
    return f"{sign}{whole}.{frac:02d}"


def _show(value: Fraction) -> str:
    """A number for messages: ``60``, ``62.5`` (not ``125/2``)."""
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def _text(raw: Mapping[str, Any], key: str, who: str, problems: list[str]) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{who}：缺少 {key}")
        return ""
    return value.strip()


def _source(raw: Any, problems: list[str]) -> TemplateSource:
    if not isinstance(raw, Mapping):
        problems.append("缺少 source（模板依据的文件及是否已核对）")
        return TemplateSource("", "", "", False)
    verified = raw.get("verified")
    if not isinstance(verified, bool):
        problems.append("source：verified 应为 true 或 false")
    return TemplateSource(
        _text(raw, "document", "source", problems),
        str(raw.get("number", "")),
        str(raw.get("issuer", "")),
        verified is True,
        str(raw.get("note", "")).strip(),
    )


def _entries(data: Mapping[str, Any], key: str, problems: list[str]) -> list[Mapping[str, Any]]:
    raw = data.get(key)
    if raw is None and key == "vetoes":
        return []
    if not isinstance(raw, list) or (key == "items" and not raw):
        problems.append(f"{key} 应为{'非空' if key == 'items' else ''}列表")
        return []
    good = [r for r in raw if isinstance(r, Mapping)]
    if len(good) != len(raw):
        problems.append(f"{key} 的每一项都应为映射（id、text …）")
    return good


def _bands(raw: Any, pass_mark: Fraction | None, problems: list[str]) -> tuple[Band, ...]:
    bands: list[Band] = []
    if raw is not None and not isinstance(raw, list):
        problems.append("bands 应为列表")
        raw = None
    for b in raw or []:
        low = _number(b.get("min")) if isinstance(b, Mapping) else None
        if low is None or not isinstance(b.get("name"), str):
            problems.append(f"等级 {b!r}：应写成 {{name: 名称, min: 分数}}")
            continue
        bands.append(Band(b["name"], low))
    mins = [b.min for b in bands]
    if mins != sorted(set(mins)):
        problems.append("bands：各等级的 min 应严格递增")
    if bands and pass_mark is not None and bands[0].min < pass_mark:
        problems.append(f"bands：最低等级 {bands[0].name} 的 min 低于通过分数线 {_show(pass_mark)}")
    return tuple(bands)


def parse_template(data: Any, filename: str) -> Template:
    """Validate a parsed template file and return the :class:`Template`.

    Checks: ids unique across vetoes and items, item points positive, veto items carry no
    points, pass mark positive and not above the total, bands increasing from the pass mark
    and not above the total. Raises :class:`TemplateError` naming the file and each item.
    """
    if not isinstance(data, Mapping):
        raise TemplateError(filename, ["文件内容应为映射（id、version、vetoes、items …）"])
    problems: list[str] = []
    header = {k: _text(data, k, "模板", problems) for k in ("id", "version", "title")}
    kind = agg = None
    try:
        kind = ReviewKind(str(data.get("kind")))
    except ValueError:
        problems.append(f"kind “{data.get('kind')}” 应为 evaluation 或 acceptance")
    try:
        agg = Aggregate(str(data.get("aggregate", "mean")))
    except ValueError:
        problems.append(f"aggregate “{data.get('aggregate')}” 应为 mean 或 median")
    source = _source(data.get("source"), problems)
    seen: set[str] = set()
    vetoes: list[VetoItem] = []
    items: list[TemplateItem] = []
    for key in ("vetoes", "items"):
        for raw in _entries(data, key, problems):
            iid = str(raw.get("id", "")).strip()
            who = f"{'否决项' if key == 'vetoes' else '评分项'} {iid or '（无 id）'}"
            if not iid:
                problems.append(f"{who}：缺少 id")
            elif iid in seen:
                problems.append(f"{who}：id 重复")
            seen.add(iid)
            text = _text(raw, "text", who, problems)
            if key == "vetoes":
                if "points" in raw:
                    problems.append(f"{who}：否决项不设分值（points），一经发现即不通过")
                vetoes.append(VetoItem(iid, text))
                continue
            points = _number(raw.get("points"))
            if points is None or points <= 0:
                problems.append(f"{who}：分值 points 应为正数，实际为 {raw.get('points')!r}")
                points = Fraction(0)
            items.append(TemplateItem(iid, _text(raw, "section", who, problems), text, points))
    total = sum((i.points for i in items), Fraction(0))
    pass_mark = _number(data.get("pass_mark"))
    if pass_mark is None or pass_mark <= 0:
        problems.append(f"pass_mark 应为正数，实际为 {data.get('pass_mark')!r}")
    elif pass_mark > total:
        problems.append(f"通过分数线 pass_mark {_show(pass_mark)} 高于满分 {_show(total)}")
    bands = _bands(data.get("bands"), pass_mark, problems)
    if bands and bands[-1].min > total:
        problems.append(
            f"bands：等级 {bands[-1].name} 的 min {_show(bands[-1].min)} 高于满分 {_show(total)}"
        )
    if problems:
        raise TemplateError(filename, problems)
    assert kind is not None and agg is not None and pass_mark is not None
    return Template(
        header["id"],
        kind,
        header["version"],
        header["title"],
        source,
        agg,
        pass_mark,
        bands,
        tuple(vetoes),
        tuple(items),
    )


def shipped_templates() -> tuple[str, ...]:
    """File names of the templates shipped in ``cleanprod/data/review_templates``."""
    folder = resources.files(TEMPLATE_PACKAGE).joinpath(TEMPLATE_DIR)
    return tuple(sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml")))


@functools.cache  # templates are immutable: parse each shipped file once per process
def load_template(name: str) -> Template:
    """Load and validate a shipped template, e.g. ``load_template("evaluation-2026.yaml")``."""
    filename = f"{TEMPLATE_DIR}/{name}"
    text = resources.files(TEMPLATE_PACKAGE).joinpath(filename).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TemplateError(filename, [f"YAML 语法错误：{exc}"]) from None
    return parse_template(data, filename)


# --- decision --------------------------------------------------------------------------------


def _sheet_total(template: Template, sheet: ScoreSheet, problems: list[str]) -> dict[str, Fraction]:
    who = f"专家 {sheet.expert_id}"
    known = {i.id for i in template.items}
    veto_ids = {v.id for v in template.vetoes}
    points: dict[str, Fraction] = {}
    for item in template.items:
        if item.id not in sheet.scores:
            problems.append(f"{who}：评分项 {item.id}（{item.section}）未打分")
            continue
        given = sheet.scores[item.id]
        value = _number(given)
        if isinstance(given, float) or value is None:
            problems.append(f"{who}：评分项 {item.id} 的分数 {given!r} 应为整数或小数（非 float）")
        elif not 0 <= value <= item.points:
            problems.append(
                f"{who}：评分项 {item.id} 得分 {_show(value)} 超出 0 至 {_show(item.points)} 的范围"
            )
        else:
            points[item.id] = value
    for extra in sorted(set(sheet.scores) - known):
        problems.append(f"{who}：模板中没有评分项 {extra}")
    for vid, reason in sheet.vetoes.items():
        if vid not in veto_ids:
            problems.append(f"{who}：模板中没有否决项 {vid}")
        elif not str(reason).strip():
            problems.append(f"{who}：否决项 {vid} 须写明事实依据")
    if not sheet.opinion.strip():
        problems.append(f"{who}：缺少专家意见")
    return points


def _aggregate(totals: list[Fraction], how: Aggregate) -> Fraction:
    if how is Aggregate.MEAN:
        return sum(totals, Fraction(0)) / len(totals)
    ordered = sorted(totals)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def decide(template: Template, sheets: Sequence[ScoreSheet]) -> ReviewResult:
    """The panel's decision from the experts' score sheets (see the module docstring).

    Raises :class:`SheetError` listing every problem: no sheets, a duplicate expert, an item
    not scored or unknown, points out of range or inexact (float), an unknown veto item or one
    without a reason, a missing opinion.
    """
    problems: list[str] = []
    if not sheets:
        raise SheetError(["没有专家评分表"])
    ids = [s.expert_id for s in sheets]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"专家 {dup}：提交了多份评分表")
    per_expert = [_sheet_total(template, s, problems) for s in sheets]
    if problems:
        raise SheetError(problems)
    totals = [sum(p.values(), Fraction(0)) for p in per_expert]
    score = _aggregate(totals, template.aggregate)
    means = {
        i.id: sum((p[i.id] for p in per_expert), Fraction(0)) / len(sheets) for i in template.items
    }
    veto_text = {v.id: v.text for v in template.vetoes}
    findings = tuple(
        VetoFinding(vid, veto_text[vid], s.expert_id, reason.strip())
        for v in template.vetoes
        for s in sheets
        for vid, reason in s.vetoes.items()
        if vid == v.id
    )
    shown = format_score(score)
    if findings:
        decision, band = Decision.FAIL, None
        hit = "；".join(sorted({f"{f.item_id} {f.text}" for f in findings}))
        reason = f"存在否决项（{hit}），不予通过（评分 {shown} 仅作记录）"
    elif score >= template.pass_mark:
        decision = Decision.PASS
        band = next((b.name for b in reversed(template.bands) if score >= b.min), None)
        reason = f"评分 {shown} 达到通过分数线 {_show(template.pass_mark)}"
    else:
        decision, band = Decision.FAIL, None
        reason = f"评分 {shown} 低于通过分数线 {_show(template.pass_mark)}"
    return ReviewResult(
        template.id,
        template.version,
        decision,
        score,
        band,
        tuple(zip(ids, totals, strict=True)),
        means,
        findings,
        reason,
    )
