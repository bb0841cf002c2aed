"""Every role × every model × list/detail/create/update/delete/export, on the web UI and the API.

Expectations come from the hand-written tables in world.py.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cleanprod.industries.models import Industry
from cleanprod.registry.demo import synthetic_uscc
from cleanprod.registry.models import Agency, Enterprise, Expert, Park
from tests.access import world as w


def _has_history(obj: Any) -> bool:
    """Rows that must be kept (engagements, accounts, ...) block deletion for every role."""
    from django.contrib.admin.utils import NestedObjects

    collector = NestedObjects(using="default")
    collector.collect([obj])
    return bool(collector.protected)


pytestmark = pytest.mark.django_db

MODEL = {"enterprise": Enterprise, "park": Park, "agency": Agency, "expert": Expert}
API = {"enterprise": "enterprises", "park": "parks", "agency": "agencies", "expert": "experts"}
CASES = list(itertools.product(w.ROLES, w.MODELS))
_uscc_seq = itertools.count(70_000_000)


def _name(model: str, key: str) -> str:
    return {"enterprise": "企业", "park": "园区", "agency": "机构", "expert": "专家"}[model] + key


def _web(world: w.World, role: str) -> Client:
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def _api(world: w.World, role: str) -> APIClient:
    client = APIClient()
    if world.users[role] is not None:
        client.force_authenticate(world.users[role])
    return client


def _form(model: str, region: str) -> dict[str, Any]:
    if model == "enterprise":
        return {
            "uscc": synthetic_uscc(next(_uscc_seq), region),
            "name": f"新{region}",
            "region": region,
            "industry_code": "3360",
            "status": "operating",
        }
    if model == "park":
        return {"name": f"新{region}", "kind": "other", "region": region}
    if model == "agency":
        return {
            "uscc": synthetic_uscc(next(_uscc_seq), region),
            "name": f"新{region}",
            "region": region,
        }
    return {
        "name": f"新{region}",
        "title": "senior",
        "region": region,
        "employer_kind": "other",
        "active": "on",
        "specialties": [Industry.objects.get(code="33").pk],
    }


def _api_payload(model: str, region: str) -> dict[str, Any]:
    data = _form(model, region)
    if model == "expert":
        data["specialties"], data["active"] = ["33"], True
    return data


@pytest.mark.parametrize(("role", "model"), CASES)
def test_web(role: str, model: str) -> None:
    world = w.build()
    client = _web(world, role)
    objs = world.objects[model]
    body = client.get(reverse(f"registry:{model}-list")).content.decode()
    shown = {k for k in objs if f">{_name(model, k)}</a>" in body}
    assert shown == w.VIEW[role][model]

    for key, obj in objs.items():
        detail = client.get(obj.get_absolute_url()).status_code
        assert detail == (200 if key in w.VIEW[role][model] else 404), (key, "detail")
        edit = client.get(reverse(f"registry:{model}-edit", args=[obj.pk])).status_code
        if world.users[role] is None:
            expected = 302
        elif not w.CHANGE[role][model]:
            expected = 403
        else:
            expected = 200 if key in w.CHANGE[role][model] else 404
        assert edit == expected, (key, "edit")

    export = client.get(reverse(f"registry:{model}-export"), {"format": "csv"})
    if world.users[role] is None:
        assert export.status_code == 302  # exports need a login
    else:
        text = b"".join(export.streaming_content if export.streaming else [export.content])
        exported = {k for k in objs if _name(model, k) in text.decode("utf-8-sig")}
        assert exported == w.EXPORT[role][model], "export"

    for region in ("440305", "110105"):
        before = MODEL[model].objects.count()
        response = client.post(reverse(f"registry:{model}-add"), _form(model, region))
        created = MODEL[model].objects.count() - before
        assert created == (1 if region in w.CREATE_IN[role] else 0), (region, response.status_code)

    for key, obj in objs.items():
        kept = _has_history(obj)
        client.post(reverse(f"registry:{model}-delete", args=[obj.pk]))
        exists = MODEL[model].objects.filter(pk=obj.pk).exists()
        assert exists == (key not in w.DELETE[role][model] or kept), (key, "delete")


@pytest.mark.parametrize(("role", "model"), CASES)
def test_api(role: str, model: str) -> None:
    world = w.build()
    client = _api(world, role)
    objs = world.objects[model]
    url = f"/api/{API[model]}/"
    listed = {r["id"] for r in client.get(url, {"page_size": 1000}).json()["results"]}
    assert listed == {objs[k].pk for k in w.VIEW[role][model]}

    anonymous = world.users[role] is None
    export = client.get(f"{url}export/", {"format": "csv"})
    if anonymous:
        assert export.status_code == 401
    else:
        text = b"".join(export.streaming_content if export.streaming else [export.content])
        exported = {k for k in objs if _name(model, k) in text.decode("utf-8-sig")}
        assert exported == w.EXPORT[role][model], "api export"
    may_change_some = bool(w.CHANGE[role][model])
    for key, obj in objs.items():
        detail = client.get(f"{url}{obj.pk}/").status_code
        assert detail == (200 if key in w.VIEW[role][model] else 404), (key, "retrieve")
        patch = client.patch(f"{url}{obj.pk}/", {"name": f"改{key}"}, format="json").status_code
        if anonymous:
            expected = 401
        elif not may_change_some:
            expected = 403
        elif key not in w.VIEW[role][model]:
            expected = 404
        else:
            expected = 200 if key in w.CHANGE[role][model] else 403
        assert patch == expected, (key, "patch")

    for region in ("440305", "110105"):
        response = client.post(url, _api_payload(model, region), format="json")
        if region in w.CREATE_IN[role]:
            assert response.status_code == 201, response.json()
        else:
            assert response.status_code in (401, 403), response.status_code

    for key, obj in objs.items():
        kept = _has_history(obj)
        client.delete(f"{url}{obj.pk}/")
        exists = MODEL[model].objects.filter(pk=obj.pk).exists()
        assert exists == (key not in w.DELETE[role][model] or kept), (key, "delete")
