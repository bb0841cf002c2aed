from typing import Any

from django.contrib import admin

from cleanprod.changelog.models import ObjectChange


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    """Read-only: the change log is evidence and is never edited."""

    list_display = (
        "time",
        "user_name",
        "source",
        "action",
        "content_type",
        "object_repr",
        "region_code",
    )
    list_filter = ("action", "source", "content_type")
    search_fields = ("object_repr", "user_name", "object_id", "request_id")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
