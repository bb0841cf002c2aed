"""The permission test suite's base classes: every model with a policy has a case built on them.

As in NetBox's ``utilities.testing``, each model's tests are a small subclass that says how to
make one object at a place and what each role may do to it; the generic test methods then check
every role × action on every surface the model has:

- :class:`PolicyCase` — ``Model.objects.restrict(user, action)`` for view/add/change/delete/export;
- :class:`ApiChecks` — the REST API: list and detail (view), POST (add), PATCH (change), DELETE
  (delete), and the export endpoint where it exists;
- :class:`WebChecks` — the web pages: list, detail, edit, add, delete and export where they exist.

Places: ``sz`` = Shenzhen Nanshan 440305, ``gz`` = Guangzhou Yuexiu 440106, ``bj`` = Beijing
Xicheng 110105. The expectation tables (``EXPECT[action][role] -> set of places``) are written by
hand from the access rules (README "Who may see and change what", issue 9), not from the policies,
so a drift of either shows. Each test builds the world once and loops over every role and action,
collecting every mismatch into one readable assertion message; every write runs in a savepoint
that is rolled back, so one check never changes what the next one sees.

Cells a pending rule will change (issue 9: the lead is implementing them) are listed in
``PENDING`` with the reason; the main tests skip them and ``test_pending_rules`` checks them under
a strict xfail, which turns into a failure as soon as the rule lands (then remove the entry).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest
from django.db import models, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cleanprod.accounts.models import User
from cleanprod.accounts.tests.factories import authority, user
from cleanprod.audits.models import Audit, Panel
from cleanprod.audits.models.reviews import PanelMember
from cleanprod.industries.models import Industry
from cleanprod.platform.permissions import ACTIONS, ADD, CHANGE, DELETE, EXPORT, VIEW
from cleanprod.registry.models import Agency, Engagement, Enterprise, Expert, Park
from cleanprod.registry.tests import factories

# Region of each place. ``gd``/``bjp`` are the provinces, for records kept at provincial level.
REGION = {
    "sz": "440305",
    "gz": "440106",
    "bj": "110105",
    "gd": "440000",
    "bjp": "110000",
}
INDUSTRY = {"sz": "3360", "gz": "3311", "bj": "2614"}  # sz, gz in division 33; bj is not

ROLES = (
    "anonymous",
    "national",
    "guangdong",
    "shenzhen",
    "gd_viewer",
    "gd_admin",
    "enterprise",
    "agency",
    "expert",
    "association",
)
AUTHORITIES = ("national", "guangdong", "shenzhen", "gd_viewer", "gd_admin")
# Region (None = national) and role of each authority user.
AUTHORITY_OF = {
    "national": (None, "administrator"),
    "guangdong": ("440000", "officer"),
    "shenzhen": ("440300", "officer"),
    "gd_viewer": ("440000", "viewer"),
    "gd_admin": ("440000", "administrator"),
}
READ = frozenset({VIEW, EXPORT})
WORK = frozenset({VIEW, CHANGE, EXPORT})
ALL = frozenset(ACTIONS)
ROLE_ACTIONS = {
    "viewer": READ,
    "officer": frozenset({VIEW, ADD, CHANGE, EXPORT}),
    "administrator": ALL,
}

Expect = dict[str, dict[str, set[str]]]


def in_subtree(place: str, region: str | None) -> bool:
    """Whether the place's region lies in the subtree of ``region`` (None = the whole country)."""
    if region is None:
        return True
    code, prefix = REGION[place], region.rstrip("0")
    # Codes are 2+2+2 digits: a province 440000 covers 44xxxx, a prefecture 440300 covers 4403xx.
    prefix = prefix if len(prefix) % 2 == 0 else prefix + "0"
    return code.startswith(prefix)


def expect(
    places: Iterable[str],
    *,
    authorities: bool = True,
    authority_actions: Mapping[str, frozenset[str]] | None = None,
    public: Iterable[str] = (),
    grants: Mapping[str, Mapping[str, Iterable[str]] | tuple[Iterable[str], frozenset[str]]]
    | None = None,
    logged_in_read: bool = False,
) -> Expect:
    """Build ``EXPECT[action][role]`` from the general rule plus a model's own grants.

    ``authorities``: authorities reach their region's subtree with their role's actions
    (``authority_actions`` overrides them per role name: viewer/officer/administrator).
    ``public``: places everyone, anonymous visitors included, views and exports.
    ``grants``: for other roles, either ``{action: places}`` or ``(places, actions)``.
    ``logged_in_read``: reference data every logged-in user views and exports.
    """
    places = tuple(places)
    table: Expect = {a: {r: set() for r in ROLES} for a in ACTIONS}
    for role in ROLES:
        for action in READ:
            table[action][role] |= set(public)
            if logged_in_read and role != "anonymous":
                table[action][role] |= set(places)
    if authorities:
        for role in AUTHORITIES:
            region, kind = AUTHORITY_OF[role]
            actions = (authority_actions or ROLE_ACTIONS).get(kind, frozenset())
            for action in actions:
                table[action][role] |= {p for p in places if in_subtree(p, region)}
    for role, grant in (grants or {}).items():
        if isinstance(grant, tuple):
            where, actions = grant
            grant = {a: where for a in actions}
        for action, where in grant.items():
            table[action][role] |= set(where)
    return table


# --- the world -----------------------------------------------------------------------------------


@dataclass
class World:
    """The users of every role and the organisations and audits they are linked to.

    Enterprises sz (industry 3360), gz (3311), bj (2614); park sz (unpublished, enterprise sz is
    a member), gz (published), bj; agency sz (serves enterprise sz under an active engagement,
    enterprise gz under an ended one), gz (published), bj (serves enterprise bj); experts at each
    place; an audit of each enterprise (sz and gz served by agency sz, bj by agency bj) with a
    panel, expert sz sitting on the panel of audit sz.
    """

    users: dict[str, User | None]
    enterprise: dict[str, Enterprise]
    park: dict[str, Park]
    agency: dict[str, Agency]
    expert: dict[str, Expert]
    engagement: dict[str, Engagement]
    audit: dict[str, Audit]
    panel: dict[str, Panel]
    extra: dict[str, Any] = field(default_factory=dict)


_seq = itertools.count(1)


def build_world() -> World:
    """Create the shared world (a few dozen rows; cheap enough to build once per test)."""
    parks = {
        p: factories.park(region=REGION[p], name=f"园区{p}", published=(p == "gz"))
        for p in INDUSTRY
    }
    ents = {
        p: factories.enterprise(region=REGION[p], industry=INDUSTRY[p], name=f"企业{p}")
        for p in INDUSTRY
    }
    ents["sz"].park = parks["sz"]
    ents["sz"].save()
    agencies = {
        p: factories.agency(region=REGION[p], name=f"机构{p}", published=(p == "gz"))
        for p in INDUSTRY
    }
    experts = {p: factories.expert(region=REGION[p], name=f"专家{p}") for p in INDUSTRY}
    engagements = {
        "sz": Engagement.objects.create(
            agency=agencies["sz"], enterprise=ents["sz"], start_date=dt.date(2025, 1, 1)
        ),
        # Ended: agency sz no longer serves enterprise gz.
        "gz": Engagement.objects.create(
            agency=agencies["sz"],
            enterprise=ents["gz"],
            start_date=dt.date(2020, 1, 1),
            end_date=dt.date(2021, 1, 1),
        ),
        "bj": Engagement.objects.create(
            agency=agencies["bj"], enterprise=ents["bj"], start_date=dt.date(2025, 1, 1)
        ),
    }
    audits = {
        p: Audit.objects.create(
            title=f"审核{p}",
            kind="voluntary",
            enterprise=ents[p],
            agency=agencies["bj" if p == "bj" else "sz"],
            region_id=REGION[p],
            industry_code=INDUSTRY[p],
            year=2025,
        )
        for p in INDUSTRY
    }
    panels = {
        p: Panel.objects.create(audit=audits[p], stage="evaluation", seed=f"s{p}", rule="test")
        for p in INDUSTRY
    }
    PanelMember.objects.create(panel=panels["sz"], expert=experts["sz"])
    n = next(_seq)
    users: dict[str, User | None] = {"anonymous": None}
    for role, (region, kind) in AUTHORITY_OF.items():
        users[role] = authority(f"u{n}_{role}", region, role=kind)
    users["enterprise"] = user(f"u{n}_enterprise", party="enterprise", enterprise=ents["sz"])
    users["agency"] = user(f"u{n}_agency", party="agency", agency=agencies["sz"])
    users["expert"] = user(f"u{n}_expert", party="expert", expert=experts["sz"])
    association = user(f"u{n}_association", party="association")
    association.association_scope.add(Industry.objects.get(code=INDUSTRY["sz"][:2]))
    users["association"] = association
    return World(
        users=users,
        enterprise=ents,
        park=parks,
        agency=agencies,
        expert=experts,
        engagement=engagements,
        audit=audits,
        panel=panels,
    )


# --- the cases -----------------------------------------------------------------------------------


def _diff(mismatches: list[str], title: str) -> str:
    return f"{title}: {len(mismatches)} mismatch(es)\n  " + "\n  ".join(mismatches)


class PolicyCase:
    """One model's permission case. Subclasses (named ``Test…``) set:

    ``model``; ``places`` (default sz, gz, bj); ``EXPECT`` (see :func:`expect`); ``make(world,
    place)`` returning the object at that place (or an existing one of the world); and optionally
    ``PENDING``: ``{(action, role): reason}`` for cells a rule being implemented will change.
    """

    model: ClassVar[type[models.Model]]
    places: ClassVar[tuple[str, ...]] = ("sz", "gz", "bj")
    EXPECT: ClassVar[Expect]
    PENDING: ClassVar[dict[tuple[str, str], str]] = {}

    def make(self, world: World, place: str) -> models.Model:
        raise NotImplementedError

    # -- helpers used by the surfaces --

    def setup_world(self) -> tuple[World, dict[str, models.Model]]:
        world = build_world()
        objects = {p: self.make(world, p) for p in self.places}
        return world, objects

    def expected(self, action: str, role: str) -> set[str]:
        return set(self.EXPECT[action][role]) & set(self.places)

    def pending(self, action: str, role: str) -> bool:
        return (action, role) in self.PENDING

    def restricted(self, world: World, objects: dict[str, Any], role: str, action: str) -> set[str]:
        pks = set(
            self.model._default_manager.restrict(world.users[role], action).values_list(
                "pk", flat=True
            )
        )
        return {p for p, obj in objects.items() if obj.pk in pks}

    # -- the tests --

    @pytest.mark.django_db
    def test_restrict(self) -> None:
        """``restrict(user, action)`` gives exactly the expected objects, for every role."""
        world, objects = self.setup_world()
        mismatches = []
        for role, action in itertools.product(ROLES, ACTIONS):
            if self.pending(action, role):
                continue
            got, want = self.restricted(world, objects, role, action), self.expected(action, role)
            if got != want:
                mismatches.append(f"{role:12} {action:7} got {sorted(got)} want {sorted(want)}")
        assert not mismatches, _diff(mismatches, f"{self.model.__name__}.restrict")

    @pytest.mark.django_db
    def test_pending_rules(self, request: Any) -> None:
        """The cells of rules being implemented (strict xfail until they land)."""
        if not self.PENDING:
            return
        reasons = sorted(set(self.PENDING.values()))
        request.node.add_marker(pytest.mark.xfail(reason="; ".join(reasons), strict=True))
        world, objects = self.setup_world()
        mismatches = []
        for action, role in self.PENDING:
            got, want = self.restricted(world, objects, role, action), self.expected(action, role)
            if got != want:
                mismatches.append(f"{role:12} {action:7} got {sorted(got)} want {sorted(want)}")
        assert not mismatches, _diff(mismatches, f"{self.model.__name__} pending rules")


def _client(kind: type, u: User | None) -> Any:
    client = kind()
    if u is not None:
        if kind is APIClient:
            client.force_authenticate(u)
        else:
            client.force_login(u)
    return client


def rolled_back(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run ``fn(*args, **kwargs)`` (one write request) in a savepoint that is then rolled back."""
    with transaction.atomic():
        result = fn(*args, **kwargs)
        transaction.set_rollback(True)
    return result


def _text(response: Any) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8-sig", errors="replace")


def _status_ok(role: str, allowed: bool, visible: bool, may_some: bool, status: int) -> bool:
    """Whether a write's status matches: 2xx (or 409 in use) when allowed; when not, 401/403 for
    anonymous, 404 when the object is not visible (403 also when the role may not do this action
    to any row: the gate answers before the lookup), 403 when visible but not allowed."""
    if role == "anonymous":
        return status in (401, 403)
    if allowed:
        return 200 <= status < 300 or status == 409
    if not visible:
        return status == 404 or (status == 403 and not may_some)
    return status == 403


class ApiChecks:
    """The REST API surface. Set ``api`` (e.g. ``"/api/enterprises/"``); ``api_writable`` for a
    full CRUD endpoint (then ``payload(world, place)`` for POST and ``patch`` for PATCH);
    ``api_export`` for the export endpoint; ``label(obj)`` the text that names an exported row."""

    api: ClassVar[str]
    api_writable: ClassVar[bool] = False
    api_export: ClassVar[str | None] = None
    api_add_places: ClassVar[tuple[str, ...]] = ("sz", "bj")
    api_lookup: ClassVar[str] = "pk"  # the object's attribute in detail URLs
    api_field: ClassVar[str] = "id"  # the same value's name in the API's rows
    api_list: ClassVar[bool] = True  # False where the list is longer than one page
    patch: ClassVar[dict[str, Any]] = {}

    def payload(self, world: World, place: str) -> dict[str, Any]:
        raise NotImplementedError

    def label(self, obj: Any) -> str:
        return str(obj.name)

    @pytest.mark.django_db
    def test_api(self) -> None:
        """List, detail, POST, PATCH, DELETE and export answer as expected for every role."""
        world, objects = self.setup_world()  # type: ignore[attr-defined]
        mismatches: list[str] = []
        for role in ROLES:
            client = _client(APIClient, world.users[role])
            pend = self.pending  # type: ignore[attr-defined]
            view = self.expected(VIEW, role)  # type: ignore[attr-defined]
            listed = view
            if self.api_list:
                data = client.get(self.api, {"page_size": 1000}).json()
                rows = data["results"] if isinstance(data, dict) else data
                keys = {r.get(self.api_field) for r in rows}
                listed = {p for p, o in objects.items() if getattr(o, self.api_lookup) in keys}
            if not pend(VIEW, role) and listed != view:
                mismatches.append(f"{role:12} list    got {sorted(listed)} want {sorted(view)}")
            for place, obj in objects.items():
                status = client.get(f"{self.api}{getattr(obj, self.api_lookup)}/").status_code
                want = 200 if place in view else 404
                if not pend(VIEW, role) and status != want:
                    mismatches.append(f"{role:12} detail  {place} got {status} want {want}")
            if self.api_export:
                got_export = client.get(self.api_export, {"format": "csv"})
                if role == "anonymous":
                    ok = got_export.status_code in (401, 403)
                    found: set[str] = set()
                else:
                    text = _text(got_export)
                    found = {p for p, o in objects.items() if self.label(o) in text}
                    ok = found == self.expected(EXPORT, role)  # type: ignore[attr-defined]
                if not pend(EXPORT, role) and not ok:
                    mismatches.append(
                        f"{role:12} export  got {got_export.status_code} {sorted(found)} "
                        f"want {sorted(self.expected(EXPORT, role))}"  # type: ignore[attr-defined]
                    )
            if self.api_writable:
                mismatches += self._api_writes(world, objects, role, client)
        assert not mismatches, _diff(mismatches, f"{self.api} API")

    def _api_writes(
        self, world: World, objects: dict[str, Any], role: str, client: APIClient
    ) -> list[str]:
        out = []
        view = self.expected(VIEW, role)  # type: ignore[attr-defined]
        for action, method in ((CHANGE, "patch"), (DELETE, "delete")):
            if self.pending(action, role):  # type: ignore[attr-defined]
                continue
            allowed = self.expected(action, role)  # type: ignore[attr-defined]
            for place, obj in objects.items():
                url = f"{self.api}{obj.pk}/"
                if method == "patch":
                    status = rolled_back(
                        lambda url=url: client.patch(url, self.patch, format="json")
                    ).status_code
                else:
                    status = rolled_back(lambda url=url: client.delete(url)).status_code
                if not _status_ok(role, place in allowed, place in view, bool(allowed), status):
                    out.append(
                        f"{role:12} {method:7} {place} got {status} "
                        f"({'allowed' if place in allowed else 'not allowed'}, "
                        f"{'visible' if place in view else 'not visible'})"
                    )
        if not self.pending(ADD, role):  # type: ignore[attr-defined]
            for place in self.api_add_places:
                allowed = place in self.expected(ADD, role)  # type: ignore[attr-defined]
                data = self.payload(world, place)
                response = rolled_back(lambda data=data: client.post(self.api, data, format="json"))
                status = response.status_code
                ok = status == 201 if allowed else status in (401, 403)
                if not ok:
                    detail = response.content[:200].decode(errors="replace")
                    out.append(
                        f"{role:12} post    {place} got {status} want "
                        f"{'201' if allowed else '401/403'} {detail}"
                    )
        return out


class WebChecks:
    """The web surface. Set the URL names that exist (others None): ``web_list``,
    ``web_detail``, ``web_edit``, ``web_delete`` (take the object's ``web_key``), ``web_add``
    (then ``form(world, place)``), ``web_export``; ``label(obj)`` names an object in lists."""

    web_list: ClassVar[str | None] = None
    web_detail: ClassVar[str | None] = None
    web_edit: ClassVar[str | None] = None
    web_delete: ClassVar[str | None] = None
    web_add: ClassVar[str | None] = None
    web_export: ClassVar[str | None] = None
    web_key: ClassVar[str] = "pk"
    web_add_places: ClassVar[tuple[str, ...]] = ("sz", "bj")

    def form(self, world: World, place: str) -> dict[str, Any]:
        raise NotImplementedError

    def label(self, obj: Any) -> str:
        return str(obj.name)

    def _url(self, name: str, obj: Any) -> str:
        return reverse(name, args=[getattr(obj, self.web_key)])

    @pytest.mark.django_db
    def test_web(self) -> None:
        """List, detail, edit, add, delete and export pages answer as expected for every role."""
        world, objects = self.setup_world()  # type: ignore[attr-defined]
        mismatches: list[str] = []
        pend = self.pending  # type: ignore[attr-defined]
        exp = self.expected  # type: ignore[attr-defined]
        for role in ROLES:
            client = _client(Client, world.users[role])
            anonymous = role == "anonymous"
            view = exp(VIEW, role)
            if self.web_list and not pend(VIEW, role):
                response = client.get(reverse(self.web_list))
                if anonymous and response.status_code == 302:
                    shown: set[str] = set()
                else:
                    body = response.content.decode()
                    shown = {p for p, o in objects.items() if self.label(o) in body}
                if shown != view:
                    mismatches.append(f"{role:12} list    got {sorted(shown)} want {sorted(view)}")
            for place, obj in objects.items():
                if self.web_detail and not pend(VIEW, role):
                    status = client.get(self._url(self.web_detail, obj)).status_code
                    if place in view:
                        ok = status == 200
                    else:
                        ok = status == 404 or (anonymous and status == 302)
                    if not ok:
                        mismatches.append(f"{role:12} detail  {place} got {status}")
                if self.web_edit and not pend(CHANGE, role):
                    status = client.get(self._url(self.web_edit, obj)).status_code
                    mismatches += self._check_write(role, "edit", place, status, CHANGE, view)
                if self.web_delete and not pend(DELETE, role):
                    url = self._url(self.web_delete, obj)

                    def delete(
                        url: str = url, obj: Any = obj, client: Any = client
                    ) -> tuple[int, bool]:
                        status = client.post(url).status_code
                        return status, type(obj)._default_manager.filter(pk=obj.pk).exists()

                    status, exists = rolled_back(delete)
                    mismatches += self._check_write(role, "delete", place, status, DELETE, view)
                    if exists is False and place not in exp(DELETE, role):
                        mismatches.append(f"{role:12} delete  {place} deleted without the right")
            if self.web_add and not pend(ADD, role):
                for place in self.web_add_places:
                    data = self.form(world, place)

                    def add(data: dict[str, Any] = data, client: Any = client) -> int:
                        before = self.model._default_manager.count()  # type: ignore[attr-defined]
                        client.post(reverse(self.web_add), data)
                        return self.model._default_manager.count() - before  # type: ignore[attr-defined]

                    created = rolled_back(add)
                    want = 1 if place in exp(ADD, role) else 0
                    if created != want:
                        mismatches.append(
                            f"{role:12} add     {place} created {created} want {want}"
                        )
            if self.web_export and not pend(EXPORT, role):
                response = client.get(reverse(self.web_export), {"format": "csv"})
                if anonymous:
                    ok, found = response.status_code == 302, set()
                else:
                    text = _text(response)
                    found = {p for p, o in objects.items() if self.label(o) in text}
                    ok = found == exp(EXPORT, role)
                if not ok:
                    mismatches.append(
                        f"{role:12} export  got {response.status_code} {sorted(found)} "
                        f"want {sorted(exp(EXPORT, role))}"
                    )
        assert not mismatches, _diff(mismatches, f"{self.model.__name__} web")  # type: ignore[attr-defined]

    def _check_write(
        self, role: str, what: str, place: str, status: int, action: str, view: set[str]
    ) -> list[str]:
        allowed_places = self.expected(action, role)  # type: ignore[attr-defined]
        allowed = place in allowed_places
        if role == "anonymous":
            ok = status == 302  # to the login page
        elif allowed:
            ok = status in (200, 302, 409)
        elif place not in view or not allowed_places:
            ok = status in (403, 404)
        else:
            # Visible but not allowed: the pages answer 404 as for an unseen object or 403.
            ok = status in (403, 404)
        if ok:
            return []
        state = (
            f"{'allowed' if allowed else 'not allowed'}, {'visible' if place in view else 'hidden'}"
        )
        return [f"{role:12} {what:7} {place} got {status} ({state})"]


def registered_models() -> set[type[models.Model]]:
    """Every model with a policy (the guard test checks each has a case)."""
    from cleanprod.platform.permissions import _POLICIES

    return set(_POLICIES)


def case_classes() -> set[type[PolicyCase]]:
    """Every PolicyCase subclass defined in the imported test modules."""
    found: set[type[PolicyCase]] = set()
    todo = list(PolicyCase.__subclasses__())
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found
