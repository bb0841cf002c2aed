"""Small lookups for the plans templates."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def benefit(option: dict[str, Any], basis: str) -> Any:
    return option.get(basis, {})


@register.filter
def split(text: str) -> list[str]:
    return text.split()
