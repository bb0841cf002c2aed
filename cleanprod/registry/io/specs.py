"""The columns of each importable model: Chinese header, model field, kind of value, notes.

The same columns make the template, the export and the import, so an exported file can be
edited and imported again. Headers are part of the file format and stay Chinese in every
language; ``aliases`` lets a file use the model's field name instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from cleanprod.registry.models import Agency, Enterprise, Expert, Park

SYNTHETIC_HEADER = "数据标记"
SYNTHETIC_VALUE = "示例数据"


@dataclass(frozen=True)
class Column:
    """One column of an import file.

    ``kind`` picks the parser (see :mod:`cleanprod.registry.io.cells`): ``text``, ``uscc``,
    ``region``, ``leaf_region``, ``industry``, ``bool``, ``choice``, ``date``, ``divisions``,
    ``park``, ``employer``, ``email`` or ``id``. ``export_only`` columns are written by exports
    for reading convenience and ignored by imports.
    """

    header: str
    field: str
    kind: str = "text"
    required: bool = False
    note: str = ""
    example: Any = ""
    export_only: bool = False

    @property
    def aliases(self) -> tuple[str, ...]:
        return (self.header, self.field)


@dataclass(frozen=True)
class ModelSpec:
    """How one model is imported and exported."""

    slug: str  # enterprises, parks, agencies, experts
    model: type[models.Model]
    sheet: str
    key: str  # the field that identifies an existing row: uscc or id
    columns: tuple[Column, ...]
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()

    @property
    def url_name(self) -> str:
        return self.model._meta.model_name or ""

    def importable(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.export_only)

    def m2m_fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.importable() if c.kind == "divisions")


REGION_NAME = Column("行政区划名称", "region_name", export_only=True)
EXAMPLE_USCC = "91440305MA5FXXKG24"  # a made-up code with a correct check character

ENTERPRISE = ModelSpec(
    slug="enterprises",
    model=Enterprise,
    sheet="企业",
    key="uscc",
    columns=(
        Column(
            "统一社会信用代码", "uscc", "uscc", True, "18位，含校验码；已存在即更新", EXAMPLE_USCC
        ),
        Column("企业名称", "name", required=True, example="深圳市示例电镀有限公司"),
        Column("行政区划代码", "region", "leaf_region", True, "6位区县级代码", "440305"),
        REGION_NAME,
        Column("行业代码", "industry_code", "industry", True, "GB/T 4754-2017 4位小类", "3360"),
        Column("规模以上", "above_size", "bool", note="是/否", example="是"),
        Column("园区", "park", "park", note="园区名称或编号，须包含企业所在区划"),
        Column("排污许可证编号", "discharge_permit_no", example=f"{EXAMPLE_USCC}001P"),
        Column("地址", "address", example="广东省深圳市南山区示例路1号"),
        Column("联系人", "contact_name", example="张三"),
        Column("联系电话", "contact_phone", example="0755-12345678"),
        Column("状态", "status", "choice", note="在营/停产/关闭，默认在营", example="在营"),
    ),
    select_related=("region", "park"),
)

PARK = ModelSpec(
    slug="parks",
    model=Park,
    sheet="园区",
    key="id",
    columns=(
        Column("编号", "id", "id", note="留空为新增；填写已有编号即更新"),
        Column(
            "园区名称", "name", required=True, note="同一区划内不可重名", example="示例化工园区"
        ),
        Column("园区类型", "kind", "choice", note="国家级园区/省级园区/其他园区/产业集群"),
        Column("行政区划代码", "region", "region", True, "6位行政区划代码", "440300"),
        REGION_NAME,
        Column("简介", "description", example="示例园区说明"),
    ),
    select_related=("region",),
)

AGENCY = ModelSpec(
    slug="agencies",
    model=Agency,
    sheet="咨询服务机构",
    key="uscc",
    columns=(
        Column(
            "统一社会信用代码", "uscc", "uscc", True, "18位，含校验码；已存在即更新", EXAMPLE_USCC
        ),
        Column("机构名称", "name", required=True, example="深圳市示例环境咨询有限公司"),
        Column("行政区划代码", "region", "region", True, "6位行政区划代码", "440305"),
        REGION_NAME,
        Column("备案编号", "filing_no", example="粤清审备202400001"),
        Column("备案机关", "filing_authority", example="广东省生态环境厅"),
        Column(
            "备案有效期起", "valid_from", "date", note="日期，如2024-01-01", example="2024-01-01"
        ),
        Column(
            "备案有效期止", "valid_until", "date", note="日期，不早于起始日", example="2026-12-31"
        ),
        Column(
            "业务范围（行业大类）",
            "industry_scope",
            "divisions",
            note="2位大类代码，用顿号或逗号分隔",
        ),
        Column("地址", "address", example="广东省深圳市南山区示例路2号"),
        Column("联系电话", "contact_phone", example="0755-87654321"),
    ),
    select_related=("region",),
    prefetch_related=("industry_scope",),
)

EXPERT = ModelSpec(
    slug="experts",
    model=Expert,
    sheet="专家",
    key="id",
    columns=(
        Column("编号", "id", "id", note="留空为新增；填写已有编号即更新"),
        Column("姓名", "name", required=True, example="李示例"),
        Column(
            "职称", "title", "choice", True, "正高级工程师/高级工程师/工程师/其他", "高级工程师"
        ),
        Column("行政区划代码", "region", "region", True, "6位行政区划代码", "440300"),
        REGION_NAME,
        Column(
            "专业领域（行业大类）",
            "specialties",
            "divisions",
            True,
            "2位大类代码，用顿号分隔",
            "33、26",
        ),
        Column(
            "工作单位类型",
            "employer_kind",
            "choice",
            True,
            "企业/咨询服务机构/其他（高校、科研院所、机关）",
            "其他（高校、科研院所、机关）",
        ),
        Column(
            "工作单位统一社会信用代码",
            "employer",
            "employer",
            note="单位类型为企业或咨询服务机构时必填",
        ),
        Column("工作单位", "employer_name", example="示例大学"),
        Column("在库", "active", "bool", note="是/否，默认是", example="是"),
        Column("电话", "phone", example="13800000000"),
        Column("电子邮箱", "email", "email", example="expert@example.com"),
    ),
    select_related=("region", "employer_enterprise", "employer_agency"),
    prefetch_related=("specialties",),
)

SPECS: dict[str, ModelSpec] = {s.slug: s for s in (ENTERPRISE, PARK, AGENCY, EXPERT)}


def spec_for(name: str) -> ModelSpec:
    """The spec by slug (``enterprises``) or model name (``enterprise``)."""
    for spec in SPECS.values():
        if name in (spec.slug, spec.url_name):
            return spec
    raise KeyError(name)
