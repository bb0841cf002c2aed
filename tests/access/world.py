"""A small world of objects and users, and what each user may do to each object.

The expectation tables are written by hand from the access rules (issue #3), independently of
the code that implements them, so the matrix test can fail when either drifts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cleanprod.accounts.models import User
from cleanprod.accounts.tests.factories import authority, user
from cleanprod.registry.models import Engagement
from cleanprod.registry.tests import factories

ROLES = [
    "anonymous",
    "national",
    "guangdong",
    "shenzhen",
    "gd_viewer",
    "enterprise",
    "agency",
    "expert",
]
MODELS = ["enterprise", "park", "agency", "expert"]

# Objects: <model>_<place>. sz = Shenzhen 440305, gz = Guangzhou 440106, bj = Beijing 110105.
ALL = {
    "enterprise": {"sz", "gz", "bj"},
    "park": {"sz", "gz", "bj"},  # sz published; gz, bj not
    "agency": {"sz", "gz", "bj"},  # sz published (serves enterprise sz); gz, bj not
    "expert": {"sz", "gz", "bj"},
}
PUBLIC = {"enterprise": set(), "park": {"sz"}, "agency": {"sz"}, "expert": set()}
GD = {"sz", "gz"}
SZ = {"sz"}


def _reading(national: set[str] | None = None) -> dict[str, dict[str, set[str]]]:
    view = {
        "anonymous": PUBLIC,
        "national": ALL,
        "guangdong": {m: GD | PUBLIC[m] for m in MODELS},
        "shenzhen": {m: SZ | PUBLIC[m] for m in MODELS},
        "gd_viewer": {m: GD | PUBLIC[m] for m in MODELS},
        "enterprise": {"enterprise": {"sz"}, "park": {"sz"}, "agency": {"sz"}, "expert": set()},
        "agency": {"enterprise": {"sz"}, "park": {"sz"}, "agency": {"sz"}, "expert": set()},
        "expert": {"enterprise": set(), "park": {"sz"}, "agency": {"sz"}, "expert": {"sz"}},
    }
    return view


VIEW = _reading()
EXPORT = VIEW  # exports follow the view scope (public rows included)
CHANGE = {
    "anonymous": {m: set() for m in MODELS},
    "national": ALL,
    "guangdong": {m: GD for m in MODELS},
    "shenzhen": {m: SZ for m in MODELS},
    "gd_viewer": {m: set() for m in MODELS},
    "enterprise": {"enterprise": {"sz"}, "park": set(), "agency": set(), "expert": set()},
    "agency": {"enterprise": set(), "park": set(), "agency": {"sz"}, "expert": set()},
    "expert": {"enterprise": set(), "park": set(), "agency": set(), "expert": {"sz"}},
}
DELETE = {
    r: ({m: ALL[m] for m in MODELS} if r == "national" else {m: set() for m in MODELS})
    for r in ROLES
}
# Agency sz keeps its engagements (accountability records): deleting it is refused, not forced.
DELETE["national"]["agency"] = {"gz", "bj"}
# Where each role may create new objects: region codes of (Shenzhen, Beijing).
CREATE_IN = {
    "anonymous": set(),
    "national": {"440305", "110105"},
    "guangdong": {"440305"},
    "shenzhen": {"440305"},
    "gd_viewer": set(),
    "enterprise": set(),
    "agency": set(),
    "expert": set(),
}

REGION = {"sz": "440305", "gz": "440106", "bj": "110105"}


@dataclass
class World:
    objects: dict[str, dict[str, Any]]
    users: dict[str, User | None]


def build() -> World:
    ents = {k: factories.enterprise(region=r, name=f"企业{k}") for k, r in REGION.items()}
    parks = {
        k: factories.park(region=r, name=f"园区{k}", published=(k == "sz"))
        for k, r in REGION.items()
    }
    agencies = {
        k: factories.agency(region=r, name=f"机构{k}", published=(k == "sz"))
        for k, r in REGION.items()
    }
    experts = {k: factories.expert(region=r, name=f"专家{k}") for k, r in REGION.items()}
    Engagement.objects.create(
        agency=agencies["sz"], enterprise=ents["sz"], start_date=date(2025, 1, 1)
    )
    # An ended engagement gives the agency no access.
    Engagement.objects.create(
        agency=agencies["sz"],
        enterprise=ents["gz"],
        start_date=date(2020, 1, 1),
        end_date=date(2021, 1, 1),
    )
    users: dict[str, User | None] = {
        "anonymous": None,
        "national": authority("u_national", None, role="administrator"),
        "guangdong": authority("u_guangdong", "440000", role="officer"),
        "shenzhen": authority("u_shenzhen", "440300", role="officer"),
        "gd_viewer": authority("u_gd_viewer", "440000", role="viewer"),
        "enterprise": user("u_enterprise", party="enterprise", enterprise=ents["sz"]),
        "agency": user("u_agency", party="agency", agency=agencies["sz"]),
        "expert": user("u_expert", party="expert", expert=experts["sz"]),
    }
    return World(
        objects={"enterprise": ents, "park": parks, "agency": agencies, "expert": experts},
        users=users,
    )
