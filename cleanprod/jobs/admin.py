from django.contrib import admin

from cleanprod.jobs.models import Job, ScheduledRun


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "title", "user", "status", "done", "total", "created", "finished"]
    list_filter = ["status", "kind"]
    exclude = ["payload"]
    readonly_fields = ["task_id"]


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = ["name", "day", "enqueued", "job"]
    list_filter = ["name"]
