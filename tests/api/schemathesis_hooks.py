"""Schemathesis hooks for tests/api/test_schema.py (loaded through SCHEMATHESIS_HOOKS).

The fuzzer runs with a real account's token and may write. It must not lock itself out:
changing, deleting or deactivating its own user row (or its password) would turn the rest of
the run into 401s, so those requests are redirected to an id that does not exist.

Random ids almost never name a stored object, so detail operations would only ever see 404s:
``CLEANPROD_FUZZ_KNOWN`` (JSON: collection path → ids, slugs or codes of stored rows) lets the
fuzzer pick real objects as often as random ones.
"""

from __future__ import annotations

import json
import os
from typing import Any

import schemathesis
from hypothesis import strategies as st

OWN_USER = os.environ.get("CLEANPROD_FUZZ_OWN_USER", "")
MISSING_ID = 2_000_000_000  # no test database gets this far; answers 404
KNOWN: dict[str, list[Any]] = json.loads(os.environ.get("CLEANPROD_FUZZ_KNOWN") or "{}")


@schemathesis.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    """Either the generated value or the key of a stored object of the collection."""
    collection = context.operation.path.split("{")[0]
    known = KNOWN.get(collection)
    if not known or not path_parameters or len(path_parameters) != 1:
        return st.just(path_parameters)
    name = next(iter(path_parameters))
    return st.one_of(st.just(path_parameters), st.sampled_from([{name: v} for v in known]))


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Point writes to the fuzzer's own account at a missing id."""
    if (
        case.operation.path.startswith("/api/users/{id}")
        and case.method.upper() in {"PUT", "PATCH", "DELETE", "POST"}
        and str((case.path_parameters or {}).get("id")) == OWN_USER
    ):
        case.path_parameters = {**case.path_parameters, "id": MISSING_ID}
