"""Schemathesis hooks for tests/api/test_schema.py (loaded through SCHEMATHESIS_HOOKS).

The fuzzer runs with a real account's token and may write. It must not lock itself out:
changing, deleting or deactivating its own user row (or its password) would turn the rest of
the run into 401s, so those requests are redirected to an id that does not exist.
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis

OWN_USER = os.environ.get("CLEANPROD_FUZZ_OWN_USER", "")
MISSING_ID = 2_000_000_000  # no test database gets this far; answers 404


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Point writes to the fuzzer's own account at a missing id."""
    if (
        case.operation.path.startswith("/api/users/{id}")
        and case.method.upper() in {"PUT", "PATCH", "DELETE", "POST"}
        and str((case.path_parameters or {}).get("id")) == OWN_USER
    ):
        case.path_parameters = {**case.path_parameters, "id": MISSING_ID}
