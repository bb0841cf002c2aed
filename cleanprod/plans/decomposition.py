"""目标分解: whether a target's parts assigned to the children of a node add up to the node's
value (:func:`cleanprod.core.progress.check_decomposition`), and which parts fall short."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied

from cleanprod.core import progress
from cleanprod.core.plans import Direction
from cleanprod.plans.metrics import METRICS
from cleanprod.plans.models import Target, TargetAllocation
from cleanprod.platform.permissions import VIEW, party_of
from cleanprod.regions.models import Level, Region


def children_of(region: Region | None) -> list[Region]:
    if region is None:
        return list(Region.objects.filter(level=Level.PROVINCE))
    return list(region.children.all())


def decomposition(
    user: Any,
    target: Target,
    parent: Region | None = None,
    achieved: dict[str, float] | None = None,
) -> dict[str, Any]:
    """The parts of ``target`` assigned to the children of ``parent`` (the nation by default)
    and, for an additive target, the check that they sum to the whole.

    ``achieved``: each child's achieved value in the target's unit, to list shortfalls.
    """
    allocations = TargetAllocation.objects.restrict(user, VIEW).filter(target=target)
    if parent is None:
        whole: Decimal | None = (
            Decimal(repr(target.target_value)) if target.target_value is not None else None
        )
    else:
        own = allocations.filter(region=parent).first()
        whole = own.value if own is not None else None
    names = {c.code: c.name for c in children_of(parent)}
    parts = {a.region_id: a.value for a in allocations.filter(region_id__in=list(names))}
    check = None
    if target.additive and whole is not None and parts:
        check = progress.check_decomposition(
            whole,
            parts,
            achieved={k: v for k, v in (achieved or {}).items() if k in parts},
            direction=Direction(target.direction),
        )
    shortfalls = {s.key: s.shortfall for s in check.shortfalls} if check else {}
    return {
        "target": target,
        "parent": parent,
        "whole": whole,
        "additive": target.additive,
        "parts": [
            {
                "code": code,
                "name": names[code],
                "assigned": value,
                "achieved": (achieved or {}).get(code),
                "shortfall": shortfalls.get(code),
            }
            for code, value in parts.items()
        ],
        "unassigned": [{"code": c, "name": n} for c, n in names.items() if c not in parts],
        "total": check.total if check else sum(parts.values(), Decimal(0)),
        "gap": check.gap if check else None,
        "balanced": check.balanced if check else None,
    }


def metric_of(target: Target) -> Any:
    """The platform metric that measures ``target``, if any."""
    return next((m for m in METRICS if m.target == target.slug), None)


def can_allocate(user: Any, parent: Region | None) -> bool:
    """Authorities (officers and up) decompose their own node's target to its children."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if party_of(user) != "authority" or user.role not in ("officer", "administrator"):
        return False
    return (user.region_id or None) == (parent.code if parent else None)


def allocate(user: Any, target: Target, region: Region, value: Decimal) -> TargetAllocation:
    """Assign ``value`` of ``target`` to ``region`` (a child of the user's own node)."""

    if not can_allocate(user, region.parent):
        raise PermissionDenied("Only the authority of the parent region assigns this part.")
    alloc, _ = TargetAllocation.objects.update_or_create(
        target=target, region=region, defaults={"value": value, "set_by": user}
    )
    return alloc
