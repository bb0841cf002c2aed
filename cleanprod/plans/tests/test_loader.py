"""The plans as data in the database: everything loaded, idempotently, with its source."""

from __future__ import annotations

import pytest

from cleanprod.core.plans import load_plans
from cleanprod.plans.loader import load_plan_data
from cleanprod.plans.models import KeyProject, Substance, Substitution, Target, Technology

pytestmark = pytest.mark.django_db


def test_every_entry_is_loaded_once() -> None:
    plans = load_plans()
    first = load_plan_data()
    again = load_plan_data()
    assert first == again
    assert Target.objects.count() == len(plans.targets) + len(plans.quantities)
    assert Target.objects.filter(kind="quantity").count() == len(plans.quantities)
    assert KeyProject.objects.count() == len(plans.key_projects)
    assert Technology.objects.count() == len(plans.technologies)
    assert Substance.objects.count() == len(plans.substances)
    assert Substitution.objects.count() == len(plans.substitutions)


def test_fields_of_a_target_and_a_technology() -> None:
    load_plan_data()
    cod = Target.objects.get(slug="12-cod-reduction")
    assert (cod.unit, cod.target_value, cod.target_year, cod.comparison) == (
        "万吨/年",
        65,
        2015,
        "≥",
    )
    assert cod.additive and cod.key_project.slug == "12-kp-cod"
    assert cod.source.startswith("十二五 ")
    training = Target.objects.get(slug="12-leader-training-share")
    assert (training.baseline_value, training.baseline_year) == (23.4, 2010)
    tech = Technology.objects.get(slug="12-tech-paper-ecf-bleaching")
    assert tech.industry_codes == ["221", "222"] and tech.codes_text == " 221 222 "
    assert (tech.stage, tech.penetration_target, tech.penetration_year) == ("promotion", 40, 2015)
    key = Target.objects.get(slug="12-advanced-enterprise-share")
    assert "3360" in key.industry_codes  # the twelfth-key group resolved to its codes


def test_substitution_links_substances_and_technology() -> None:
    load_plan_data()
    sub = Substitution.objects.get(slug="12-sub-mercury-free-silver-oxide-battery")
    assert [s.slug for s in sub.replaces.all()] == ["mercury"]
    assert sub.technology is not None and sub.technology.slug.startswith("12-tech-battery")


def test_catalogue_entries_added_by_authorities_survive_reloading() -> None:
    load_plan_data()
    Technology.objects.create(slug="cat-x", origin="catalogue", name="新技术", stage="promotion")
    load_plan_data()
    assert Technology.objects.filter(slug="cat-x").exists()
