"""The one rule for row-level access: ``Model.objects.restrict(user, action)``.

Every query that reaches a user — web pages, the API, exports, imports, search and aggregates —
goes through :func:`allowed_q`, which combines the action gate of the user's party and role
with the model's :class:`Policy` of which rows each party may reach.

Deny by default: a model without a policy, an inactive user, or an action the role does not
grant yields no rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q

VIEW, ADD, CHANGE, DELETE, EXPORT = "view", "add", "change", "delete", "export"
ACTIONS = (VIEW, ADD, CHANGE, DELETE, EXPORT)
ALL_ACTIONS = frozenset(ACTIONS)
READ = frozenset({VIEW, EXPORT})

NOTHING = Q(pk__in=[])

# What an authority of each role may do at all; the policy then says where.
ROLE_ACTIONS: Mapping[str, frozenset[str]] = {
    "viewer": READ,
    "officer": frozenset({VIEW, ADD, CHANGE, EXPORT}),
    "administrator": ALL_ACTIONS,
}

Rule = Callable[[Any], Q | None]
PartyRule = Rule | tuple[Rule, frozenset[str]]


@dataclass(frozen=True)
class Policy:
    """Which rows of one model each kind of user may reach, and with which actions.

    ``region``: for authorities, the path to a region code (rows in the authority's subtree), or
    a function of the user returning the filter; ``None`` = authorities reach nothing here.
    ``public``: rows anyone may view and export, anonymous visitors included.
    ``own``: the rows that are the user's own (their enterprise, agency, profile), granted
    ``own_actions``. ``parties``: for each non-authority party, the rows it reaches otherwise,
    granted ``party_actions`` (or, given as ``(rule, actions)``, those actions).
    ``role_actions`` overrides :data:`ROLE_ACTIONS` for this model.
    ``reference``: reference data that everyone views and only superusers write.
    ``distinct``: the filters cross to-many relations, so rows must be de-duplicated.
    """

    region: str | Rule | None = None
    public: Q | None = None
    own: Rule | None = None
    own_actions: frozenset[str] = frozenset({VIEW, CHANGE, EXPORT})
    parties: Mapping[str, PartyRule] = field(default_factory=dict)
    party_actions: frozenset[str] = READ
    role_actions: Mapping[str, frozenset[str]] | None = None
    reference: bool = False
    distinct: bool = False


_POLICIES: dict[type[models.Model], Policy] = {}


def register(model: type[models.Model], policy: Policy) -> None:
    _POLICIES[model] = policy


def policy_for(model: type[models.Model]) -> Policy | None:
    return _POLICIES.get(model)


def region_q(path: str, user: Any) -> Q:
    """Rows under the authority's region; every row for a national authority."""
    from cleanprod.regions.models import subtree_q  # regions' queryset builds on this module

    if user.region_id is None:
        return Q()
    return subtree_q(path, user.region.code, user.region.level)


def allowed_q(model: type[models.Model], user: Any, action: str) -> Q:
    """The filter of rows of ``model`` that ``user`` may ``action``: ``NOTHING`` if none."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    policy = _POLICIES.get(model)
    if policy is None:
        return NOTHING
    public = policy.public if (action in READ and policy.public is not None) else NOTHING
    if user is None or not user.is_authenticated or not user.is_active:
        return public
    if user.is_superuser:
        return Q()
    if policy.reference:
        return Q() if action in READ else NOTHING
    result = public
    if policy.own is not None and action in policy.own_actions:
        result = _or(result, policy.own(user))
    if user.party == "authority":
        granted = (policy.role_actions or ROLE_ACTIONS).get(user.role, frozenset())
        if action in granted and policy.region is not None:
            scope = (
                region_q(policy.region, user)
                if isinstance(policy.region, str)
                else policy.region(user)
            )
            result = _or(result, scope)
    elif user.party in policy.parties:
        entry = policy.parties[user.party]
        rule, granted = entry if isinstance(entry, tuple) else (entry, policy.party_actions)
        if action in granted:
            result = _or(result, rule(user))
    return result


def _or(a: Q, b: Q | None) -> Q:
    if b is None or b == NOTHING:
        return a
    if a == NOTHING:
        return b
    if not a.children or not b.children:
        return Q()  # an empty Q means every row; Django would drop it from an OR
    return a | b


class RestrictedQuerySet(models.QuerySet):
    """A queryset with :meth:`restrict`, the default path of every model that reaches users."""

    def restrict(self, user: Any, action: str = VIEW) -> RestrictedQuerySet:
        q = allowed_q(self.model, user, action)
        if q == NOTHING:
            return self.none()
        qs = self.filter(q)
        policy = _POLICIES.get(self.model)
        return qs.distinct() if policy is not None and policy.distinct else qs


def can(user: Any, action: str, obj: models.Model) -> bool:
    """Whether ``user`` may ``action`` this saved object (one query)."""
    qs = type(obj)._default_manager.all()
    return bool(qs.restrict(user, action).filter(pk=obj.pk).exists())


def can_any(user: Any, action: str, model: type[models.Model]) -> bool:
    """Whether ``user`` may ``action`` some rows of ``model`` (whether to offer a button)."""
    return allowed_q(model, user, action) != NOTHING
