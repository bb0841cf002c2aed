"""The party is read in one place: the policies and the permission module decide with it.

Code elsewhere asks ``can``/``restrict`` or ``party_of``; a test of ``user.party`` in a view or
a service is a second, hand-written permission rule (the code review's F3).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "cleanprod"
ALLOWED = {"platform/permissions.py", "accounts/models.py"}
PATTERN = re.compile(r"""\.party\s*(==|!=|in\b)|getattr\([^)]*["']party["']""")


def test_no_party_tests_outside_the_permission_module() -> None:
    found = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if (
            rel in ALLOWED
            or rel.endswith("policies.py")
            or "/tests/" in rel
            or "/migrations/" in rel
            or rel.startswith("demo/")
        ):
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if PATTERN.search(line):
                found.append(f"{rel}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
