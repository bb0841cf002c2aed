"""Users of every party for tests."""

from __future__ import annotations

from typing import Any

from cleanprod.accounts.models import User

PASSWORD = "Test-Only-Password-1"


def user(username: str, **kw: Any) -> User:
    u: User = User.objects.create_user(username, password=PASSWORD, **kw)
    return u


def authority(username: str, region: str | None, role: str = "officer", **kw: Any) -> User:
    return user(
        username,
        party="authority",
        region_id=region,
        department=kw.pop("department", "mee"),
        role=role,
        **kw,
    )
