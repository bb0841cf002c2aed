"""Throttle guessing: after too many failed logins, a username (or address) is locked a while."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from cleanprod.accounts.models import LoginFailure


def limits() -> tuple[int, timedelta]:
    attempts = int(getattr(settings, "LOGIN_FAILURE_LIMIT", 5))
    window = timedelta(minutes=int(getattr(settings, "LOGIN_LOCKOUT_MINUTES", 15)))
    return attempts, window


def is_locked(username: str, address: str) -> bool:
    attempts, window = limits()
    since = timezone.now() - window
    recent = LoginFailure.objects.filter(time__gte=since)
    by_user = recent.filter(username__iexact=username).count() if username else 0
    by_address = recent.filter(address=address).count() if address else 0
    # An address may try more usernames than one username may be tried from anywhere.
    return by_user >= attempts or by_address >= attempts * 4


def record_failure(username: str, address: str) -> None:
    LoginFailure.objects.create(username=username[:150], address=address[:64])


def clear_failures(username: str) -> None:
    LoginFailure.objects.filter(Q(username__iexact=username)).delete()
