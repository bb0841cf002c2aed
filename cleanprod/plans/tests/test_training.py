"""Training sessions with attendance entered by an authority: form rows and an .xlsx upload
through the same validation, scoped to the officer's region, logged, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cleanprod.accounts.tests.factories import authority, user
from cleanprod.changelog.models import ObjectChange
from cleanprod.plans.models import Attendance, AttendeeRole, TrainingSession
from cleanprod.plans.training import SessionForm
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


def _client(u: Any) -> Client:
    c = Client()
    c.force_login(u)
    return c


def _rows(rows: list[dict[str, str]], total: int = 5) -> dict[str, str]:
    data = {"att-TOTAL_FORMS": str(total), "att-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"att-{i}-{key}"] = value
    return data


def _xlsx(rows: list[list[Any]], name: str = "attendance.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "姓名", "职务"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def place() -> dict[str, Any]:
    return {
        "officer": authority("sz", "440300"),
        "a": factories.enterprise("440305", name="深圳甲公司", above_size=True),
        "b": factories.enterprise("440305", name="深圳乙公司"),
        "gz": factories.enterprise("440106", name="广州丙公司"),
    }


SESSION = {"title": "清洁生产培训", "date": "2026-05-10", "region": "440300", "organizer": "市局"}


def test_officer_records_session_with_attendance_rows(place: dict[str, Any]) -> None:
    c = _client(place["officer"])
    assert c.get("/plans/training/add/").status_code == 200
    data = {
        **SESSION,
        **_rows(
            [
                {"enterprise": place["a"].name, "person": "张三", "role": "head"},
                {"enterprise": place["b"].uscc, "person": "李四", "role": "staff"},
            ]
        ),
    }
    response = c.post("/plans/training/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    session = TrainingSession.objects.get()
    assert (session.title, str(session.date), session.region_id) == (
        "清洁生产培训",
        "2026-05-10",
        "440300",
    )
    got = {(a.enterprise_id, a.person, a.role, a.year) for a in Attendance.objects.all()}
    assert got == {
        (place["a"].pk, "张三", AttendeeRole.HEAD, 2026),
        (place["b"].pk, "李四", AttendeeRole.STAFF, 2026),
    }
    assert Attendance.objects.get(person="张三").above_size is True
    # Logged: the session and each attendance, by the officer.
    logged = ObjectChange.objects.filter(user=place["officer"])
    assert logged.filter(content_type__model="trainingsession").count() == 1
    assert logged.filter(content_type__model="attendance").count() == 2
    page = c.get(f"/plans/training/{session.pk}/").content.decode()
    assert "深圳甲公司" in page and "李四" in page


def test_enterprise_outside_the_officers_region_is_refused(place: dict[str, Any]) -> None:
    c = _client(place["officer"])
    data = {
        **SESSION,
        **_rows(
            [
                {"enterprise": place["a"].name, "person": "张三", "role": "head"},
                {"enterprise": place["gz"].uscc, "person": "王五", "role": "head"},
            ]
        ),
    }
    response = c.post("/plans/training/add/", data)
    assert response.status_code == 200
    assert place["gz"].uscc in response.content.decode()  # named in the error
    assert not TrainingSession.objects.exists() and not Attendance.objects.exists()


def test_session_region_is_the_officers_subtree(place: dict[str, Any]) -> None:
    c = _client(place["officer"])
    response = c.post("/plans/training/add/", {**SESSION, "region": "440100", **_rows([])})
    assert response.status_code == 200
    assert not TrainingSession.objects.exists()


def test_xlsx_upload_records_every_row(place: dict[str, Any]) -> None:
    c = _client(place["officer"])
    upload = _xlsx(
        [
            ["91440300MA5XXXXXXX", "张三", "主要负责人"],  # the example row, skipped
            [place["a"].uscc, "张三", "主要负责人"],
            [place["b"].uscc, "李四", "清洁生产管理人员"],
        ]
    )
    response = c.post("/plans/training/add/", {**SESSION, **_rows([]), "file": upload})
    assert response.status_code == 302
    assert {(a.enterprise_id, a.role) for a in Attendance.objects.all()} == {
        (place["a"].pk, AttendeeRole.HEAD),
        (place["b"].pk, AttendeeRole.MANAGER),
    }


def test_xlsx_with_one_bad_row_names_it_and_writes_nothing(place: dict[str, Any]) -> None:
    c = _client(place["officer"])
    session = TrainingSession.objects.create(
        title="既有", date=dt.date(2026, 3, 1), region_id="440300"
    )
    upload = _xlsx(
        [
            [place["a"].uscc, "张三", "主要负责人"],
            [place["b"].uscc, "李四", "厨师"],  # row 3: no such position
            [place["a"].uscc, "赵六", "员工"],
        ]
    )
    response = c.post(f"/plans/training/{session.pk}/", {**_rows([]), "file": upload})
    assert response.status_code == 200
    errors = response.context["file_errors"]
    assert len(errors) == 1
    assert "3" in errors[0] and "职务" in errors[0]
    assert not Attendance.objects.exists()


def test_xlsx_enterprise_out_of_scope_is_named(place: dict[str, Any]) -> None:
    c = _client(place["officer"])
    session = TrainingSession.objects.create(
        title="既有", date=dt.date(2026, 3, 1), region_id="440300"
    )
    upload = _xlsx([[place["a"].uscc, "张三", "员工"], [place["gz"].uscc, "王五", "员工"]])
    response = c.post(f"/plans/training/{session.pk}/", {**_rows([]), "file": upload})
    errors = response.context["file_errors"]
    assert len(errors) == 1 and "3" in errors[0] and "统一社会信用代码" in errors[0]
    assert not Attendance.objects.exists()


def test_other_parties_cannot_record(place: dict[str, Any]) -> None:
    ent = _client(user("ent", party="enterprise", enterprise=place["a"]))
    assert ent.get("/plans/training/add/").status_code == 403
    viewer = _client(authority("v", "440300", role="viewer"))
    assert viewer.get("/plans/training/add/").status_code == 403
    assert viewer.get("/plans/training/").status_code == 200
    gz = _client(authority("gzo", "440100"))
    session = TrainingSession.objects.create(
        title="深圳场", date=dt.date(2026, 3, 1), region_id="440300"
    )
    assert gz.get(f"/plans/training/{session.pk}/").status_code == 404


def test_template_download_reads_back(place: dict[str, Any]) -> None:
    c = _client(place["officer"])
    response = c.get("/plans/training/template.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == ["统一社会信用代码", "姓名", "职务"]


def test_region_choices_are_the_officers_area_without_the_nations_counties() -> None:
    national = SessionForm(user=authority("nat", None)).fields["region"].queryset
    assert national.filter(code="440000").exists() and not national.filter(level=3).exists()
    county = SessionForm(user=authority("ns", "440305")).fields["region"].queryset
    assert list(county.values_list("code", flat=True)) == ["440305"]
