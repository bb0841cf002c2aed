"""The two cleaner-production plans as data: loader, validator and Markdown rendering.

The plans are

* 十二五 — 工业清洁生产推行“十二五”规划 (MIIT, MOST, MOF; 2011–2015), and
* 十四五 — “十四五”全国清洁生产推行方案 (NDRC, MEE et al.; 2021–2025).

Their targets, quantities, key projects, technologies, toxic substitutions, substances, status-quo
facts and the industries they name are YAML files in :mod:`cleanprod.data.plans`. Every entry has
a stable ``id`` and a ``source`` pointer such as ``十二五 §四(五)``, ``十二五 表1``,
``十四五 专栏2`` or ``十二五 §二(二) 脚注①``.

:func:`load_plans` reads the shipped files; :func:`parse_plans` validates any set of files given
as text and raises :class:`PlanDataError` listing every problem, each naming its file and entry:
duplicate ids, unknown kinds or fields, missing or malformed source pointers, references to missing
entries (a technology pointing to a missing key project, an unknown industry or industry group),
and inconsistent values. Industry groups (``twelfth-major-pollutant`` …) are defined once, in
``cleanprod/industries/data/groups.yaml``; the plan data refers to them by slug.

Pure: no Django. ``python -m cleanprod.core.plans --markdown > docs/plans.md`` regenerates the
documentation page.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, TypeVar

import yaml

from cleanprod.core.codes import validate_industry_code
from cleanprod.core.errors import CoreError, InvalidCode

SCHEMA_VERSION = 1
DATA_PACKAGE = "cleanprod.data.plans"
#: Industry groups are defined once, in ``cleanprod/industries/data/groups.yaml``; it is read as
#: a resource of the top package, so that nothing of the Django app is imported.
GROUPS_RESOURCE = ("industries", "data", "groups.yaml")

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NUM = "一二三四五六七八九十"
_SECTION_RE = re.compile(
    rf"^(?:前言|§[{_NUM}]+(?:\([{_NUM}]+\))?|表\d+|专栏\d+)(?: 脚注[①②③④⑤⑥⑦⑧⑨])?$"
)
_PRIORITY_CHEMICAL_RE = re.compile(r"^PC\d{3}$")

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)


# --------------------------------------------------------------------------------------------
# vocabularies
# --------------------------------------------------------------------------------------------


class Kind(StrEnum):
    """Kinds of plan entries; each is a top-level list in a data file."""

    TARGET = "targets"
    QUANTITY = "quantities"
    FACT = "facts"
    KEY_PROJECT = "key_projects"
    TECHNOLOGY = "technologies"
    SUBSTANCE = "substances"
    SUBSTITUTION = "substitutions"
    INDUSTRY = "industries"


class Stage(StrEnum):
    """What the plan asks for a technology or substitute (the verb of the text, normalised)."""

    RESEARCH = "research"  # 研发, 开发, 研究, 突破
    PILOT = "pilot"  # 试点
    DEMONSTRATION = "demonstration"  # 示范
    PROMOTION = "promotion"  # 推广, 推行
    POPULARIZATION = "popularization"  # 普及, 推广普及
    ADVANCEMENT = "advancement"  # 推进, 推动, 发展, 深化
    RETROFIT = "retrofit"  # 开展……改造
    IMPLEMENTATION = "implementation"  # 实施
    CONTROL = "control"  # 严格控制


class Direction(StrEnum):
    """Whether a larger value of the metric is better (increase) or a smaller one (decrease)."""

    INCREASE = "increase"
    DECREASE = "decrease"


class Comparison(StrEnum):
    """How an observed value must compare with the target value for the target to be met."""

    GT = ">"
    GE = "≥"
    EQ = "="
    LE = "≤"
    LT = "<"


class Scope(StrEnum):
    NATIONAL = "national"
    INDUSTRY = "industry"


class ValueKind(StrEnum):
    """What a baseline or target value measures."""

    LEVEL = "level"  # a rate or stock at the given year
    ANNUAL = "annual"  # an amount per year (万吨/年)
    CUMULATIVE_2003_2010 = "cumulative_2003_2010"  # 表1's [] values in the 2010 column
    CUMULATIVE_2003_2015 = "cumulative_2003_2015"  # bracketed rates of 表1's 2015 column
    CUMULATIVE_2011_2015 = "cumulative_2011_2015"  # over the 十二五 period
    CUMULATIVE_2021_2025 = "cumulative_2021_2025"  # over the 十四五 period
    CHANGE_VS_2020 = "change_vs_2020"  # percent change of a total against 2020


#: Kinds of value that measure the same thing, so that a baseline can start a trend line.
_COMPARABLE_KINDS = {
    frozenset({ValueKind.CUMULATIVE_2003_2010, ValueKind.CUMULATIVE_2003_2015}),
}
#: Amounts accumulated over a plan period are 0 at the end of the year before it starts.
_ZERO_AT = {ValueKind.CUMULATIVE_2011_2015: 2010, ValueKind.CUMULATIVE_2021_2025: 2020}


class SubstitutionField(StrEnum):
    """The three fields of 十二五 §三(三) and 十四五's raw-material substitution."""

    HEAVY_METAL = "heavy-metal"  # 涉重金属领域
    ORGANIC = "organic"  # 有机污染物领域
    PESTICIDE = "pesticide"  # 农药领域
    RAW_MATERIAL = "raw-material"  # 十四五 §二(五) 原辅材料无害化替代


POLLUTANTS = frozenset(
    {
        "cod",
        "ammonia-nitrogen",
        "so2",
        "nox",
        "vocs",
        "co2",
        "air-pollutants",
        "wastewater",
        "solid-waste",
        "mercury",
        "chromium",
        "lead",
        "cyanide",
    }
)


# --------------------------------------------------------------------------------------------
# entries
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """A pointer into a plan: document short name and section, e.g. ``十二五 §四(五)``."""

    document: str
    section: str

    def __str__(self) -> str:
        return f"{self.document} {self.section}"


def parse_source(text: str) -> Source:
    """Parse ``"十二五 §四(五)"`` into a :class:`Source`; raise ``ValueError`` if malformed."""
    document, _, section = text.strip().partition(" ")
    if not document or not _SECTION_RE.match(section):
        raise ValueError(
            f"出处格式应为“文件 章节”，如“十二五 §四(五)”“十四五 专栏2”“十二五 表1”：{text!r}"
        )
    return Source(document, section)


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    short: str
    title: str
    issuers: tuple[str, ...]
    start_year: int
    end_year: int
    seed: str
    file: str


@dataclass(frozen=True, slots=True)
class Industry:
    """An industry as the plans name it, with its GB/T 4754-2017 codes."""

    id: str
    name: str
    codes: tuple[str, ...]
    source: Source
    note: str
    file: str


@dataclass(frozen=True, slots=True)
class Metric:
    unit: str
    definition: str


@dataclass(frozen=True, slots=True)
class Value:
    """A baseline or target value: ``value`` is None only for qualitative targets.

    ``unit`` is set where it differs from the metric's (a cumulative baseline in 万吨 of an
    annual target in 万吨/年).
    """

    value: float | None
    year: int
    kind: ValueKind
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """A plan target (kind ``targets``) or a quantity of work to be done (kind ``quantities``)."""

    id: str
    kind: Kind
    name: str
    source: Source
    also: tuple[Source, ...]
    metric: Metric
    scope: Scope
    industries: tuple[str, ...]
    industry_groups: tuple[str, ...]
    baseline: Value | None
    target: Value
    direction: Direction
    comparison: Comparison | None
    comparison_text: str
    approximate: bool
    additive: bool
    qualitative: bool
    key_project: str | None
    note: str
    file: str

    @property
    def baseline_comparable(self) -> bool:
        """True if the baseline measures the same thing as the target and can start a trend."""
        if self.baseline is None or self.baseline.value is None or self.baseline.unit:
            return False
        kinds = frozenset({self.baseline.kind, self.target.kind})
        return len(kinds) == 1 or kinds in _COMPARABLE_KINDS

    @property
    def trend_start(self) -> tuple[int, float] | None:
        """The first point of a trend line toward the target, if the plan implies one.

        The baseline when comparable; else 0 at the end of the year before the period of a
        target counted over its plan period (500 demonstration enterprises in 2011–2015 start
        from 0 in 2010); else None.
        """
        if self.baseline_comparable and self.baseline is not None:
            assert self.baseline.value is not None
            return (self.baseline.year, self.baseline.value)
        if self.baseline is None and self.target.kind in _ZERO_AT:
            return (_ZERO_AT[self.target.kind], 0.0)
        return None


@dataclass(frozen=True, slots=True)
class Fact:
    """A status-quo figure the plan reports (or a threshold it sets for a mechanism)."""

    id: str
    name: str
    source: Source
    also: tuple[Source, ...]
    value: float
    unit: str
    period: tuple[int, int]
    comparison: Comparison
    approximate: bool
    comparison_text: str
    note: str
    file: str


@dataclass(frozen=True, slots=True)
class KeyProject:
    """A key project (重点工程); its technologies and reductions refer to it by id."""

    id: str
    name: str
    source: Source
    also: tuple[Source, ...]
    pollutants: tuple[str, ...]
    industries: tuple[str, ...]
    focus: str
    note: str
    file: str


@dataclass(frozen=True, slots=True)
class Penetration:
    """A penetration-rate target (技术普及率, percent) for a technology in its industry."""

    value: float
    year: int
    comparison: Comparison
    comparison_text: str


@dataclass(frozen=True, slots=True)
class Technology:
    id: str
    name: str
    source: Source
    also: tuple[Source, ...]
    stage: Stage
    stage_text: str
    pollutants: tuple[str, ...]
    industries: tuple[str, ...]
    industry_groups: tuple[str, ...]
    key_project: str | None
    includes: tuple[str, ...]
    penetration: Penetration | None
    note: str
    file: str


@dataclass(frozen=True, slots=True)
class Substance:
    id: str
    name: str
    name_en: str
    source: Source
    also: tuple[Source, ...]
    priority_chemical: str | None
    note: str
    file: str


@dataclass(frozen=True, slots=True)
class Substitution:
    """A toxic and hazardous substitution (有毒有害原料替代): a substitute for named substances."""

    id: str
    name: str
    source: Source
    also: tuple[Source, ...]
    field: SubstitutionField
    replaces: tuple[str, ...]
    stage: Stage
    stage_text: str
    industries: tuple[str, ...]
    technology: str | None
    note: str
    file: str


Entry = Target | Fact | KeyProject | Technology | Substance | Substitution | Industry


@dataclass(frozen=True, slots=True)
class Plans:
    """Every entry of both plans, each tuple in file order."""

    documents: tuple[Document, ...]
    industries: tuple[Industry, ...]
    targets: tuple[Target, ...]
    quantities: tuple[Target, ...]
    facts: tuple[Fact, ...]
    key_projects: tuple[KeyProject, ...]
    technologies: tuple[Technology, ...]
    substances: tuple[Substance, ...]
    substitutions: tuple[Substitution, ...]
    _by_id: dict[str, Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Entry] = {}
        for entry in self:
            by_id.setdefault(entry.id, entry)
        object.__setattr__(self, "_by_id", by_id)

    def entries(self, kind: Kind) -> tuple[Entry, ...]:
        by_kind: dict[Kind, tuple[Entry, ...]] = {
            Kind.TARGET: self.targets,
            Kind.QUANTITY: self.quantities,
            Kind.FACT: self.facts,
            Kind.KEY_PROJECT: self.key_projects,
            Kind.TECHNOLOGY: self.technologies,
            Kind.SUBSTANCE: self.substances,
            Kind.SUBSTITUTION: self.substitutions,
            Kind.INDUSTRY: self.industries,
        }
        return by_kind[kind]

    def __iter__(self) -> Iterator[Entry]:
        for kind in Kind:
            yield from self.entries(kind)

    def get(self, entry_id: str) -> Entry:
        """The entry with this id; ``KeyError`` if there is none."""
        return self._by_id[entry_id]

    def counts(self) -> dict[Kind, int]:
        return {kind: len(self.entries(kind)) for kind in Kind}

    def document(self, short: str) -> Document:
        for doc in self.documents:
            if doc.short == short:
                return doc
        raise KeyError(short)

    def technologies_of(self, key_project: str) -> tuple[Technology, ...]:
        return tuple(t for t in self.technologies if t.key_project == key_project)

    def reductions_of(self, key_project: str) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.key_project == key_project)

    def substitutions_of(self, substance: str) -> tuple[Substitution, ...]:
        return tuple(s for s in self.substitutions if substance in s.replaces)


# --------------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.message}"


class PlanDataError(CoreError, ValueError):
    """The plan data is invalid; ``problems`` lists each problem with its file and entry."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"规划数据有{len(self.problems)}处错误：\n{lines}")


# --------------------------------------------------------------------------------------------
# reading one entry
# --------------------------------------------------------------------------------------------

_MISSING: Any = object()


class _Fields:
    """Typed access to one YAML mapping, recording problems instead of raising."""

    def __init__(self, file: str, label: str, raw: Mapping[str, Any], out: list[Problem]):
        self.file, self.label, self.raw, self.out = file, label, raw, out
        self.used: set[str] = set()

    def problem(self, message: str) -> None:
        self.out.append(Problem(self.file, self.label, message))

    def get(self, key: str, required: bool) -> Any:
        self.used.add(key)
        value = self.raw.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.problem(f"缺少字段 {key}")
            return _MISSING
        return value

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.get(key, required)
        if value is _MISSING:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(f"{key} 应为非空文本：{value!r}")
            return ""
        return value.strip()

    def optional_text(self, key: str) -> str | None:
        return self.text(key, required=False) or None

    def number(self, key: str, *, required: bool = True) -> float | None:
        value = self.get(key, required)
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(f"{key} 应为数值：{value!r}")
            return None
        return float(value)

    def year(self, key: str) -> int:
        value = self.get(key, True)
        if value is _MISSING:
            return 0
        if isinstance(value, bool) or not isinstance(value, int) or not 1949 <= value <= 2100:
            self.problem(f"{key} 应为年份：{value!r}")
            return 0
        return value

    def flag(self, key: str, *, required: bool = False) -> bool:
        value = self.get(key, required)
        if value is _MISSING:
            return False
        if not isinstance(value, bool):
            self.problem(f"{key} 应为 true 或 false：{value!r}")
            return False
        return value

    def texts(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.get(key, required)
        if value is _MISSING:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.problem(f"{key} 应为文本列表：{value!r}")
            return ()
        if len(set(value)) != len(value):
            self.problem(f"{key} 有重复项：{value!r}")
        return tuple(value)

    def choice(self, key: str, enum: type[E], *, required: bool = True) -> E | None:
        value = self.get(key, required)
        if value is _MISSING:
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = "、".join(member.value for member in enum)
            self.problem(f"{key} 的值 {value!r} 不在 {allowed} 之中")
            return None

    def mapping(self, key: str, *, required: bool = True) -> _Fields | None:
        value = self.get(key, required)
        if value is _MISSING:
            return None
        if not isinstance(value, dict):
            self.problem(f"{key} 应为映射：{value!r}")
            return None
        return _Fields(self.file, f"{self.label} {key}", value, self.out)

    def source(self, key: str = "source", *, required: bool = True) -> Source:
        value = self.text(key, required=required)
        if not value:
            return Source("", "")
        try:
            return parse_source(value)
        except ValueError as exc:
            self.problem(f"{key}：{exc}")
            return Source("", "")

    def sources(self, key: str = "also") -> tuple[Source, ...]:
        result = []
        for text in self.texts(key):
            try:
                result.append(parse_source(text))
            except ValueError as exc:
                self.problem(f"{key}：{exc}")
        return tuple(result)

    def finish(self) -> None:
        unknown = sorted(set(self.raw) - self.used)
        if unknown:
            self.problem(f"未知字段 {'、'.join(map(str, unknown))}")


def _value(f: _Fields, key: str, *, required: bool, need_number: bool) -> Value | None:
    sub = f.mapping(key, required=required)
    if sub is None:
        return None
    number = sub.number("value", required=need_number)
    kind = sub.choice("kind", ValueKind) or ValueKind.LEVEL
    value = Value(number, sub.year("year"), kind, sub.optional_text("unit"))
    sub.finish()
    return value


def _target(f: _Fields, kind: Kind) -> Target:
    qualitative = f.flag("qualitative")
    metric_f = f.mapping("metric")
    metric = Metric("", "")
    if metric_f is not None:
        metric = Metric(metric_f.text("unit"), metric_f.text("definition"))
        metric_f.finish()
    target = _value(f, "target", required=True, need_number=not qualitative)
    entry = Target(
        id=f.text("id"),
        kind=kind,
        name=f.text("name"),
        source=f.source(),
        also=f.sources(),
        metric=metric,
        scope=f.choice("scope", Scope) or Scope.NATIONAL,
        industries=f.texts("industries"),
        industry_groups=f.texts("industry_groups"),
        baseline=_value(f, "baseline", required=False, need_number=True),
        target=target or Value(None, 0, ValueKind.LEVEL),
        direction=f.choice("direction", Direction) or Direction.INCREASE,
        comparison=f.choice("comparison", Comparison, required=not qualitative),
        comparison_text=f.text("comparison_text", required=False),
        approximate=f.flag("approximate"),
        additive=f.flag("additive", required=True),
        qualitative=qualitative,
        key_project=f.optional_text("key_project"),
        note=f.text("note", required=False),
        file=f.file,
    )
    if qualitative and (entry.target.value is not None or entry.comparison is not None):
        f.problem("定性目标（qualitative）不应有目标值或比较符")
    if qualitative and entry.additive:
        f.problem("定性目标不可分解（additive 应为 false）")
    return entry


def _period(f: _Fields) -> tuple[int, int]:
    period = f.get("period", True)
    if (
        isinstance(period, list)
        and len(period) == 2
        and all(isinstance(y, int) and not isinstance(y, bool) for y in period)
        and period[0] <= period[1]
    ):
        return (period[0], period[1])
    if period is not _MISSING:
        f.problem(f"period 应为 [起始年, 终止年]：{period!r}")
    return (0, 0)


def _fact(f: _Fields) -> Fact:
    return Fact(
        id=f.text("id"),
        name=f.text("name"),
        source=f.source(),
        also=f.sources(),
        value=f.number("value") or 0.0,
        unit=f.text("unit"),
        period=_period(f),
        comparison=f.choice("comparison", Comparison, required=False) or Comparison.EQ,
        approximate=f.flag("approximate"),
        comparison_text=f.text("comparison_text", required=False),
        note=f.text("note", required=False),
        file=f.file,
    )


def _key_project(f: _Fields) -> KeyProject:
    return KeyProject(
        id=f.text("id"),
        name=f.text("name"),
        source=f.source(),
        also=f.sources(),
        pollutants=f.texts("pollutants", required=True),
        industries=f.texts("industries", required=True),
        focus=f.text("focus", required=False),
        note=f.text("note", required=False),
        file=f.file,
    )


def _penetration(f: _Fields) -> Penetration | None:
    sub = f.mapping("penetration", required=False)
    if sub is None:
        return None
    value = sub.number("value")
    if value is not None and not 0 < value <= 100:
        sub.problem(f"普及率应在 (0, 100] 之间：{value}")
    result = Penetration(
        value=value or 0.0,
        year=sub.year("year"),
        comparison=sub.choice("comparison", Comparison) or Comparison.GE,
        comparison_text=sub.text("comparison_text", required=False),
    )
    sub.finish()
    return result


def _technology(f: _Fields) -> Technology:
    return Technology(
        id=f.text("id"),
        name=f.text("name"),
        source=f.source(),
        also=f.sources(),
        stage=f.choice("stage", Stage) or Stage.PROMOTION,
        stage_text=f.text("stage_text"),
        pollutants=f.texts("pollutants"),
        industries=f.texts("industries", required=True),
        industry_groups=f.texts("industry_groups"),
        key_project=f.optional_text("key_project"),
        includes=f.texts("includes"),
        penetration=_penetration(f),
        note=f.text("note", required=False),
        file=f.file,
    )


def _substance(f: _Fields) -> Substance:
    code = f.optional_text("priority_chemical")
    if code is not None and not _PRIORITY_CHEMICAL_RE.match(code):
        f.problem(f"priority_chemical 应为优先控制化学品编号 PC001…：{code!r}")
    return Substance(
        id=f.text("id"),
        name=f.text("name"),
        name_en=f.text("name_en"),
        source=f.source(),
        also=f.sources(),
        priority_chemical=code,
        note=f.text("note", required=False),
        file=f.file,
    )


def _substitution(f: _Fields) -> Substitution:
    entry = Substitution(
        id=f.text("id"),
        name=f.text("name"),
        source=f.source(),
        also=f.sources(),
        field=f.choice("field", SubstitutionField) or SubstitutionField.RAW_MATERIAL,
        replaces=f.texts("replaces", required=True),
        stage=f.choice("stage", Stage) or Stage.PROMOTION,
        stage_text=f.text("stage_text"),
        industries=f.texts("industries", required=True),
        technology=f.optional_text("technology"),
        note=f.text("note", required=False),
        file=f.file,
    )
    if not entry.replaces and not entry.note:
        f.problem("replaces 为空时应在 note 中说明原文未列出被替代物质")
    return entry


def _industry(f: _Fields) -> Industry:
    codes = f.texts("codes", required=True)
    for code in codes:
        try:
            validate_industry_code(code)
        except InvalidCode as exc:
            f.problem(str(exc))
            continue
        if not code.isdigit() or not 1 <= int(code[:2]) <= 97:
            f.problem(f"行业代码 {code} 不在 GB/T 4754-2017 的01—97大类之下")
    if not codes:
        f.problem("codes 不能为空")
    return Industry(
        id=f.text("id"),
        name=f.text("name"),
        codes=codes,
        source=f.source(),
        note=f.text("note", required=False),
        file=f.file,
    )


_READERS: dict[Kind, Callable[[_Fields], Entry]] = {
    Kind.TARGET: lambda f: _target(f, Kind.TARGET),
    Kind.QUANTITY: lambda f: _target(f, Kind.QUANTITY),
    Kind.FACT: _fact,
    Kind.KEY_PROJECT: _key_project,
    Kind.TECHNOLOGY: _technology,
    Kind.SUBSTANCE: _substance,
    Kind.SUBSTITUTION: _substitution,
    Kind.INDUSTRY: _industry,
}


def _document(file: str, raw: Any, out: list[Problem]) -> Document | None:
    if not isinstance(raw, dict):
        out.append(Problem(file, "document", "document 应为映射"))
        return None
    f = _Fields(file, "document", raw, out)
    start, end = _period(f)
    doc = Document(
        id=f.text("id"),
        short=f.text("short"),
        title=f.text("title"),
        issuers=f.texts("issuers", required=True),
        start_year=start,
        end_year=end,
        seed=f.text("seed", required=False),
        file=file,
    )
    f.finish()
    return doc


# --------------------------------------------------------------------------------------------
# parsing and cross-checking a set of files
# --------------------------------------------------------------------------------------------


def parse_plans(files: Mapping[str, str], known_groups: Collection[str]) -> Plans:
    """Parse and validate plan files given as ``{file name: YAML text}``.

    ``known_groups`` are the industry-group slugs entries may refer to. Raises
    :class:`PlanDataError` listing every problem found, each naming its file and entry.
    """
    out: list[Problem] = []
    documents: list[Document] = []
    entries: dict[Kind, list[Entry]] = {kind: [] for kind in Kind}
    labels: dict[str, tuple[str, str]] = {}  # id -> (file, label) of its first definition

    parsed: dict[str, dict[str, Any]] = {}
    for file in sorted(files):
        try:
            data = yaml.safe_load(files[file])
        except yaml.YAMLError as exc:
            message = " ".join(str(exc).split())
            out.append(Problem(file, "-", f"YAML 语法错误：{message}"))
            continue
        if not isinstance(data, dict):
            out.append(Problem(file, "-", "文件顶层应为映射"))
            continue
        parsed[file] = data

    for file, data in sorted(parsed.items(), key=_file_order):
        if data.get("schema_version") != SCHEMA_VERSION:
            out.append(
                Problem(
                    file, "schema_version", f"应为 {SCHEMA_VERSION}：{data.get('schema_version')!r}"
                )
            )
        for key, items in data.items():
            if key == "schema_version":
                continue
            if key == "document":
                doc = _document(file, items, out)
                if doc is not None:
                    documents.append(doc)
                continue
            try:
                kind = Kind(key)
            except ValueError:
                allowed = "、".join(k.value for k in Kind)
                out.append(Problem(file, str(key), f"未知种类 {key!r}（应为 {allowed} 之一）"))
                continue
            if not isinstance(items, list):
                out.append(Problem(file, kind.value, "应为条目列表"))
                continue
            for index, raw in enumerate(items):
                label = f"{kind.value}[{index}]"
                if not isinstance(raw, dict):
                    out.append(Problem(file, label, "条目应为映射"))
                    continue
                raw_id = raw.get("id")
                if isinstance(raw_id, str):
                    label = f"{label} {raw_id}"
                f = _Fields(file, label, raw, out)
                entry = _READERS[kind](f)
                f.finish()
                if entry.id and not _SLUG_RE.match(entry.id):
                    f.problem(f"id 应为小写字母、数字和连字符：{entry.id!r}")
                if entry.id in labels:
                    first_file, first_label = labels[entry.id]
                    f.problem(f"id 重复：已在 {first_file} {first_label} 中定义")
                elif entry.id:
                    labels[entry.id] = (file, label)
                entries[kind].append(entry)

    plans = Plans(
        documents=tuple(documents),
        industries=tuple(_typed(entries[Kind.INDUSTRY], Industry)),
        targets=tuple(_typed(entries[Kind.TARGET], Target)),
        quantities=tuple(_typed(entries[Kind.QUANTITY], Target)),
        facts=tuple(_typed(entries[Kind.FACT], Fact)),
        key_projects=tuple(_typed(entries[Kind.KEY_PROJECT], KeyProject)),
        technologies=tuple(_typed(entries[Kind.TECHNOLOGY], Technology)),
        substances=tuple(_typed(entries[Kind.SUBSTANCE], Substance)),
        substitutions=tuple(_typed(entries[Kind.SUBSTITUTION], Substitution)),
    )
    _cross_check(plans, labels, frozenset(known_groups), out)
    if out:
        raise PlanDataError(out)
    return plans


def _file_order(item: tuple[str, dict[str, Any]]) -> tuple[int, str]:
    """Plans in the order of their periods, then files without a document (the catalogue)."""
    file, data = item
    document = data.get("document")
    period = document.get("period") if isinstance(document, dict) else None
    if isinstance(period, list) and period and isinstance(period[0], int):
        return (period[0], file)
    return (9999, file)


def _typed(items: Sequence[Entry], cls: type[T]) -> list[T]:
    return [item for item in items if isinstance(item, cls)]


def _cross_check(
    plans: Plans,
    labels: Mapping[str, tuple[str, str]],
    groups: frozenset[str],
    out: list[Problem],
) -> None:
    documents: dict[str, Document] = {}
    for doc in plans.documents:
        if doc.short in documents:
            first = documents[doc.short].file
            out.append(Problem(doc.file, "document", f"short {doc.short!r} 已在 {first} 中声明"))
        documents.setdefault(doc.short, doc)
    ids: dict[Kind, set[str]] = {kind: {e.id for e in plans.entries(kind)} for kind in Kind}

    def problem(entry: Entry, message: str) -> None:
        file, label = labels.get(entry.id, (entry.file, entry.id))
        out.append(Problem(file, label, message))

    def refs(entry: Entry, field: str, values: Sequence[str], kind: Kind) -> None:
        for value in values:
            if value not in ids[kind]:
                problem(entry, f"{field} 引用了不存在的{kind.value}条目 {value!r}")

    for entry in plans:
        for src in (entry.source, *getattr(entry, "also", ())):
            if src.document and src.document not in documents:
                problem(entry, f"出处 {src} 指向未知文件 {src.document!r}")
        industries = getattr(entry, "industries", ())
        if not isinstance(entry, Industry):
            refs(entry, "industries", industries, Kind.INDUSTRY)
        for group in getattr(entry, "industry_groups", ()):
            if group not in groups:
                problem(entry, f"industry_groups 引用了不存在的行业组 {group!r}")
        for pollutant in getattr(entry, "pollutants", ()):
            if pollutant not in POLLUTANTS:
                problem(entry, f"未知污染物 {pollutant!r}")
        project = getattr(entry, "key_project", None)
        if project is not None:
            refs(entry, "key_project", [project], Kind.KEY_PROJECT)

    for target in (*plans.targets, *plans.quantities):
        _check_target(target, documents, problem)
    projects = {k.id: k for k in plans.key_projects}
    for tech in plans.technologies:
        if tech.penetration is not None:
            _check_year(tech, tech.penetration.year, documents, problem)
        project = projects.get(tech.key_project or "")
        if project is not None:
            stray = sorted(set(tech.industries) - set(project.industries))
            if stray:
                problem(tech, f"行业 {'、'.join(stray)} 不属于重点工程 {project.id}")
            if tech.penetration is None:
                problem(tech, f"重点工程 {project.id} 的技术应有普及率目标（penetration）")
    for sub in plans.substitutions:
        refs(sub, "replaces", sub.replaces, Kind.SUBSTANCE)
        if sub.technology is not None:
            refs(sub, "technology", [sub.technology], Kind.TECHNOLOGY)
    for project in plans.key_projects:
        if not plans.technologies_of(project.id):
            problem(project, "重点工程没有任何技术条目")


def _check_year(
    entry: Entry,
    year: int,
    documents: Mapping[str, Document],
    problem: Callable[[Entry, str], None],
) -> None:
    doc = documents.get(entry.source.document)
    if doc is not None and year and not doc.start_year <= year <= doc.end_year:
        problem(
            entry, f"目标年份 {year} 不在 {doc.short} 的规划期 {doc.start_year}—{doc.end_year} 内"
        )


def _check_target(
    target: Target, documents: Mapping[str, Document], problem: Callable[[Entry, str], None]
) -> None:
    _check_year(target, target.target.year, documents, problem)
    if target.baseline is not None and target.baseline.year >= target.target.year:
        problem(target, f"基期 {target.baseline.year} 应早于目标年 {target.target.year}")
    wrong = {
        Direction.INCREASE: {Comparison.LE, Comparison.LT},
        Direction.DECREASE: {Comparison.GE, Comparison.GT},
    }[target.direction]
    if target.comparison in wrong:
        problem(target, f"方向 {target.direction} 与比较符 {target.comparison} 矛盾")
    if target.approximate and target.comparison is not Comparison.EQ:
        problem(target, "约数（approximate）只能与比较符 = 一起使用")
    if target.scope is Scope.INDUSTRY and not (target.industries or target.industry_groups):
        problem(target, "行业范围的目标应列出 industries 或 industry_groups")


# --------------------------------------------------------------------------------------------
# the shipped data
# --------------------------------------------------------------------------------------------


def shipped_files() -> dict[str, str]:
    """The plan data files shipped in :mod:`cleanprod.data.plans`, by file name."""
    root = resources.files(DATA_PACKAGE)
    return {
        item.name: item.read_text("utf-8")
        for item in root.iterdir()
        if item.is_file() and item.name.endswith(".yaml")
    }


def shipped_group_slugs() -> frozenset[str]:
    """Slugs of the industry groups defined in ``cleanprod/industries/data/groups.yaml``."""
    text = resources.files("cleanprod").joinpath(*GROUPS_RESOURCE).read_text("utf-8")
    groups = yaml.safe_load(text)
    return frozenset(str(g["slug"]) for g in groups if isinstance(g, dict) and "slug" in g)


@cache
def load_plans() -> Plans:
    """Load and validate the shipped plan data (cached; the data is immutable)."""
    return parse_plans(shipped_files(), shipped_group_slugs())


# --------------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------------


def fmt_number(value: float | None) -> str:
    """``65.0`` → ``65``, ``0.2`` → ``0.2``, ``None`` → ``—``."""
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else repr(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or " "


def _sources(entry: Entry) -> str:
    return "; ".join(str(s) for s in (entry.source, *getattr(entry, "also", ())))


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _value_text(value: Value | None, unit: str) -> str:
    if value is None:
        return "—"
    if value.value is None:
        return f"（定性） {value.year}"
    return f"{fmt_number(value.value)} {value.unit or unit} ({value.year}, {value.kind})"


def _target_rows(targets: Sequence[Target]) -> list[list[str]]:
    rows = []
    for t in targets:
        scope = "、".join([*t.industries, *t.industry_groups]) or str(t.scope)
        comparison = "定性" if t.comparison is None else str(t.comparison)
        if t.approximate:
            comparison += "（约）"
        if t.comparison_text:
            comparison += f"（{t.comparison_text}）"
        rows.append(
            [
                f"`{t.id}`",
                t.name,
                f"{t.metric.unit}：{t.metric.definition}",
                scope,
                _value_text(t.baseline, t.metric.unit),
                _value_text(t.target, t.metric.unit),
                f"{t.direction} {comparison}",
                "是" if t.additive else "否",
                f"`{t.key_project}`" if t.key_project else "",
                _sources(t),
            ]
        )
    return rows


def render_markdown(plans: Plans | None = None) -> str:
    """The text of ``docs/plans.md``: a table per kind with every entry and its source."""
    p = load_plans() if plans is None else plans
    lines = [
        "# The plans as data",
        "",
        "<!-- Generated by `python -m cleanprod.core.plans --markdown > docs/plans.md`;"
        " do not edit. -->",
        "",
        "Every target, quantity, key project, technology, toxic substitution, substance and",
        "status-quo figure of the two plans, as encoded in `cleanprod/data/plans/*.yaml` and",
        "checked by `cleanprod.core.plans`. Each row gives its source in the document.",
        "",
    ]
    lines += _table(
        ["文件", "标题", "发布部门", "规划期", "数据文件"],
        [
            [
                d.short,
                d.title,
                "、".join(d.issuers),
                f"{d.start_year}—{d.end_year}",
                f"`{d.file}`",
            ]
            for d in p.documents
        ],
    )
    lines += _table(
        ["kind", *[d.short for d in p.documents], "总计"],
        [
            [
                k.value,
                *[
                    str(sum(1 for e in p.entries(k) if e.source.document == d.short))
                    for d in p.documents
                ],
                str(len(p.entries(k))),
            ]
            for k in Kind
        ],
    )
    lines += [
        "## Conventions",
        "",
        "* **Direction and comparison.** `increase ≥ 50` means the target is met when the value",
        "  is at least 50. The wording the comparison was read from is in brackets; a bare value",
        "  in the text is read as “at least”. `（约）` marks “左右”.",
        "* **Value kinds.** `level` is a rate or stock at the year; `annual` an amount per year;",
        "  `cumulative_2003_2010` the bracketed values of 十二五 表1's 2010 column (注：[]表示",
        "  2003-2010年累计数); bracketed cells of the 2015 column are read as cumulative since",
        "  2003 (`cumulative_2003_2015`) or over the plan period (`cumulative_2011_2015`);",
        "  `change_vs_2020` is a percent change of a national total against 2020.",
        "* **Additive.** 是 when provincial (or other) parts of the national value sum to it,",
        "  so that `cleanprod.core.progress.check_decomposition` applies (十二五 §六 asks the",
        "  provinces to decompose the targets, 目标分解, and make annual plans).",
        "* **Qualitative** targets (定性) have a direction but no value; progress is not computed.",
        "* **Technologies of key projects.** One row per penetration-rate target (技术普及率)",
        "  of 十二五 §四; technologies that share one rate are listed as “includes”.",
        "* **Industries** are GB/T 4754-2017 codes; groups (`twelfth-major-pollutant` …) are",
        "  defined in `cleanprod/industries/data/groups.yaml`.",
        "",
        "## Targets",
        "",
    ]
    target_header = [
        "id",
        "名称",
        "指标",
        "范围",
        "基期",
        "目标",
        "方向",
        "可分解",
        "重点工程",
        "出处",
    ]
    lines += _table(target_header, _target_rows(p.targets))
    lines += ["## Quantities", ""]
    lines += _table(target_header, _target_rows(p.quantities))
    lines += ["## Key projects", ""]
    lines += _table(
        ["id", "名称", "污染物", "行业", "削减量", "技术数", "重点", "出处"],
        [
            [
                f"`{k.id}`",
                k.name,
                "、".join(k.pollutants),
                "、".join(k.industries),
                "；".join(
                    f"{r.name} {fmt_number(r.target.value)} {r.metric.unit}"
                    for r in p.reductions_of(k.id)
                ),
                str(len(p.technologies_of(k.id))),
                k.focus,
                _sources(k),
            ]
            for k in p.key_projects
        ],
    )
    lines += ["## Technologies", ""]
    lines += _table(
        ["id", "名称", "阶段", "行业", "污染物", "重点工程", "普及率目标", "包括", "出处"],
        [
            [
                f"`{t.id}`",
                t.name,
                f"{t.stage}（{t.stage_text}）",
                "、".join([*t.industries, *t.industry_groups]),
                "、".join(t.pollutants),
                f"`{t.key_project}`" if t.key_project else "",
                (
                    f"{t.penetration.comparison} {fmt_number(t.penetration.value)}%"
                    f" ({t.penetration.year})"
                    if t.penetration
                    else ""
                ),
                "、".join(t.includes),
                _sources(t),
            ]
            for t in p.technologies
        ],
    )
    lines += ["## Toxic and hazardous substitutions", ""]
    lines += _table(
        ["id", "名称", "领域", "替代对象", "阶段", "行业", "技术", "出处"],
        [
            [
                f"`{s.id}`",
                s.name,
                str(s.field),
                "、".join(s.replaces) or "（原文未列出）",
                f"{s.stage}（{s.stage_text}）",
                "、".join(s.industries),
                f"`{s.technology}`" if s.technology else "",
                _sources(s),
            ]
            for s in p.substitutions
        ],
    )
    lines += ["## Substances", ""]
    lines += _table(
        ["id", "名称", "English", "优先控制化学品", "替代条目数", "出处"],
        [
            [
                f"`{s.id}`",
                s.name,
                s.name_en,
                s.priority_chemical or "",
                str(len(p.substitutions_of(s.id))),
                _sources(s),
            ]
            for s in p.substances
        ],
    )
    lines += ["## Facts (status quo)", ""]
    lines += _table(
        ["id", "名称", "数值", "期间", "出处"],
        [
            [
                f"`{f.id}`",
                f.name,
                f"{'' if f.comparison is Comparison.EQ else f.comparison}"
                f"{'约' if f.approximate else ''}{fmt_number(f.value)} {f.unit}",
                f"{f.period[0]}—{f.period[1]}" if f.period[0] != f.period[1] else str(f.period[0]),
                _sources(f),
            ]
            for f in p.facts
        ],
    )
    lines += ["## Industries", ""]
    lines += _table(
        ["id", "名称", "GB/T 4754-2017", "说明", "首次出现"],
        [[f"`{i.id}`", i.name, "、".join(i.codes), i.note, _sources(i)] for i in p.industries],
    )
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cleanprod.core.plans",
        description="Validate the plan data; with --markdown, print docs/plans.md.",
    )
    parser.add_argument("--markdown", action="store_true", help="print docs/plans.md to stdout")
    args = parser.parse_args(argv)
    try:
        plans = load_plans()
    except PlanDataError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    if args.markdown:
        sys.stdout.buffer.write(render_markdown(plans).encode("utf-8"))
    else:
        counts = "，".join(f"{kind.value} {n}" for kind, n in plans.counts().items())
        sys.stdout.buffer.write(f"规划数据有效：{counts}\n".encode())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
