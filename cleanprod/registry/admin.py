from django.contrib import admin

from cleanprod.registry.models import Agency, AgencyStaff, Enterprise, Expert, Park


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "region", "industry_code", "above_size", "status", "synthetic")
    list_filter = ("above_size", "status", "synthetic")
    search_fields = ("name", "uscc")
    raw_id_fields = ("region", "park")
    list_select_related = ("region",)


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "synthetic")
    list_filter = ("kind",)
    search_fields = ("name",)
    raw_id_fields = ("region",)


class AgencyStaffInline(admin.TabularInline):
    model = AgencyStaff
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "region", "filing_no", "valid_until")
    search_fields = ("name", "uscc", "filing_no")
    raw_id_fields = ("region",)
    filter_horizontal = ("industry_scope",)
    inlines = [AgencyStaffInline]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "region", "employer_kind", "active")
    list_filter = ("title", "active", "employer_kind")
    search_fields = ("name", "employer_name")
    raw_id_fields = ("region", "employer_enterprise", "employer_agency")
    filter_horizontal = ("specialties",)
