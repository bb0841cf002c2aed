"""Region scopes as code ranges: the filters every regional permission rule is built from.

Administrative division codes (GB/T 2260) are hierarchical: a province is its first two
digits, a prefecture its first four. A subtree is therefore a range of codes, which a plain
B-tree index serves on SQLite and PostgreSQL alike. No model is needed here, so the permission
module and the regions app both build on this one.
"""

from __future__ import annotations

from django.db.models import Q

from cleanprod.core.codes import prefix_upper_bound

# Significant digits of a division code by level (1 province, 2 prefecture, 3 county).
_DIGITS = {1: 2, 2: 4}


def code_prefix(code: str, level: int) -> str:
    """The significant digits of a division code: 2 for a province, 4 for a prefecture, 6 else."""
    return code[: _DIGITS.get(int(level), 6)]


def subtree_q(field: str, code: str, level: int) -> Q:
    """A filter on a region-code field matching ``code`` and every division below it."""
    prefix = code_prefix(code, level)
    if len(prefix) == 6:
        return Q(**{field: code})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix_upper_bound(prefix)})
