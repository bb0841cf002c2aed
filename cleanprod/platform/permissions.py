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

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext as _

from cleanprod.platform.scopes import subtree_q

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
PartyRule = Rule | tuple[Rule, frozenset[str]] | list[tuple[Rule, frozenset[str]]]


@dataclass(frozen=True)
class Policy:
    """Which rows of one model each kind of user may reach, and with which actions.

    ``region``: for authorities, the path to a region code (rows in the authority's subtree), or
    a function of the user returning the filter; ``None`` = authorities reach nothing here.
    ``public``: rows anyone may view and export, anonymous visitors included.
    ``own``: the rows that are the user's own (their enterprise, agency, profile), granted
    ``own_actions``. ``parties``: for each non-authority party, the rows it reaches otherwise,
    granted ``party_actions`` (or, given as ``(rule, actions)``, those actions; a list of such
    pairs grants each rule its actions).
    ``role_actions`` overrides :data:`ROLE_ACTIONS` for this model.
    ``reference``: reference data that everyone views and only superusers write.
    ``distinct``: the filters cross to-many relations, so rows must be de-duplicated.
    ``own_fields``: the fields a user may change on a row it reaches only through ``own`` (its
    own account or organisation); ``None`` means every field. What a user may change about
    itself is thus decided here, beside who reaches the row, not in views or serializers: the
    rest (an organisation's regulated fields, a user's party, role, region…) is changed only by
    someone whose scope covers the row, or through an approved change request.
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
    own_fields: frozenset[str] | None = None


_POLICIES: dict[type[models.Model], Policy] = {}


def register(model: type[models.Model], policy: Policy) -> None:
    _POLICIES[model] = policy


def policy_for(model: type[models.Model]) -> Policy | None:
    return _POLICIES.get(model)


def region_q(path: str, user: Any) -> Q:
    """Rows under the authority's region; every row for a national authority."""
    if user.region_id is None:
        return Q()
    return subtree_q(path, user.region.code, user.region.level)


def allowed_q(model: type[models.Model], user: Any, action: str, *, own: bool = True) -> Q:
    """The filter of rows of ``model`` that ``user`` may ``action``: ``NOTHING`` if none.

    ``own=False`` leaves out the rows reached only as the user's own (see :func:`scope_can`).
    """
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
    if own and policy.own is not None and action in policy.own_actions:
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
        entries = entry if isinstance(entry, list) else [entry]
        for item in entries:
            rule, granted = item if isinstance(item, tuple) else (item, policy.party_actions)
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


class RestrictedQuerySet(models.QuerySet):  # type: ignore[type-arg]  # any model
    """A queryset with :meth:`restrict`, the default path of every model that reaches users."""

    def restrict(self, user: Any, action: str = VIEW) -> RestrictedQuerySet:
        q = allowed_q(self.model, user, action)
        if q == NOTHING:
            return self.none()
        qs = self.filter(q)
        policy = _POLICIES.get(self.model)
        # DISTINCT costs a sort (and a subquery under COUNT) on every list: only when the rule
        # applied to this user joins a to-many relation (an enterprise's audits as a member),
        # not for the region ranges of authorities.
        if policy is not None and policy.distinct and crosses_to_many(self.model, q):
            return qs.distinct()
        return qs


def crosses_to_many(model: type[models.Model], q: Q) -> bool:
    """Whether a lookup of ``q`` follows a to-many relation (which can duplicate rows)."""
    for child in q.children:
        if isinstance(child, Q):
            if crosses_to_many(model, child):
                return True
            continue
        if not isinstance(child, tuple):
            continue  # an expression (Exists, …) filters without joining
        opts = model._meta
        for part in child[0].split(LOOKUP_SEP):
            try:
                rel = opts.get_field(part)
            except FieldDoesNotExist:
                break  # "pk" or a lookup such as "gte": no further join
            if rel.many_to_many or rel.one_to_many:
                return True
            if not rel.is_relation or rel.related_model is None:
                break
            related: Any = rel.related_model
            opts = related._meta
    return False


def can(user: Any, action: str, obj: models.Model) -> bool:
    """Whether ``user`` may ``action`` this saved object (one query)."""
    qs: Any = type(obj)._default_manager.all()
    return bool(qs.restrict(user, action).filter(pk=obj.pk).exists())


def scope_can(user: Any, action: str, obj: models.Model) -> bool:
    """Whether ``user`` may ``action`` this object through its scope, not as its own.

    An administrator's scope over users, an authority's over enterprises: what decides who may
    change the fields a user may not change about itself.
    """
    q = allowed_q(type(obj), user, action, own=False)
    if q == NOTHING:
        return False
    return bool(type(obj)._default_manager.filter(q).filter(pk=obj.pk).exists())


def writable_fields(user: Any, action: str, obj: models.Model) -> frozenset[str] | None:
    """The fields ``user`` may write on ``obj``: ``None`` = all, an empty set = none.

    A new object (no pk) or one in the user's scope: every field. The user's own row (its
    account, its organisation): the policy's ``own_fields``, even where its scope covers the
    row too — an administrator does not change who it is itself.
    """
    if obj.pk is None or getattr(user, "is_superuser", False):
        return None
    policy = _POLICIES.get(type(obj))
    if policy is None:
        return frozenset()
    if _is_own(policy, user, obj):
        return policy.own_fields if action in policy.own_actions else frozenset()
    if scope_can(user, action, obj):
        return None
    return frozenset()


def _is_own(policy: Policy, user: Any, obj: models.Model) -> bool:
    if policy.own is None or not getattr(user, "is_authenticated", False):
        return False
    q = policy.own(user)
    return q is not None and type(obj)._default_manager.filter(q).filter(pk=obj.pk).exists()


def check_fields(user: Any, action: str, obj: models.Model, changed: set[str]) -> None:
    """Refuse (``PermissionDenied`` naming the fields) a change of fields the user may not write.

    ``obj`` is the object as stored before the change.
    """
    allowed = writable_fields(user, action, obj)
    if allowed is None:
        return
    forbidden = sorted(changed - allowed - {"version"})  # the lock, checked by its own rule
    if forbidden:
        names = "、".join(field_label(type(obj), name) for name in forbidden)
        raise PermissionDenied(
            _("Only the competent authority may change: %(fields)s.") % {"fields": names}
        )


def field_label(model: type[models.Model], name: str) -> str:
    """The field's verbose name as users know it (the name itself for unknown fields)."""
    try:
        field: Any = model._meta.get_field(name)
        return str(field.verbose_name)
    except FieldDoesNotExist:
        return name


def changed_fields(instance: models.Model, values: Mapping[str, Any]) -> set[str]:
    """Names of the fields whose new ``values`` differ from ``instance``'s stored ones.

    Relations are compared by primary key; many-to-many values as sets of keys.
    """
    changed = set()
    for name, value in values.items():
        try:
            field: Any = instance._meta.get_field(name)
        except FieldDoesNotExist:
            changed.add(name)
            continue
        if field.many_to_many:
            old = set() if instance.pk is None else {o.pk for o in getattr(instance, name).all()}
            new = {getattr(v, "pk", v) for v in value or []}
        elif field.is_relation:
            old = getattr(instance, field.attname)
            new = getattr(value, "pk", value)
        else:
            old, new = getattr(instance, field.attname), value
        if old != new:
            changed.add(name)
    return changed


def limit_choices(form: Any, user: Any, action: str = VIEW) -> None:
    """Offer in every object field of ``form`` only the objects ``user`` may ``action``.

    Regions (reference data, visible to all) are limited to an authority's own subtree, so an
    officer never picks a place outside the area it may manage. A disabled field (a value the
    user may not change) lists only its stored value: a select lists every option it holds.
    The one helper every form uses.
    """
    for name, form_field in form.fields.items():
        queryset = getattr(form_field, "queryset", None)
        if queryset is None:
            continue
        if form_field.disabled:
            current = form.initial.get(name)
            keys = (
                [getattr(v, "pk", v) for v in current]
                if isinstance(current, list)
                else [getattr(current, "pk", current)]
            )
            form_field.queryset = queryset.filter(pk__in=[k for k in keys if k is not None])
            continue
        if queryset.model._meta.label == "regions.Region":
            if getattr(user, "party", "") == "authority" and user.region_id:
                form_field.queryset = queryset.filter(region_q("code", user))
        elif hasattr(queryset, "restrict"):
            form_field.queryset = queryset.restrict(user, action)


def allowed_pks(
    user: Any, model: type[models.Model], action: str, pks: list[int], chunk: int = 500
) -> set[int]:
    """Those of ``pks`` that ``user`` may ``action``, through ``restrict`` (bulk checks)."""
    q = allowed_q(model, user, action)
    if q != NOTHING and not q.children:
        return set(pks)  # unrestricted (a national authority, a superuser): skip the queries
    allowed: set[int] = set()
    for start in range(0, len(pks), chunk):
        manager: Any = model._default_manager
        qs = manager.restrict(user, action).filter(pk__in=pks[start : start + chunk])
        allowed.update(qs.values_list("pk", flat=True))
    return allowed


def party_of(user: Any) -> str:
    """The party a user acts for ("authority" for superusers; "" for anonymous visitors).

    The one place outside the policies where the party is read: code asks this, or better
    ``can``/``restrict``, instead of testing ``user.party`` itself (a test keeps it so).
    """
    if not getattr(user, "is_authenticated", False):
        return ""
    if getattr(user, "is_superuser", False):
        return "authority"
    return str(getattr(user, "party", "") or "")


def can_any(user: Any, action: str, model: type[models.Model]) -> bool:
    """Whether ``user`` may ``action`` some rows of ``model`` (whether to offer a button)."""
    return allowed_q(model, user, action) != NOTHING
