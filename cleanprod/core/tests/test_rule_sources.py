"""Rules and review templates say what the texts support (official-texts.md, issue 14)."""

from __future__ import annotations

from cleanprod.core.audit_rules import DocumentKind, load_national_rules
from cleanprod.core.review import Decision, ScoreSheet, Template, decide, load_template

EVALUATION = load_template("evaluation-2026.yaml")
ACCEPTANCE = load_template("acceptance-2026.yaml")


def _current_exceedance_vetoes(template: Template) -> list[str]:
    """The vetoes an honest expert must find for an enterprise that exceeds its limits *now*."""
    return [
        v.id
        for v in template.vetoes
        if ("不达标" in v.text or "超过重点污染物排放总量" in v.text) and "不能确保" not in v.text
    ]


def _plan_vetoes(template: Template) -> list[str]:
    return [v.id for v in template.vetoes if "方案" in v.text and "确保" in v.text]


def _panel(template: Template, vetoes: list[str]) -> list[ScoreSheet]:
    """Three experts scoring 80 % of every item; the first records ``vetoes``."""
    scores = {i.id: i.points * 4 / 5 for i in template.items}
    return [
        ScoreSheet(f"e{n}", dict(scores), {v: "经核实" for v in vetoes} if n == 0 else {}, "同意")
        for n in range(3)
    ]


def test_a_double_exceeding_enterprise_whose_plan_secures_compliance_passes_evaluation() -> None:
    # Evaluation comes before the medium/high-cost options are implemented: the enterprise still
    # exceeds (that is why it is on the roster), and that alone must not fail it.
    found = _current_exceedance_vetoes(EVALUATION)
    assert found == []
    assert decide(EVALUATION, _panel(EVALUATION, found)).decision is Decision.PASS


def test_a_plan_that_does_not_secure_compliance_fails_evaluation() -> None:
    plan = _plan_vetoes(EVALUATION)
    assert plan == ["V2"] and "双超" in EVALUATION.vetoes[1].text
    assert decide(EVALUATION, _panel(EVALUATION, plan)).decision is Decision.FAIL


def test_the_same_enterprise_still_exceeding_fails_acceptance() -> None:
    found = _current_exceedance_vetoes(ACCEPTANCE)
    assert found == ["V2"]
    assert decide(ACCEPTANCE, _panel(ACCEPTANCE, found)).decision is Decision.FAIL
    assert decide(ACCEPTANCE, _panel(ACCEPTANCE, [])).decision is Decision.PASS


def test_implementation_and_acceptance_deadlines_cite_local_practice_not_the_decree() -> None:
    rules = load_national_rules()
    for rid in ("deadline.options_implemented", "deadline.acceptance"):
        rule = rules.get(rid)
        assert "平台默认" in rule.text, rid
        assert all(s.document.key != "审核办法" for s in rule.sources), rid
        local = [s for s in rule.sources if s.document.kind is DocumentKind.PROVINCIAL]
        assert {s.document.key for s in local} == {"武汉审核指南", "广东验收办法"}, rid
        assert not any(s.document.verified for s in local)


def test_the_priority_chemicals_rule_does_not_cite_article_8() -> None:
    rule = load_national_rules().get("trigger.toxic.priority_chemical")
    assert all(s.document.key != "审核办法" for s in rule.sources)
    assert "十四五 §六(十六)" in rule.source_text and "分级管理" in rule.text


def test_the_report_deadline_names_its_article_as_unverified() -> None:
    rule = load_national_rules().get("deadline.report")
    assert rule.source_text.startswith("审核办法 第十七条") and "待核对" in rule.source_text
    assert not rule.sources[0].document.verified
