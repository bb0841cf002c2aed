"""The user's background jobs: a list, and a page that polls a job's progress until it ends."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.views.generic import DetailView, ListView

from cleanprod.jobs.models import Job
from cleanprod.platform.permissions import VIEW

MAX_ERRORS_SHOWN = 500


class JobListView(LoginRequiredMixin, ListView):
    template_name = "jobs/list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Job]:
        return Job.objects.restrict(self.request.user, VIEW).select_related("user").defer("payload")


class JobDetailView(LoginRequiredMixin, DetailView):
    """The job page; an HTMX request gets only the status fragment, which polls while running."""

    template_name = "jobs/detail.html"
    context_object_name = "job"

    def get_queryset(self) -> QuerySet[Job]:
        return Job.objects.restrict(self.request.user, VIEW).defer("payload")

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return ["jobs/_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        errors = self.object.errors or []
        # The job keeps only the first errors; the result counts all of them.
        count = (self.object.result or {}).get("error_count", len(errors))
        context.update(
            errors_shown=errors[:MAX_ERRORS_SHOWN],
            errors_hidden=max(0, count - MAX_ERRORS_SHOWN),
        )
        return context
