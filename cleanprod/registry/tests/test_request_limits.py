"""Issue 9: a global request size cap answers 413 before anything reads the body."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

from cleanprod.accounts.tests.factories import authority
from cleanprod.jobs.testing import run_queued_tasks
from cleanprod.registry.models import Enterprise
from cleanprod.registry.tests.test_import import ent_row, xlsx

pytestmark = pytest.mark.django_db


def test_oversized_post_is_refused_with_413_and_writes_nothing(
    client: Client, settings: Any
) -> None:
    settings.CLEANPROD_MAX_REQUEST_BYTES = 2 * 1024 * 1024
    client.force_login(authority("gd", "440000"))
    url = reverse("registry:enterprise-import")
    padding = b" " * (3 * 1024 * 1024)  # a workbook made large by trailing bytes
    upload = SimpleUploadedFile("e.xlsx", xlsx([ent_row(1)]).getvalue() + padding)
    response = client.post(url, {"file": upload})
    assert response.status_code == 413
    assert "2 MB" in response.content.decode() and "请求" in response.content.decode()
    assert not Enterprise.objects.exists()
    # The same file within the cap is imported.
    with TestCase.captureOnCommitCallbacks(execute=True):  # the job is queued on commit
        response = client.post(
            url, {"file": SimpleUploadedFile("e.xlsx", xlsx([ent_row(1)]).read())}
        )
    assert response.status_code == 302  # to the import's job page
    run_queued_tasks()
    assert Enterprise.objects.count() == 1


def test_oversized_api_request_gets_json_413(client: Client, settings: Any) -> None:
    settings.CLEANPROD_MAX_REQUEST_BYTES = 1024
    response = client.post("/api/enterprises/", data="x" * 2048, content_type="application/json")
    assert response.status_code == 413
    assert "detail" in response.json()
