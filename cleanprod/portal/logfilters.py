"""Logging: the request id (the one the change log records) on every log record."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from cleanprod.changelog.context import current


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id``: the current request's id, or ``-`` outside any request."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Annotate, never drop."""
        ctx = current()
        if ctx.request is not None:
            record.request_id = str(ctx.request_id)
        else:
            # Django logs 4xx responses after the middleware (and its context) has finished,
            # with the request attached to the record: RequestIdMiddleware left the id there.
            request = getattr(record, "request", None)
            record.request_id = str(getattr(request, "request_id", None) or "-")
        return True


class RequestIdMiddleware:
    """Keeps the change context's request id on the request, for records logged after it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = current().request_id  # type: ignore[attr-defined]
        return self.get_response(request)
