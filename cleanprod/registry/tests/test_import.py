"""Imports: all rows or none, errors by row and column, permissions, change log, formats."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from rest_framework.test import APIRequestFactory, force_authenticate

from cleanprod.accounts.tests.factories import authority
from cleanprod.changelog.models import ObjectChange
from cleanprod.changelog.signals import snapshot
from cleanprod.demo.registry import synthetic_uscc
from cleanprod.jobs.models import Job
from cleanprod.jobs.testing import run_queued_tasks
from cleanprod.registry.io import SPECS, import_file
from cleanprod.registry.io.exports import template_csv, template_xlsx
from cleanprod.registry.models import Agency, Enterprise, Expert, Park
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "企业名称", "行政区划代码", "行业代码", "规模以上", "状态"]


def uscc(n: int, region: str = "440305") -> str:
    return synthetic_uscc(70_000_000 + n, region)


def ent_row(n: int, region: str = "440305", **kw: Any) -> list[Any]:
    row = {"uscc": uscc(n, region), "name": f"导入企业{n}", "region": region, "industry": "3360"}
    row.update(kw)
    return [row["uscc"], row["name"], row["region"], row["industry"], "是", "在营"]


def xlsx(rows: list[list[Any]], header: list[str] = HEADER) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def csv_bytes(rows: list[list[Any]], encoding: str, header: list[str] = HEADER) -> io.BytesIO:
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    return io.BytesIO(text.getvalue().encode(encoding))


def run(user: Any, data: io.BytesIO, name: str = "f.xlsx", model: str = "enterprises", **kw: Any):
    return import_file(SPECS[model], user, data, name, **kw)


@pytest.fixture
def gd_officer() -> Any:
    return authority("gd_officer", "440000")


@pytest.fixture
def national() -> Any:
    return authority("nat_officer", None)


def test_one_bad_uscc_among_many_writes_nothing_and_names_row_and_column(national: Any) -> None:
    rows = [ent_row(i) for i in range(40)]
    rows[22][0] = rows[22][0][:-1] + ("0" if rows[22][0][-1] != "0" else "1")
    result = run(national, xlsx(rows))
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(24, "统一社会信用代码")]
    assert "校验码错误" in result.errors[0].message
    assert str(result.errors[0]).startswith("第24行 统一社会信用代码：")
    assert Enterprise.objects.count() == 0
    assert not ObjectChange.objects.filter(source="import").exists()


def test_valid_import_creates_rows_and_logs_each_in_bulk(national: Any) -> None:
    result = run(national, xlsx([ent_row(i) for i in range(5)]))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (5, 0)
    made = Enterprise.objects.get(uscc=uscc(3))
    assert (made.name, made.region_id, made.above_size, made.status) == (
        "导入企业3",
        "440305",
        True,
        "operating",
    )
    entries = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Enterprise)
    )
    assert entries.count() == 5
    entry = entries.get(object_id=str(made.pk))
    assert (entry.action, entry.source, entry.user_id) == ("create", "import", national.pk)
    assert entry.region_code == "440305"
    assert entry.prechange is None
    # The bulk snapshot matches what the model signals would have recorded.
    assert entry.postchange == _json(snapshot(made))
    assert len({e.request_id for e in entries}) == 1


def _json(data: dict[str, Any]) -> dict[str, Any]:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def test_update_by_uscc_needs_change_permission(gd_officer: Any) -> None:
    existing = factories.enterprise(region="440305", name="旧名称")
    row = [existing.uscc, "新名称", "440305", "3360", "是", "在营"]
    viewer = authority("gd_viewer", "440000", role="viewer")
    refused = run(viewer, xlsx([row]))
    assert [(e.row, e.column) for e in refused.errors] == [(2, "统一社会信用代码")]
    existing.refresh_from_db()
    assert existing.name == "旧名称"

    result = run(gd_officer, xlsx([row, ent_row(1)]))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (1, 1)
    existing.refresh_from_db()
    assert existing.name == "新名称"
    entry = ObjectChange.objects.get(object_id=str(existing.pk), action="update")
    assert entry.source == "import"
    assert entry.prechange["name"] == "旧名称" and entry.postchange["name"] == "新名称"


def test_unchanged_rows_are_counted_and_not_logged(national: Any) -> None:
    existing = factories.enterprise(region="440305", name="不变")
    row = [existing.uscc, "不变", "440305", existing.industry_code, "是", "在营"]
    result = run(national, xlsx([row]))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert not ObjectChange.objects.filter(source="import").exists()


def test_out_of_scope_rows_are_refused_as_row_errors(gd_officer: Any) -> None:
    rows = [ent_row(1, "440305"), ent_row(2, "110105"), ent_row(3, "440106")]
    result = run(gd_officer, xlsx(rows))
    assert [(e.row, e.column) for e in result.errors] == [(3, "行政区划代码")]
    assert "110105" in result.errors[0].message
    assert (
        Enterprise.objects.count() == 0
        and not ObjectChange.objects.filter(source="import").exists()
    )


def test_cannot_move_an_enterprise_out_of_scope_by_update(gd_officer: Any) -> None:
    existing = factories.enterprise(region="440305")
    row = [existing.uscc, existing.name, "110105", "3360", "是", "在营"]
    result = run(gd_officer, xlsx([row]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "行政区划代码")]
    existing.refresh_from_db()
    assert existing.region_id == "440305"


def test_field_errors_are_reported_together(national: Any) -> None:
    rows = [
        ent_row(1, region="440300"),  # not county-level
        ent_row(2, industry="9999"),
        ent_row(3, name=""),
        [uscc(4), "企业4", "广东省深圳市南山区", "3360", "也许", "在营"],
        [uscc(5), "企业5", "440305", "3360", "否", "歇业"],
        ent_row(1, region="440305"),  # same USCC as row 2 (differs only in region)
    ]
    rows[5][0] = rows[0][0]
    result = run(national, xlsx(rows))
    got = {(e.row, e.column) for e in result.errors}
    assert got == {
        (2, "行政区划代码"),
        (3, "行业代码"),
        (4, "企业名称"),
        (5, "规模以上"),
        (6, "状态"),
        (7, "统一社会信用代码"),
    }
    assert Enterprise.objects.count() == 0


def test_region_by_full_name_and_labels_or_codes(national: Any) -> None:
    rows = [
        [uscc(1), "甲", "广东省深圳市南山区", 3360, "否", "停产"],
        [uscc(2), "乙", 440305, "3360", "FALSE", "closed"],
    ]
    result = run(national, xlsx(rows))
    assert result.ok, result.errors
    a, b = Enterprise.objects.get(uscc=uscc(1)), Enterprise.objects.get(uscc=uscc(2))
    assert (a.region_id, a.industry_code, a.above_size, a.status) == (
        "440305",
        "3360",
        False,
        "suspended",
    )
    assert (b.region_id, b.status) == ("440305", "closed")


def test_header_problems(national: Any) -> None:
    result = run(national, xlsx([ent_row(1)], header=["统一社会信用代码", "企业名称", "颜色"]))
    got = {(e.row, e.column) for e in result.errors}
    assert (1, "颜色") in got and (1, "行政区划代码") in got and (1, "行业代码") in got
    assert not Enterprise.objects.exists()


def test_csv_with_bom_and_gb18030(national: Any) -> None:
    utf8 = run(national, csv_bytes([ent_row(1)], "utf-8-sig"), "a.csv")
    gb = run(national, csv_bytes([ent_row(2)], "gb18030"), "b.csv")
    assert utf8.ok and gb.ok, (utf8.errors, gb.errors)
    assert set(Enterprise.objects.values_list("name", flat=True)) == {"导入企业1", "导入企业2"}


def test_unreadable_files(national: Any) -> None:
    assert "xlsx" in run(national, io.BytesIO(b"not a zip"), "x.xlsx").errors[0].message
    assert run(national, io.BytesIO(b"a"), "x.txt").errors[0].row == 0


def test_dry_run_reports_counts_and_writes_nothing(national: Any) -> None:
    result = run(national, xlsx([ent_row(1), ent_row(2)]), dry_run=True)
    assert result.ok and result.created == 2
    assert (
        not Enterprise.objects.exists()
        and not ObjectChange.objects.filter(source="import").exists()
    )


def test_template_round_trip_ignores_the_example_row(national: Any) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx(SPECS["enterprises"])))
    sheet = workbook.worksheets[0]
    assert workbook.sheetnames == ["企业", "填写说明"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["统一社会信用代码", "企业名称", "行政区划代码"]
    values = {"统一社会信用代码": uscc(9), "企业名称": "模板企业", "行政区划代码": "440305"}
    values |= {"行业代码": "3360", "状态": "在营", "园区": ""}
    sheet.append([values.get(h, "") for h in header])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    result = run(national, out)
    assert result.ok, result.errors
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["模板企业"]

    text = template_csv(SPECS["enterprises"]).decode("utf-8")
    assert text.startswith("\ufeff统一社会信用代码,")
    assert run(national, io.BytesIO(text.encode("utf-8")), "t.csv").rows == 0


def test_park_by_name_must_contain_the_enterprise(national: Any) -> None:
    park = factories.park(region="440300", name="南山园")
    header = [*HEADER, "园区"]
    rows = [[*ent_row(1, "440305"), "南山园"], [*ent_row(2, "440106"), "南山园"]]
    result = run(national, xlsx(rows, header))
    assert [(e.row, e.column) for e in result.errors] == [(3, "园区")]
    result = run(national, xlsx(rows[:1], header))
    assert result.ok
    assert Enterprise.objects.get().park_id == park.pk


def test_parks_created_and_updated_by_id(national: Any) -> None:
    park = factories.park(region="440300", name="旧园区")
    header = ["编号", "园区名称", "园区类型", "行政区划代码"]
    rows = [[park.pk, "新园区", "国家级园区", "440300"], ["", "另一园区", "", "440305"]]
    result = run(national, xlsx(rows, header), model="parks")
    assert result.ok, result.errors
    assert (result.created, result.updated) == (1, 1)
    park.refresh_from_db()
    assert (park.name, park.kind) == ("新园区", "national")
    assert Park.objects.get(name="另一园区").kind == "other"
    missing = run(national, xlsx([[999999, "无", "", "440300"]], header), model="parks")
    assert [(e.row, e.column) for e in missing.errors] == [(2, "编号")]


def test_agencies_with_scope_and_dates(national: Any) -> None:
    header = ["统一社会信用代码", "机构名称", "行政区划代码", "备案有效期起", "备案有效期止"]
    header.append("业务范围（行业大类）")
    code = uscc(1, "440305")
    rows = [[code, "咨询甲", "440305", date(2024, 1, 1), "2026/12/31", "33、26,31"]]
    result = run(national, xlsx(rows, header), model="agencies")
    assert result.ok, result.errors
    agency = Agency.objects.get(uscc=code)
    assert agency.valid_until == date(2026, 12, 31)
    assert sorted(agency.industry_scope.values_list("code", flat=True)) == ["26", "31", "33"]
    entry = ObjectChange.objects.get(object_id=str(agency.pk), source="import")
    assert entry.postchange == _json(snapshot(agency))

    rows = [[code, "咨询甲", "440305", "2025-01-01", "2024-01-01", "99"]]
    bad = run(national, xlsx(rows, header), model="agencies")
    assert {(e.row, e.column) for e in bad.errors} == {
        (2, "业务范围（行业大类）"),
    }
    rows[0][5] = "33"
    bad = run(national, xlsx(rows, header), model="agencies")
    assert [(e.row, e.column) for e in bad.errors] == [(2, "备案有效期止")]


def test_experts_with_employer_by_uscc(national: Any) -> None:
    employer = factories.enterprise(region="440305")
    header = ["姓名", "职称", "行政区划代码", "专业领域（行业大类）", "工作单位类型"]
    header.append("工作单位统一社会信用代码")
    rows = [
        ["王一", "高级工程师", "440300", "33", "企业", employer.uscc],
        ["王二", "工程师", "440300", "26", "企业", ""],
        ["王三", "其他", "440300", "26", "咨询服务机构", employer.uscc],
    ]
    result = run(national, xlsx(rows, header), model="experts")
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "工作单位统一社会信用代码"),
        (4, "工作单位统一社会信用代码"),
    ]
    result = run(national, xlsx(rows[:1], header), model="experts")
    assert result.ok, result.errors
    expert = Expert.objects.get()
    assert (expert.employer_enterprise_id, expert.title) == (employer.pk, "associate")
    assert list(expert.specialties.values_list("code", flat=True)) == ["33"]


# -- web, API, command -----------------------------------------------------------------------


def post_import(client: Client, content: bytes, **data: Any) -> Any:
    """Upload a file to the web import (committing, so its job is queued) and return the reply."""
    url = reverse("registry:enterprise-import")
    upload = SimpleUploadedFile("e.xlsx", content)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, {"file": upload, **data})


def test_web_import_returns_a_job_page_at_once(client: Client, gd_officer: Any) -> None:
    client.force_login(gd_officer)
    url = reverse("registry:enterprise-import")
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": SimpleUploadedFile("e.xlsx", xlsx([ent_row(1)]).read())})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.status, job.user, job.kind) == ("pending", gd_officer, "import:enterprises")
    assert not Enterprise.objects.exists()  # nothing imported in the request
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page  # the page polls while the job waits or runs
    htmx = client.post(
        url,
        {"file": SimpleUploadedFile("e.xlsx", b"x")},
        headers={"HX-Request": "true"},
    )
    assert htmx["HX-Redirect"] == Job.objects.latest("pk").get_absolute_url()


def test_web_import_job_ends_with_the_counts(client: Client, gd_officer: Any) -> None:
    client.force_login(gd_officer)
    response = post_import(client, xlsx([ent_row(1), ent_row(2)]).read())
    run_queued_tasks()
    job = Job.objects.get()
    assert job.status == "succeeded" and job.payload is None
    assert job.result is not None
    assert (job.result["created"], job.result["rows"]) == (2, 2)
    assert job.total == 2 and job.done == 2 and job.phase in {"check", "write"}
    assert Enterprise.objects.count() == 2
    assert ObjectChange.objects.filter(user=gd_officer).count() == 2  # logged as the uploader
    page = client.get(response["Location"]).content.decode()
    assert 'id="job-ok"' in page and "every 1s" not in page  # polling stops when done


def test_web_import_job_shows_row_errors_and_writes_nothing(
    client: Client, gd_officer: Any
) -> None:
    client.force_login(gd_officer)
    response = post_import(client, xlsx([ent_row(1), ent_row(2, "110105")]).read())
    run_queued_tasks()
    job = Job.objects.get()
    assert job.status == "failed" and job.errors[0]["row"] == 3
    body = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'id="import-errors"' in body and "<td>3</td><td>行政区划代码</td>" in body
    assert "every 1s" not in body
    assert not Enterprise.objects.exists()


def test_web_import_dry_run_job_writes_nothing(client: Client, gd_officer: Any) -> None:
    client.force_login(gd_officer)
    response = post_import(client, xlsx([ent_row(1)]).read(), dry_run="on")
    run_queued_tasks()
    job = Job.objects.get()
    assert job.status == "succeeded" and job.result["dry_run"] and job.result["created"] == 1
    assert not Enterprise.objects.exists()
    assert "未写入（仅检查）" in client.get(response["Location"]).content.decode()


def test_job_page_is_the_uploaders_own(client: Client, gd_officer: Any) -> None:
    client.force_login(gd_officer)
    response = post_import(client, xlsx([ent_row(1)]).read())
    client.force_login(authority("gd_other", "440000"))
    assert client.get(response["Location"]).status_code == 404
    assert b"e.xlsx" not in client.get(reverse("jobs:list")).content


def test_web_import_needs_login_and_permission(client: Client) -> None:
    url = reverse("registry:enterprise-import")
    assert client.get(url).status_code == 302
    client.force_login(authority("viewer1", "440000", role="viewer"))
    assert client.get(url).status_code == 403


def test_template_downloads(client: Client, gd_officer: Any) -> None:
    client.force_login(gd_officer)
    for name in ("enterprise", "park", "agency", "expert"):
        url = reverse(f"registry:{name}-import-template")
        response = client.get(url, {"format": "csv"})
        assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
        xlsx_response = client.get(url)
        workbook = openpyxl.load_workbook(io.BytesIO(xlsx_response.content))
        assert workbook.sheetnames[1] == "填写说明"


def test_api_import_returns_counts_or_row_errors(gd_officer: Any) -> None:
    from cleanprod.registry.api.io import EnterpriseImportAPIView

    view = EnterpriseImportAPIView.as_view()
    factory = APIRequestFactory()
    upload = SimpleUploadedFile("e.xlsx", xlsx([ent_row(1), ent_row(2, "110105")]).getvalue())
    request = factory.post("/api/x/", {"file": upload}, format="multipart")
    force_authenticate(request, gd_officer)
    response = view(request)
    assert response.status_code == 400
    assert response.data["errors"][0]["row"] == 3
    assert response.data["errors"][0]["column"] == "行政区划代码"
    upload = SimpleUploadedFile("e.csv", csv_bytes([ent_row(1)], "utf-8-sig").getvalue())
    request = factory.post("/api/x/", {"file": upload}, format="multipart")
    force_authenticate(request, gd_officer)
    response = view(request)
    assert response.status_code == 200
    assert response.data["created"] == 1 and response.data["updated"] == 0


def _command(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=io.StringIO())
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue()


def test_command_prints_errors_and_exits_non_zero(tmp_path: Path, gd_officer: Any) -> None:
    path = tmp_path / "e.xlsx"
    rows = [ent_row(1), ent_row(2, "110105")]
    path.write_bytes(xlsx(rows).getvalue())
    code, out = _command("enterprises", str(path), "--user", "gd_officer")
    assert code == 1
    assert out.splitlines()[0].startswith("第3行 行政区划代码：")
    assert not Enterprise.objects.exists()
    path.write_bytes(xlsx(rows[:1]).getvalue())
    code, out = _command("enterprises", str(path), "--user", "gd_officer", "--dry-run")
    assert code == 0 and "1 created" in out and not Enterprise.objects.exists()
    code, out = _command("enterprises", str(path), "--user", "gd_officer")
    assert code == 0 and Enterprise.objects.count() == 1


def test_progress_is_reported(national: Any) -> None:
    seen: list[tuple[str, int, int]] = []
    result = run(national, xlsx([ent_row(i) for i in range(3)]), progress=lambda *a: seen.append(a))
    assert result.ok
    assert ("check", 3, 3) in seen and ("write", 3, 3) in seen


def test_new_rows_need_add_permission() -> None:
    viewer = authority("viewer2", "440000", role="viewer")
    result = run(viewer, xlsx([ent_row(1)]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "统一社会信用代码")]
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize("model", ["enterprises", "parks", "agencies", "experts"])
def test_every_template_example_is_a_valid_row(national: Any, model: str) -> None:
    spec = SPECS[model]
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx(spec)))
    sheet = workbook.worksheets[0]
    filled = [c.value for c in sheet[2]]
    filled[1] = f"{filled[1]}（已改）"  # the name column: now it differs from the example
    sheet.append(filled)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    result = run(national, out, model=model)
    assert result.ok, result.errors
    assert (result.rows, result.created) == (1, 1)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_page_in_a_browser(live_server: Any, page: Any, tmp_path: Path) -> None:
    from cleanprod.accounts.tests.factories import PASSWORD
    from cleanprod.industries.loader import load_groups, load_industries
    from cleanprod.regions.loader import load_regions

    load_regions()  # transactional tests start from an empty database
    load_industries()
    load_groups()
    authority("gd_browser", "440000")
    page.goto(f"{live_server.url}/accounts/login/?next=/registry/enterprises/import/")
    page.fill("#id_username", "gd_browser")
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form button").click()
    page.wait_for_url(re.compile(r"/registry/enterprises/import/$"))

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([ent_row(1), ent_row(2, "110105")]).getvalue())
    page.set_input_files("#id_file", str(bad))
    page.locator("#import-submit").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))  # the upload returns at once with its job
    page.locator("#job-status[data-status=pending]").wait_for()
    run_queued_tasks()  # the worker's part
    errors = page.locator("#import-errors tbody tr")
    errors.first.wait_for()  # the page polls until the job has ended
    assert errors.count() == 1
    assert errors.first.locator("td").all_inner_texts()[:2] == ["3", "行政区划代码"]
    assert not Enterprise.objects.exists()

    page.goto(f"{live_server.url}/registry/enterprises/import/")
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([ent_row(1)]).getvalue())
    page.set_input_files("#id_file", str(good))
    page.locator("#import-submit").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    run_queued_tasks()
    page.locator("#job-ok").wait_for()
    assert Enterprise.objects.count() == 1
