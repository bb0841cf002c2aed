"""The two PDF documents: Chinese text survives extraction, pages, metadata, font errors."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from pypdf import PdfReader

from cleanprod.core.review import ScoreSheet, decide, load_template
from cleanprod.core.scoring.model import Grade
from cleanprod.reports import fonts
from cleanprod.reports.pdf import (
    AcceptanceConclusion,
    AgencyInfo,
    EnterpriseInfo,
    EvaluationOpinion,
    ItemScoreRow,
    OptionRow,
    PanelMemberInfo,
    ReviewInfo,
    TargetRow,
    VetoRow,
    acceptance_conclusion_pdf,
    evaluation_opinion_pdf,
    review_info,
)

# A paragraph long enough to wrap over several lines; its characters must all come back.
LONG = (
    "该企业审核小组组织健全，审核重点选择合理，以合成氨装置为审核重点开展了物料平衡、"
    "水平衡和能量平衡测算，数据来源清楚；共提出清洁生产方案二十三项，其中无低费方案十八项"
    "已全部实施，中高费方案五项完成了技术、环境和经济可行性分析。建议企业进一步加强"
    "循环冷却水系统的计量管理，落实中高费方案的实施资金和进度安排，持续推进清洁生产。"
)

REVIEW = ReviewInfo(
    enterprise=EnterpriseInfo(
        "苏州示例精细化工有限公司",
        "91320500MA1XXXXXX1",
        "江苏省苏州市（320500）",
        "2614 有机化学原料制造",
    ),
    audit_id="CP-2026-320500-0042",
    agency=AgencyInfo("江苏示例环境咨询有限公司", ("王芳（审核师 CP-2023-0147）", "李强")),
    panel=(
        PanelMemberInfo("张建国", "教授级高级工程师", "南京示例化工设计院", "组长"),
        PanelMemberInfo("陈丽华", "高级工程师", "江苏示例环境监测中心"),
        PanelMemberInfo("欧阳明", "副教授", "示例理工大学环境学院"),
    ),
    review_date=date(2026, 11, 20),
    place="苏州市生态环境局第三会议室",
    template_version="evaluation-2026.1",
    items=(
        ItemScoreRow("E1", "审核准备", "领导重视，成立审核小组", 4, Fraction(11, 3)),
        ItemScoreRow("E2", "预审核", "现状调研全面，数据真实完整", 8, 7),
        ItemScoreRow(
            "E3", "可行性分析", "中/高费方案可行性分析完整", Decimal("12"), Decimal("10.5")
        ),
    ),
    vetoes=(
        VetoRow("V1", "审核过程中存在弄虚作假行为", False),
        VetoRow("V2", "企业污染物排放不达标", False),
    ),
    score=Fraction(127, 6),
    pass_mark=15,
    decision="通过",
    band="良好",
    opinion=LONG + "\n\n" + "专家组同意该企业清洁生产审核通过评估。",
    generated_by="市生态环境局 王科员",
    generated_at=datetime(2026, 11, 21, 9, 30),
    synthetic=True,
    draw_seed="8731902",
)

ACCEPTANCE = AcceptanceConclusion(
    review=replace(REVIEW, template_version="acceptance-2026.1"),
    evaluation_date=date(2025, 10, 15),
    options=(
        OptionRow(
            "合成氨驰放气氢回收",
            "中/高费",
            Decimal("150"),
            Decimal("32.5"),
            "减排CO₂ 1200 t/a",
            True,
        ),
        OptionRow(
            "冷却水闭路循环改造", "中/高费", Decimal("86.4"), Decimal("12"), "节水 9 万 t/a", False
        ),
    ),
    indicator_system="合成氨行业清洁生产评价指标体系",
    grade_before=Grade.III,
    grade_after=Grade.II,
    targets=(
        TargetRow("单位产品综合能耗", "kgce/t", "1420", "1350", "1338", True),
        TargetRow("单位产品新鲜水耗", "m³/t", "12.0", "10.0", "10.4", False),
    ),
)


FOOTER = re.compile(r"由cleanprod清洁生产信息平台生成.*?第(\d+)页共(\d+)页")


def squash(text: str) -> str:
    """Text without whitespace: wrapping inserts line breaks inside a paragraph."""
    return re.sub(r"\s+", "", text)


def text_of(pdf: bytes) -> tuple[PdfReader, str, list[str]]:
    """The reader, the body text without whitespace or footers, and each page's footer."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = [squash(page.extract_text() or "") for page in reader.pages]
    footers = [m.group(0) for page in pages for m in FOOTER.finditer(page)]
    return reader, "".join(FOOTER.sub("", page) for page in pages), footers


def test_evaluation_opinion() -> None:
    pdf = evaluation_opinion_pdf(EvaluationOpinion(REVIEW))
    assert pdf.startswith(b"%PDF")
    reader, flat, footers = text_of(pdf)
    assert "清洁生产审核评估意见" in flat
    assert "六、评估结论专家组评估结论：通过（良好）" in flat
    assert "苏州示例精细化工有限公司" in flat and "91320500MA1XXXXXX1" in flat
    for name in ("张建国", "陈丽华", "欧阳明"):
        assert name in flat
    assert squash(LONG) in flat
    assert "21.16" in flat  # 127/6 = 21.1666… truncated
    assert "3.66" in flat  # item mean 11/3
    assert "【合成数据】" in flat
    assert "由专家库随机抽取，抽取种子8731902" in flat
    pages = len(reader.pages)
    assert 1 <= pages <= 2
    assert footers == [
        f"由cleanprod清洁生产信息平台生成（市生态环境局王科员，2026-11-2109:30）"
        f"合成数据，不代表真实企业第{n}页共{pages}页"
        for n in range(1, pages + 1)
    ]
    assert reader.metadata is not None
    assert reader.metadata.title == "清洁生产审核评估意见：苏州示例精细化工有限公司"


def test_acceptance_conclusion() -> None:
    pdf = acceptance_conclusion_pdf(ACCEPTANCE)
    reader, flat, footers = text_of(pdf)
    assert "清洁生产审核验收意见" in flat
    assert "九、验收结论专家组验收结论：通过（良好）" in flat
    assert "合成氨驰放气氢回收" in flat and "150.00" in flat and "236.40" in flat  # 150 + 86.4
    assert "44.50" in flat  # 32.5 + 12
    assert "审核前等级Ⅲ级审核后等级Ⅱ级水平变化清洁生产水平提升" in flat
    assert "目标完成1/2项" in flat
    assert "通过评估日期2025年10月15日" in flat
    assert squash(LONG) in flat
    pages = len(reader.pages)
    assert 2 <= pages <= 3
    assert len(footers) == pages and footers[-1].endswith(f"第{pages}页共{pages}页")
    assert reader.metadata is not None
    assert reader.metadata.title == "清洁生产审核验收意见：苏州示例精细化工有限公司"


def test_veto_and_real_data_variants() -> None:
    vetoed = replace(
        REVIEW,
        vetoes=(VetoRow("V1", "审核过程中存在弄虚作假行为", True, "监测报告日期早于采样日期"),),
        decision="不通过",
        band=None,
        synthetic=False,
    )
    _, flat, footers = text_of(evaluation_opinion_pdf(EvaluationOpinion(vetoed)))
    assert "存在否决项，专家组评估结论：不通过" in flat
    assert "监测报告日期早于采样日期" in flat
    assert "合成数据" not in flat and not any("合成数据" in f for f in footers)


def test_long_opinion_flows_onto_more_pages() -> None:
    long_review = replace(REVIEW, opinion="\n\n".join([LONG] * 30))
    reader, flat, footers = text_of(evaluation_opinion_pdf(EvaluationOpinion(long_review)))
    pages = len(reader.pages)
    assert pages >= 3
    assert len(footers) == pages
    assert all(f.endswith(f"第{n}页共{pages}页") for n, f in enumerate(footers, 1))
    assert flat.count(squash(LONG)) == 30


def test_same_input_same_bytes() -> None:
    doc = EvaluationOpinion(REVIEW)
    assert evaluation_opinion_pdf(doc) == evaluation_opinion_pdf(doc)


def test_missing_font_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(fonts.ENV_VAR, str(tmp_path / "none.ttc"))
    with pytest.raises(fonts.FontMissing, match="fonts-wqy-zenhei"):
        evaluation_opinion_pdf(EvaluationOpinion(REVIEW))
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font")
    monkeypatch.setenv(fonts.ENV_VAR, str(bad))
    with pytest.raises(fonts.FontMissing, match="TrueType"):
        fonts.register_cjk_font()


def test_font_path_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fonts.ENV_VAR, fonts.DEFAULT_FONT)
    assert fonts.cjk_font_path() == Path(fonts.DEFAULT_FONT)
    monkeypatch.setenv(fonts.ENV_VAR, "/opt/fonts/other.ttf")
    assert fonts.cjk_font_path() == Path("/opt/fonts/other.ttf")


def test_review_info_from_a_decision_on_the_shipped_template() -> None:
    template = load_template("evaluation-2026.yaml")
    full = {i.id: i.points for i in template.items}
    sheets = [
        ScoreSheet("e1", full, {}, "同意"),
        ScoreSheet("e2", {**full, "E14": 7}, {"V4": "物料平衡数据缺失"}, "不同意"),
    ]
    result = decide(template, sheets)
    info = review_info(
        template,
        result,
        enterprise=REVIEW.enterprise,
        audit_id=REVIEW.audit_id,
        agency=REVIEW.agency,
        panel=REVIEW.panel[:2],
        review_date=REVIEW.review_date,
        place=REVIEW.place,
        opinion="报告关键数据缺失。",
        generated_by="系统",
        generated_at=REVIEW.generated_at,
    )
    assert info.score == Fraction(197, 2)  # (100 + 97) / 2
    assert [v.found for v in info.vetoes] == [False, False, False, True]
    assert info.vetoes[3].finding == "物料平衡数据缺失"
    assert info.items[-1].score == Fraction(17, 2)  # E14: (10 + 7) / 2
    _, flat, _ = text_of(evaluation_opinion_pdf(EvaluationOpinion(info)))
    assert f"评分表版本{template.version}" in flat
    assert "V4审核报告未按要求编制" in flat and "物料平衡数据缺失" in flat
    assert "存在否决项，专家组评估结论：不通过" in flat
    assert "专家组由以下2名专家组成：" in flat  # no draw seed given: no claim of a draw
    assert "98.50" in flat and "审核报告编制规范" in flat


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [(Grade.II, Grade.II, "清洁生产水平持平"), (Grade.II, Grade.BELOW, "清洁生产水平下降")],
)
def test_grade_change_wording(before: Grade, after: Grade, change: str) -> None:
    doc = replace(ACCEPTANCE, grade_before=before, grade_after=after)
    _, flat, _ = text_of(acceptance_conclusion_pdf(doc))
    assert f"审核前等级{before.label}审核后等级{after.label}水平变化{change}" in flat
