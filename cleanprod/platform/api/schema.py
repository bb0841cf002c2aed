"""OpenAPI schema post-processing: the error responses every operation can give, documented once.

DRF answers with these on any operation (validation, authentication, permission, lookup,
pagination past the end, throttling), so listing them per view would repeat the same six lines
on ~80 operations. The hook adds each one an operation does not document itself.
"""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "description": "DRF error: `detail` says why.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
# 400 bodies map each field to its messages (or ``detail`` / ``non_field_errors``).
VALIDATION_ERROR = {
    "type": "object",
    "description": "Field name → list of messages (Chinese), or `detail`.",
    "additionalProperties": True,
}
JSON = "application/json"
# A URL that does not route (an id containing a dot, say) never reaches DRF: Django's own 404 page.
NOT_FOUND_CONTENT = {JSON: {"schema": ERROR}, "text/html": {"schema": {"type": "string"}}}

COMMON = {
    "400": ("Invalid input: the body names each field.", {JSON: {"schema": VALIDATION_ERROR}}),
    "401": ("Not authenticated (missing, invalid or expired token).", {JSON: {"schema": ERROR}}),
    "403": ("Not allowed for this user (policy).", {JSON: {"schema": ERROR}}),
    "404": ("Not found, or outside the user's scope.", NOT_FOUND_CONTENT),
    "405": ("Method not allowed.", {JSON: {"schema": ERROR}}),
    "429": ("Too many requests (throttled or locked out).", {JSON: {"schema": ERROR}}),
}
# Writes to an existing object: it changed since it was read (optimistic locking) or, for a
# delete, other records still refer to it.
CONFLICT = (
    "Conflict: the object changed since it was read, or is still referenced.",
    {JSON: {"schema": ERROR}},
)
WRITES = {"put", "patch", "delete"}
METHODS = {"get", "post", *WRITES}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: document the common error responses."""
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            common = {**COMMON, "409": CONFLICT} if method in WRITES else COMMON
            for code, (description, content) in common.items():
                responses.setdefault(code, {"description": description, "content": content})
    return result
