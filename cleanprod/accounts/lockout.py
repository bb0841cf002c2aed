"""Login lock-out, built on django-axes: the keys, the client address and the locked response.

Every login path (the login page, ``/admin/login/``, ``POST /api/token/``) calls
``django.contrib.auth.authenticate`` with the request, so axes' backend (first in
``AUTHENTICATION_BACKENDS``) and its failure signal see all of them. Two limits apply
(``AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "username"]]``):

- the account, from anywhere: ``AXES_FAILURE_LIMIT`` failures lock it for ``AXES_COOLOFF_TIME``;
- the account from one address: ``CLEANPROD_ADDRESS_FAILURE_LIMIT`` (lower) failures block that
  address for that account only. Attempts refused while blocked are not counted, so one address
  can neither lock an account by itself nor touch an account it never tried.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cleanprod.accounts.models import Party, User
from cleanprod.accounts.views import LoginForm
from cleanprod.core.codes import uscc_problem


def client_address(request: HttpRequest) -> str:
    """The client's address: the trusted proxy header if configured, else ``REMOTE_ADDR``.

    A proxy that appends to the header (``X-Forwarded-For``) leaves the address it saw last, so
    the right-most entry is the one the proxy vouches for; anything left of it the client wrote.
    """
    header = getattr(settings, "CLEANPROD_TRUSTED_PROXY_HEADER", "")
    if header:
        value = request.META.get(header, "")
        entries = [part.strip() for part in value.split(",") if part.strip()]
        if entries:
            return entries[-1][:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def account_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account a login attempt names, so one account has one failure count.

    An enterprise may log in with its unified social credit code (``UsccBackend``): the code
    of exactly one active enterprise account counts as that account's username.
    """
    if credentials is not None:
        given = credentials.get("username")
    else:
        data = getattr(request, "data", None) or request.POST
        given = data.get("username") if hasattr(data, "get") else None
    if not given:
        return None
    given = str(given).strip()[:150]
    if uscc_problem(given.upper()) is None:
        names = list(
            User.objects.filter(
                party=Party.ENTERPRISE, enterprise__uscc=given.upper(), is_active=True
            ).values_list("username", flat=True)[:2]
        )
        if len(names) == 1:
            return names[0]
    return given


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with one limit per lock-out key instead of one for all."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """Failures scaled so that reaching ``AXES_FAILURE_LIMIT`` means some key is over its
        own limit (axes compares this number with ``AXES_FAILURE_LIMIT`` everywhere)."""
        account_limit = get_failure_limit(request, credentials)
        # A key that includes the address has the (lower) per-address limit.
        limits = [
            settings.CLEANPROD_ADDRESS_FAILURE_LIMIT
            if "ip_address" in ([key] if isinstance(key, str) else key)
            else account_limit
            for key in settings.AXES_LOCKOUT_PARAMETERS
        ]
        worst = 0
        attempts_list = self.get_user_attempts(request, credentials)
        for attempts, limit in zip(attempts_list, limits, strict=False):
            count = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            # count >= limit exactly when count * account_limit // limit >= account_limit.
            worst = max(worst, count * account_limit // max(limit, 1))
        return worst


def lockout_message() -> str:
    """What a locked-out person reads, in their language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed login attempts for this account. Try again in %(minutes)d minutes."
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 for the API (JSON), else the login form again with the lock-out message."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
        response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
        return response
    username = str(request.POST.get("username", ""))[:150]
    form = LoginForm(request, initial={"username": username})
    return render(
        request, "accounts/login.html", {"form": form, "lockout_message": message}, status=429
    )
