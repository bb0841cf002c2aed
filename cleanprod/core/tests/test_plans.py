"""The plans as data: the shipped files load, hold the seeds' values, and bad data is refused."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from cleanprod.core.plans import (
    Comparison,
    Direction,
    Fact,
    Kind,
    PlanDataError,
    Plans,
    Stage,
    Substance,
    Substitution,
    SubstitutionField,
    Target,
    Technology,
    ValueKind,
    load_plans,
    parse_plans,
    parse_source,
    render_markdown,
    shipped_group_slugs,
)

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def plans() -> Plans:
    return load_plans()


def _target(plans: Plans, entry_id: str) -> Target:
    entry = plans.get(entry_id)
    assert isinstance(entry, Target)
    return entry


def _tech(plans: Plans, entry_id: str) -> Technology:
    entry = plans.get(entry_id)
    assert isinstance(entry, Technology)
    return entry


# ------------------------------------------------------------------------------------------
# inventory
# ------------------------------------------------------------------------------------------


def test_inventory_by_kind(plans: Plans) -> None:
    assert plans.counts() == {
        Kind.TARGET: 39,
        Kind.QUANTITY: 9,
        Kind.FACT: 21,
        Kind.KEY_PROJECT: 7,
        Kind.TECHNOLOGY: 138,
        Kind.SUBSTANCE: 29,
        Kind.SUBSTITUTION: 38,
        Kind.INDUSTRY: 53,
    }
    assert [d.short for d in plans.documents] == ["十二五", "十四五"]
    assert (plans.document("十二五").start_year, plans.document("十二五").end_year) == (2011, 2015)
    assert (plans.document("十四五").start_year, plans.document("十四五").end_year) == (2021, 2025)


def test_seven_key_projects_with_the_texts_technology_counts(plans: Plans) -> None:
    # 十二五 §四(一)–(七): one technology entry per penetration-rate target.
    expected = {
        "12-kp-cod": ("化学需氧量削减工程", "十二五 §四(一)", 6),
        "12-kp-so2": ("二氧化硫削减工程", "十二五 §四(二)", 1),
        "12-kp-nh3n": ("氨氮削减工程", "十二五 §四(三)", 4),
        "12-kp-nox": ("氮氧化物削减工程", "十二五 §四(四)", 2),
        "12-kp-mercury": ("汞污染削减工程", "十二五 §四(五)", 4),
        "12-kp-chromium": ("铬污染削减工程", "十二五 §四(六)", 5),
        "12-kp-lead": ("铅污染削减工程", "十二五 §四(七)", 4),
    }
    got = {
        k.id: (k.name, str(k.source), len(plans.technologies_of(k.id))) for k in plans.key_projects
    }
    assert got == expected
    for project in plans.key_projects:
        for tech in plans.technologies_of(project.id):
            assert tech.penetration is not None and tech.penetration.year == 2015
            assert tech.source == project.source


def test_key_project_reductions(plans: Plans) -> None:
    def reductions(project: str) -> list[tuple[float | None, str]]:
        return [(t.target.value, t.metric.unit) for t in plans.reductions_of(project)]

    assert reductions("12-kp-cod") == [(65, "万吨/年")]
    assert reductions("12-kp-so2") == [(60, "万吨/年")]
    assert reductions("12-kp-nh3n") == [(10.8, "万吨/年")]
    assert reductions("12-kp-nox") == [(120, "万吨/年")]
    assert reductions("12-kp-mercury") == [(638, "吨/年")]
    assert reductions("12-kp-chromium") == [(73, "万吨/年")]
    assert reductions("12-kp-lead") == [(0.2, "万吨/年"), (60, "吨/年"), (18, "万吨/年")]


# ------------------------------------------------------------------------------------------
# spot checks against the seeds
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tech_id", "industry", "rate", "comparison"),
    [
        ("12-tech-paper-ecf-bleaching", "paper", 40, Comparison.GE),
        ("12-tech-sugar-wastewater-recycling", "sugar", 90, Comparison.GE),
        ("12-tech-fermentation-thermosensitive-strain", "fermentation", 80, Comparison.GE),
        ("12-tech-fermentation-citric-chromatography", "fermentation", 70, Comparison.GE),
        ("12-tech-fermentation-stillage-treatment", "fermentation", 90, Comparison.GE),
        ("12-tech-pharma-green-enzyme", "pharma-antibiotic-vitamin", 60, Comparison.GE),
        ("12-tech-steel-sinter-fgd", "steel", 50, Comparison.GE),
        ("12-tech-nitrogen-fertilizer-zero-discharge", "nitrogen-fertilizer", 30, Comparison.GE),
        ("12-tech-adc-acid-free-condensation", "adc-blowing-agent", 100, Comparison.GE),
        ("12-tech-adc-improved-urea-process", "adc-blowing-agent", 40, Comparison.GE),
        ("12-tech-rare-earth-ammonia-free-saponification", "rare-earth", 80, Comparison.GE),
        ("12-tech-cement-low-temperature-scr", "cement", 80, Comparison.GE),
        ("12-tech-cement-sncr", "cement", 80, Comparison.GE),
        ("12-tech-pvc-low-mercury-catalyst", "pvc-carbide", 100, Comparison.GE),
        ("12-tech-pvc-mercury-recovery", "pvc-carbide", 60, Comparison.GE),
        ("12-tech-battery-mercury-free-alkaline-button", "battery", 100, Comparison.GE),
        ("12-tech-lamp-solid-mercury-dosing", "fluorescent-lamp", 80, Comparison.GE),
        ("12-tech-chromate-clean-process", "chromium-salt", 100, Comparison.EQ),
        ("12-tech-plating-chromium-substitute-coating", "electroplating", 30, Comparison.GE),
        ("12-tech-plating-low-chromium", "electroplating", 30, Comparison.GE),
        ("12-tech-plating-online-chromium-recovery", "electroplating", 30, Comparison.GE),
        ("12-tech-leather-high-exhaustion-chrome-tanning", "leather", 50, Comparison.GE),
        ("12-tech-lead-oxygen-bottom-blowing", "lead-zinc-smelting", 50, Comparison.GE),
        ("12-tech-lead-zinc-wastewater-reuse", "lead-zinc-smelting", 50, Comparison.GE),
        ("12-tech-battery-expanded-grid", "lead-acid-battery", 30, Comparison.GE),
        ("12-tech-lead-free-solder", "electronics-electrical", 60, Comparison.GE),
    ],
)
def test_penetration_targets_of_section_four(
    plans: Plans, tech_id: str, industry: str, rate: float, comparison: Comparison
) -> None:
    tech = _tech(plans, tech_id)
    assert tech.industries == (industry,)
    assert tech.penetration is not None
    assert (tech.penetration.value, tech.penetration.comparison) == (rate, comparison)


def test_technologies_sharing_one_rate_are_includes(plans: Plans) -> None:
    assert _tech(plans, "12-tech-paper-ecf-bleaching").includes == (
        "中浓氧脱木素技术",
        "中浓过氧化氢漂白技术",
        "中浓二氧化氯漂白技术",
    )
    assert len(_tech(plans, "12-tech-steel-sinter-fgd").includes) == 2
    assert _tech(plans, "12-tech-chromate-clean-process").includes == (
        "无钙焙烧技术",
        "钾系亚熔盐液相氧化法",
    )


@pytest.mark.parametrize(
    ("tech_id", "stage", "industries"),
    [
        ("12-tech-paper-nonwood-clean-pulping", Stage.RESEARCH, ("paper",)),
        ("12-tech-textile-mercerizing-lye-recovery", Stage.PROMOTION, ("textile-dyeing",)),
        ("12-tech-manganese-ammonia-control", Stage.RESEARCH, ("electrolytic-manganese",)),
        ("12-tech-kiln-low-sulphur-combustion", Stage.RESEARCH,
         ("steel", "cement", "glass", "ceramics")),
        ("12-tech-sinter-thick-bed", Stage.PROMOTION, ("steel",)),
        ("12-tech-chromate-alkali-oxidation", Stage.DEMONSTRATION, ("chromium-salt",)),
        ("12-tech-plating-trivalent-chromium", Stage.RESEARCH, ("electroplating",)),
        ("12-tech-lamp-solid-mercury-dosing", Stage.POPULARIZATION, ("fluorescent-lamp",)),
        ("14-tech-steel-non-blast-furnace-ironmaking", Stage.DEMONSTRATION, ("steel",)),
        ("14-tech-steel-all-scrap-eaf", Stage.ADVANCEMENT, ("steel",)),
        ("14-tech-coking-wastewater-electromagnetic-oxidation", Stage.PROMOTION, ("coking",)),
        ("14-tech-green-hydrogen-refining", Stage.IMPLEMENTATION, ("oil-refining",)),
        ("14-tech-aluminium-efficient-low-carbon-electrolysis", Stage.PROMOTION,
         ("electrolytic-aluminium",)),
        ("14-tech-cement-low-nox-precalcining", Stage.PROMOTION, ("cement",)),
        ("14-tech-pvc-mercury-free", Stage.DEMONSTRATION, ("pvc-carbide",)),
    ],
)  # fmt: skip
def test_technology_stages(
    plans: Plans, tech_id: str, stage: Stage, industries: tuple[str, ...]
) -> None:
    tech = _tech(plans, tech_id)
    assert (tech.stage, tech.industries) == (stage, industries)


def test_boxes_of_the_fourteenth_plan(plans: Plans) -> None:
    def techs(section: str) -> list[Technology]:
        return [t for t in plans.technologies if str(t.source) == section]

    # 专栏2: 钢铁 4, 石化化工 9, 有色金属 7, 建材 2.
    assert len(techs("十四五 专栏2")) == 22
    # 专栏4: six fields of 技术集成应用示范, all demonstrations.
    box4 = techs("十四五 专栏4")
    assert len(box4) == 6 and {t.stage for t in box4} == {Stage.DEMONSTRATION}
    # 专栏1: eight key green-design technologies.
    assert len(techs("十四五 专栏1")) == 8


@pytest.mark.parametrize(
    ("target_id", "source", "baseline", "value", "year", "direction", "comparison", "additive"),
    [
        ("12-leader-training-share", "十二五 表1", 23.4, 50, 2015, Direction.INCREASE,
         Comparison.GT, False),
        ("12-audited-share", "十二五 表1", 9, 30, 2015, Direction.INCREASE, Comparison.GT, False),
        ("12-option-implementation-rate", "十二五 表1", 44.3, 60, 2015, Direction.INCREASE,
         Comparison.GT, False),
        ("12-cod-reduction", "十二五 表1", 245.6, 65, 2015, Direction.INCREASE, Comparison.GE,
         True),
        ("12-so2-reduction", "十二五 表1", None, 60, 2015, Direction.INCREASE, Comparison.GE, True),
        ("12-nh3n-reduction", "十二五 表1", 5.6, 10.8, 2015, Direction.INCREASE, Comparison.GE,
         True),
        ("12-nox-reduction", "十二五 表1", None, 120, 2015, Direction.INCREASE, Comparison.GE,
         True),
        ("12-mercury-use-reduction", "十二五 表1", None, 638, 2015, Direction.INCREASE,
         Comparison.GE, True),
        ("12-chromium-residue-reduction", "十二五 表1", None, 73, 2015, Direction.INCREASE,
         Comparison.GE, True),
        ("12-lead-dust-reduction", "十二五 表1", None, 0.2, 2015, Direction.INCREASE,
         Comparison.GE, True),
        ("12-advanced-enterprise-share", "十二五 表1", None, 70, 2015, Direction.INCREASE,
         Comparison.GT, False),
        ("12-demonstration-enterprises", "十二五 表1", None, 500, 2015, Direction.INCREASE,
         Comparison.GE, True),
        ("12-heavy-metal-audit-cycle", "十二五 §二(三)", None, 2, 2015, Direction.DECREASE,
         Comparison.LE, False),
        ("12-major-pollutant-audit-round", "十二五 §二(三)", None, 100, 2015, Direction.INCREASE,
         Comparison.EQ, False),
        ("12-central-soe-audit-round", "十二五 §二(三)", None, 100, 2015, Direction.INCREASE,
         Comparison.EQ, False),
        ("12-key-leader-training-share", "十二五 §五(四)", None, 90, 2015, Direction.INCREASE,
         Comparison.GE, False),
        ("12-soe-leader-training-round", "十二五 §五(四)", None, 100, 2015, Direction.INCREASE,
         Comparison.EQ, False),
        ("14-cod-total-change", "十四五 §一(二)", 0, -8, 2025, Direction.DECREASE, Comparison.LE,
         False),
        ("14-nh3n-total-change", "十四五 §一(二)", 0, -8, 2025, Direction.DECREASE,
         Comparison.LE, False),
        ("14-nox-total-change", "十四五 §一(二)", 0, -10, 2025, Direction.DECREASE, Comparison.LE,
         False),
        ("14-vocs-total-change", "十四五 §一(二)", 0, -10, 2025, Direction.DECREASE,
         Comparison.LE, False),
        ("14-agricultural-film-recovery", "十四五 §一(二)", None, 85, 2025, Direction.INCREASE,
         Comparison.GE, False),
        ("14-straw-utilisation", "十四五 §一(二)", None, 86, 2025, Direction.INCREASE,
         Comparison.GE, False),
        ("14-manure-utilisation", "十四五 §一(二)", None, 80, 2025, Direction.INCREASE,
         Comparison.GE, False),
        ("14-water-saving-irrigation", "十四五 §一(二)", None, 6000, 2025, Direction.INCREASE,
         Comparison.GE, True),
        ("14-green-building-new", "十四五 §一(二)", None, 100, 2025, Direction.INCREASE,
         Comparison.EQ, False),
        ("14-green-design-enterprises", "十四五 专栏1", None, 100, 2025, Direction.INCREASE,
         Comparison.GE, True),
        ("14-green-design-standards", "十四五 专栏1", None, 100, 2025, Direction.INCREASE,
         Comparison.GE, True),
        ("14-green-products", "十四五 专栏1", None, 10000, 2025, Direction.INCREASE,
         Comparison.GE, True),
        ("14-retrofit-enterprises", "十四五 §二(六)", None, 100, 2025, Direction.INCREASE,
         Comparison.GE, True),
        ("14-steel-ultra-low-emission", "十四五 专栏2", None, 5.3, 2025, Direction.INCREASE,
         Comparison.GE, True),
        ("14-coking-clean-retrofit", "十四五 专栏2", None, 4.6, 2025, Direction.INCREASE,
         Comparison.GE, True),
        ("14-nonferrous-kiln-retrofit", "十四五 专栏2", None, 4000, 2025, Direction.INCREASE,
         Comparison.EQ, True),
        ("14-cement-clinker-retrofit", "十四五 专栏2", None, 8.5, 2025, Direction.INCREASE,
         Comparison.GE, True),
        ("14-park-audit-pilots", "十四五 专栏5", None, 100, 2025, Direction.INCREASE,
         Comparison.GE, True),
    ],
)  # fmt: skip
def test_target_values(
    plans: Plans,
    target_id: str,
    source: str,
    baseline: float | None,
    value: float,
    year: int,
    direction: Direction,
    comparison: Comparison,
    additive: bool,
) -> None:
    t = _target(plans, target_id)
    assert str(t.source) == source
    assert (t.baseline.value if t.baseline else None) == baseline
    assert (t.target.value, t.target.year) == (value, year)
    assert (t.direction, t.comparison, t.additive) == (direction, comparison, additive)


def test_table1_brackets_are_cumulative(plans: Plans) -> None:
    bracketed = [
        t for t in plans.targets if t.baseline and t.baseline.kind is ValueKind.CUMULATIVE_2003_2010
    ]
    assert sorted(t.id for t in bracketed) == [
        "12-audited-share",
        "12-cod-reduction",
        "12-leader-training-share",
        "12-nh3n-reduction",
        "12-option-implementation-rate",
    ]
    # A cumulative 2003–2010 reduction (万吨) cannot start a trend toward an annual one (万吨/年);
    # a cumulative share can.
    assert not _target(plans, "12-cod-reduction").baseline_comparable
    assert _target(plans, "12-leader-training-share").trend_start == (2010, 23.4)
    assert _target(plans, "12-demonstration-enterprises").trend_start == (2010, 0.0)
    assert _target(plans, "14-steel-ultra-low-emission").trend_start == (2020, 0.0)
    assert _target(plans, "12-so2-reduction").trend_start is None


def test_qualitative_and_approximate_targets(plans: Plans) -> None:
    energy = _target(plans, "14-industrial-energy-efficiency")
    assert energy.qualitative and energy.target.value is None and energy.comparison is None
    kilns = _target(plans, "14-nonferrous-kiln-retrofit")
    assert kilns.approximate and kilns.comparison_text == "4000台左右"


def test_status_quo_facts(plans: Plans) -> None:
    def fact(entry_id: str) -> tuple[float, str, Comparison]:
        f = plans.get(entry_id)
        assert isinstance(f, Fact)
        return (f.value, f.unit, f.comparison)

    assert fact("12-fact-agencies") == (760, "家", Comparison.GT)
    assert fact("12-fact-trained-enterprises") == (6, "万家", Comparison.EQ)
    assert fact("12-fact-trained-share") == (23.4, "%", Comparison.EQ)
    assert fact("12-fact-audited-enterprises") == (2, "万家", Comparison.GT)
    assert fact("12-fact-audited-share") == (9, "%", Comparison.EQ)
    assert fact("12-fact-fiscal-funds") == (16, "亿元", Comparison.EQ)
    assert fact("12-fact-social-investment") == (1200, "亿元", Comparison.EQ)
    assert fact("12-fact-retrofit-projects") == (5, "万项", Comparison.GT)
    assert fact("12-fact-so2-reduced") == (93.9, "万吨", Comparison.EQ)
    assert fact("12-fact-cod-reduced") == (245.6, "万吨", Comparison.EQ)
    assert fact("12-fact-nh3n-reduced") == (5.6, "万吨", Comparison.EQ)
    assert fact("12-fact-energy-saved") == (5614, "万吨标准煤", Comparison.EQ)
    assert fact("12-fact-implementation-rate") == (44.3, "%", Comparison.EQ)
    assert fact("12-fact-industry-energy-share") == (70, "%", Comparison.GT)
    assert fact("12-fact-industry-so2-share") == (85.3, "%", Comparison.EQ)
    assert fact("12-fact-industry-cod-share") == (35.1, "%", Comparison.EQ)
    assert fact("12-fact-industry-nh3n-share") == (22.7, "%", Comparison.EQ)
    energy = plans.get("12-fact-energy-saved")
    assert isinstance(energy, Fact) and energy.approximate and energy.period == (2003, 2010)


def test_substances_and_substitutions(plans: Plans) -> None:
    def substance(entry_id: str) -> Substance:
        s = plans.get(entry_id)
        assert isinstance(s, Substance)
        return s

    codes = {
        "mercury": "PC008",
        "hexavalent-chromium": "PC010",
        "lead": "PC014",
        "cadmium": "PC007",
        "arsenic": "PC019",
        "cyanide": "PC036",
        "pfos": "PC015",
        "sccp": "PC005",
    }
    for entry_id, code in codes.items():
        assert substance(entry_id).priority_chemical == code
    assert substance("pops").priority_chemical is None
    assert substance("ddt").name == "滴滴涕（DDT）"

    by_field: dict[SubstitutionField, int] = {}
    for s in plans.substitutions:
        if s.source.document == "十二五":
            by_field[s.field] = by_field.get(s.field, 0) + 1
    assert by_field == {
        SubstitutionField.HEAVY_METAL: 13,
        SubstitutionField.ORGANIC: 8,
        SubstitutionField.PESTICIDE: 10,
    }
    low_mercury = plans.get("12-sub-low-mercury-catalyst")
    assert isinstance(low_mercury, Substitution)
    assert (low_mercury.stage, low_mercury.replaces) == (Stage.PROMOTION, ("mercury",))
    assert low_mercury.technology == "12-tech-pvc-low-mercury-catalyst"
    for entry_id in ("12-sub-solid-mercury-catalyst", "12-sub-mercury-free-catalyst"):
        sub = plans.get(entry_id)
        assert isinstance(sub, Substitution) and sub.stage is Stage.RESEARCH
    sccp = plans.get("12-sub-sccp-control")
    assert isinstance(sccp, Substitution) and sccp.stage is Stage.CONTROL
    assert {s.id for s in plans.substitutions_of("pfos")} == {
        "12-sub-pfos-free-mist-suppressant",
        "12-sub-pfos-photoresist",
        "12-sub-pfos-substitutes",
    }
    assert len(plans.substitutions_of("vocs")) == 5


# ------------------------------------------------------------------------------------------
# integrity of the shipped data
# ------------------------------------------------------------------------------------------


def test_every_entry_has_a_source_in_a_known_document(plans: Plans) -> None:
    shorts = {d.short for d in plans.documents}
    for entry in plans:
        assert entry.source.document in shorts, entry.id
        assert entry.source.section, entry.id
        assert parse_source(str(entry.source)) == entry.source


def test_industry_codes_fall_under_shipped_divisions(plans: Plans) -> None:
    text = resources.files("cleanprod").joinpath("industries", "data", "gbt4754-2017.csv")
    rows = list(csv.DictReader(io.StringIO(text.read_text("utf-8"))))
    divisions = {r["code"] for r in rows if r["level"] == "division"}
    assert len(divisions) == 97
    named = {r["code"] for r in rows}
    for industry in plans.industries:
        for code in industry.codes:
            assert code[:2] in divisions, (industry.id, code)
            # a finer code the shipped list does not name must be flagged as unverified
            assert code in named or "unverified" in industry.note, (industry.id, code)
    by_id = {i.id: i.codes for i in plans.industries}
    assert by_id["paper"] == ("221", "222")
    assert by_id["sugar"] == ("1340",)
    assert by_id["cement"] == ("3011",)
    assert by_id["nitrogen-fertilizer"] == ("2621",)
    assert by_id["rare-earth"] == ("0932", "3232")
    assert by_id["lead-zinc-smelting"] == ("3212",)
    assert by_id["electroplating"] == ("3360",)
    assert by_id["leather"] == ("1910",)
    assert by_id["pvc-carbide"] == ("2651",)


def test_groups_referred_to_are_the_leads(plans: Plans) -> None:
    used = {g for e in plans for g in getattr(e, "industry_groups", ())}
    assert used == {
        "twelfth-key",
        "twelfth-heavy-metal",
        "twelfth-major-pollutant",
        "fourteenth-key",
        "fourteenth-retrofit",
        "fourteenth-pilot",
        "fourteenth-high-energy-emission",
    }
    assert used <= shipped_group_slugs()


def test_docs_plans_md_is_up_to_date(plans: Plans) -> None:
    path = REPO / "docs" / "plans.md"
    assert path.read_text("utf-8") == render_markdown(plans), (
        "regenerate: python -m cleanprod.core.plans --markdown > docs/plans.md"
    )


def test_markdown_lists_every_entry_with_its_source(plans: Plans) -> None:
    text = render_markdown(plans)
    for entry in plans:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{entry.id}` |"))
        assert str(entry.source) in row


def test_loading_imports_nothing_of_django() -> None:
    code = (
        "import sys; from cleanprod.core.plans import load_plans; import cleanprod.core.progress;"
        " load_plans(); print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'"
        " or m.startswith('cleanprod.industries')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, cwd=REPO)
    assert done.stdout.decode().strip() == "[]"


def test_module_is_runnable() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cleanprod.core.plans", "--markdown"],
        capture_output=True,
        check=True,
        cwd=REPO,
    )
    assert done.stdout.decode("utf-8") == render_markdown()


# ------------------------------------------------------------------------------------------
# validation
# ------------------------------------------------------------------------------------------

DOC = """
schema_version: 1
document: {id: demo, short: 十二五, title: 演示, issuers: [工业和信息化部], period: [2011, 2015]}
key_projects:
  - {id: kp-a, name: 工程, source: 十二五 §四(一), pollutants: [cod], industries: [paper]}
technologies:
  - {id: tech-a, name: 技术, source: 十二五 §四(一), stage: promotion, stage_text: 推广,
     industries: [paper], key_project: kp-a, penetration: {value: 40, year: 2015, comparison: "≥"}}
targets:
  - id: target-a
    name: 目标
    source: 十二五 表1
    metric: {unit: 万吨/年, definition: 削减量}
    scope: industry
    industry_groups: [group-a]
    target: {value: 65, year: 2015, kind: annual}
    direction: increase
    comparison: "≥"
    additive: true
"""
CATALOGUE = """
schema_version: 1
industries:
  - {id: paper, name: 造纸, codes: ["22"], source: 十二五 §二(二) 脚注①}
"""


def _parse(**changed: str) -> Plans:
    files = {"plan.yaml": DOC, "catalogue.yaml": CATALOGUE}
    files.update({name.replace("_", "."): text for name, text in changed.items()})
    return parse_plans(files, known_groups={"group-a"})


def _problems(**changed: str) -> list[str]:
    with pytest.raises(PlanDataError) as info:
        _parse(**changed)
    assert str(info.value).count("\n") == len(info.value.problems)
    return [str(p) for p in info.value.problems]


def test_minimal_files_are_valid() -> None:
    plans = _parse()
    assert [t.id for t in plans.technologies_of("kp-a")] == ["tech-a"]


def test_duplicate_id_names_both_files() -> None:
    other = CATALOGUE + "  - {id: tech-a, name: 重复, codes: ['22'], source: 十二五 §二(二)}\n"
    assert _problems(catalogue_yaml=other) == [
        "catalogue.yaml: industries[1] tech-a: "
        "id 重复：已在 plan.yaml technologies[0] tech-a 中定义"
    ]


def test_unknown_kind_is_refused() -> None:
    problems = _problems(extra_yaml="schema_version: 1\nprojects: []\n")
    assert len(problems) == 1
    assert problems[0].startswith("extra.yaml: projects: 未知种类 'projects'")


def test_missing_source_names_file_and_entry() -> None:
    doc = DOC.replace("    source: 十二五 表1\n", "")
    assert _problems(plan_yaml=doc) == ["plan.yaml: targets[0] target-a: 缺少字段 source"]


def test_malformed_source_and_unknown_document_are_refused() -> None:
    doc = DOC.replace("source: 十二五 表1", "source: 十二五 table 1")
    [problem] = _problems(plan_yaml=doc)
    assert problem.startswith("plan.yaml: targets[0] target-a: source：出处格式应为")
    doc = DOC.replace("source: 十二五 表1", "source: 十三五 表1")
    assert _problems(plan_yaml=doc) == [
        "plan.yaml: targets[0] target-a: 出处 十三五 表1 指向未知文件 '十三五'"
    ]


def test_technology_pointing_to_missing_key_project() -> None:
    doc = DOC.replace("key_project: kp-a,", "key_project: kp-b,")
    problems = _problems(plan_yaml=doc)
    assert (
        "plan.yaml: technologies[0] tech-a: key_project 引用了不存在的key_projects条目 'kp-b'"
        in problems
    )
    # and the project left without technologies is reported too
    assert "plan.yaml: key_projects[0] kp-a: 重点工程没有任何技术条目" in problems


def test_broken_industry_and_group_references() -> None:
    doc = DOC.replace("industries: [paper], key_project", "industries: [paper, steel], key_project")
    doc = doc.replace("industry_groups: [group-a]", "industry_groups: [group-b]")
    assert sorted(_problems(plan_yaml=doc)) == [
        "plan.yaml: targets[0] target-a: industry_groups 引用了不存在的行业组 'group-b'",
        "plan.yaml: technologies[0] tech-a: industries 引用了不存在的industries条目 'steel'",
        "plan.yaml: technologies[0] tech-a: 行业 steel 不属于重点工程 kp-a",
    ]


def test_unknown_field_from_a_comma_in_a_flow_mapping() -> None:
    # An unquoted ASCII comma inside {...} silently splits a value into a new key.
    catalogue = CATALOGUE.replace(
        "source: 十二五 §二(二) 脚注①}", "source: 十二五 §二(二) 脚注①, note: 纸浆, 造纸}"
    )
    assert _problems(catalogue_yaml=catalogue) == [
        "catalogue.yaml: industries[0] paper: 未知字段 造纸"
    ]


def test_inconsistent_values_are_refused() -> None:
    doc = DOC.replace('comparison: "≥"\n    additive', 'comparison: "≤"\n    additive')
    assert _problems(plan_yaml=doc) == [
        "plan.yaml: targets[0] target-a: 方向 increase 与比较符 ≤ 矛盾"
    ]
    doc = DOC.replace("year: 2015, kind: annual", "year: 2020, kind: annual")
    assert _problems(plan_yaml=doc) == [
        "plan.yaml: targets[0] target-a: 目标年份 2020 不在 十二五 的规划期 2011—2015 内"
    ]
    doc = DOC.replace("{value: 40, year: 2015", "{value: 140, year: 2015")
    assert _problems(plan_yaml=doc) == [
        "plan.yaml: technologies[0] tech-a penetration: 普及率应在 (0, 100] 之间：140.0"
    ]
    doc = DOC.replace("stage: promotion", "stage: rollout")
    [problem] = _problems(plan_yaml=doc)
    assert problem.startswith("plan.yaml: technologies[0] tech-a: stage 的值 'rollout' 不在")


def test_bad_industry_code_is_refused() -> None:
    catalogue = CATALOGUE.replace('codes: ["22"]', 'codes: ["98", "2X"]')
    problems = _problems(catalogue_yaml=catalogue)
    assert problems[0] == (
        "catalogue.yaml: industries[0] paper: 行业代码 98 不在 GB/T 4754-2017 的01—97大类之下"
    )
    assert problems[1].startswith("catalogue.yaml: industries[0] paper: 行业代码应为门类字母")


def test_yaml_syntax_error_names_the_file() -> None:
    [problem] = _problems(broken_yaml="schema_version: 1\ntargets: [\n")
    assert problem.startswith("broken.yaml: -: YAML 语法错误")
