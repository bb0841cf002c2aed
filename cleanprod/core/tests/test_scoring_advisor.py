"""Gap advisor on hand-computed cases (optimality in general: test_scoring_properties)."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

from cleanprod.core.scoring import Grade, Record, evaluate, load_system_file
from cleanprod.core.scoring.advisor import advise, plan_for
from cleanprod.core.scoring.loader import FORMAT, build_system
from cleanprod.core.scoring.model import IndicatorSystem

G = Grade


def _system() -> IndicatorSystem:
    inds = [
        {
            "code": c,
            "name": f"指标{c}",
            "kind": "qualitative",
            "weight": w,
            "restrictive": c == "r",
            "levels": {"I": "甲", "II": "乙", "III": "丙"},
        }
        for c, w in (("r", "0.1"), ("a", "0.5"), ("b", "0.3"), ("x", "0.1"))
    ]
    return build_system(
        {
            "format": FORMAT,
            "slug": "t",
            "name": "t",
            "version": "1",
            "categories": [{"code": "c", "name": "类", "weight": 1, "indicators": inds}],
        },
        "t.yaml",
    )


def test_plan_to_I_forces_the_restrictive_and_covers_the_gap_cheapest() -> None:
    s = _system()
    r = evaluate(s, Record("e", {"r": G.II, "a": G.II, "b": G.II, "x": G.II}))
    assert r.grade is G.II and r.index[0] == 0
    # r is forced (+10); 75 more points are needed from a (50), b (30), x (10): a and b.
    plan = plan_for(s, r, G.I)
    assert plan is not None and [i.code for i in plan.improvements] == ["r", "a", "b"]
    assert plan.improvements[0].forced and not plan.improvements[1].forced
    assert plan.index_after == 90 and plan.improvements[1].target == "甲"
    # Costs: a greedy by cost per point picks x (1/10) and b (3/30) before a (10/50) and pays
    # 1 + 3 + 10 = 14 for the optional part; a + b at 13 is optimal.
    costed = plan_for(s, r, G.I, costs={"r": 2, "a": 10, "b": 3, "x": 1})
    assert costed is not None and costed.cost == 15
    assert [i.code for i in costed.improvements] == ["r", "a", "b"]
    assert "达到Ⅰ级：需改进3项指标" in costed.describe()


def test_advise_gives_next_grade_and_the_one_after() -> None:
    s = _system()
    r = evaluate(s, Record("e", {"r": G.III, "a": G.III, "b": G.III}))  # x missing
    assert r.grade is G.BELOW
    iii, ii = advise(s, r)
    assert iii.grade is G.III and [(i.code, i.missing) for i in iii.improvements] == [("x", True)]
    # II: r forced to II (+10), then a (50) and b (30) reach 90; x alone would not.
    assert ii.grade is G.II and [i.code for i in ii.improvements] == ["r", "a", "b"]
    assert evaluate(s, Record("e", {"r": G.I})).grade is G.BELOW
    assert advise(s, evaluate(s, Record("e", dict.fromkeys("rabx", G.I)))) == []


def test_linear_target_is_evaluated_at_the_records_n() -> None:
    s = load_system_file(Path(__file__).parent / "data/scoring/pcb-fixture.yaml")
    rec = Record(
        "p",
        {"e_rigid_multi": 50.0, "rest_ok": True, "water_reuse": 60.0},
        outputs={"e_rigid_multi": 1.0},
        params={"n_multi": 2},
    )
    r = evaluate(s, rec)
    # No fresh-water product is made, so water_reuse carries the whole water weight 0.1.
    # 50 > 25+10·2 but ≤ 55+5·2: III. Y_I = 100·0.8, Y_II = 100·(0.8 + 0.1) = 90.
    assert r.outcome("e_rigid_multi").level is G.III and r.outcome("water_reuse").level is G.II
    assert r.index == (F(80), F(90), F(100)) and r.grade is G.II
    # Either indicator at I adds the 5 points missing; water_reuse is made dearer.
    plan = plan_for(s, r, G.I, costs={"water_reuse": 5}, params=rec.params)
    assert plan is not None and plan.grade is G.I and plan.cost == 1
    (imp,) = plan.improvements
    assert imp.code == "e_rigid_multi" and imp.gain == F(10)
    assert imp.target == "≤20 kWh/m²（≤10+5n，n=2）"
