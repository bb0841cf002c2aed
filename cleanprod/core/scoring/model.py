"""The validated, immutable model of an indicator system (清洁生产评价指标体系) and of a record.

Everything here is plain data: a loader builds it once from a file and validates it
(:mod:`cleanprod.core.scoring.loader`); the engines only read it. Weights and benchmark
constants are exact :class:`~fractions.Fraction` values parsed from their decimal text.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import cached_property


class Grade(enum.IntEnum):
    """A level of the method; smaller is better, so ``a <= b`` reads "a is at least as good"."""

    I = 1  # noqa: E741 - the glossary name of 国际清洁生产领先水平
    II = 2
    III = 3
    BELOW = 4

    @property
    def label(self) -> str:
        """Chinese label, e.g. ``Ⅰ级``."""
        return _GRADE_LABELS[self]

    @property
    def advanced(self) -> bool:
        """清洁生产先进企业: level II or better."""
        return self <= Grade.II


_GRADE_LABELS = {Grade.I: "Ⅰ级", Grade.II: "Ⅱ级", Grade.III: "Ⅲ级", Grade.BELOW: "未达到Ⅲ级"}
LEVELS: tuple[Grade, Grade, Grade] = (Grade.I, Grade.II, Grade.III)


class Kind(enum.StrEnum):
    """How an indicator is assessed."""

    QUANTITATIVE = "quantitative"  # a measured value against benchmarks
    QUALITATIVE = "qualitative"  # the assessor picks the highest level whose text is met
    YESNO = "yesno"  # met at every level or at none


class Share(enum.StrEnum):
    """How a weight group's total is shared among its members that apply to a plant."""

    EQUAL = "equal"  # electroplating's "0.8/n"
    OUTPUT = "output"  # "1*": W_i = W_group × O_i / ΣO over products actually made


FLAG_I_REQUIRES_II = "level_I_requires_non_restrictive_at_II"
KNOWN_FLAGS = frozenset({FLAG_I_REQUIRES_II})


@dataclass(frozen=True)
class Linear:
    """``const + slope·n``; ``slope`` is 0 for a plain number."""

    const: Fraction
    slope: Fraction = Fraction(0)

    def at(self, n: int | None) -> Fraction:
        """The value for parameter ``n`` (``n`` is ignored when the slope is 0)."""
        if self.slope == 0:
            return self.const
        if n is None:
            raise ValueError("parameter required")
        return self.const + self.slope * n

    def __str__(self) -> str:
        if self.slope == 0:
            return _num(self.const)
        sign = "-" if self.slope < 0 else "+"
        slope = abs(self.slope)
        coef = "" if slope == 1 else _num(slope)
        return f"{_num(self.const)}{sign}{coef}n"


@dataclass(frozen=True)
class Bound:
    """One side of a benchmark: the limit and whether equality is excluded (``<``, ``>``)."""

    limit: Linear
    strict: bool


@dataclass(frozen=True)
class Benchmark:
    """The set of values that meet one level: an interval with optional, maybe strict, ends.

    ``≤8`` is ``(-∞, 8]``, ``>7000`` is ``(7000, ∞)``, ``[6, 9]`` is a range.
    """

    lower: Bound | None
    upper: Bound | None

    @property
    def linear(self) -> bool:
        """True if a limit depends on the parameter ``n``."""
        return any(b is not None and b.limit.slope != 0 for b in (self.lower, self.upper))

    def thresholds(self, n: int | None) -> tuple[float | None, float | None]:
        """The limits as the nearest doubles, the form values are compared in."""
        lo = None if self.lower is None else float(self.lower.limit.at(n))
        hi = None if self.upper is None else float(self.upper.limit.at(n))
        return lo, hi

    def contains(self, x: float, n: int | None) -> bool:
        """Whether value ``x`` meets this benchmark (for parameter ``n``)."""
        lo, hi = self.thresholds(n)
        low_ok = lo is None or x > lo or (x == lo and not (self.lower and self.lower.strict))
        high_ok = hi is None or x < hi or (x == hi and not (self.upper and self.upper.strict))
        return low_ok and high_ok

    def __str__(self) -> str:
        lo, hi = self.lower, self.upper
        if lo is not None and hi is not None:
            return f"{'(' if lo.strict else '['}{lo.limit}, {hi.limit}{')' if hi.strict else ']'}"
        if hi is not None:
            return f"{'<' if hi.strict else '≤'}{hi.limit}"
        if lo is not None:
            return f"{'>' if lo.strict else '≥'}{lo.limit}"
        return "任意值"


@dataclass(frozen=True)
class Parameter:
    """A per-record parameter of linear benchmarks, e.g. n = layers beyond 2."""

    name: str
    description: str
    minimum: int = 0
    maximum: int | None = None


@dataclass(frozen=True)
class Indicator:
    """二级指标. Exactly one of ``weight`` (ω_ij) and ``group`` is set."""

    code: str
    name: str
    kind: Kind
    weight: Fraction | None
    group: str | None = None
    unit: str = ""
    definition: str = ""
    restrictive: bool = False
    # QUANTITATIVE: one benchmark per level I, II, III, or all None when not yet set.
    benchmarks: tuple[Benchmark | None, Benchmark | None, Benchmark | None] = (None, None, None)
    # QUALITATIVE: one text per level, or all None when not yet set.
    texts: tuple[str | None, str | None, str | None] = (None, None, None)
    parameter: str | None = None
    note: str = ""

    @property
    def scorable(self) -> bool:
        """False when the system has not set the benchmarks yet (then it never applies)."""
        if self.kind is Kind.QUANTITATIVE:
            return all(b is not None for b in self.benchmarks)
        if self.kind is Kind.QUALITATIVE:
            return all(t is not None for t in self.texts)
        return True

    def target(self, level: Grade) -> str:
        """What a plant must show to reach ``level``, in words (for the advisor and reports)."""
        if self.kind is Kind.QUANTITATIVE:
            bench = self.benchmarks[level - 1]
            text = str(bench) if bench is not None else "（基准值未设定）"
            return f"{text} {self.unit}".rstrip()
        if self.kind is Kind.QUALITATIVE:
            return self.texts[level - 1] or ""
        return "是"


@dataclass(frozen=True)
class Group:
    """A weight shared among the members that apply (see :class:`Share`)."""

    code: str
    name: str
    weight: Fraction
    share: Share


@dataclass(frozen=True)
class Category:
    """一级指标 with weight w_i; a ``bonus`` category (加分项) is added on top of the index."""

    code: str
    name: str
    weight: Fraction
    indicators: tuple[Indicator, ...]
    groups: tuple[Group, ...] = ()
    bonus: bool = False

    def group(self, code: str) -> Group:
        """The group called ``code``."""
        for g in self.groups:
            if g.code == code:
                return g
        raise KeyError(code)


@dataclass(frozen=True)
class IndicatorSystem:
    """A validated indicator system; build it with :func:`loader.load_system`."""

    slug: str
    name: str
    version: str
    categories: tuple[Category, ...]
    status: str = "official"
    industries: tuple[str, ...] = ()
    authorities: tuple[str, ...] = ()
    announcement: str = ""
    effective: date | None = None
    level_names: tuple[str, str, str] = ("Ⅰ级", "Ⅱ级", "Ⅲ级")
    source: str = ""
    notes: str = ""
    flags: frozenset[str] = frozenset()
    parameters: tuple[Parameter, ...] = ()
    path: str = ""

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, in file order (the column order of batch arrays)."""
        return tuple(i for c in self.categories for i in c.indicators)

    @cached_property
    def position(self) -> dict[str, int]:
        """Column of each indicator code in batch arrays."""
        return {ind.code: j for j, ind in enumerate(self.indicators)}

    @cached_property
    def category_of(self) -> dict[str, Category]:
        """The category of each indicator code."""
        return {i.code: c for c in self.categories for i in c.indicators}

    @cached_property
    def output_share(self) -> frozenset[str]:
        """Codes of indicators in output-share groups (their weight depends on outputs)."""
        return frozenset(
            i.code
            for c in self.categories
            for i in c.indicators
            if i.group is not None and c.group(i.group).share is Share.OUTPUT
        )

    def indicator(self, code: str) -> Indicator:
        """The indicator called ``code``."""
        return self.indicators[self.position[code]]


Value = float | Grade | bool
"""A record value: a number (quantitative), the level the assessor picked (qualitative,
``Grade.BELOW`` when no text is met) or ``True``/``False`` (yes/no)."""


@dataclass(frozen=True)
class Record:
    """One enterprise's data for one system.

    A code absent from ``values`` and from ``not_applicable`` is *missing* (counted as not
    met); a code in ``not_applicable`` is dropped and its category's weights rescaled.
    ``outputs`` gives each output-share indicator's product output (absent or 0: not made);
    ``params`` gives the parameters of linear benchmarks, e.g. ``{"n": 4}``.
    """

    id: str
    values: Mapping[str, Value] = field(default_factory=dict)
    not_applicable: frozenset[str] = frozenset()
    outputs: Mapping[str, float] = field(default_factory=dict)
    params: Mapping[str, int] = field(default_factory=dict)


def is_missing(value: Value | None) -> bool:
    """True for an absent value or a NaN (the batch arrays' missing marker)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _num(x: Fraction) -> str:
    """A Fraction as the shortest decimal text when it has one, else ``p/q``."""
    if x.denominator == 1:
        return str(x.numerator)
    d = x.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return f"{x.numerator}/{x.denominator}"
    places = max(twos, fives)
    scaled = x * 10**places
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def format_number(x: Fraction) -> str:
    """Public form of :func:`_num` for reports."""
    return _num(x)
