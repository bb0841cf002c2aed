"""Import, export and template download pages of the registry lists."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from cleanprod.jobs import services as jobs
from cleanprod.jobs.models import Job
from cleanprod.platform.permissions import ADD, CHANGE, EXPORT, can_any
from cleanprod.registry.io import SPECS, ModelSpec
from cleanprod.registry.io.exports import (
    CONTENT_TYPES,
    csv_lines,
    filtered,
    headers,
    rows,
    template_csv,
    template_xlsx,
    write_xlsx,
)
from cleanprod.registry.tasks import import_registry_file

NOT_FILTERS = {"format", "page", "sort", "per_page"}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_(".xlsx or .csv (UTF-8 or GB18030), with the template's header")
    )
    dry_run = forms.BooleanField(label=_("Only check, write nothing"), required=False)


def may_import(user: Any, spec: ModelSpec) -> bool:
    """Whether to offer the import at all; each row is then checked on its own."""
    return can_any(user, ADD, spec.model) or can_any(user, CHANGE, spec.model)


def filename(spec: ModelSpec, suffix: str) -> str:
    """``enterprises-20260131.xlsx``."""
    return f"{spec.slug}-{date.today():%Y%m%d}.{suffix}"


class SpecView(LoginRequiredMixin, View):
    """A view of one importable model; ``spec`` is given to ``as_view``."""

    spec: ModelSpec | None = None

    def get_spec(self) -> ModelSpec:
        assert self.spec is not None
        return self.spec


def start_import(spec: ModelSpec, user: Any, upload: UploadedFile, *, dry_run: bool) -> Job:
    """Save the uploaded file in a job and enqueue its import as ``user`` once committed."""
    title = _("Import %(models)s: %(file)s") % {
        "models": spec.model._meta.verbose_name_plural,
        "file": upload.name,
    }
    with transaction.atomic():
        job = jobs.create(
            f"import:{spec.slug}",
            str(title),
            user,
            params={"model": spec_key(spec), "filename": upload.name, "dry_run": dry_run},
            payload=b"".join(upload.chunks()),
        )
        jobs.enqueue_after_commit(job, import_registry_file)
    return job


def spec_key(spec: ModelSpec) -> str:
    """The name of ``spec`` in :data:`SPECS` (what the task looks it up by)."""
    return next(key for key, value in SPECS.items() if value is spec)


class ImportView(SpecView):
    """The upload form; a valid upload becomes a background job and the user goes to its page."""

    template_name = "registry/import.html"
    result_template = "registry/_import_result.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not may_import(request.user, self.get_spec()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        htmx = bool(request.headers.get("HX-Request"))
        if not form.is_valid():
            if htmx:
                return render(request, self.result_template, self.context(form))
            return self.page(request, form, status=400)
        job = start_import(
            self.get_spec(),
            request.user,
            form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
        )
        # The import runs in a worker; the job page shows its progress, then counts or errors.
        if htmx:  # htmx follows HX-Redirect with a full page load
            return HttpResponse(headers={"HX-Redirect": job.get_absolute_url()})
        return redirect(job)

    def context(self, form: ImportForm) -> dict[str, Any]:
        spec = self.get_spec()
        return {
            "form": form,
            "spec": spec,
            "title": _("Import %(models)s") % {"models": spec.model._meta.verbose_name_plural},
            "list_url_name": f"registry:{spec.url_name}-list",
            "template_url_name": f"registry:{spec.url_name}-import-template",
            "columns": spec.importable(),
        }

    def page(self, request: HttpRequest, form: ImportForm, status: int = 200) -> HttpResponse:
        return render(request, self.template_name, self.context(form), status=status)


class TemplateDownloadView(SpecView):
    """The empty import file: header row, example row and (for .xlsx) a notes sheet."""

    def get(self, request: HttpRequest) -> HttpResponse:
        spec = self.get_spec()
        fmt = request.GET.get("format", "xlsx")
        if fmt not in CONTENT_TYPES:
            return HttpResponseBadRequest(_("Choose format=xlsx or format=csv."))
        data = template_csv(spec) if fmt == "csv" else template_xlsx(spec)
        response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
        name = f"{spec.slug}-template.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ExportView(SpecView):
    """The filtered list (the list page's query string) within the user's export scope."""

    def get(self, request: HttpRequest) -> HttpResponse:
        spec = self.get_spec()
        if not can_any(request.user, EXPORT, spec.model):
            raise PermissionDenied
        fmt = request.GET.get("format", "xlsx")
        if fmt not in CONTENT_TYPES:
            return HttpResponseBadRequest(_("Choose format=xlsx or format=csv."))
        response = export_response(spec, request.user, request.GET, fmt)
        if response is None:
            return HttpResponseBadRequest(_("The filter is not valid."))
        return response


def export_response(spec: ModelSpec, user: Any, params: Any, fmt: str) -> HttpResponse | None:
    """A streamed export, or ``None`` if the filter parameters are invalid (web and API)."""
    params = params.copy()
    for key in NOT_FILTERS:
        params.pop(key, None)
    filterset = filtered(spec, user, params)
    if not filterset.is_valid():
        return None
    body = rows(spec, filterset.qs)
    if fmt == "csv":
        response: HttpResponse = StreamingHttpResponse(
            csv_lines(headers(spec), body), content_type=CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{filename(spec, "csv")}"'
        return response
    return FileResponse(
        write_xlsx(spec.sheet, headers(spec), body),
        as_attachment=True,
        filename=filename(spec, "xlsx"),
        content_type=CONTENT_TYPES["xlsx"],
    )
