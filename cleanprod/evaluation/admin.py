from django.contrib import admin

from cleanprod.evaluation.models import Assessment, SystemVersion


@admin.register(SystemVersion)
class SystemVersionAdmin(admin.ModelAdmin):
    list_display = ("slug", "version", "name", "status", "current", "loaded")
    list_filter = ("status", "current")
    readonly_fields = ("sha256", "loaded")


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "system", "grade", "submitted")
    list_filter = ("grade", "system")
    raw_id_fields = ("enterprise", "supersedes")
    readonly_fields = [f.name for f in Assessment._meta.fields]
