"""Exceptions raised by the scoring core; all derive from :class:`CoreError`."""

from __future__ import annotations

from cleanprod.core.errors import CoreError


class ScoringError(CoreError):
    """Base class of the scoring core's errors."""


class SystemValidationError(ScoringError, ValueError):
    """An indicator-system file is invalid.

    ``problems`` lists every problem found, each naming the file and, where it applies, the
    category or indicator; ``str(exc)`` joins them one per line.
    """

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(f"{source}: {p}" for p in self.problems))


class RecordError(ScoringError, ValueError):
    """A record does not fit its system (unknown code, wrong value type)."""


class TabularError(ScoringError, ValueError):
    """A CSV/XLSX file of records cannot be read; the message names the row and column."""


class SystemNotFound(ScoringError, LookupError):
    """No shipped system has this slug and no file exists at this path."""
