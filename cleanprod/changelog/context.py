"""Who is changing things, from where: set per request, API call, import or command."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ChangeContext:
    explicit_user: Any = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    source: str = "command"  # web, api, import, command
    remote_addr: str = ""
    request: Any = None

    @property
    def user(self) -> Any:
        # Read lazily: API token authentication sets request.user after the middleware ran.
        if self.explicit_user is not None:
            return self.explicit_user
        return getattr(self.request, "user", None)


_current: ContextVar[ChangeContext | None] = ContextVar("cleanprod_change_context", default=None)


def current() -> ChangeContext:
    """The active context; changes made outside any context are logged as a command's."""
    return _current.get() or ChangeContext()


@contextmanager
def change_context(user: Any = None, source: str = "command", **kw: Any) -> Iterator[ChangeContext]:
    ctx = ChangeContext(explicit_user=user, source=source, **kw)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
