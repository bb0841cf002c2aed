"""Language selection: Simplified Chinese unless the user asked for another language."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Chinese by default; English (or another configured language) on request.

    A request asks by the ``lang`` query parameter or the language cookie set by the language
    switcher. The browser's Accept-Language is ignored on purpose: the platform's working
    language is Chinese whatever the visitor's browser says.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        asked = request.GET.get("lang") or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = asked if asked in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNulMiddleware:
    """Refuse requests whose parameters contain NUL characters, with a 400.

    No text of the platform may contain NUL, and PostgreSQL refuses it in any text value, so a
    NUL in a query parameter or a form/JSON field would otherwise surface as a server error
    from whichever lookup reaches the database first. Uploaded files are not inspected.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            message = "NUL characters are not allowed in request parameters."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
            "QUERY_STRING", ""
        ):
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("multipart/"):
            return any("\x00" in v for values in request.POST.lists() for v in values[1])
        body = request.body
        if content_type.startswith("application/x-www-form-urlencoded"):
            return b"%00" in body or b"\x00" in body
        return b"\x00" in body or b"\\u0000" in body


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared body exceeds ``CLEANPROD_MAX_REQUEST_BYTES``.

    Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files, so without
    this cap one request could fill the disk with temporary upload files. It runs before any
    middleware reads the body, and refuses on the Content-Length header alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(getattr(settings, "CLEANPROD_MAX_REQUEST_BYTES", 50 * 1024 * 1024))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django treats a malformed length as no body
        if length > limit:
            # The language middleware has not run yet: answer in the platform's language.
            with translation.override(settings.LANGUAGE_CODE):
                message = _("The request is larger than %(mb)d MB and was refused.") % {
                    "mb": limit >> 20
                }
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
