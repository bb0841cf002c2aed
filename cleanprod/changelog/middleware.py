"""Give every request a change context: its user, a request id, the source and address."""

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from cleanprod.changelog.context import change_context


class ChangeContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4()
        source = "api" if request.path.startswith("/api/") else "web"
        with change_context(
            source=source,
            request_id=request_id,
            remote_addr=request.META.get("REMOTE_ADDR", ""),
            request=request,
        ):
            response = self.get_response(request)
        response["X-Request-ID"] = str(request_id)
        return response
