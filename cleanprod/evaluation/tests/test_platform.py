"""Systems in the database, the self-assessment page, immutability, scope grading, and the same
grades from `cleanprod evaluate` on a CSV and from the page for the same values."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cleanprod.accounts.tests.factories import authority, user
from cleanprod.evaluation.models import Assessment, SystemVersion
from cleanprod.evaluation.services import AssessmentError, load_shipped_systems, submit
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db
SLUG = "hazardous-waste-incineration"
SAMPLE = Path(__file__).resolve().parents[2] / "core/tests/data/scoring"


def _sample_rows() -> list[dict[str, str]]:
    path = next(SAMPLE.glob("*.csv"))
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_shipped_system_loaded_once_and_versioned():
    assert SystemVersion.objects.filter(slug=SLUG, current=True).count() == 1
    assert load_shipped_systems() == 0  # idempotent


def test_page_and_cli_give_the_same_grades(tmp_path):
    rows = _sample_rows()
    assert len(rows) >= 3
    out = io.StringIO()
    call_command(
        "evaluate",
        "--system",
        SLUG,
        str(next(SAMPLE.glob("*.csv"))),
        "--format",
        "json",
        stdout=out,
    )
    cli = {r["id"]: r["grade"] for r in json.loads(out.getvalue())}
    grades_seen = set()
    for row in rows:
        e = factories.enterprise(region="330106", industry="7724")
        account = user(f"u{e.pk}", party="enterprise", enterprise=e)
        c = Client()
        c.force_login(account)
        form = {k: v for k, v in row.items() if k not in ("id", "name") and v}
        form["confirm"] = "1"
        response = c.post(reverse("evaluation:assess", args=[SLUG]) + f"?enterprise={e.pk}", form)
        assert response.status_code == 302, response.content.decode()[:500]
        assessment = Assessment.objects.get(enterprise=e)
        assert assessment.grade == cli[row["id"]], row["id"]
        grades_seen.add(assessment.grade)
        page = c.get(response["Location"]).content.decode()
        assert f'data-grade="{assessment.grade}"' in page and "category-chart" in page
    assert len(grades_seen) >= 2  # the sample covers several grades


def test_assessment_is_immutable_and_a_correction_supersedes():
    e = factories.enterprise(region="330106", industry="7724")
    u = user("ent", party="enterprise", enterprise=e)
    version = SystemVersion.objects.get(slug=SLUG, current=True)
    first = submit(u, e, version, {"dioxin_emission": "0.2"})
    first.grade = "I"
    with pytest.raises(ValueError):
        first.save()
    second = submit(u, e, version, {"dioxin_emission": "0.1"}, supersedes=first)
    assert second.supersedes == first and Assessment.objects.filter(enterprise=e).count() == 2
    other = factories.enterprise(region="330106", industry="7724")
    with pytest.raises(AssessmentError):
        submit(u, other, version, {})


def test_bad_input_names_the_column():
    e = factories.enterprise(region="330106", industry="7724")
    c = Client()
    c.force_login(user("ent2", party="enterprise", enterprise=e))
    body = c.post(
        reverse("evaluation:assess", args=[SLUG]) + f"?enterprise={e.pk}",
        {"dioxin_emission": "abc", "confirm": "1"},
    ).content.decode()
    assert "dioxin_emission" in body and "abc" in body
    assert not Assessment.objects.exists()


def test_authority_grades_its_scope_in_one_pass():
    rows = _sample_rows()
    version = SystemVersion.objects.get(slug=SLUG, current=True)
    admin = authority("nat", None, role="administrator")
    expected = {}
    for i, row in enumerate(rows):
        region = "330106" if i % 2 else "440305"
        e = factories.enterprise(region=region, industry="7724")
        inputs = {k: v for k, v in row.items() if k not in ("id", "name") and v}
        expected[e.pk] = (region, submit(admin, e, version, inputs).grade)
    c = Client()
    c.force_login(admin)
    data = c.get(reverse("evaluation:grading"), {"system": SLUG, "format": "json"}).json()
    assert data["totals"]["n"] == len(rows)
    for grade in ("I", "II", "III", "BELOW"):
        assert data["totals"][grade] == sum(1 for _r, g in expected.values() if g == grade)
    zj = sum(1 for r, _g in expected.values() if r.startswith("33"))
    assert data["by_region"]["330000"]["n"] == zj
    c.force_login(authority("gd", "440000"))
    gd = c.get(reverse("evaluation:grading"), {"system": SLUG, "format": "json"}).json()
    assert gd["totals"]["n"] == len(rows) - zj
