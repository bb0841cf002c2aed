"""Content-Security-Policy (django-csp) with a relaxed policy for pages we do not write.

The Django admin and the Swagger UI of the API docs ship inline scripts and styles; they get
``'unsafe-inline'`` for scripts and styles. Every other page gets the strict policy of
``CONTENT_SECURITY_POLICY``.
"""

from __future__ import annotations

from typing import Any

from csp.middleware import CSPMiddleware, PolicyParts

RELAXED_PREFIXES = ("/admin/", "/api/docs/")
RELAXED = {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"]}


class PathCSPMiddleware(CSPMiddleware):
    """CSPMiddleware that relaxes the policy under ``RELAXED_PREFIXES``."""

    def get_policy_parts(
        self, request: Any, response: Any, report_only: bool = False
    ) -> PolicyParts:
        """The configured policy, plus ``RELAXED`` for the admin and the API docs."""
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(RELAXED_PREFIXES):
            parts.update = {**RELAXED, **(parts.update or {})}
        return parts
