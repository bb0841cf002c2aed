"""The rules of cleaner-production audits as data: triggers, deadlines, re-audit cycles.

The rules live in ``cleanprod/data/audit_rules/national.yaml``; every rule cites the document
and section it comes from (the seeds' 十四五 and 十二五 plans, or external law such as the
《清洁生产审核办法》 decree, marked as such). A province may override individual rules or add its
own; :func:`merge_rule_sets` returns the effective rule set in which every rule records where
it came from. Every result (a trigger, a deadline, a next audit) carries the :class:`Rule` that
produced it, so the platform can always say why.

Periods are calendar months counted with :func:`cleanprod.core.calendar.add_months`: the due
date is the same day of the month the period ends in, or that month's last day when it has no
such day (the counting rule of 民法典 第二百零二条). A deadline whose last day is a 法定休假日
moves to the next working day (第二百零三条, :mod:`cleanprod.core.legal_calendar`); a
:class:`Deadline` keeps both dates.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from cleanprod.core.calendar import add_months
from cleanprod.core.errors import CoreError
from cleanprod.core.legal_calendar import LegalDate, explain

__all__ = [
    "HEAVY_METALS",
    "Anchor",
    "AuditRulesError",
    "Deadline",
    "Document",
    "DocumentKind",
    "EmissionExceedance",
    "EnergyExceedance",
    "EnterpriseFacts",
    "ExceedanceKind",
    "FactError",
    "Group",
    "NextAudit",
    "PriorityChemical",
    "PriorityChemicalList",
    "ProvincialOverride",
    "Rule",
    "RuleKind",
    "RuleSet",
    "RuleValidationError",
    "SourceRef",
    "Substance",
    "SubstanceClass",
    "SubstanceRole",
    "Trigger",
    "TriggerAssessment",
    "TriggerFinding",
    "assess_triggers",
    "compute_deadlines",
    "deadline",
    "load_national_rules",
    "load_priority_chemicals",
    "merge_rule_sets",
    "next_audit_due",
    "parse_override",
    "parse_priority_chemicals",
    "parse_rule_set",
    "undefined_groups",
]

NATIONAL = "national"


class AuditRulesError(CoreError, ValueError):
    """Base class of the audit-rule errors."""


class RuleValidationError(AuditRulesError):
    """A rule file is invalid. ``problems`` lists each problem, prefixed with file and rule id."""

    def __init__(self, filename: str, problems: Sequence[str]) -> None:
        self.filename = filename
        self.problems = tuple(problems)
        super().__init__(f"{filename}：规则文件有误：\n" + "\n".join(f"- {p}" for p in problems))


class FactError(AuditRulesError):
    """An enterprise fact is unusable (no evidence, a limit that is not a number, ...)."""


class Trigger(StrEnum):
    """Why an enterprise must audit (强制性审核)."""

    OVER_EMISSION = "over_emission"  # 双超
    OVER_ENERGY = "over_energy"  # 超过单位产品能耗限额
    TOXIC = "toxic"  # 双有


class SubstanceClass(StrEnum):
    """Kinds of toxic and hazardous substances (审核办法 第八条 lists five; the 十四五 plan adds
    the priority-controlled chemicals)."""

    PRIORITY_CHEMICAL = "priority_chemical"
    HEAVY_METAL = "heavy_metal"
    POP = "pop"
    HAZARDOUS_WASTE = "hazardous_waste"
    HIGHLY_TOXIC = "highly_toxic"
    OTHER_TOXIC = "other_toxic"


class RuleKind(StrEnum):
    """What a rule decides."""

    TRIGGER = "trigger"
    DEADLINE = "deadline"
    CYCLE = "cycle"


class Anchor(StrEnum):
    """The event a deadline is counted from."""

    ROSTER_PUBLISHED = "roster_published"  # 名单公布
    EVALUATION_PASSED = "evaluation_passed"  # 通过评估


class DocumentKind(StrEnum):
    """What kind of document a rule cites (see the header of ``national.yaml``)."""

    SEED = "seed"
    EXTERNAL_LAW = "external_law"
    EXTERNAL_GUIDANCE = "external_guidance"
    REFERENCE = "reference"
    PROVINCIAL = "provincial"


# 铅、汞、镉、铬 and the metalloid 砷 (审核办法 第八条 第三类; 十二五 §三(三)).
HEAVY_METALS: Mapping[str, str] = MappingProxyType(
    {"Pb": "铅", "Hg": "汞", "Cd": "镉", "Cr": "铬", "As": "砷"}
)


@dataclass(frozen=True)
class Document:
    """A document rules cite, with what kind of pointer it is."""

    key: str
    title: str
    issuer: str
    kind: DocumentKind
    verified: bool
    note: str = ""


@dataclass(frozen=True)
class SourceRef:
    """One pointer from a rule to a section of a document, e.g. ``十二五 §二(三)``."""

    document: Document
    section: str
    note: str = ""

    def __str__(self) -> str:
        return f"{self.document.key} {self.section}"


@dataclass(frozen=True)
class Group:
    """An industry group (slug such as ``twelfth-heavy-metal``) with its source."""

    slug: str
    name: str
    members: str
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class Rule:
    """One rule with its sources and origin (``national`` or ``province:<code> <name>``).

    Kind-specific fields: ``trigger`` and ``substance_class`` for triggers; ``event``,
    ``anchor`` and ``months`` for deadlines; ``months`` (the interval), ``groups`` and
    ``triggers`` (what it applies to) for cycles.
    """

    id: str
    kind: RuleKind
    text: str
    sources: tuple[SourceRef, ...]
    origin: str
    origin_version: str
    trigger: Trigger | None = None
    substance_class: SubstanceClass | None = None
    event: str | None = None
    anchor: Anchor | None = None
    months: int | None = None
    groups: tuple[str, ...] = ()
    triggers: tuple[Trigger, ...] = ()

    @property
    def source_text(self) -> str:
        """The sources joined for display, e.g. ``审核办法 第十一条；十四五 §六(十六)``."""
        return "；".join(str(s) for s in self.sources)


@dataclass(frozen=True)
class RuleSet:
    """A versioned set of rules, national or effective (national merged with a province)."""

    version: str
    jurisdiction: str
    documents: Mapping[str, Document]
    groups: Mapping[str, Group]
    rules: tuple[Rule, ...]
    _index: Mapping[str, Rule] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", MappingProxyType({r.id: r for r in self.rules}))

    def get(self, rule_id: str) -> Rule:
        """Return rule ``rule_id``; raises :class:`AuditRulesError` if there is none."""
        try:
            return self._index[rule_id]
        except KeyError:
            raise AuditRulesError(f"规则集 {self.version} 中没有规则 {rule_id}") from None

    def of_kind(self, kind: RuleKind) -> tuple[Rule, ...]:
        """The rules of ``kind``, in file order."""
        return tuple(r for r in self.rules if r.kind is kind)


@dataclass(frozen=True)
class ProvincialOverride:
    """A province's changes to the national rules, parsed from its file."""

    filename: str
    province: str  # administrative division code, e.g. 440000
    name: str
    version: str
    base_version: str | None
    documents: Mapping[str, Document]
    entries: tuple[Mapping[str, Any], ...]  # raw rule mappings; validated by merge_rule_sets


# --- parsing and validation ------------------------------------------------------------------

_COMMON_KEYS = {"id", "kind", "text", "sources"}
_KIND_KEYS = {
    RuleKind.TRIGGER: _COMMON_KEYS | {"trigger", "substance_class"},
    RuleKind.DEADLINE: _COMMON_KEYS | {"event", "anchor", "months"},
    RuleKind.CYCLE: _COMMON_KEYS | {"interval_months", "applies_to"},
}


def _documents(raw: Any, where: str, problems: list[str]) -> dict[str, Document]:
    docs: dict[str, Document] = {}
    if not isinstance(raw, Mapping):
        problems.append(f"{where}：documents 应为映射")
        return docs
    for key, d in raw.items():
        if not isinstance(d, Mapping) or not d.get("title"):
            problems.append(f"文献 {key}：缺少 title")
            continue
        try:
            kind = DocumentKind(str(d.get("kind")))
        except ValueError:
            problems.append(f"文献 {key}：kind “{d.get('kind')}” 应为 {_choices(DocumentKind)}")
            continue
        verified = d.get("verified")
        if not isinstance(verified, bool):
            problems.append(f"文献 {key}：verified 应为 true 或 false")
            continue
        docs[str(key)] = Document(
            str(key),
            str(d["title"]),
            str(d.get("issuer", "")),
            kind,
            verified,
            str(d.get("note", "")),
        )
    return docs


def _choices(enum: type[StrEnum]) -> str:
    return "、".join(m.value for m in enum)


def _sources(
    raw: Any, docs: Mapping[str, Document], who: str, problems: list[str]
) -> tuple[SourceRef, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"{who}：至少需要一个出处 sources")
        return ()
    refs: list[SourceRef] = []
    for s in raw:
        if not isinstance(s, Mapping) or not s.get("doc") or not s.get("section"):
            problems.append(f"{who}：出处应写成 {{doc: 文献, section: 章节}}：{s!r}")
            continue
        doc = docs.get(str(s["doc"]))
        if doc is None:
            problems.append(f"{who}：出处引用了未在 documents 中列出的文献 “{s['doc']}”")
            continue
        refs.append(SourceRef(doc, str(s["section"]), str(s.get("note", ""))))
    return tuple(refs)


def _enum_field(enum: type[StrEnum], value: Any, name: str, who: str, problems: list[str]) -> Any:
    try:
        return enum(value)
    except ValueError:
        problems.append(f"{who}：{name} “{value}” 应为 {_choices(enum)}")
        return None


def _positive_months(value: Any, name: str, who: str, problems: list[str]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        problems.append(f"{who}：{name} 应为正整数（月数），实际为 {value!r}")
        return None
    return value


def _rule(
    raw: Mapping[str, Any],
    docs: Mapping[str, Document],
    groups: Mapping[str, Group],
    origin: str,
    origin_version: str,
    problems: list[str],
) -> Rule | None:
    rid = raw.get("id")
    if not isinstance(rid, str) or not rid:
        problems.append(f"规则缺少 id：{dict(raw)!r}")
        return None
    who = f"规则 {rid}"
    before = len(problems)
    kind = _enum_field(RuleKind, raw.get("kind"), "kind", who, problems)
    unknown = set(raw) - _KIND_KEYS.get(kind, _COMMON_KEYS)
    if unknown:
        problems.append(
            f"{who}：{kind or '该'}类规则没有字段 {', '.join(sorted(map(str, unknown)))}"
        )
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{who}：缺少规则原文 text")
    sources = _sources(raw.get("sources"), docs, who, problems)
    rule: Rule | None = None
    if kind is RuleKind.TRIGGER:
        trig = _enum_field(Trigger, raw.get("trigger"), "trigger", who, problems)
        cls = None
        if trig is Trigger.TOXIC:
            cls = _enum_field(
                SubstanceClass, raw.get("substance_class"), "substance_class", who, problems
            )
        elif "substance_class" in raw:
            problems.append(f"{who}：只有 toxic 触发条件才有 substance_class")
        rule = Rule(rid, kind, str(text), sources, origin, origin_version, trig, cls)
    elif kind is RuleKind.DEADLINE:
        event = raw.get("event")
        if not isinstance(event, str) or not event:
            problems.append(f"{who}：期限规则缺少 event")
        anchor = _enum_field(Anchor, raw.get("anchor"), "anchor", who, problems)
        months = _positive_months(raw.get("months"), "months", who, problems)
        rule = Rule(
            rid,
            kind,
            str(text),
            sources,
            origin,
            origin_version,
            event=str(event),
            anchor=anchor,
            months=months,
        )
    elif kind is RuleKind.CYCLE:
        months = _positive_months(raw.get("interval_months"), "interval_months", who, problems)
        applies = raw.get("applies_to")
        if not isinstance(applies, Mapping) or not (
            applies.get("groups") or applies.get("triggers")
        ):
            problems.append(f"{who}：周期规则需要 applies_to 的 groups 或 triggers")
            applies = {}
        group_slugs = tuple(str(g) for g in applies.get("groups") or ())
        for g in group_slugs:
            if g not in groups:
                problems.append(f"{who}：applies_to 引用了未定义的行业组 “{g}”")
        trigs = tuple(
            _enum_field(Trigger, t, "applies_to.triggers", who, problems)
            for t in applies.get("triggers") or ()
        )
        rule = Rule(
            rid,
            kind,
            str(text),
            sources,
            origin,
            origin_version,
            months=months,
            groups=group_slugs,
            triggers=tuple(t for t in trigs if t),
        )
    return rule if len(problems) == before else None


def _groups(raw: Any, docs: Mapping[str, Document], problems: list[str]) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    for slug, g in (raw or {}).items():
        if not isinstance(g, Mapping) or not g.get("name"):
            problems.append(f"行业组 {slug}：缺少 name")
            continue
        refs = _sources(g.get("sources"), docs, f"行业组 {slug}", problems)
        groups[str(slug)] = Group(str(slug), str(g["name"]), str(g.get("members", "")), refs)
    return groups


def _required_triggers_present(rules: Iterable[Rule], problems: list[str]) -> None:
    have = {(r.trigger, r.substance_class) for r in rules if r.kind is RuleKind.TRIGGER}
    needed: list[tuple[Trigger, SubstanceClass | None]] = [
        (Trigger.OVER_EMISSION, None),
        (Trigger.OVER_ENERGY, None),
    ]
    needed += [(Trigger.TOXIC, c) for c in SubstanceClass]
    for trig, cls in needed:
        if (trig, cls) not in have:
            what = trig.value + (f" / {cls.value}" if cls else "")
            problems.append(f"缺少触发条件规则：{what}")


def parse_rule_set(data: Any, filename: str) -> RuleSet:
    """Validate a parsed national rule file and return its :class:`RuleSet`.

    Raises :class:`RuleValidationError` listing every problem, each naming the rule id.
    """
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise RuleValidationError(filename, ["文件内容应为映射（version、documents、rules）"])
    version = data.get("version")
    if not isinstance(version, str) or not version:
        problems.append("缺少版本号 version")
    docs = _documents(data.get("documents"), filename, problems)
    groups = _groups(data.get("groups"), docs, problems)
    raw_rules = data.get("rules")
    rules: list[Rule] = []
    seen: set[str] = set()
    if not isinstance(raw_rules, list) or not raw_rules:
        problems.append("rules 应为非空列表")
        raw_rules = []
    for raw in raw_rules:
        if not isinstance(raw, Mapping):
            problems.append(f"规则应为映射：{raw!r}")
            continue
        if raw.get("id") in seen:
            problems.append(f"规则 {raw.get('id')}：id 重复")
            continue
        seen.add(str(raw.get("id")))
        rule = _rule(raw, docs, groups, NATIONAL, str(version), problems)
        if rule is not None:
            rules.append(rule)
    _required_triggers_present(rules, problems)
    if problems:
        raise RuleValidationError(filename, problems)
    return RuleSet(
        str(version), NATIONAL, MappingProxyType(docs), MappingProxyType(groups), tuple(rules)
    )


def parse_override(data: Any, filename: str) -> ProvincialOverride:
    """Read a provincial override file; its rules are checked by :func:`merge_rule_sets`.

    The file has ``province`` (six-digit division code), ``name``, ``version``, optional
    ``base_version`` (the national version it was written against), ``documents`` (the
    province's own documents, kind ``provincial``) and ``rules``: each either an existing
    national rule id with the fields it changes and its own ``sources``, or a new rule in full.
    """
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise RuleValidationError(filename, ["文件内容应为映射（province、version、rules）"])
    province = str(data.get("province", ""))
    if not (len(province) == 6 and province.isdigit() and province.endswith("0000")):
        problems.append(f"province 应为省级行政区划代码（如 440000），实际为 {province!r}")
    for key in ("name", "version"):
        if not isinstance(data.get(key), str) or not data.get(key):
            problems.append(f"缺少 {key}")
    docs = _documents(data.get("documents") or {}, filename, problems)
    entries = data.get("rules")
    if not isinstance(entries, list) or not entries:
        problems.append("rules 应为非空列表")
        entries = []
    ids = [e.get("id") for e in entries if isinstance(e, Mapping)]
    if len(ids) != len(entries):
        problems.append("每条规则都应为含 id 的映射")
    for rid in {i for i in ids if ids.count(i) > 1}:
        problems.append(f"规则 {rid}：id 重复")
    if problems:
        raise RuleValidationError(filename, problems)
    base = data.get("base_version")
    return ProvincialOverride(
        filename,
        province,
        str(data["name"]),
        str(data["version"]),
        None if base is None else str(base),
        MappingProxyType(docs),
        tuple(entries),
    )


def merge_rule_sets(national: RuleSet, override: ProvincialOverride | None = None) -> RuleSet:
    """Return the effective rule set: ``national`` with ``override``'s changes applied.

    An overridden rule keeps its id and kind, takes the province's fields, text and sources, and
    records ``origin = "province:<code> <name>"``; untouched rules keep ``origin = "national"``.
    A new rule id needs a full rule. Pure: neither input changes.
    Raises :class:`RuleValidationError` naming the override's file and the rule id.
    """
    if override is None:
        return national
    problems: list[str] = []
    if override.base_version is not None and override.base_version != national.version:
        problems.append(
            f"该省级规则基于全国规则 {override.base_version} 编写，当前全国规则为 "
            f"{national.version}：请核对后更新 base_version"
        )
    clash = set(override.documents) & set(national.documents)
    for key in sorted(clash):
        problems.append(f"文献 {key}：与全国规则中的文献同名，请换一个键")
    docs = {**national.documents, **override.documents}
    origin = f"province:{override.province} {override.name}"
    by_id = {r.id: r for r in national.rules}
    for entry in override.entries:
        rid = str(entry["id"])
        base = by_id.get(rid)
        if base is None:
            if "kind" not in entry:
                problems.append(
                    f"规则 {rid}：全国规则中没有此 id；新增规则须写明 kind 等全部字段"
                    "（若想覆盖全国规则，请检查 id 拼写）"
                )
                continue
            rule = _rule(entry, docs, national.groups, origin, override.version, problems)
        else:
            if "kind" in entry and entry["kind"] != base.kind.value:
                problems.append(f"规则 {rid}：覆盖时不能改变 kind（全国规则为 {base.kind.value}）")
                continue
            # The province's own wording and document: the national text would contradict a
            # changed period ("两个月内" over 3 months).
            missing = [k for k in ("text", "sources") if k not in entry]
            if missing:
                problems.append(
                    f"规则 {rid}：省级覆盖必须给出本省的规则原文和出处（缺少 {'、'.join(missing)}）"
                )
                continue
            rule = _rule(
                {**_raw(base), **entry},
                docs,
                national.groups,
                origin,
                override.version,
                problems,
            )
        if rule is not None:
            by_id[rid] = rule
    if problems:
        raise RuleValidationError(override.filename, problems)
    return RuleSet(
        f"{national.version}+{override.province}:{override.version}",
        origin,
        MappingProxyType(docs),
        national.groups,
        tuple(by_id.values()),
    )


def _raw(rule: Rule) -> dict[str, Any]:
    """A rule back in file form, so an override can replace some fields and keep the rest."""
    raw: dict[str, Any] = {"id": rule.id, "kind": rule.kind.value, "text": rule.text}
    if rule.kind is RuleKind.TRIGGER:
        raw["trigger"] = rule.trigger
        if rule.substance_class is not None:
            raw["substance_class"] = rule.substance_class
    elif rule.kind is RuleKind.DEADLINE:
        raw.update(event=rule.event, anchor=rule.anchor, months=rule.months)
    else:
        raw["interval_months"] = rule.months
        raw["applies_to"] = {"groups": list(rule.groups), "triggers": list(rule.triggers)}
    return raw


def _load_yaml(package: str, name: str) -> Any:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleValidationError(name, [f"YAML 语法错误：{exc}"]) from None


@functools.cache  # immutable result: parse the shipped file once per process
def load_national_rules() -> RuleSet:
    """Load and validate ``cleanprod/data/audit_rules/national.yaml``."""
    return parse_rule_set(
        _load_yaml("cleanprod.data", "audit_rules/national.yaml"), "audit_rules/national.yaml"
    )


# --- priority-controlled chemicals -----------------------------------------------------------


@dataclass(frozen=True)
class PriorityChemical:
    """One entry of 优先控制化学品名录 (a substance or a class such as 铅化合物)."""

    code: str
    batch: int
    name_zh: str
    name_en: str
    cas_numbers: tuple[str, ...]
    verified: bool
    note: str = ""


# List entries that cover an element and all of its compounds.
_WHOLE_ELEMENT_ENTRIES = {"Cd": "PC007", "Hg": "PC008", "As": "PC019", "Tl": "PC037"}


@dataclass(frozen=True)
class PriorityChemicalList:
    """The list, searchable by CAS number and by Chinese or English name."""

    chemicals: tuple[PriorityChemical, ...]

    def match(
        self, name: str, cas_numbers: Iterable[str] = (), elements: Iterable[str] = ()
    ) -> PriorityChemical | None:
        """The entry a substance belongs to: by CAS number, exact name, or element.

        Elements match only the entries that cover an element and all its compounds
        (镉、汞、砷、铊及其化合物); 铅化合物 and 六价铬化合物 need the name or CAS, since
        metallic lead and trivalent chromium are not on the list.
        """
        wanted = {c.strip() for c in cas_numbers if c.strip()}
        for chem in self.chemicals:
            if wanted & set(chem.cas_numbers):
                return chem
        key = name.strip().casefold()
        for chem in self.chemicals:
            if key and key in (chem.name_zh.casefold(), chem.name_en.casefold()):
                return chem
        codes = {_WHOLE_ELEMENT_ENTRIES.get(e.strip().capitalize()) for e in elements}
        return next((c for c in self.chemicals if c.code in codes), None)


def parse_priority_chemicals(text: str, filename: str) -> PriorityChemicalList:
    """Parse the shipped CSV (code, batch, name_zh, name_en, cas_numbers, status, note)."""
    problems: list[str] = []
    chems: list[PriorityChemical] = []
    for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        code = row.get("code") or f"第{n}行"
        if row.get("status") not in ("confirmed", "unverified"):
            problems.append(f"{code}：status 应为 confirmed 或 unverified")
            continue
        if not (row.get("batch") or "").isdigit() or not row.get("name_zh"):
            problems.append(f"{code}：batch 或 name_zh 无效")
            continue
        cas = tuple(c.strip() for c in (row.get("cas_numbers") or "").split(";") if c.strip())
        chems.append(
            PriorityChemical(
                code,
                int(row["batch"]),
                row["name_zh"],
                row.get("name_en") or "",
                cas,
                row["status"] == "confirmed",
                row.get("note") or "",
            )
        )
    if problems:
        raise RuleValidationError(filename, problems)
    return PriorityChemicalList(tuple(chems))


@functools.cache  # immutable result: parse the shipped file once per process
def load_priority_chemicals() -> PriorityChemicalList:
    """Load ``cleanprod/data/reference/priority-controlled-chemicals.csv``."""
    name = "reference/priority-controlled-chemicals.csv"
    text = resources.files("cleanprod.data").joinpath(name).read_text(encoding="utf-8")
    return parse_priority_chemicals(text, name)


# --- triggers (强制性审核) ---------------------------------------------------------------------


class ExceedanceKind(StrEnum):
    """Over the discharge standard (浓度/速率超标) or over the total-load quota (超总量)."""

    STANDARD = "standard"
    TOTAL_LOAD = "total_load"


class SubstanceRole(StrEnum):
    """Whether a substance is used as raw material or emitted/produced."""

    USED = "used"
    EMITTED = "emitted"


def _need_evidence(evidence: str, what: str) -> None:
    if not evidence.strip():
        raise FactError(f"{what}缺少证据（监测报告、台账、排污许可执行报告等）")


@dataclass(frozen=True)
class EmissionExceedance:
    """A measured emission and its limit: a discharge standard or a total-load quota."""

    pollutant: str
    kind: ExceedanceKind
    value: float
    limit: float
    unit: str
    evidence: str

    def __post_init__(self) -> None:
        _need_evidence(self.evidence, f"污染物“{self.pollutant}”的排放记录")

    @property
    def exceeds(self) -> bool:
        """Strictly above the limit: meeting the limit exactly is compliant."""
        return self.value > self.limit


@dataclass(frozen=True)
class EnergyExceedance:
    """Unit-product energy consumption against its quota (单位产品能源消耗限额)."""

    product: str
    value: float
    quota: float
    unit: str
    evidence: str

    def __post_init__(self) -> None:
        _need_evidence(self.evidence, f"产品“{self.product}”的能耗记录")

    @property
    def exceeds(self) -> bool:
        """Strictly above the quota."""
        return self.value > self.quota


@dataclass(frozen=True)
class Substance:
    """A substance the enterprise uses or emits, with evidence.

    ``elements`` are chemical symbols it contains (``("Pb",)`` for lead oxide); ``declared``
    are classes asserted by the enterprise or an officer with the evidence (hazardous waste,
    剧毒化学品, POPs, other toxic substances) that cannot be recognised from name or CAS alone.
    """

    name: str
    role: SubstanceRole
    evidence: str
    cas_numbers: tuple[str, ...] = ()
    elements: tuple[str, ...] = ()
    declared: frozenset[SubstanceClass] = frozenset()

    def __post_init__(self) -> None:
        _need_evidence(self.evidence, f"物质“{self.name}”的使用或排放记录")


@dataclass(frozen=True)
class EnterpriseFacts:
    """What the trigger assessment knows about one enterprise."""

    emissions: tuple[EmissionExceedance, ...] = ()
    energy: tuple[EnergyExceedance, ...] = ()
    substances: tuple[Substance, ...] = ()


@dataclass(frozen=True)
class TriggerFinding:
    """One reason an enterprise must audit, the rule behind it and the evidence."""

    trigger: Trigger
    reason: str
    rule: Rule
    evidence: str
    substance_class: SubstanceClass | None = None
    chemical: PriorityChemical | None = None


@dataclass(frozen=True)
class TriggerAssessment:
    """All findings for one enterprise under one rule-set version."""

    rules_version: str
    findings: tuple[TriggerFinding, ...]

    @property
    def triggers(self) -> tuple[Trigger, ...]:
        """The distinct triggers found, in :class:`Trigger` order."""
        found = {f.trigger for f in self.findings}
        return tuple(t for t in Trigger if t in found)

    @property
    def mandatory(self) -> bool:
        """Whether any trigger applies, i.e. the audit is mandatory (强制性审核)."""
        return bool(self.findings)


def _trigger_rule(rules: RuleSet, trigger: Trigger, cls: SubstanceClass | None = None) -> Rule:
    for r in rules.of_kind(RuleKind.TRIGGER):
        if r.trigger is trigger and r.substance_class is cls:
            return r
    raise AuditRulesError(f"规则集 {rules.version} 中没有触发条件 {trigger.value} {cls or ''}")


def _heavy_metals_in(sub: Substance) -> list[str]:
    symbols = {e.strip().capitalize() for e in sub.elements}
    return [
        f"{zh}（{sym}）" for sym, zh in HEAVY_METALS.items() if sym in symbols or zh in sub.name
    ]


def assess_triggers(
    facts: EnterpriseFacts, rules: RuleSet, chemicals: PriorityChemicalList
) -> TriggerAssessment:
    """Return the mandatory-audit triggers that apply to an enterprise, each with its rule.

    * OVER_EMISSION: an emission strictly above its discharge standard or total-load quota;
    * OVER_ENERGY: unit-product energy consumption strictly above its quota;
    * TOXIC: a substance used or emitted that is on the priority-controlled chemicals list
      (by CAS or name), contains Pb/Hg/Cd/Cr/As, or is declared a POP, hazardous waste,
      剧毒/重点环境管理危险化学品 or other toxic substance.

    Records at or below their limit produce no finding. One finding per fact and rule.
    """
    findings: list[TriggerFinding] = []
    for e in facts.emissions:
        if e.exceeds:
            what = "排放标准" if e.kind is ExceedanceKind.STANDARD else "重点污染物排放总量控制指标"
            findings.append(
                TriggerFinding(
                    Trigger.OVER_EMISSION,
                    f"{e.pollutant} 为 {e.value:g} {e.unit}，超过{what} {e.limit:g} {e.unit}",
                    _trigger_rule(rules, Trigger.OVER_EMISSION),
                    e.evidence,
                )
            )
    for q in facts.energy:
        if q.exceeds:
            findings.append(
                TriggerFinding(
                    Trigger.OVER_ENERGY,
                    f"{q.product} 单位产品能耗 {q.value:g} {q.unit}，超过限额 {q.quota:g} {q.unit}",
                    _trigger_rule(rules, Trigger.OVER_ENERGY),
                    q.evidence,
                )
            )
    labels = {
        SubstanceClass.POP: "持久性有机污染物（POPs）",
        SubstanceClass.HAZARDOUS_WASTE: "危险废物",
        SubstanceClass.HIGHLY_TOXIC: "剧毒化学品或重点环境管理危险化学品",
        SubstanceClass.OTHER_TOXIC: "其他有毒有害物质",
    }
    for s in facts.substances:
        verb = "使用" if s.role is SubstanceRole.USED else "排放"
        hits: list[tuple[SubstanceClass, str, PriorityChemical | None]] = []
        chem = chemicals.match(s.name, s.cas_numbers, s.elements)
        if chem is not None:
            flag = "" if chem.verified else "（该名录条目尚待核实）"
            reason = f"{verb}{s.name}，属优先控制化学品名录 {chem.code} {chem.name_zh}{flag}"
            hits.append((SubstanceClass.PRIORITY_CHEMICAL, reason, chem))
        metals = _heavy_metals_in(s)
        if metals:
            reason = f"{verb}{s.name}，含重金属或类金属：{'、'.join(metals)}"
            hits.append((SubstanceClass.HEAVY_METAL, reason, None))
        hits += [
            (cls, f"{verb}{s.name}，经认定属{label}", None)
            for cls, label in labels.items()
            if cls in s.declared
        ]
        for cls, reason, matched in hits:
            rule = _trigger_rule(rules, Trigger.TOXIC, cls)
            findings.append(TriggerFinding(Trigger.TOXIC, reason, rule, s.evidence, cls, matched))
    return TriggerAssessment(rules.version, tuple(findings))


# --- deadlines -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A due date and the rule that produced it.

    ``period`` holds both dates: the nominal last day counted in calendar months (民法典
    第二百零二条) and the legal last day, moved past a 法定休假日 (第二百零三条). ``due`` is the
    legal one, the date overdue checks use.
    """

    event: str
    anchor: Anchor
    anchor_date: date
    rule: Rule
    period: LegalDate

    @property
    def due(self) -> date:
        """The legal last day (after any holiday extension)."""
        return self.period.legal

    @property
    def nominal_due(self) -> date:
        """The last day as the rule counts it, before any holiday extension."""
        return self.period.nominal


def deadline(rules: RuleSet, rule_id: str, anchor_date: date) -> Deadline:
    """The due date of deadline rule ``rule_id`` counted from ``anchor_date``.

    ``anchor_date`` is the date of the rule's anchor event (roster publication, evaluation).
    Raises :class:`AuditRulesError` if ``rule_id`` is missing or not a deadline rule.
    """
    rule = rules.get(rule_id)
    if rule.kind is not RuleKind.DEADLINE or rule.months is None or rule.anchor is None:
        raise AuditRulesError(f"规则 {rule_id} 不是期限规则")
    nominal = add_months(anchor_date, rule.months)
    return Deadline(str(rule.event), rule.anchor, anchor_date, rule, explain(nominal))


def compute_deadlines(rules: RuleSet, anchors: Mapping[Anchor, date]) -> tuple[Deadline, ...]:
    """Every deadline whose anchor date is known, in rule order.

    ``compute_deadlines(rules, {Anchor.ROSTER_PUBLISHED: published})`` gives the disclosure,
    start and report deadlines; add ``Anchor.EVALUATION_PASSED`` for implementation and
    acceptance.
    """
    return tuple(
        deadline(rules, r.id, anchors[r.anchor])
        for r in rules.of_kind(RuleKind.DEADLINE)
        if r.anchor is not None and r.anchor in anchors
    )


def undefined_groups(rules: RuleSet, known_slugs: Iterable[str]) -> tuple[str, ...]:
    """Group slugs the rule set defines that are not among ``known_slugs`` (the registry's).

    A non-empty answer means a rule file names a group the platform does not know, so its
    cycle could never apply: worth a start-up check.
    """
    known = set(known_slugs)
    return tuple(slug for slug in rules.groups if slug not in known)


# --- re-audit cycles -------------------------------------------------------------------------


@dataclass(frozen=True)
class NextAudit:
    """When the next audit is due, and by which rule; ``due`` is ``None`` if no cycle applies.

    ``candidates`` are all applicable cycle rules with their due dates; the earliest governs.
    """

    last_audit: date
    due: date | None
    rule: Rule | None
    candidates: tuple[tuple[Rule, date], ...]
    reason: str


def next_audit_due(
    last_audit: date,
    groups: Iterable[str],
    triggers: Iterable[Trigger],
    rules: RuleSet,
) -> NextAudit:
    """The date the next audit round is due after the round dated ``last_audit``.

    A cycle rule applies when the enterprise is in one of its ``groups`` (slugs such as
    ``twelfth-heavy-metal``) or has one of its ``triggers``; the earliest due date among the
    applicable rules governs (heavy-metal key industries every 2 years beat the 5-year maximum
    for 双有 enterprises). ``groups`` may hold any of the enterprise's group slugs: those no
    rule names are simply not matched (see :func:`undefined_groups` to check the rule file's
    slugs against the registry).
    """
    member = set(groups)
    have = set(triggers)
    candidates = tuple(
        (r, add_months(last_audit, r.months))
        for r in rules.of_kind(RuleKind.CYCLE)
        if r.months is not None and (member & set(r.groups) or have & set(r.triggers))
    )
    if not candidates:
        return NextAudit(
            last_audit, None, None, (), "没有适用的再次审核周期规则（全国规则未对该类企业规定周期）"
        )
    rule, due = min(candidates, key=lambda c: (c[1], c[0].id))
    return NextAudit(
        last_audit, due, rule, candidates, f"依据 {rule.id}（{rule.source_text}）：{rule.text}"
    )
