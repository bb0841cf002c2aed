"""Small builders for registry objects in tests."""

from __future__ import annotations

import itertools
from typing import Any

from cleanprod.demo.registry import synthetic_uscc
from cleanprod.registry.models import Agency, Enterprise, Expert, Park

_seq = itertools.count(50_000_000)


def enterprise(region: str = "440305", industry: str = "3360", **kw: Any) -> Enterprise:
    n = next(_seq)
    values: dict[str, Any] = {
        "uscc": synthetic_uscc(n, region),
        "name": f"测试企业{n}",
        "region_id": region,
        "industry_code": industry,
        "above_size": True,
    }
    values.update(kw)
    return Enterprise.objects.create(**values)


def park(region: str = "440305", **kw: Any) -> Park:
    return Park.objects.create(name=kw.pop("name", f"测试园区{next(_seq)}"), region_id=region, **kw)


def agency(region: str = "440305", **kw: Any) -> Agency:
    n = next(_seq)
    return Agency.objects.create(
        uscc=synthetic_uscc(n, region),
        name=kw.pop("name", f"测试咨询机构{n}"),
        region_id=region,
        **kw,
    )


def expert(region: str = "440305", **kw: Any) -> Expert:
    values: dict[str, Any] = {"name": "张专家", "title": Expert.Title.SENIOR, "region_id": region}
    values.setdefault("employer_kind", Expert.EmployerKind.OTHER)
    values.update(kw)
    return Expert.objects.create(**values)
