"""Import, export and template download pages of the registry lists."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from cleanprod.accounts.permissions import ADD, CHANGE, EXPORT, can_any
from cleanprod.registry.io import ModelSpec, import_file
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

MAX_ERRORS_SHOWN = 500
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


class ImportView(SpecView):
    """The upload form; the result (errors by row and column, or counts) replaces it via HTMX."""

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
        upload = form.cleaned_data["file"]
        result = import_file(
            self.get_spec(),
            request.user,
            upload,
            upload.name,
            dry_run=form.cleaned_data["dry_run"],
        )
        context = self.context(form)
        context.update(
            result=result,
            errors_shown=result.errors[:MAX_ERRORS_SHOWN],
            errors_hidden=max(0, len(result.errors) - MAX_ERRORS_SHOWN),
        )
        if htmx:  # htmx swaps only 2xx responses in; the fragment says what went wrong
            return render(request, self.result_template, context)
        return render(request, self.template_name, context, status=200 if result.ok else 400)

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
