"""Industry groups by class code, from Django's cache instead of two queries per enterprise.

The groups are reference data (``load_reference``): read once into a list of
``(slug, codes)`` and kept in the cache framework under a version key, so every worker of a
shared cache (Redis, database) stops serving a stale map when the groups change. Saving or
deleting a group or a member bumps the version (now and again on commit, so a reader in between
cannot keep the old rows under the new key); the timeout bounds what a per-process cache
(LocMemCache) or a ``bulk_create`` without signals can leave behind.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from cleanprod.industries.models import IndustryGroup, IndustryGroupMember

VERSION_KEY = "cleanprod:industry-groups:version"
MAP_KEY = "cleanprod:industry-groups:codes"
TIMEOUT = 600  # seconds

GroupCodes = list[tuple[str, tuple[str, ...]]]


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return str(version)


def group_codes() -> GroupCodes:
    """Every industry group's slug and member codes, in the groups' order (cached)."""
    key = f"{MAP_KEY}:{_version()}"
    data: GroupCodes | None = cache.get(key)
    if data is None:
        data = [
            (g.slug, tuple(g.codes())) for g in IndustryGroup.objects.prefetch_related("members")
        ]
        cache.set(key, data, TIMEOUT)
    return data


def group_slugs(code: str) -> list[str]:
    """The slugs of the groups a 4-digit class code belongs to (a member code is a prefix)."""
    return [slug for slug, codes in group_codes() if any(code.startswith(c) for c in codes)]


def invalidate() -> None:
    """Make every worker re-read the groups at its next request."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _changed(**kwargs: Any) -> None:
    invalidate()
    transaction.on_commit(invalidate)


for _model in (IndustryGroup, IndustryGroupMember):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"groups-cache-save-{_model.__name__}")
    post_delete.connect(
        _changed, sender=_model, dispatch_uid=f"groups-cache-delete-{_model.__name__}"
    )
