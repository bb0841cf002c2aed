from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from cleanprod.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "party", "region", "department", "role", "is_active")
    list_filter = ("party", "department", "role", "is_active", "is_staff")
    raw_id_fields = ("region", "enterprise", "agency", "expert")
    filter_horizontal = ("association_scope", "groups", "user_permissions")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Party"),
            {
                "fields": (
                    "party",
                    "region",
                    "department",
                    "role",
                    "enterprise",
                    "agency",
                    "expert",
                    "association_scope",
                )
            },
        ),
    )
