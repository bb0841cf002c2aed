"""Results of grading: per-indicator outcomes and the record's evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from cleanprod.core.scoring.model import Grade, Value, format_number


@dataclass(frozen=True)
class IndicatorOutcome:
    """How one indicator fared. ``level`` is None when it does not apply."""

    code: str
    name: str
    category: str
    level: Grade | None
    value: Value | None
    weight: Fraction  # its share of the index (0 when not applicable)
    missing: bool = False
    reason: str = ""  # why it does not apply, or why it is counted as missing

    @property
    def applicable(self) -> bool:
        """Whether the indicator counts in the index."""
        return self.level is not None


@dataclass(frozen=True)
class EvaluationResult:
    """The outcome of grading one record: indices, grade, per-indicator levels, explanation."""

    record_id: str
    system: str
    index: tuple[Fraction, Fraction, Fraction]  # Y_I, Y_II, Y_III (bonus included, ≤ 100)
    grade: Grade
    outcomes: tuple[IndicatorOutcome, ...]
    failed_restrictive: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    failed_flag: tuple[str, ...]  # non-restrictive below II when the system requires them at II
    missing: tuple[str, ...]
    not_applicable: tuple[str, ...]
    inapplicable_categories: tuple[str, ...]
    explanation: str

    @property
    def advanced(self) -> bool:
        """清洁生产先进企业: level II or better."""
        return self.grade.advanced

    def outcome(self, code: str) -> IndicatorOutcome:
        """The outcome of indicator ``code``."""
        for o in self.outcomes:
            if o.code == code:
                return o
        raise KeyError(code)


def format_index(y: Fraction) -> str:
    """An index for people: ``= 85.5`` when exact in ≤ 4 decimals, else ``≈ 71.47``."""
    exact = format_number(y)
    if "/" not in exact and len(exact.partition(".")[2]) <= 4:
        return f"= {exact}"
    return f"≈ {float(y):.2f}"
