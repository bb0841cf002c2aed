"""The home page: what the platform holds, at a glance."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Count
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language
from django.views.generic import TemplateView

from cleanprod.audits.models import Roster
from cleanprod.evaluation.models import SystemVersion
from cleanprod.industries.models import IndustryGroup
from cleanprod.platform.permissions import VIEW, policy_for
from cleanprod.registry.models import Agency, Enterprise, Expert, Park

STATS_TIMEOUT = 300  # seconds: the counts of a national registry need not be to the second
STATS_VERSION_KEY = "cleanprod:home-stats:version"


def _public(model: type[models.Model], **filters: Any) -> int | None:
    """Rows of ``model`` an anonymous visitor may view; ``None`` when none is public by rule."""
    policy = policy_for(model)
    if policy is None or policy.public is None:
        return None  # a total over rows nobody may see in public is not shown at all
    return model.objects.restrict(AnonymousUser(), VIEW).filter(**filters).count()  # type: ignore[attr-defined]


def public_stats() -> dict[str, Any]:
    """The home page's totals, computed only over rows the anonymous policy allows."""
    return {
        "counts": {
            "enterprises": _public(Enterprise),
            "above_size": _public(Enterprise, above_size=True),
            "parks": _public(Park),
            "agencies": _public(Agency),
            "experts": _public(Expert),
        },
        "has_synthetic": Enterprise.objects.filter(synthetic=True).exists(),
    }


def cached_public_stats() -> dict[str, Any]:
    """:func:`public_stats` from Django's cache, per language, for :data:`STATS_TIMEOUT`."""
    version = cache.get(STATS_VERSION_KEY) or "0"
    key = f"cleanprod:home-stats:{version}:{get_language()}"
    stats: dict[str, Any] | None = cache.get(key)
    if stats is None:
        stats = public_stats()
        cache.set(key, stats, STATS_TIMEOUT)
    return stats


def invalidate_public_stats(**kwargs: Any) -> None:
    """Recompute the totals at the next request (a roster published, a park or agency saved)."""
    cache.set(STATS_VERSION_KEY, uuid.uuid4().hex, None)


def _changed(**kwargs: Any) -> None:
    invalidate_public_stats()
    transaction.on_commit(invalidate_public_stats)  # readers in between saw the old rows


for _model in (Roster, Park, Agency):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"home-stats-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"home-stats-del-{_model.__name__}")


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context.update(cached_public_stats())
        user = self.request.user
        context["rosters"] = (
            Roster.objects.restrict(user, VIEW)
            .select_related("region")
            .order_by("-published_at")[:8]
        )
        # Through restrict(): indicator systems are read by logged-in users only, and the home
        # page must not link a visitor to a page that answers 404.
        context["systems"] = SystemVersion.objects.restrict(user, VIEW).filter(current=True)
        context["groups"] = IndustryGroup.objects.annotate(n=Count("members")).order_by("position")
        return context
