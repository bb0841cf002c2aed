"""目标分解: whether a target's parts assigned to the children of a node add up to the node's
value (:func:`cleanprod.core.progress.check_decomposition`), and which parts fall short."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from cleanprod.core import progress
from cleanprod.core.plans import Direction
from cleanprod.plans.metrics import METRICS
from cleanprod.plans.models import Target, TargetAllocation
from cleanprod.platform.permissions import ADD, CHANGE, VIEW, can, can_any, party_of
from cleanprod.regions.models import Level, Region

# Taiwan, Hong Kong and Macao are in the region table (GB/T 2260) but outside the platform's
# administration: never decomposition targets, never "not yet assigned".
OUTSIDE_ADMINISTRATION = ("71", "81", "82")


def administered(code: str) -> bool:
    """Whether the region ``code`` lies within the platform's administration."""
    return code[:2] not in OUTSIDE_ADMINISTRATION


def children_of(region: Region | None) -> list[Region]:
    """The regions a node's target is decomposed to (administered regions only)."""
    if region is None:
        children = Region.objects.filter(level=Level.PROVINCE)
    else:
        children = region.children.all()
    return [c for c in children.order_by("code") if administered(c.code)]


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
    """Authorities (officers and up) decompose their own node's target to its children.

    The role gate is the TargetAllocation policy's (``can_any(user, ADD, …)``: viewers, other
    parties and inactive users get nothing); the node is the user's own; each written part is
    then checked against the policy's scope by :func:`allocate_all` (``can``).
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if party_of(user) != "authority" or not can_any(user, ADD, TargetAllocation):
        return False
    return (user.region_id or None) == (parent.code if parent else None)


def allocate(user: Any, target: Target, region: Region, value: Decimal) -> TargetAllocation:
    """Assign ``value`` of ``target`` to ``region`` (a child of the user's own node)."""
    return allocate_all(user, target, region.parent, {region.code: value}, check_sum=False)[0]


class DecompositionError(ValueError):
    """The parts cannot be saved: ``errors`` maps a region code ("" for the whole) to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def check_parts(
    target: Target, parent: Region | None, user: Any, values: dict[str, Decimal]
) -> None:
    """Refuse parts for regions that are not the node's children, or (additive target with a
    known whole) parts that do not add up to the whole exactly."""
    children = {c.code for c in children_of(parent)}
    errors = {
        code: _("%(code)s is not a region this target is decomposed to.") % {"code": code}
        for code in values
        if code not in children
    }
    if errors:
        raise DecompositionError(errors)
    whole = decomposition(user, target, parent)["whole"]
    if target.additive and whole is not None:
        total = sum(values.values(), Decimal(0))
        if total != whole:
            message = (
                _("The parts add up to %(total)s, %(gap)s short of the whole %(whole)s.")
                if total < whole
                else _("The parts add up to %(total)s, %(gap)s more than the whole %(whole)s.")
            )
            raise DecompositionError(
                {"": message % {"total": total, "whole": whole, "gap": abs(whole - total)}}
            )


@transaction.atomic
def allocate_all(
    user: Any,
    target: Target,
    parent: Region | None,
    values: dict[str, Decimal],
    *,
    check_sum: bool = True,
) -> list[TargetAllocation]:
    """Assign every part of ``values`` (region code → value) of ``target`` under ``parent``, as
    ``user``, in one transaction: all parts or none (each logged by the model signals).

    ``check_sum``: the parts must add up to the whole (an additive target); a single part set
    on its own (:func:`allocate`) is checked only for scope.
    """
    if not can_allocate(user, parent):
        raise PermissionDenied(_("Only the authority of the parent region assigns these parts."))
    if check_sum:
        check_parts(target, parent, user, values)
    else:
        children = {c.code for c in children_of(parent)}
        if set(values) - children:
            raise PermissionDenied(
                _("Only the authority of the parent region assigns these parts.")
            )
    saved = []
    for code, value in values.items():
        alloc = TargetAllocation.objects.filter(target=target, region_id=code).first()
        action = ADD if alloc is None else CHANGE
        if alloc is None:
            alloc = TargetAllocation(target=target, region_id=code)
        elif alloc.value == value:
            saved.append(alloc)
            continue
        alloc.value = value
        alloc.set_by = user
        alloc.save()
        if not can(user, action, alloc):  # the policy's scope: the user's own subtree
            raise PermissionDenied(_("The result would lie outside the scope you may manage."))
        saved.append(alloc)
    return saved
