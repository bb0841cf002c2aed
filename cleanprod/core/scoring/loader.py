"""Load and validate indicator-system files (YAML), once, into an :class:`IndicatorSystem`.

Numbers in a system file are read from their text: the YAML loader below resolves no floats,
so ``0.15`` reaches us as the string ``"0.15"`` and becomes ``Fraction(3, 20)`` exactly. Every
problem found is collected and reported together, each naming the file and the indicator.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cleanprod.core.scoring.errors import SystemNotFound, SystemValidationError
from cleanprod.core.scoring.model import (
    KNOWN_FLAGS,
    Benchmark,
    Bound,
    Category,
    Group,
    Indicator,
    IndicatorSystem,
    Kind,
    Linear,
    Parameter,
    Share,
)

FORMAT = "cleanprod-indicator-system/1"
SHIPPED_PACKAGE = "cleanprod.data.indicator_systems"
_CODE_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
_NUM_RE = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
_OPS = {
    "≤": ("upper", False),
    "<=": ("upper", False),
    "<": ("upper", True),
    "≥": ("lower", False),
    ">=": ("lower", False),
    ">": ("lower", True),
}
_LEVEL_KEYS = ("I", "II", "III")
_RESERVED = frozenset({"id", "name"})  # columns of a data file
_SYSTEM_KEYS = frozenset(
    {
        "format",
        "slug",
        "name",
        "version",
        "status",
        "industries",
        "authorities",
        "announcement",
        "effective",
        "levels",
        "source",
        "notes",
        "flags",
        "parameters",
        "categories",
    }
)
_CATEGORY_KEYS = frozenset({"code", "name", "weight", "bonus", "groups", "indicators"})
_GROUP_KEYS = frozenset({"code", "name", "weight", "share"})
_INDICATOR_KEYS = frozenset(
    {
        "code",
        "name",
        "kind",
        "weight",
        "group",
        "unit",
        "definition",
        "restrictive",
        "benchmarks",
        "levels",
        "parameter",
        "note",
    }
)


class _TextNumberLoader(yaml.SafeLoader):
    """SafeLoader that leaves floats as text, so weights can be parsed exactly."""


_TextNumberLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:float"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_number(text: object) -> Fraction:
    """Parse ``"0.15"``, ``"1/3"`` or an integer into an exact Fraction (no floats)."""
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise ValueError(f"应为数字文本，实际为{text!r}")
    try:
        return Fraction(str(text).strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"无法解析数字“{text}”") from None


def parse_linear(text: str) -> Linear:
    """Parse ``8``, ``10+5n``, ``0.14+0.08n``, ``80-2n`` or ``5n`` into a :class:`Linear`."""
    t = text.replace(" ", "").replace("·", "").replace("*", "")
    const, sign, slope = t, "+", "0"
    if t.endswith("n"):
        body = t[:-1]
        cut = max(body.rfind("+"), body.rfind("-"))
        if cut > 0:
            const, sign, slope = body[:cut], body[cut], body[cut + 1 :] or "1"
        else:
            const, slope = "0", body or "1"
    if not _NUM_RE.match(const) or not _NUM_RE.match(slope):
        raise ValueError(f"无法解析基准值“{text}”（应为数字或 a+b·n 形式，如 10+5n）")
    b = Fraction(slope)
    return Linear(Fraction(const), -b if sign == "-" else b)


def parse_benchmark(text: object) -> Benchmark | None:
    """Parse one level's benchmark: ``≤8``, ``<4``, ``>7000``, ``≥90+2n``, ``[6, 9]``, ``(0, 1]``.

    ``None`` or an empty text means "not set yet".
    """
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if not isinstance(text, str):
        raise ValueError(f"基准值必须带比较符号，如“≤{text}”")
    t = text.strip()
    if t[0] in "[(" and t[-1] in "])":
        parts = t[1:-1].split(",")
        if len(parts) != 2:
            raise ValueError(f"区间基准值“{text}”应写作 [下限, 上限]")
        lo, hi = (parse_linear(p.strip()) for p in parts)
        if hi.slope == lo.slope and hi.const < lo.const:
            raise ValueError(f"区间基准值“{text}”下限大于上限")
        return Benchmark(Bound(lo, t[0] == "("), Bound(hi, t[-1] == ")"))
    for op in ("<=", ">=", "≤", "≥", "<", ">"):
        if t.startswith(op):
            side, strict = _OPS[op]
            bound = Bound(parse_linear(t[len(op) :].strip()), strict)
            return Benchmark(None, bound) if side == "upper" else Benchmark(bound, None)
    raise ValueError(f"基准值“{text}”缺少比较符号（≤ < ≥ > 或区间）")


@dataclass
class _Ctx:
    """Collects problems while a file is read, so all are reported at once."""

    source: str
    problems: list[str]

    def add(self, where: str, message: str) -> None:
        """Record a problem found at ``where`` (a category or indicator, or "" for the file)."""
        self.problems.append(f"{where}: {message}" if where else message)


def _text(node: Mapping[str, Any], key: str, ctx: _Ctx, where: str, required: bool = True) -> str:
    value = node.get(key)
    if value is None:
        if required:
            ctx.add(where, f"缺少字段“{key}”")
        return ""
    return str(value).strip()


def _code(node: Mapping[str, Any], ctx: _Ctx, where: str) -> str:
    code = _text(node, "code", ctx, where)
    if code and not _CODE_RE.match(code):
        ctx.add(where, f"代码“{code}”只能包含字母、数字、_ . -")
    if code in _RESERVED:
        ctx.add(where, f"代码“{code}”是数据文件的保留列名")
    return code


def _unknown(node: Mapping[str, Any], allowed: frozenset[str], ctx: _Ctx, where: str) -> None:
    """Report misspelt fields instead of silently ignoring them."""
    extra = sorted(str(k) for k in node if k not in allowed)
    if extra:
        ctx.add(where, f"未知字段：{', '.join(extra)}")


def _weight(raw: object, ctx: _Ctx, where: str) -> Fraction:
    try:
        w = parse_number(raw)
    except ValueError as exc:
        ctx.add(where, f"权重：{exc}")
        return Fraction(0)
    if w <= 0:
        ctx.add(where, f"权重必须大于0，实际为{raw}")
    return w


def _levels(node: object, ctx: _Ctx, where: str, what: str) -> tuple[object, object, object]:
    if node is None:
        return (None, None, None)
    if not isinstance(node, Mapping) or set(node) - set(_LEVEL_KEYS):
        ctx.add(where, f"“{what}”应为 I/II/III 三级的映射")
        return (None, None, None)
    return (node.get("I"), node.get("II"), node.get("III"))


def _indicator(
    node: Any, category: str, params: Mapping[str, Parameter], ctx: _Ctx
) -> Indicator | None:
    if not isinstance(node, Mapping):
        ctx.add(f"一级指标 {category}", "二级指标应为映射")
        return None
    code = _code(node, ctx, f"一级指标 {category} 的二级指标")
    where = f"指标 {code or '?'}（{node.get('name', '')}）"
    name = _text(node, "name", ctx, where)
    try:
        kind = Kind(str(node.get("kind")))
    except ValueError:
        ctx.add(where, f"kind 应为 quantitative / qualitative / yesno，实际为{node.get('kind')!r}")
        return None
    group = node.get("group")
    weight: Fraction | None = None
    if (group is None) == (node.get("weight") is None):
        ctx.add(where, "必须且只能给出 weight 或 group 之一")
    elif group is None:
        weight = _weight(node.get("weight"), ctx, where)
    _unknown(node, _INDICATOR_KEYS, ctx, where)
    benchmarks: list[Benchmark | None] = [None, None, None]
    texts: list[str | None] = [None, None, None]
    parameter: str | None = None
    if kind is Kind.QUANTITATIVE:
        for k, raw in enumerate(_levels(node.get("benchmarks"), ctx, where, "benchmarks")):
            try:
                benchmarks[k] = parse_benchmark(raw)
            except ValueError as exc:
                ctx.add(where, f"{_LEVEL_KEYS[k]}级基准值：{exc}")
        if any(b is not None and b.linear for b in benchmarks):
            parameter = str(node.get("parameter", "n"))
            if parameter not in params:
                ctx.add(where, f"基准值含参数 n，但参数“{parameter}”未在 parameters 中声明")
    elif kind is Kind.QUALITATIVE:
        raw_texts = _levels(node.get("levels"), ctx, where, "levels")
        texts = [None if t is None or not str(t).strip() else str(t).strip() for t in raw_texts]
    if kind is not Kind.QUANTITATIVE and node.get("benchmarks") is not None:
        ctx.add(where, "只有定量指标（quantitative）有 benchmarks")
    if kind is not Kind.QUALITATIVE and node.get("levels") is not None:
        ctx.add(where, "只有定性指标（qualitative）有 levels 文本")
    restrictive = node.get("restrictive", False)
    if not isinstance(restrictive, bool):
        ctx.add(where, "restrictive 应为 true 或 false")
    ind = Indicator(
        code=code,
        name=name,
        kind=kind,
        weight=weight,
        group=None if group is None else str(group),
        unit=_text(node, "unit", ctx, where, required=False),
        definition=_text(node, "definition", ctx, where, required=False),
        restrictive=bool(restrictive),
        benchmarks=(benchmarks[0], benchmarks[1], benchmarks[2]),
        texts=(texts[0], texts[1], texts[2]),
        parameter=parameter,
        note=_text(node, "note", ctx, where, required=False),
    )
    _check_levels(ind, params, ctx, where)
    return ind


def _check_levels(ind: Indicator, params: Mapping[str, Parameter], ctx: _Ctx, where: str) -> None:
    """Benchmarks are all set or all unset, and I ⊆ II ⊆ III (I at least as strict as II)."""
    if ind.kind is Kind.QUALITATIVE:
        if any(t is None for t in ind.texts) and any(t is not None for t in ind.texts):
            ctx.add(where, "定性指标的三级文本应全部给出（或全部留空表示尚未设定）")
        return
    if ind.kind is not Kind.QUANTITATIVE:
        return
    b = ind.benchmarks
    if any(x is None for x in b):
        if any(x is not None for x in b):
            ctx.add(where, "基准值应三级全部给出（或全部留空表示尚未设定）")
        return
    param = params.get(ind.parameter or "")
    if ind.parameter is not None and param is None:
        return  # the undeclared parameter is reported already
    for k in range(2):
        stricter, looser = b[k], b[k + 1]
        assert stricter is not None and looser is not None
        if not _subset(stricter, looser, param):
            ctx.add(
                where,
                f"基准值不单调：{_LEVEL_KEYS[k]}级“{stricter}”应不宽于"
                f"{_LEVEL_KEYS[k + 1]}级“{looser}”",
            )


def _bound_within(a: Bound | None, b: Bound | None, upper: bool, n: int | None) -> bool:
    """Whether side ``a`` of a benchmark is at least as tight as side ``b`` at parameter n."""
    if b is None:
        return True
    if a is None:
        return False
    x, y = a.limit.at(n), b.limit.at(n)
    if x == y:
        return a.strict or not b.strict
    return x < y if upper else x > y


def _subset(a: Benchmark, b: Benchmark, param: Parameter | None) -> bool:
    """Whether every value meeting ``a`` meets ``b``, for every allowed n.

    Limits are linear in n, so checking both ends of n's range suffices; an unbounded range
    also needs the slopes ordered.
    """
    if param is None:
        return _bound_within(a.upper, b.upper, True, None) and _bound_within(
            a.lower, b.lower, False, None
        )
    ends = [param.minimum] + ([param.maximum] if param.maximum is not None else [])
    for n in ends:
        if not (
            _bound_within(a.upper, b.upper, True, n) and _bound_within(a.lower, b.lower, False, n)
        ):
            return False
    if param.maximum is None:
        if a.upper and b.upper and a.upper.limit.slope > b.upper.limit.slope:
            return False
        if a.lower and b.lower and a.lower.limit.slope < b.lower.limit.slope:
            return False
    return True


def _category(node: Any, params: Mapping[str, Parameter], ctx: _Ctx) -> Category | None:
    if not isinstance(node, Mapping):
        ctx.add("", "categories 的每一项应为映射")
        return None
    code = _code(node, ctx, "一级指标")
    where = f"一级指标 {code or '?'}（{node.get('name', '')}）"
    _unknown(node, _CATEGORY_KEYS, ctx, where)
    groups: list[Group] = []
    for g in node.get("groups") or []:
        if not isinstance(g, Mapping):
            ctx.add(where, "groups 的每一项应为映射")
            continue
        gcode = _code(g, ctx, f"{where} 的权重组")
        _unknown(g, _GROUP_KEYS, ctx, f"{where} 权重组 {gcode}")
        try:
            share = Share(str(g.get("share")))
        except ValueError:
            ctx.add(f"{where} 权重组 {gcode}", "share 应为 equal 或 output")
            continue
        groups.append(
            Group(
                gcode,
                _text(g, "name", ctx, where, required=False),
                _weight(g.get("weight"), ctx, f"{where} 权重组 {gcode}"),
                share,
            )
        )
    indicators = [
        ind
        for ind in (_indicator(i, code, params, ctx) for i in node.get("indicators") or [])
        if ind is not None
    ]
    if not indicators:
        ctx.add(where, "没有二级指标")
    bonus = node.get("bonus", False)
    if not isinstance(bonus, bool):
        ctx.add(where, "bonus 应为 true 或 false")
    cat = Category(
        code=code,
        name=_text(node, "name", ctx, where),
        weight=_weight(node.get("weight"), ctx, where),
        indicators=tuple(indicators),
        groups=tuple(groups),
        bonus=bool(bonus),
    )
    _check_weights(cat, ctx, where)
    return cat


def _check_weights(cat: Category, ctx: _Ctx, where: str) -> None:
    """Group references resolve, every group has members, and Σ ω_ij = 1 exactly."""
    codes = {g.code for g in cat.groups}
    if len(codes) != len(cat.groups):
        ctx.add(where, "权重组代码重复")
    used: set[str] = set()
    for ind in cat.indicators:
        if ind.group is not None:
            if ind.group not in codes:
                ctx.add(f"指标 {ind.code}", f"引用了不存在的权重组“{ind.group}”（{where}）")
            used.add(ind.group)
    for g in cat.groups:
        if g.code not in used:
            ctx.add(f"{where} 权重组 {g.code}", "没有成员指标")
    total = sum((i.weight for i in cat.indicators if i.weight is not None), Fraction(0))
    total += sum((g.weight for g in cat.groups), Fraction(0))
    if total != 1:
        parts = [f"{i.code}={i.weight}" for i in cat.indicators if i.weight is not None]
        parts += [f"组{g.code}={g.weight}" for g in cat.groups]
        ctx.add(where, f"二级指标权重之和为{float(total):g}（{' + '.join(parts)}），应恰为1")


def _parameters(raw: Any, ctx: _Ctx) -> dict[str, Parameter]:
    params: dict[str, Parameter] = {}
    for p in raw or []:
        name = str(p.get("name", "")) if isinstance(p, Mapping) else ""
        if not name.isidentifier():
            ctx.add("parameters", f"参数名“{name}”无效")
            continue
        lo, hi = p.get("min", 0), p.get("max")
        if not isinstance(lo, int) or (hi is not None and (not isinstance(hi, int) or hi < lo)):
            ctx.add(f"参数 {name}", "min/max 应为整数且 min ≤ max")
            continue
        params[name] = Parameter(name, str(p.get("description", "")), lo, hi)
    return params


def build_system(data: Any, source: str) -> IndicatorSystem:
    """Validate the parsed content of a system file and build the model.

    Raises :class:`SystemValidationError` listing every problem, each prefixed by ``source``.
    """
    ctx = _Ctx(source, [])
    if not isinstance(data, Mapping):
        raise SystemValidationError(source, ["文件内容应为 YAML 映射"])
    if data.get("format") != FORMAT:
        ctx.add("", f"format 应为“{FORMAT}”")
    _unknown(data, _SYSTEM_KEYS, ctx, "")
    params = _parameters(data.get("parameters"), ctx)
    categories = [
        c
        for c in (_category(n, params, ctx) for n in data.get("categories") or [])
        if c is not None
    ]
    main = [c for c in categories if not c.bonus]
    if not main:
        ctx.add("", "没有（非加分项的）一级指标")
    total = sum((c.weight for c in main), Fraction(0))
    if main and total != 1:
        parts = " + ".join(f"{c.code}={c.weight}" for c in main)
        ctx.add("", f"一级指标权重之和为{float(total):g}（{parts}），应恰为1（加分项除外）")
    _check_unique(categories, ctx)
    flags = data.get("flags") or []
    for f in flags:
        if f not in KNOWN_FLAGS:
            ctx.add("flags", f"未知标志“{f}”，可用：{', '.join(sorted(KNOWN_FLAGS))}")
    slug = _text(data, "slug", ctx, "")
    if slug and not re.match(r"^[a-z0-9][a-z0-9-]*$", slug):
        ctx.add("", f"slug“{slug}”只能包含小写字母、数字和 -")
    effective = data.get("effective")
    if effective is not None and not isinstance(effective, date):
        ctx.add("", "effective 应为日期 YYYY-MM-DD")
    levels = data.get("levels") or {}
    level_names = tuple(str(levels.get(k, f"{k}级")) for k in _LEVEL_KEYS)
    industries = tuple(str(x) for x in data.get("industries") or [])
    for code in industries:
        if not re.match(r"^(?:[A-T]|\d{2,4})$", code):
            ctx.add("industries", f"行业代码“{code}”不是 GB/T 4754 门类字母或2至4位数字")
    if ctx.problems:
        raise SystemValidationError(source, ctx.problems)
    return IndicatorSystem(
        slug=slug,
        name=_text(data, "name", ctx, ""),
        version=_text(data, "version", ctx, ""),
        categories=tuple(categories),
        status=str(data.get("status", "official")),
        industries=industries,
        authorities=tuple(str(x) for x in data.get("authorities") or []),
        announcement=str(data.get("announcement") or ""),
        effective=effective,
        level_names=(level_names[0], level_names[1], level_names[2]),
        source=str(data.get("source") or "").strip(),
        notes=str(data.get("notes") or "").strip(),
        flags=frozenset(flags),
        parameters=tuple(params.values()),
        path=source,
    )


def _check_unique(categories: list[Category], ctx: _Ctx) -> None:
    """Category codes are unique, and so are indicator codes (the columns of a data file)."""
    for what, codes in (
        ("一级指标", [c.code for c in categories]),
        ("指标", [i.code for c in categories for i in c.indicators]),
    ):
        seen: set[str] = set()
        for code in codes:
            if code in seen:
                ctx.add(f"{what} {code}", "代码重复")
            seen.add(code)


def parse_system(text: str, source: str = "<text>") -> IndicatorSystem:
    """Parse and validate a system from YAML text."""
    try:
        data = yaml.load(text, Loader=_TextNumberLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise SystemValidationError(source, [f"YAML 语法错误：{exc}"]) from None
    return build_system(data, source)


def load_system_file(path: str | Path) -> IndicatorSystem:
    """Read and validate a system file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise SystemNotFound(f"无法读取指标体系文件 {p}：{exc.strerror}") from None
    return parse_system(text, str(p))


def shipped_files() -> Iterator[tuple[str, str]]:
    """``(file name, text)`` of every system shipped with the package."""
    root = resources.files(SHIPPED_PACKAGE)
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            yield entry.name, entry.read_text(encoding="utf-8")


def shipped_systems() -> list[IndicatorSystem]:
    """Every shipped system, validated."""
    return [parse_system(text, f"{SHIPPED_PACKAGE}/{name}") for name, text in shipped_files()]


def load_system(slug_or_path: str) -> IndicatorSystem:
    """A shipped system by slug, or a system file by path."""
    if slug_or_path.endswith((".yaml", ".yml")) or "/" in slug_or_path:
        return load_system_file(slug_or_path)
    for system in shipped_systems():
        if system.slug == slug_or_path:
            return system
    known = ", ".join(s.slug for s in shipped_systems())
    raise SystemNotFound(f"没有 slug 为“{slug_or_path}”的指标体系（已有：{known}）")
