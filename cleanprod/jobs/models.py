"""What users watch of a background job, and the record that keeps periodic jobs to one run."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cleanprod.platform.permissions import RestrictedQuerySet

PHASES = {"read": _("Reading the file"), "check": _("Checking rows"), "write": _("Writing")}


class Job(models.Model):
    """One run of a background task: its progress while it runs, then its result or errors.

    The task (django-tasks) does the work; this row is what the job page polls. Progress is
    written in short transactions of their own so the page sees it while the task runs.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
        help_text=_("Who started the job; empty for scheduled jobs."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # The uploaded file travels in the database, not MEDIA_ROOT: workers may run on other
    # machines. It is dropped once the job has finished.
    payload = models.BinaryField(null=True, blank=True, editable=False)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def phase_label(self) -> str:
        """The phase in the user's language (the importer names them read, check, write)."""
        return str(PHASES.get(self.phase, self.phase))

    @property
    def percent(self) -> int | None:
        """Progress in per cent, or ``None`` while the total is unknown."""
        if self.is_finished:
            return 100
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "kind": self.kind,
            "status": self.status,
            "phase": self.phase,
            "done": self.done,
            "total": self.total,
            "message": self.message,
            "result": self.result,
            "errors": self.errors,
        }


class ScheduledRun(models.Model):
    """A periodic job enqueued for a day: the unique row keeps workers from running it twice."""

    name = models.CharField(_("job"), max_length=60)
    day = models.DateField(_("day"))
    enqueued = models.DateTimeField(_("enqueued"), auto_now_add=True)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-day", "name"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["name", "day"], name="uniq_scheduled_run_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"
