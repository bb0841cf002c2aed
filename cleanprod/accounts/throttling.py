"""DRF throttles that read their rates when asked, not when the class is imported.

DRF's own classes copy ``DEFAULT_THROTTLE_RATES`` into a class attribute at import, so a
changed setting (``override_settings`` in a test, a reloaded configuration) would be ignored.
"""

from __future__ import annotations

from typing import Any

from rest_framework import throttling
from rest_framework.settings import api_settings

from cleanprod.accounts.lockout import client_address


class _LiveRates:
    def get_rate(self) -> str | None:
        """The rate of this throttle's scope from the current settings."""
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)  # type: ignore[attr-defined]

    def get_ident(self, request: Any) -> str:
        """The client address as the lock-out sees it (trusted proxy header or REMOTE_ADDR);
        DRF's own reading trusts any ``X-Forwarded-For`` a client sends."""
        return client_address(request._request if hasattr(request, "_request") else request)


class AnonRateThrottle(_LiveRates, throttling.AnonRateThrottle):
    """Anonymous requests, counted per client address."""


class UserRateThrottle(_LiveRates, throttling.UserRateThrottle):
    """Logged-in requests, counted per user."""


class TokenRateThrottle(_LiveRates, throttling.AnonRateThrottle):
    """``POST /api/token/``: a stricter per-address scope against password guessing."""

    scope = "token"
