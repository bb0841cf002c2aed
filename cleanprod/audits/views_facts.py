"""The facts mandatory rosters are proposed from, entered by an authority for an enterprise in
its region: emission exceedances (双超), energy-quota exceedances (高耗能) and toxic-substance
records (双有), each with its evidence (a description and, on the form, a document checked like
audit documents). One form per record on the page; an .xlsx upload validates every row with the
same form and writes all rows or none. Writes go through ``save_form`` (scope checked before
and after, logged)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cleanprod.audits.models import EmissionExceedance, EnergyExceedance, SubstanceRecord
from cleanprod.audits.services.audits import check_upload
from cleanprod.audits.services.errors import PreconditionFailed
from cleanprod.platform.permissions import ADD, VIEW, can_any
from cleanprod.platform.services import save_form
from cleanprod.registry.forms import StyledModelForm
from cleanprod.registry.io.rowforms import read_rows, run_import, template_response
from cleanprod.registry.lookup import OrganisationField
from cleanprod.registry.models import Enterprise

COL_USCC, COL_YEAR, COL_EVIDENCE = "统一社会信用代码", "年份", "证据说明"


@dataclass(frozen=True)
class Kind:
    """One kind of fact: its model, the fields of its form and the columns of its template."""

    slug: str
    model: type[models.Model]
    fields: tuple[str, ...]
    columns: dict[str, str]  # header → form field (besides USCC, year and evidence)
    example: tuple[str, ...]
    choices: dict[str, dict[str, str]]  # field → what people write → code

    @property
    def headers(self) -> dict[str, str]:
        return {
            COL_USCC: "enterprise",
            COL_YEAR: "year",
            **self.columns,
            COL_EVIDENCE: "evidence",
        }


KINDS = {
    k.slug: k
    for k in (
        Kind(
            "emission",
            EmissionExceedance,
            ("kind", "pollutant", "value", "limit", "unit"),
            {
                "类型": "kind",
                "污染物": "pollutant",
                "监测值": "value",
                "限值": "limit",
                "单位": "unit",
            },
            ("91440300MA5XXXXXXX", "2025", "超标排放", "总铬", "1.2", "1.0", "mg/L", "监测报告"),
            {
                "kind": {
                    "超标排放": "standard",
                    "超过排放标准": "standard",
                    "超总量": "total_load",
                    "超过总量控制指标": "total_load",
                }
            },
        ),
        Kind(
            "energy",
            EnergyExceedance,
            ("product", "value", "quota", "unit"),
            {"产品": "product", "单位产品能耗": "value", "限额": "quota", "单位": "unit"},
            ("91440300MA5XXXXXXX", "2025", "水泥熟料", "120", "100", "kgce/t", "节能监察"),
            {},
        ),
        Kind(
            "substance",
            SubstanceRecord,
            ("name", "cas_numbers", "role", "declared"),
            {"物质名称": "name", "CAS号": "cas_numbers", "使用或排放": "role", "类别": "declared"},
            ("91440300MA5XXXXXXX", "2025", "二氯甲烷", "75-09-2", "使用", "", "台账"),
            {"role": {"使用": "used", "排放": "emitted"}},
        ),
    )
}


def _kind(slug: str) -> Kind:
    if slug not in KINDS:
        raise Http404
    return KINDS[slug]


def fact_form_class(kind: Kind, *, with_file: bool) -> type[StyledModelForm]:
    """The form of one record of ``kind`` (with the evidence document on the web page)."""
    field_names = ["enterprise", "year", *kind.fields, "evidence"]
    if with_file:
        field_names.append("evidence_file")

    class FactForm(StyledModelForm):
        enterprise = OrganisationField(label=gettext_lazy("Enterprise (name or USCC)"))

        class Meta:
            model = kind.model
            fields = field_names

        def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fields["enterprise"].queryset = Enterprise.objects.restrict(user, VIEW)  # type: ignore[attr-defined]
            if "evidence_file" in self.fields:
                self.fields["evidence_file"].help_text = _(
                    "PDF, Word, Excel, JPG or PNG, at most 20 MB."
                )

        def clean_evidence_file(self) -> Any:
            upload = self.cleaned_data.get("evidence_file")
            if upload and hasattr(upload, "content_type"):  # a new upload, not a stored file
                try:
                    check_upload(upload)
                except PreconditionFailed as exc:
                    raise forms.ValidationError(str(exc)) from exc
            return upload

    return FactForm


def choice_converter(kind: Kind, field: str) -> Any:
    """What a cell of a choice column says (code, label or usual word) → the code."""
    words = kind.choices.get(field, {})
    model_field = kind.model._meta.get_field(field)

    def convert(value: Any) -> str:
        text = str(value or "").strip()
        if text in words:
            return words[text]
        for code, label in model_field.choices or ():
            if text in (code, str(label)):
                return str(code)
        return text

    return convert


@transaction.atomic
def record_fact(user: Any, form: Any) -> models.Model:
    """Save one validated fact form as ``user`` (scope checked before and after, logged)."""
    upload = form.cleaned_data.get("evidence_file")
    if upload:
        form.instance.evidence_name = (upload.name or "")[:255]
    return save_form(user, form, ADD)


@transaction.atomic
def import_facts(user: Any, kind: Kind, file: Any, filename: str) -> int:
    """Every row of the file validated by the record's form, then saved; all rows or none."""
    form_class = fact_form_class(kind, with_file=False)
    made: list[Any] = []

    def make(data: dict[str, Any]) -> Any:
        made.append(form_class(data=data, user=user))
        return made[-1]

    convert = {f: choice_converter(kind, f) for f in kind.choices}
    read_rows(file, filename, kind.headers, make, convert=convert, example=kind.example)
    for form in made:  # read_rows returned: every form it made is valid
        save_form(user, form, ADD)
    return len(made)


@login_required
def fact_list(request: HttpRequest) -> HttpResponse:
    """The recent facts of each kind the user may view, with links to record more."""
    if not any(can_any(request.user, VIEW, k.model) for k in KINDS.values()):
        raise PermissionDenied
    sections = []
    for kind in KINDS.values():
        rows = (
            kind.model._default_manager.restrict(request.user, VIEW)  # type: ignore[attr-defined]
            .select_related("enterprise")
            .order_by("-recorded", "-pk")[:100]
        )
        sections.append(
            {
                "kind": kind,
                "name": kind.model._meta.verbose_name_plural,
                "rows": rows,
                "may_add": can_any(request.user, ADD, kind.model),
            }
        )
    return render(request, "audits/fact_list.html", {"sections": sections})


@login_required
def fact_add(request: HttpRequest, kind: str) -> HttpResponse:
    """Record one fact of ``kind`` with its evidence."""
    k = _kind(kind)
    if not can_any(request.user, ADD, k.model):
        raise PermissionDenied
    form_class = fact_form_class(k, with_file=True)
    initial = {}
    if request.GET.get("enterprise", "").isdigit():
        found = Enterprise.objects.restrict(request.user, VIEW).filter(
            pk=int(request.GET["enterprise"])
        )
        initial["enterprise"] = found[0].uscc if found else ""
    form = form_class(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_fact(request.user, form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Recorded."))
            return redirect("audits:fact-list")
    context = {"form": form, "kind": k, "name": k.model._meta.verbose_name}
    return render(request, "audits/fact_form.html", context)


@login_required
def fact_import(request: HttpRequest, kind: str) -> HttpResponse:
    """Record facts of ``kind`` from a spreadsheet (one row per record)."""
    k = _kind(kind)
    if not can_any(request.user, ADD, k.model):
        raise PermissionDenied

    class UploadForm(forms.Form):
        file = forms.FileField(label=_("File"))

    upload = UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and upload.is_valid():
        file = upload.cleaned_data["file"]
        count, errors = run_import(lambda: import_facts(request.user, k, file, file.name))
        if count is not None:
            messages.success(request, _("%(count)d records imported.") % {"count": count})
            return redirect("audits:fact-list")
    context = {
        "upload": upload,
        "errors": errors,
        "kind": k,
        "name": k.model._meta.verbose_name_plural,
        "columns": list(k.headers),
    }
    return render(request, "audits/fact_import.html", context)


@login_required
def fact_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The upload template of ``kind`` (.xlsx): the columns and an example row."""
    k = _kind(kind)
    return template_response(
        str(k.model._meta.verbose_name_plural),
        list(k.headers),
        [list(k.example)],
        f"{k.slug}-template.xlsx",
    )


def fact_evidence(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    """The evidence document of a fact, only to users who may view the fact."""
    if not request.user.is_authenticated:
        raise Http404
    k = _kind(kind)
    fact = get_object_or_404(k.model._default_manager.restrict(request.user, VIEW), pk=pk)  # type: ignore[attr-defined]
    if not fact.evidence_file:  # type: ignore[attr-defined]
        raise Http404
    return FileResponse(
        fact.evidence_file.open("rb"),  # type: ignore[attr-defined]
        as_attachment=True,
        filename=fact.evidence_name or "evidence",  # type: ignore[attr-defined]
    )
