"""With DEBUG off a server error leaves a traceback in the log, tagged with the request id."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.test import Client


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """The configured stderr handler (settings.LOGGING), writing into a buffer for the test."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "stderr")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.mark.django_db
@pytest.mark.urls("cleanprod.portal.tests.boom_urls")
def test_a_500_logs_the_traceback_with_the_request_id(
    settings: object, log_stream: io.StringIO
) -> None:
    assert settings.DEBUG is False  # type: ignore[attr-defined]
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    log = log_stream.getvalue()
    error_line = next(line for line in log.splitlines() if "Internal Server Error: /boom/" in line)
    assert f"[{request_id}]" in error_line and "ERROR" in error_line
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: boom: a bug in a view" in log


@pytest.mark.django_db
def test_a_4xx_warning_carries_the_request_id_too(log_stream: io.StringIO) -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    line = next(x for x in log_stream.getvalue().splitlines() if "Not Found: /no-such-page/" in x)
    assert f"[{response['X-Request-ID']}]" in line


def test_log_lines_outside_a_request_say_so(log_stream: io.StringIO) -> None:
    logging.getLogger("cleanprod.test").warning("a command speaks")
    assert "WARNING [-] cleanprod.test: a command speaks" in log_stream.getvalue()
