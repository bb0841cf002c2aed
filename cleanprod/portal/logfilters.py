"""Logging filter: the request id (the one the change log records) on every log record."""

from __future__ import annotations

import logging

from cleanprod.changelog.context import current


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id``: the current request's id, or ``-`` outside any request."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Annotate, never drop."""
        ctx = current()
        # Outside a request current() makes a throw-away context with a random id: show none.
        record.request_id = str(ctx.request_id) if ctx.request is not None else "-"
        return True
