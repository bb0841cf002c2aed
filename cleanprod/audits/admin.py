from django.contrib import admin

from cleanprod.audits.models import (
    Audit,
    CreditEvent,
    EmissionExceedance,
    EnergyExceedance,
    ProvincialRules,
    Roster,
    SubstanceRecord,
)


@admin.register(Audit)
class AuditAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "phase", "region", "year", "overdue")
    list_filter = ("kind", "phase", "year", "overdue")
    search_fields = ("title", "enterprise__uscc")
    raw_id_fields = ("enterprise", "members", "park", "roster_entry", "agency", "staff", "region")
    readonly_fields = ("phase", "version")


@admin.register(Roster)
class RosterAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "year", "kind", "status")
    list_filter = ("kind", "status", "year")
    raw_id_fields = ("region",)


@admin.register(ProvincialRules)
class ProvincialRulesAdmin(admin.ModelAdmin):
    list_display = ("region", "version", "active", "created")
    raw_id_fields = ("region",)


@admin.register(CreditEvent)
class CreditEventAdmin(admin.ModelAdmin):
    list_display = ("agency", "kind", "start", "end")
    list_filter = ("kind",)
    raw_id_fields = ("agency", "audit")


for fact in (EmissionExceedance, EnergyExceedance, SubstanceRecord):
    admin.site.register(
        fact, list_display=("enterprise", "year", "evidence"), raw_id_fields=("enterprise",)
    )
