"""The site's URLs plus one view that fails, for the logging test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from cleanprod.urls import urlpatterns as site


def boom(request: HttpRequest) -> HttpResponse:
    """Fails like a bug would."""
    raise RuntimeError("boom: a bug in a view")


urlpatterns = [path("boom/", boom), *site]
