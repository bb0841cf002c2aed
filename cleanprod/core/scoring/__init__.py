"""The evaluation/grading core: indicator systems as data, exact grading, batch, advisor.

Pure Python + numpy, no Django. Build a system once (:func:`load_system`), then grade records
(:func:`evaluate`, or :func:`evaluate_batch` on arrays from :func:`to_arrays`), and ask the
advisor what to improve (:func:`advise`). See docs/indicator-systems.md.
"""

from cleanprod.core.scoring.advisor import Improvement, Plan, advise, plan_for
from cleanprod.core.scoring.batch import BatchResult, RecordArrays, evaluate_batch, to_arrays
from cleanprod.core.scoring.engine import evaluate
from cleanprod.core.scoring.errors import (
    RecordError,
    ScoringError,
    SystemNotFound,
    SystemValidationError,
    TabularError,
)
from cleanprod.core.scoring.loader import load_system, load_system_file, parse_system
from cleanprod.core.scoring.model import Category, Grade, Indicator, IndicatorSystem, Record
from cleanprod.core.scoring.result import EvaluationResult, IndicatorOutcome
from cleanprod.core.scoring.tabular import read_records

__all__ = [
    "BatchResult",
    "Category",
    "EvaluationResult",
    "Grade",
    "Improvement",
    "Indicator",
    "IndicatorOutcome",
    "IndicatorSystem",
    "Plan",
    "Record",
    "RecordArrays",
    "RecordError",
    "ScoringError",
    "SystemNotFound",
    "SystemValidationError",
    "TabularError",
    "advise",
    "evaluate",
    "evaluate_batch",
    "load_system",
    "load_system_file",
    "parse_system",
    "plan_for",
    "read_records",
    "to_arrays",
]
