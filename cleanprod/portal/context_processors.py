from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, object]:
    """Values every page template needs."""
    return {"PLATFORM_NAME": settings.PLATFORM_NAME}
