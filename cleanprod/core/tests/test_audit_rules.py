"""Audit rules: triggers, deadlines, re-audit cycles, provincial overrides, validation."""

from __future__ import annotations

import copy
import re
from datetime import date
from importlib import resources
from typing import Any

import pytest
import yaml

from cleanprod.core.audit_rules import (
    Anchor,
    AuditRulesError,
    DocumentKind,
    EmissionExceedance,
    EnergyExceedance,
    EnterpriseFacts,
    ExceedanceKind,
    FactError,
    PriorityChemicalList,
    RuleKind,
    RuleSet,
    RuleValidationError,
    Substance,
    SubstanceClass,
    SubstanceRole,
    Trigger,
    assess_triggers,
    compute_deadlines,
    deadline,
    load_national_rules,
    load_priority_chemicals,
    merge_rule_sets,
    next_audit_due,
    parse_override,
    parse_priority_chemicals,
    parse_rule_set,
    undefined_groups,
)
from cleanprod.core.errors import CoreError

USED, EMITTED = SubstanceRole.USED, SubstanceRole.EMITTED


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_national_rules()


@pytest.fixture(scope="module")
def chemicals() -> PriorityChemicalList:
    return load_priority_chemicals()


def national_data() -> dict[str, Any]:
    text = (
        resources.files("cleanprod.data").joinpath("audit_rules/national.yaml").read_text("utf-8")
    )
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


# --- the shipped data ------------------------------------------------------------------------


def test_every_rule_cites_a_source_and_says_what_kind_it_is(rules: RuleSet) -> None:
    assert rules.version == "national-2026.12-1"
    for rule in rules.rules:
        assert rule.sources, rule.id
        assert rule.text.strip(), rule.id
        assert rule.origin == "national"
    kinds = {s.document.key: s.document.kind for r in rules.rules for s in r.sources}
    assert kinds["十四五"] is DocumentKind.SEED
    assert kinds["十二五"] is DocumentKind.SEED
    assert kinds["审核办法"] is DocumentKind.EXTERNAL_LAW
    # Seeds were checked against the text; external law article numbers are flagged.
    assert rules.documents["十四五"].verified
    assert not rules.documents["审核办法"].verified
    assert "第38号" in rules.documents["审核办法"].issuer


def test_key_pointers(rules: RuleSet) -> None:
    assert rules.get("cycle.heavy_metal").source_text == "十二五 §二(三)"
    assert "十四五 §六(十六)" in rules.get("trigger.toxic.priority_chemical").source_text
    assert rules.get("deadline.disclose").source_text == "审核办法 第十一条"
    assert "第八条第（一）项" in rules.get("trigger.over_emission").source_text
    assert set(rules.groups) == {
        "twelfth-heavy-metal",
        "twelfth-major-pollutant",
        "fourteenth-key",
        "fourteenth-high-energy-emission",
    }
    assert str(rules.groups["twelfth-heavy-metal"].sources[0]) == "十二五 §二(二) 脚注②"


def test_priority_chemicals_list(chemicals: PriorityChemicalList) -> None:
    assert len(chemicals.chemicals) == 40
    unverified = sorted(c.code for c in chemicals.chemicals if not c.verified)
    assert unverified == ["PC021", "PC022", "PC038", "PC040"]
    pfos = chemicals.match("", ["307-35-7"])
    assert pfos is not None and pfos.code == "PC015"
    assert chemicals.match("Toluene") is not None
    assert chemicals.match("水") is None


def test_priority_chemicals_provenance_sidecar() -> None:
    folder = resources.files("cleanprod.data").joinpath("reference")
    meta = yaml.safe_load(
        folder.joinpath("priority-controlled-chemicals.provenance.yaml").read_text("utf-8")
    )
    assert {"source", "licence", "status", "converted_from"} <= set(meta)


# --- triggers ----------------------------------------------------------------------------------


def _assess(rules: RuleSet, chemicals: PriorityChemicalList, **facts: Any) -> Any:
    return assess_triggers(EnterpriseFacts(**facts), rules, chemicals)


def test_over_emission_standard(rules: RuleSet, chemicals: PriorityChemicalList) -> None:
    cod = EmissionExceedance("COD", ExceedanceKind.STANDARD, 120, 100, "mg/L", "监测报告 2025-03")
    result = _assess(rules, chemicals, emissions=(cod,))
    assert result.triggers == (Trigger.OVER_EMISSION,)
    (finding,) = result.findings
    assert finding.rule.id == "trigger.over_emission"
    assert finding.reason == "COD 为 120 mg/L，超过排放标准 100 mg/L"
    assert finding.evidence == "监测报告 2025-03"
    assert result.mandatory and result.rules_version == rules.version


def test_over_total_load_quota(rules: RuleSet, chemicals: PriorityChemicalList) -> None:
    so2 = EmissionExceedance("SO2", ExceedanceKind.TOTAL_LOAD, 52.5, 50, "t/a", "执行报告 2024")
    (finding,) = _assess(rules, chemicals, emissions=(so2,)).findings
    assert "重点污染物排放总量控制指标" in finding.reason


def test_at_the_limit_is_not_an_exceedance(rules: RuleSet, chemicals: PriorityChemicalList) -> None:
    ok = EmissionExceedance("COD", ExceedanceKind.STANDARD, 100, 100, "mg/L", "监测报告")
    energy_ok = EnergyExceedance("水泥熟料", 110, 110, "kgce/t", "能源审计")
    result = _assess(rules, chemicals, emissions=(ok,), energy=(energy_ok,))
    assert result.findings == () and not result.mandatory


def test_over_energy(rules: RuleSet, chemicals: PriorityChemicalList) -> None:
    clinker = EnergyExceedance("水泥熟料", 117, 110, "kgce/t", "节能监察意见书")
    (finding,) = _assess(rules, chemicals, energy=(clinker,)).findings
    assert finding.trigger is Trigger.OVER_ENERGY
    assert finding.rule.id == "trigger.over_energy"
    assert "117" in finding.reason and "110" in finding.reason


def test_toxic_priority_chemical_by_cas_and_name(
    rules: RuleSet, chemicals: PriorityChemicalList
) -> None:
    by_cas = Substance("清洗剂（二氯甲烷）", USED, "采购台账", cas_numbers=("75-09-2",))
    by_name = Substance("甲苯", EMITTED, "VOCs监测")
    result = _assess(rules, chemicals, substances=(by_cas, by_name))
    assert [f.chemical.code for f in result.findings if f.chemical] == ["PC006", "PC030"]
    assert {f.rule.id for f in result.findings} == {"trigger.toxic.priority_chemical"}
    assert result.triggers == (Trigger.TOXIC,)
    assert result.findings[1].reason.startswith("排放甲苯")


def test_unverified_list_entry_is_flagged(rules: RuleSet, chemicals: PriorityChemicalList) -> None:
    (finding,) = _assess(
        rules, chemicals, substances=(Substance("四氯乙烯", USED, "台账"),)
    ).findings
    assert "尚待核实" in finding.reason


def test_toxic_heavy_metal(rules: RuleSet, chemicals: PriorityChemicalList) -> None:
    chromic = Substance("铬酸酐", USED, "电镀槽液台账", elements=("Cr",))
    lead = Substance("铅膏", USED, "物料平衡")  # recognised by the character 铅
    cadmium = Substance("电镀废液", EMITTED, "监测报告", elements=("cd",))
    findings = _assess(rules, chemicals, substances=(chromic, lead, cadmium)).findings
    metal = [f for f in findings if f.substance_class is SubstanceClass.HEAVY_METAL]
    assert [f.reason for f in metal] == [
        "使用铬酸酐，含重金属或类金属：铬（Cr）",
        "使用铅膏，含重金属或类金属：铅（Pb）",
        "排放电镀废液，含重金属或类金属：镉（Cd）",
    ]
    assert {f.rule.id for f in metal} == {"trigger.toxic.heavy_metal"}
    # Cadmium compounds are also a priority-controlled chemical (PC007); Cr(III) need not be.
    listed = [f.chemical.code for f in findings if f.chemical]
    assert listed == ["PC007"]


def test_toxic_declared_classes(rules: RuleSet, chemicals: PriorityChemicalList) -> None:
    declared = {
        SubstanceClass.POP: "trigger.toxic.pop",
        SubstanceClass.HAZARDOUS_WASTE: "trigger.toxic.hazardous_waste",
        SubstanceClass.HIGHLY_TOXIC: "trigger.toxic.highly_toxic",
        SubstanceClass.OTHER_TOXIC: "trigger.toxic.other",
    }
    for cls, rule_id in declared.items():
        sub = Substance("某物质", EMITTED, "鉴别报告", declared=frozenset({cls}))
        (finding,) = _assess(rules, chemicals, substances=(sub,)).findings
        assert (finding.trigger, finding.substance_class, finding.rule.id) == (
            Trigger.TOXIC,
            cls,
            rule_id,
        )


def test_harmless_substance_triggers_nothing(
    rules: RuleSet, chemicals: PriorityChemicalList
) -> None:
    assert _assess(rules, chemicals, substances=(Substance("水", USED, "水表"),)).findings == ()


def test_all_three_triggers(rules: RuleSet, chemicals: PriorityChemicalList) -> None:
    result = _assess(
        rules,
        chemicals,
        substances=(Substance("苯", USED, "台账"),),
        energy=(EnergyExceedance("焦炭", 130, 122, "kgce/t", "监察"),),
        emissions=(EmissionExceedance("NOx", ExceedanceKind.STANDARD, 300, 200, "mg/m3", "在线"),),
    )
    assert result.triggers == (Trigger.OVER_EMISSION, Trigger.OVER_ENERGY, Trigger.TOXIC)


def test_facts_need_evidence() -> None:
    with pytest.raises(FactError) as info:
        Substance("苯", USED, "  ")
    assert isinstance(info.value, CoreError)
    with pytest.raises(FactError):
        EmissionExceedance("COD", ExceedanceKind.STANDARD, 120, 100, "mg/L", "")
    with pytest.raises(FactError):
        EnergyExceedance("焦炭", 130, 122, "kgce/t", "")


# --- deadlines ---------------------------------------------------------------------------------


def test_roster_deadlines(rules: RuleSet) -> None:
    published = date(2025, 3, 15)
    found = {d.event: d for d in compute_deadlines(rules, {Anchor.ROSTER_PUBLISHED: published})}
    assert set(found) == {"disclose", "start", "report"}
    assert found["disclose"].nominal_due == date(2025, 4, 15)
    assert found["start"].nominal_due == date(2025, 5, 15)
    assert found["report"].nominal_due == date(2026, 3, 15)
    # 2026-03-15 is a Sunday: the legal last day is the Monday (民法典 第二百零三条).
    assert found["report"].due == date(2026, 3, 16) and found["report"].period.moved
    assert found["disclose"].rule.id == "deadline.disclose"
    assert found["start"].rule.source_text == "审核办法 第十二条第一款"
    assert "两个月内" in found["start"].rule.text
    assert found["report"].anchor_date == published


def test_deadlines_at_month_end(rules: RuleSet) -> None:
    assert deadline(rules, "deadline.disclose", date(2025, 1, 31)).nominal_due == date(2025, 2, 28)
    assert deadline(rules, "deadline.disclose", date(2024, 1, 31)).nominal_due == date(2024, 2, 29)
    assert deadline(rules, "deadline.start", date(2023, 12, 31)).nominal_due == date(2024, 2, 29)
    assert deadline(rules, "deadline.report", date(2024, 2, 29)).nominal_due == date(2025, 2, 28)


def test_implementation_and_acceptance_deadlines(rules: RuleSet) -> None:
    anchors = {
        Anchor.ROSTER_PUBLISHED: date(2025, 1, 10),
        Anchor.EVALUATION_PASSED: date(2026, 4, 30),
    }
    found = {d.event: d for d in compute_deadlines(rules, anchors)}
    assert found["options_implemented"].nominal_due == date(2027, 4, 30)
    assert found["options_implemented"].anchor is Anchor.EVALUATION_PASSED
    assert found["acceptance"].nominal_due == date(2027, 4, 30)
    assert len(found) == 5


def test_deadline_of_a_non_deadline_rule(rules: RuleSet) -> None:
    with pytest.raises(AuditRulesError):
        deadline(rules, "cycle.heavy_metal", date(2025, 1, 1))
    with pytest.raises(AuditRulesError):
        deadline(rules, "deadline.nonexistent", date(2025, 1, 1))


# --- re-audit cycles ---------------------------------------------------------------------------


def test_heavy_metal_industries_every_two_years(rules: RuleSet) -> None:
    nxt = next_audit_due(date(2024, 2, 29), ["twelfth-heavy-metal"], [], rules)
    assert nxt.due == date(2026, 2, 28)
    assert nxt.rule is not None and nxt.rule.id == "cycle.heavy_metal"
    assert "十二五 §二(三)" in nxt.reason


def test_toxic_enterprises_at_most_five_years(rules: RuleSet) -> None:
    nxt = next_audit_due(date(2023, 6, 30), [], [Trigger.TOXIC], rules)
    assert nxt.due == date(2028, 6, 30)
    assert nxt.rule is not None and nxt.rule.id == "cycle.toxic_max_interval"


def test_the_earliest_cycle_governs(rules: RuleSet) -> None:
    nxt = next_audit_due(date(2023, 6, 30), ["twelfth-heavy-metal"], [Trigger.TOXIC], rules)
    assert nxt.due == date(2025, 6, 30)
    assert [(r.id, d) for r, d in nxt.candidates] == [
        ("cycle.heavy_metal", date(2025, 6, 30)),
        ("cycle.toxic_max_interval", date(2028, 6, 30)),
    ]


def test_no_national_cycle_for_other_groups(rules: RuleSet) -> None:
    nxt = next_audit_due(
        date(2023, 6, 30),
        ["fourteenth-key", "twelfth-major-pollutant"],
        [Trigger.OVER_ENERGY],
        rules,
    )
    assert nxt.due is None and nxt.rule is None and nxt.reason


def test_group_slugs_unknown_to_the_rules_are_ignored(rules: RuleSet) -> None:
    nxt = next_audit_due(date(2023, 1, 1), ["fourteenth-pilot"], [], rules)
    assert nxt.due is None


def test_rule_groups_exist_in_the_industry_registry(rules: RuleSet) -> None:
    assert undefined_groups(rules, ["twelfth-heavy-metal"]) == (
        "twelfth-major-pollutant",
        "fourteenth-key",
        "fourteenth-high-energy-emission",
    )
    registry = resources.files("cleanprod.industries").joinpath("data/groups.yaml")
    if not registry.is_file():
        pytest.skip("industry registry data not present")
    slugs = [g["slug"] for g in yaml.safe_load(registry.read_text("utf-8"))]
    assert undefined_groups(rules, slugs) == ()


# --- provincial overrides ----------------------------------------------------------------------

GUANGDONG: dict[str, Any] = {
    "province": "440000",
    "name": "广东省",
    "version": "gd-2026-1",
    "documents": {
        "粤细则": {
            "title": "广东省清洁生产审核实施细则（示例）",
            "kind": "provincial",
            "verified": False,
        },
    },
    "rules": [
        {
            "id": "deadline.start",
            "months": 3,
            "text": "名单公布后三个月内开展清洁生产审核（示例）。",
            "sources": [{"doc": "粤细则", "section": "第五条"}],
        },
        {
            "id": "cycle.gd.over_emission",
            "kind": "cycle",
            "interval_months": 36,
            "applies_to": {"triggers": ["over_emission"]},
            "text": "双超企业每三年开展一轮清洁生产审核（示例）。",
            "sources": [{"doc": "粤细则", "section": "第九条"}],
        },
    ],
}


def test_override_merge(rules: RuleSet) -> None:
    effective = merge_rule_sets(rules, parse_override(GUANGDONG, "guangdong.yaml"))
    start = effective.get("deadline.start")
    assert start.months == 3
    assert start.origin == "province:440000 广东省"
    assert start.origin_version == "gd-2026-1"
    assert start.anchor is Anchor.ROSTER_PUBLISHED  # kept from the national rule
    assert start.source_text == "粤细则 第五条"
    assert effective.get("deadline.disclose").origin == "national"
    assert effective.version == "national-2026.12-1+440000:gd-2026-1"
    due = deadline(effective, "deadline.start", date(2025, 3, 15))
    assert due.nominal_due == date(2025, 6, 15) and due.rule.origin.startswith("province:440000")
    # The national rule set is untouched.
    assert rules.get("deadline.start").months == 2
    assert rules.get("deadline.start").origin == "national"
    # The added cycle applies to 双超 enterprises.
    nxt = next_audit_due(date(2025, 1, 31), [], [Trigger.OVER_EMISSION], effective)
    assert nxt.due == date(2028, 1, 31)
    assert nxt.rule is not None and nxt.rule.id == "cycle.gd.over_emission"
    assert next_audit_due(date(2025, 1, 31), [], [Trigger.OVER_EMISSION], rules).due is None


def test_merge_without_override_is_national(rules: RuleSet) -> None:
    assert merge_rule_sets(rules) is rules


def _override(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(GUANGDONG)
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"id": "deadline.strat", "months": 3, "sources": [{"doc": "粤细则", "section": "x"}]},
            "规则 deadline.strat：全国规则中没有此 id",
        ),
        (
            {"id": "deadline.start", "months": 3},
            "规则 deadline.start：省级覆盖必须给出本省的规则原文和出处（缺少 text、sources）",
        ),
        (
            {"id": "deadline.start", "months": 3, "sources": [{"doc": "粤细则", "section": "x"}]},
            "规则 deadline.start：省级覆盖必须给出本省的规则原文和出处（缺少 text）",
        ),
        (
            {
                "id": "deadline.start",
                "kind": "cycle",
                "sources": [{"doc": "粤细则", "section": "x"}],
            },
            "规则 deadline.start：覆盖时不能改变 kind",
        ),
        (
            {"id": "deadline.start", "months": 0, "sources": [{"doc": "粤细则", "section": "x"}]},
            "规则 deadline.start：months 应为正整数",
        ),
        (
            {"id": "deadline.start", "months": 3, "sources": [{"doc": "粤规", "section": "x"}]},
            "规则 deadline.start：出处引用了未在 documents 中列出的文献 “粤规”",
        ),
        (
            {
                "id": "cycle.heavy_metal",
                "interval_months": 12,
                "applies_to": {"groups": ["nope"]},
                "sources": [{"doc": "粤细则", "section": "x"}],
            },
            "规则 cycle.heavy_metal：applies_to 引用了未定义的行业组 “nope”",
        ),
        (
            {
                "id": "deadline.start",
                "interval_months": 3,
                "sources": [{"doc": "粤细则", "section": "x"}],
            },
            "规则 deadline.start：deadline类规则没有字段 interval_months",
        ),
    ],
)
def test_override_validation_names_file_and_rule(
    rules: RuleSet, entry: dict[str, Any], message: str
) -> None:
    if "缺少 text" not in message:
        entry = {"text": "本省规定（示例）。", **entry}
    override = parse_override(_override(rules=[entry]), "guangdong.yaml")
    with pytest.raises(RuleValidationError) as info:
        merge_rule_sets(rules, override)
    assert info.value.filename == "guangdong.yaml"
    assert str(info.value).startswith("guangdong.yaml：")
    assert any(p.startswith(message) for p in info.value.problems), info.value.problems


def test_override_file_shape(rules: RuleSet) -> None:
    with pytest.raises(RuleValidationError, match="province"):
        parse_override(_override(province="440100"), "gz.yaml")
    with pytest.raises(RuleValidationError, match="id 重复"):
        parse_override(_override(rules=GUANGDONG["rules"] * 2), "gd.yaml")
    stale = parse_override(_override(base_version="national-2020.1"), "gd.yaml")
    with pytest.raises(RuleValidationError, match=re.escape("national-2020.1")):
        merge_rule_sets(rules, stale)


# --- validation of the national file -----------------------------------------------------------


def _broken(mutate: Any) -> RuleValidationError:
    data = national_data()
    mutate(data)
    with pytest.raises(RuleValidationError) as info:
        parse_rule_set(data, "audit_rules/national.yaml")
    assert str(info.value).startswith("audit_rules/national.yaml：")
    return info.value


def _rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in data["rules"] if r["id"] == rule_id)


def test_validation_missing_sources() -> None:
    err = _broken(lambda d: _rule(d, "deadline.report").pop("sources"))
    assert "规则 deadline.report：至少需要一个出处 sources" in err.problems


def test_validation_bad_values() -> None:
    def mutate(d: dict[str, Any]) -> None:
        _rule(d, "deadline.start")["months"] = "two"
        _rule(d, "deadline.disclose")["anchor"] = "published"
        _rule(d, "trigger.over_energy")["trigger"] = "energy"
        _rule(d, "cycle.heavy_metal")["applies_to"] = {"groups": ["heavy-metal"]}

    problems = _broken(mutate).problems
    assert "规则 deadline.start：months 应为正整数（月数），实际为 'two'" in problems
    assert any(p.startswith("规则 deadline.disclose：anchor “published” 应为") for p in problems)
    assert any(p.startswith("规则 trigger.over_energy：trigger “energy”") for p in problems)
    assert "规则 cycle.heavy_metal：applies_to 引用了未定义的行业组 “heavy-metal”" in problems
    # Removing the over_energy rule's trigger also leaves that trigger without a rule.
    assert "缺少触发条件规则：over_energy" in problems


def test_validation_duplicate_and_unknown_document() -> None:
    def mutate(d: dict[str, Any]) -> None:
        d["rules"].append(dict(_rule(d, "deadline.start")))
        _rule(d, "deadline.report")["sources"] = [{"doc": "审核规定", "section": "第1条"}]

    problems = _broken(mutate).problems
    assert "规则 deadline.start：id 重复" in problems
    assert any("未在 documents 中列出的文献 “审核规定”" in p for p in problems)


def test_validation_document_kind_and_version() -> None:
    def mutate(d: dict[str, Any]) -> None:
        d["documents"]["十二五"]["kind"] = "plan"
        del d["version"]

    problems = _broken(mutate).problems
    assert "缺少版本号 version" in problems
    assert any(p.startswith("文献 十二五：kind “plan”") for p in problems)


def test_rule_kinds_present(rules: RuleSet) -> None:
    assert len(rules.of_kind(RuleKind.TRIGGER)) == 8
    assert len(rules.of_kind(RuleKind.DEADLINE)) == 5
    assert len(rules.of_kind(RuleKind.CYCLE)) == 2


def test_priority_chemical_file_validation() -> None:
    bad = "code,batch,name_zh,name_en,cas_numbers,status,note\nPC001,1,x,y,,maybe,\n"
    with pytest.raises(RuleValidationError, match="PC001：status"):
        parse_priority_chemicals(bad, "chem.csv")
