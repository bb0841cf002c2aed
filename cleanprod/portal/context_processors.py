from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cleanprod.portal.workbench import badge


def platform(request: HttpRequest) -> dict[str, object]:
    """Values every page template needs."""
    return {"PLATFORM_NAME": settings.PLATFORM_NAME}


def workbench(request: HttpRequest) -> dict[str, object]:
    """The navigation's workbench badge, computed only when a template shows it (lazily)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    # Lazy: a few indexed counts, run only by pages that render the navigation.
    return {"WORKBENCH_COUNT": SimpleLazyObject(lambda: badge(user))}
