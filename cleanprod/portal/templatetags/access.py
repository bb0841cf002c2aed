"""Template filters that ask the one permission path whether to show a link."""

from __future__ import annotations

from typing import Any

from django import template

from cleanprod.platform.permissions import VIEW, can

register = template.Library()


@register.filter
def may_view(obj: Any, user: Any) -> bool:
    """Whether ``user`` may open ``obj``'s page: link it only then (no link answering 404)."""
    return obj is not None and can(user, VIEW, obj)
