"""The evaluation opinion (清洁生产审核评估意见) and acceptance conclusion (清洁生产审核验收意见)
as PDF bytes.

Fill the dataclasses of :mod:`cleanprod.reports.model` (re-exported here) and call
:func:`evaluation_opinion_pdf` or :func:`acceptance_conclusion_pdf`. Layout: A4, the CJK font of
:mod:`cleanprod.reports.fonts` embedded, ``wordWrap='CJK'`` so Chinese wraps between any two
characters, and a footer on every page with who generated the document, when, and
"第 n 页 共 m 页". Input marked ``synthetic`` carries a red notice under the title and in every
footer. Output is byte-for-byte reproducible for the same input (ReportLab's invariant mode), so
a stored document can be checked by hash.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER, TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from cleanprod.core.review import format_score
from cleanprod.reports.fonts import register_cjk_font
from cleanprod.reports.model import (
    AcceptanceConclusion,
    AgencyInfo,
    EnterpriseInfo,
    EvaluationOpinion,
    GradeLike,
    ItemScoreRow,
    Number,
    OptionRow,
    PanelMemberInfo,
    ReviewInfo,
    TargetRow,
    VetoRow,
    review_info,
)

__all__ = [
    "AcceptanceConclusion",
    "AgencyInfo",
    "EnterpriseInfo",
    "EvaluationOpinion",
    "GradeLike",
    "ItemScoreRow",
    "OptionRow",
    "PanelMemberInfo",
    "ReviewInfo",
    "TargetRow",
    "VetoRow",
    "acceptance_conclusion_pdf",
    "evaluation_opinion_pdf",
    "review_info",
]

# --- styles and helpers ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Styles:
    title: Any
    heading: Any
    body: Any
    cell: Any
    number: Any
    head_cell: Any
    notice: Any
    decision: Any


def _styles(font: str) -> _Styles:
    def style(name: str, size: float, **kw: Any) -> Any:
        # wordWrap='CJK' breaks Chinese between any two characters, as typeset Chinese does.
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=size * 1.5, wordWrap="CJK", **kw
        )

    return _Styles(
        title=style("title", 20, alignment=TA_CENTER, spaceAfter=4 * mm),
        heading=style("heading", 13, spaceBefore=5 * mm, spaceAfter=2 * mm, keepWithNext=1),
        body=style("body", 10.5, firstLineIndent=21, spaceBefore=1 * mm, spaceAfter=2 * mm),
        cell=style("cell", 9),
        number=style("number", 9, alignment=TA_RIGHT),
        head_cell=style("head", 9, alignment=TA_CENTER),
        notice=style("notice", 10, textColor=colors.HexColor("#B00020"), alignment=TA_CENTER),
        decision=style("decision", 14, spaceBefore=2 * mm, spaceAfter=2 * mm),
    )


def _p(text: object, style: Any) -> Any:
    return Paragraph(escape(str(text)), style)


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def _num(value: Number) -> str:
    """Points for display: integers as such, others truncated to two decimals like scores."""
    frac = Fraction(value)
    return str(frac.numerator) if frac.denominator == 1 else format_score(frac)


def _table(
    s: _Styles,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Any,
    numbers: Sequence[int] = (),
    alert: Sequence[int] = (),
) -> Any:
    """A table with a shaded header row repeated on every page; ``numbers`` (columns)
    right-aligned, ``alert`` (body rows, from 0) shaded red."""
    data = [[_p(h, s.head_cell) for h in header]]
    data += [
        [_p(c, s.number if i in numbers else s.cell) for i, c in enumerate(row)] for row in rows
    ]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                *[
                    ("BACKGROUND", (0, r + 1), (-1, r + 1), colors.HexColor("#FDECEA"))
                    for r in alert
                ],
            ]
        )
    )
    return table


def _key_values(s: _Styles, pairs: Sequence[tuple[str, str]]) -> Any:
    data = [[_p(k, s.head_cell), _p(v, s.cell)] for k, v in pairs]
    table = Table(data, colWidths=[32 * mm, 138 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2F2F2")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# --- the shared sections ---------------------------------------------------------------------


def _head(
    s: _Styles, r: ReviewInfo, title: str, what: str, extra: Sequence[tuple[str, str]] = ()
) -> list[Any]:
    flow: list[Any] = [_p(title, s.title)]
    if r.synthetic:
        flow.append(
            _p(
                "【合成数据】本文件由示例（合成）数据生成，不涉及任何真实企业，不得作为正式文书。",
                s.notice,
            )
        )
        flow.append(Spacer(1, 3 * mm))
    e = r.enterprise
    drawn = f"（由专家库随机抽取，抽取种子 {r.draw_seed}，已回避利益相关方）" if r.draw_seed else ""
    flow += [
        _p("一、企业基本情况", s.heading),
        _key_values(
            s,
            [
                ("企业名称", e.name),
                ("统一社会信用代码", e.uscc),
                ("所在地区", e.region),
                ("所属行业", e.industry),
                ("审核编号", r.audit_id),
                ("咨询服务机构", r.agency.name),
                ("机构审核人员", "、".join(r.agency.staff) or "—"),
                *extra,
            ],
        ),
        _p(f"二、{what}组织", s.heading),
        _p(
            f"{_cn_date(r.review_date)}，在{r.place}召开{what}会，专家组由以下 {len(r.panel)} 名"
            f"专家组成{drawn}：",
            s.body,
        ),
        _table(
            s,
            ["序号", "姓名", "职称", "工作单位", "组内职务"],
            [(i, m.name, m.title, m.employer, m.role) for i, m in enumerate(r.panel, 1)],
            [12 * mm, 26 * mm, 34 * mm, 78 * mm, 20 * mm],
        ),
    ]
    return flow


def _review_sections(s: _Styles, r: ReviewInfo) -> list[Any]:
    veto_rows = [
        (v.item_id, v.text, "发现" if v.found else "未发现", v.finding or "—") for v in r.vetoes
    ]
    total_max = sum((Fraction(i.max_points) for i in r.items), Fraction(0))
    item_rows: list[Sequence[object]] = [
        (i.item_id, i.section, i.text, _num(i.max_points), _num(i.score)) for i in r.items
    ]
    # The sum of the item rows; equal to the panel score under the mean rule, not the median.
    total = sum((Fraction(i.score) for i in r.items), Fraction(0))
    item_rows.append(("", "合计", "", _num(total_max), _num(total)))
    return [
        _p("三、否决项审查", s.heading),
        _table(
            s,
            ["编号", "否决项", "审查结果", "说明"],
            veto_rows,
            [14 * mm, 86 * mm, 18 * mm, 52 * mm],
            alert=[n for n, v in enumerate(r.vetoes) if v.found],
        ),
        _p(f"四、评分情况（评分表版本 {r.template_version}）", s.heading),
        _table(
            s,
            ["编号", "评审内容", "评分要点", "分值", "得分"],
            item_rows,
            [14 * mm, 30 * mm, 96 * mm, 14 * mm, 16 * mm],
            numbers=(3, 4),
        ),
        _p(
            f"专家组评分（{r.score_rule}）：{format_score(Fraction(r.score))} 分"
            f"（满分 {_num(total_max)} 分，通过分数线 {_num(r.pass_mark)} 分）。",
            s.body,
        ),
    ]


def _closing(s: _Styles, r: ReviewInfo, numbers: str, what: str) -> list[Any]:
    """The technical review opinion and the conclusion, numbered ``numbers[0]``, ``[1]``."""
    flow: list[Any] = [_p(f"{numbers[0]}、技术审查意见", s.heading)]
    flow += [_p(par.strip(), s.body) for par in r.opinion.split("\n\n") if par.strip()]
    found = [v for v in r.vetoes if v.found]
    verdict = r.decision + (f"（{r.band}）" if r.band and not found else "")
    why = "存在否决项，" if found else ""
    flow.append(
        KeepTogether(
            [
                _p(f"{numbers[1]}、{what}结论", s.heading),
                _p(f"{why}专家组{what}结论：{verdict}", s.decision),
                Spacer(1, 8 * mm),
                _p(
                    f"专家组组长（签字）：________________　　　　{_cn_date(r.review_date)}", s.body
                ),
            ]
        )
    )
    return flow


def _footer(r: ReviewInfo, font: str, total: Callable[[], int]) -> Callable[[Any, Any], None]:
    stamp = r.generated_at.strftime("%Y-%m-%d %H:%M")
    synthetic = "　合成数据，不代表真实企业" if r.synthetic else ""

    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        left = f"由 cleanprod 清洁生产信息平台生成（{r.generated_by}，{stamp}）{synthetic}"
        canvas.drawString(20 * mm, 12 * mm, left)
        canvas.drawRightString(190 * mm, 12 * mm, f"第 {doc.page} 页 共 {total()} 页")
        canvas.restoreState()

    return draw


def _render(title: str, r: ReviewInfo, build: Callable[[_Styles], list[Any]]) -> bytes:
    font = register_cjk_font()
    s = _styles(font)

    def once(total: int) -> tuple[bytes, int]:
        buf = io.BytesIO()
        doc = SimpleDocTemplate(
            buf,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=18 * mm,
            bottomMargin=20 * mm,
            title=f"{title}：{r.enterprise.name}",
            author=r.generated_by,
            subject=f"{title}（审核编号 {r.audit_id}）",
            creator="cleanprod",
            invariant=1,
            lang="zh-CN",
            initialFontName=font,
            displayDocTitle=True,
        )
        footer = _footer(r, font, lambda: total)
        doc.build(build(s), onFirstPage=footer, onLaterPages=footer)
        return buf.getvalue(), int(doc.page)

    # "共 m 页" needs the page count before drawing: lay out once to count, then for real.
    _, pages = once(0)
    data, final = once(pages)
    assert final == pages, "the footer must not change the layout"
    return data


# --- the two documents -----------------------------------------------------------------------


def evaluation_opinion_pdf(doc: EvaluationOpinion) -> bytes:
    """清洁生产审核评估意见 as PDF bytes. Raises ``FontMissing`` if the CJK font is absent."""
    r = doc.review

    def build(s: _Styles) -> list[Any]:
        flow = _head(s, r, "清洁生产审核评估意见", "评估")
        flow += _review_sections(s, r)
        flow += _closing(s, r, "五六", "评估")
        return flow

    return _render("清洁生产审核评估意见", r, build)


def acceptance_conclusion_pdf(doc: AcceptanceConclusion) -> bytes:
    """清洁生产审核验收意见 as PDF bytes. Raises ``FontMissing`` if the CJK font is absent."""
    r = doc.review

    def build(s: _Styles) -> list[Any]:
        passed = doc.evaluation_date
        extra = [("通过评估日期", _cn_date(passed) if passed else "—")]
        flow = _head(s, r, "清洁生产审核验收意见", "验收", extra)
        flow += _review_sections(s, r)
        invest = sum((o.investment for o in doc.options), Decimal(0))
        benefit = sum((o.economic_benefit for o in doc.options), Decimal(0))
        rows: list[Sequence[object]] = [
            (
                o.name,
                o.cost_class,
                _money(o.investment),
                _money(o.economic_benefit),
                o.environmental_benefit,
                "已核实" if o.verified else "未核实",
            )
            for o in doc.options
        ]
        rows.append(("合计", "", _money(invest), _money(benefit), "", ""))
        flow += [
            _p("五、方案实施与绩效核实", s.heading),
            _table(
                s,
                ["方案", "类别", "投资（万元）", "经济效益（万元/年）", "环境效益", "核实"],
                rows,
                [42 * mm, 16 * mm, 22 * mm, 26 * mm, 50 * mm, 14 * mm],
                numbers=(2, 3),
            ),
            _p("六、清洁生产水平", s.heading),
            _key_values(
                s,
                [
                    ("评价指标体系", doc.indicator_system),
                    ("审核前等级", doc.grade_before.label),
                    ("审核后等级", doc.grade_after.label),
                    ("水平变化", _grade_change(doc.grade_before, doc.grade_after)),
                ],
            ),
            _p("七、清洁生产目标完成情况", s.heading),
            _table(
                s,
                ["指标", "单位", "审核前", "目标值", "验收时", "是否达到"],
                [
                    (t.indicator, t.unit, t.baseline, t.target, t.achieved, "是" if t.met else "否")
                    for t in doc.targets
                ],
                [46 * mm, 22 * mm, 24 * mm, 24 * mm, 24 * mm, 30 * mm],
            ),
            _p(f"目标完成 {sum(t.met for t in doc.targets)} / {len(doc.targets)} 项。", s.body),
        ]
        flow += _closing(s, r, "八九", "验收")
        return flow

    return _render("清洁生产审核验收意见", r, build)


def _grade_change(before: GradeLike, after: GradeLike) -> str:
    if after < before:  # smaller is better
        return "清洁生产水平提升"
    return "清洁生产水平下降" if before < after else "清洁生产水平持平"
