"""Log in by username, or by an enterprise's unified social credit code."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from cleanprod.accounts.models import Party, User
from cleanprod.core.codes import uscc_problem


class UsccBackend(ModelBackend):
    """An enterprise account may sign in with its enterprise's USCC instead of a username.

    Used only when exactly one active enterprise account is bound to that code.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password or uscc_problem(username.upper()) is not None:
            return None
        candidates = list(
            User.objects.filter(
                party=Party.ENTERPRISE, enterprise__uscc=username.upper(), is_active=True
            )[:2]
        )
        if len(candidates) != 1:
            return None
        user = candidates[0]
        return user if user.check_password(password) else None
