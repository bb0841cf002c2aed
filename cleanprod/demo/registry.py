"""Synthetic registry data for ``cleanprod demo``: reproducible, valid codes, national spread.

Every row is marked ``synthetic=True``. The province weights and name parts below are invented
to make the demo look plausible; they are not statistics.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cleanprod.accounts.models import User
from cleanprod.core.codes import make_uscc
from cleanprod.demo.users import DEMO_USERNAMES
from cleanprod.industries.models import Industry, IndustryGroup, IndustryLevel
from cleanprod.platform.db import insert_plain
from cleanprod.regions.models import Level, Region
from cleanprod.registry.models import Agency, AgencyStaff, Engagement, Enterprise, Expert, Park

Progress = Callable[[int], None]

# Relative weight of each province (by 2-digit prefix) in the synthetic enterprise population.
PROVINCE_WEIGHTS = {
    "44": 14,
    "32": 14,
    "33": 13,
    "37": 9,
    "41": 5,
    "35": 5,
    "42": 4,
    "34": 4,
    "43": 4,
    "13": 4,
    "51": 4,
    "31": 3,
    "36": 3,
    "50": 2,
    "21": 2,
    "12": 2,
    "11": 2,
    "61": 2,
    "45": 2,
}
DEFAULT_WEIGHT = 1
SKIP_PROVINCES = {"71", "81", "82"}  # no county-level data in the division list

NAME_HEADS = "华恒宏鑫瑞丰泰盛永安嘉隆兴达金源博远天润中科新康信诚祥和顺通凯明德昌".replace(" ", "")
INDUSTRY_WORDS = {
    "13": "食品",
    "17": "纺织印染",
    "19": "皮革",
    "22": "纸业",
    "25": "石化",
    "26": "化工",
    "27": "制药",
    "30": "建材",
    "31": "钢铁",
    "32": "有色金属",
    "33": "金属制品",
    "38": "电器",
    "44": "能源",
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文"


def org_code(n: int) -> str:
    """A GB 11714 organisation code (8 digits + check) that is unique for each ``n`` < 10**8."""
    body = f"{(n * 7919 + 12345) % 10**8:08d}"  # 7919 is coprime with 10**8: a bijection
    total = sum(int(ch) * w for ch, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def synthetic_uscc(n: int, region_code: str, entity: str = "91") -> str:
    return make_uscc(entity + region_code + org_code(n))


def _class_codes() -> list[str]:
    """Plausible 4-digit classes: the key groups' codes expanded, then other manufacturing."""
    codes: set[str] = set(
        Industry.objects.filter(level=IndustryLevel.CLASS).values_list("code", flat=True)
    )
    for group in IndustryGroup.objects.prefetch_related("members"):
        for code in group.codes():
            codes.update(code + s for s in ("10", "20", "90")) if len(code) == 2 else None
            codes.update(code + s for s in ("1", "9")) if len(code) == 3 else None
            codes.add(code) if len(code) == 4 else None
    for division in range(13, 44):
        codes.add(f"{division:02d}10")
    return sorted(c for c in codes if len(c) == 4)


class DemoBuilder:
    """Builds the synthetic registry for ``n`` enterprises from one random seed."""

    def __init__(self, enterprises: int, seed: int) -> None:
        self.n = enterprises
        self.rng = random.Random(seed)
        leaves = [
            r
            for r in Region.objects.leaves().only("code", "name", "level")
            if r.code[:2] not in SKIP_PROVINCES
        ]
        self.leaves = leaves
        self.leaf_weights = [PROVINCE_WEIGHTS.get(r.code[:2], DEFAULT_WEIGHT) for r in leaves]
        self.classes = _class_codes()
        self.divisions = list(
            Industry.objects.filter(level=IndustryLevel.DIVISION, parent_id__in="BCD").values_list(
                "code", flat=True
            )
        )

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(
            self.rng.choices(GIVEN, k=self.rng.randint(1, 2))
        )

    def company_name(self, region: Region, industry_code: str, suffix: str = "有限公司") -> str:
        head = "".join(self.rng.choices(NAME_HEADS, k=2))
        word = INDUSTRY_WORDS.get(industry_code[:2], "实业")
        place = region.name.removesuffix("区").removesuffix("县").removesuffix("市")[:3]
        return f"{place}{head}{word}{suffix}"

    def parks(self) -> list[Park]:
        count = max(8, self.n // 250)
        regions = self.rng.sample(self.leaves, k=min(count, len(self.leaves)))
        kinds = [Park.Kind.NATIONAL, Park.Kind.PROVINCIAL, Park.Kind.OTHER, Park.Kind.CLUSTER]
        suffixes = ["经济技术开发区", "高新技术产业园区", "化工园区", "产业集群"]
        parks = [
            Park(
                name=f"{r.name}{self.rng.choice(suffixes)}",
                kind=self.rng.choice(kinds),
                region=r,
                description="示例园区（合成数据）",
                published=True,
                synthetic=True,
            )
            for r in regions
        ]
        return Park.objects.bulk_create(parks, batch_size=2000)

    def enterprises(self, parks: list[Park], progress: Progress) -> int:
        park_by_region = {p.region_id: p for p in parks}
        statuses = [Enterprise.Status.OPERATING] * 18 + [
            Enterprise.Status.SUSPENDED,
            Enterprise.Status.CLOSED,
        ]
        batch: list[dict[str, object]] = []
        rng = self.rng
        # Stored as the database stores it, computed once (rows go in without model instances).
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        chosen = rng.choices(self.leaves, weights=self.leaf_weights, k=self.n)
        for i, region in enumerate(chosen):
            code = rng.choice(self.classes)
            park = park_by_region.get(region.code)
            uscc = synthetic_uscc(i, region.code)
            batch.append(
                {
                    "uscc": uscc,
                    "name": self.company_name(region, code),
                    "region_id": region.code,
                    "industry_code": code,
                    "above_size": rng.random() < 0.85,
                    "park_id": park.pk if park is not None and rng.random() < 0.5 else None,
                    "discharge_permit_no": f"{uscc}001P" if rng.random() < 0.6 else "",
                    "address": f"{region.name}工业大道{rng.randint(1, 999)}号",
                    "contact_name": self.person(),
                    "contact_phone": f"1{rng.randint(3, 9)}{rng.randint(0, 999999999):09d}",
                    "status": rng.choice(statuses).value,
                    "synthetic": True,
                    "created": now,
                    "updated": now,
                }
            )
            if len(batch) >= 5000:
                self._flush(batch, progress)
        self._flush(batch, progress)
        return self.n

    @staticmethod
    def _flush(batch: list[dict[str, object]], progress: Progress) -> None:
        if batch:
            with transaction.atomic():
                insert_plain(Enterprise, batch)
            progress(len(batch))
            batch.clear()

    def agencies(self) -> list[Agency]:
        count = max(10, self.n // 500)
        provinces = list(
            Region.objects.filter(level=Level.PROVINCE).exclude(
                code__in=["710000", "810000", "820000"]
            )
        )
        rng = self.rng
        agencies = []
        for i in range(count):
            region = rng.choice(self.leaves)
            start = date(2022, 1, 1) + timedelta(days=rng.randint(0, 900))
            province = next(p for p in provinces if p.code[:2] == region.code[:2])
            agencies.append(
                Agency(
                    uscc=synthetic_uscc(10**7 + i, region.code),
                    name=self.company_name(region, "7", "环境咨询有限公司").replace("实业", "清源"),
                    region=region,
                    filing_no=f"{province.name[:2]}清审备{start.year}{i:05d}",
                    filing_authority=f"{province.name}生态环境厅",
                    valid_from=start,
                    valid_until=start + timedelta(days=3 * 365),
                    address=f"{region.name}科技路{rng.randint(1, 300)}号",
                    contact_phone=f"0{rng.randint(10, 999)}-{rng.randint(1000000, 9999999)}",
                    published=rng.random() < 0.9,
                    synthetic=True,
                )
            )
        agencies = Agency.objects.bulk_create(agencies, batch_size=1000)
        scope_links = []
        staff = []
        divisions = {d.code: d for d in Industry.objects.filter(code__in=self.divisions)}
        for agency in agencies:
            for code in rng.sample(self.divisions, k=rng.randint(3, 8)):
                scope_links.append(
                    Agency.industry_scope.through(
                        agency_id=agency.pk, industry_id=divisions[code].pk
                    )
                )
            for _ in range(rng.randint(3, 8)):
                staff.append(
                    AgencyStaff(
                        agency=agency,
                        name=self.person(),
                        certificate_no=f"QJSC{agency.pk:06d}{len(staff):05d}",
                        certificate_valid_until=agency.valid_until,
                        synthetic=True,
                    )
                )
        Agency.industry_scope.through.objects.bulk_create(scope_links, batch_size=5000)
        AgencyStaff.objects.bulk_create(staff, batch_size=5000)
        return agencies

    def experts(self, agencies: list[Agency]) -> int:
        count = max(20, self.n // 200)
        rng = self.rng
        sample_ids = list(
            Enterprise.objects.filter(synthetic=True)
            .order_by("pk")
            .values_list("pk", "region_id")[:5000]
        )
        titles = [Expert.Title.SENIOR, Expert.Title.ASSOCIATE, Expert.Title.INTERMEDIATE]
        experts = []
        for _ in range(count):
            kind = rng.choices(list(Expert.EmployerKind), weights=[3, 2, 5])[0]
            expert = Expert(
                name=self.person(),
                title=rng.choice(titles),
                employer_kind=kind,
                active=rng.random() < 0.95,
                phone=f"1{rng.randint(3, 9)}{rng.randint(0, 999999999):09d}",
                synthetic=True,
            )
            if kind == Expert.EmployerKind.ENTERPRISE and sample_ids:
                pk, region_code = rng.choice(sample_ids)
                expert.employer_enterprise_id, expert.region_id = pk, region_code
            elif kind == Expert.EmployerKind.AGENCY:
                agency = rng.choice(agencies)
                expert.employer_agency, expert.region_id = agency, agency.region_id
            else:
                expert.employer_kind = Expert.EmployerKind.OTHER
                region = rng.choice(self.leaves)
                expert.region_id = region.code
                expert.employer_name = (
                    f"{region.name[:2]}{rng.choice(['大学', '环境科学研究院', '清洁生产中心'])}"
                )
            experts.append(expert)
        experts = Expert.objects.bulk_create(experts, batch_size=2000)
        divisions = dict(Industry.objects.filter(code__in=self.divisions).values_list("code", "pk"))
        links = [
            Expert.specialties.through(expert_id=e.pk, industry_id=divisions[code])
            for e in experts
            for code in rng.sample(self.divisions, k=rng.randint(1, 3))
        ]
        Expert.specialties.through.objects.bulk_create(links, batch_size=5000)
        return len(experts)


def purge_synthetic() -> None:
    """Delete every synthetic registry row, dependants first, without loading them."""

    with transaction.atomic():
        # Accounts bound to synthetic organisations go with them (few rows: the ORM's delete).
        User.objects.filter(
            Q(username__in=DEMO_USERNAMES)
            | Q(enterprise__synthetic=True)
            | Q(agency__synthetic=True)
            | Q(expert__synthetic=True)
        ).delete()
        Expert.objects.filter(employer_enterprise__synthetic=True).update(employer_enterprise=None)
        Expert.objects.filter(employer_agency__synthetic=True).update(employer_agency=None)
        for qs in _purge_order():
            qs._raw_delete(qs.db)


def _purge_order() -> Iterator:
    yield Engagement.objects.filter(
        Q(synthetic=True) | Q(agency__synthetic=True) | Q(enterprise__synthetic=True)
    )
    yield Expert.specialties.through.objects.filter(expert__synthetic=True)
    yield Expert.objects.filter(synthetic=True)
    yield AgencyStaff.objects.filter(agency__synthetic=True)
    yield Agency.industry_scope.through.objects.filter(agency__synthetic=True)
    yield Agency.objects.filter(synthetic=True)
    Enterprise.objects.filter(park__synthetic=True, synthetic=False).update(park=None)
    yield Enterprise.objects.filter(synthetic=True)
    yield Park.objects.filter(synthetic=True)


def build_registry(enterprises: int, seed: int, progress: Progress) -> dict[str, int]:
    """Replace the synthetic registry with a fresh one; return the counts made."""
    purge_synthetic()
    builder = DemoBuilder(enterprises, seed)
    parks = builder.parks()
    builder.enterprises(parks, progress)
    agencies = builder.agencies()
    experts = builder.experts(agencies)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_enterprise")
    return {
        "parks": len(parks),
        "enterprises": enterprises,
        "agencies": len(agencies),
        "experts": experts,
    }
