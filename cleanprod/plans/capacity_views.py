"""Production capacities and technology adoptions (the penetration metrics' facts), entered by
an authority for enterprises in its region: a form per record and an .xlsx import (one row per
record) validated by the same form, all rows or none, through ``save_form``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cleanprod.plans.models import Adoption, EnterpriseCapacity, Technology
from cleanprod.platform import forms as forms_base
from cleanprod.platform.permissions import ADD, VIEW, can_any, party_of
from cleanprod.platform.services import save_form
from cleanprod.registry.io.rowforms import RowErrors, read_rows, run_import, template_response
from cleanprod.registry.lookup import OrganisationField
from cleanprod.registry.models import Enterprise


class TechnologyField(forms.CharField):
    """A technology of the catalogue by its identifier (slug) or exact name."""

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        matches = list(Technology.objects.filter(Q(slug=text) | Q(name=text), published=True)[:2])
        if len(matches) != 1:
            raise forms.ValidationError(
                _("No technology of the catalogue is named “%(value)s”.") % {"value": text}
                if not matches
                else _("Several technologies are named “%(value)s”: give the identifier.")
                % {"value": text}
            )
        return matches[0]


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[models.Model]
    fields: tuple[str, ...]
    columns: dict[str, str]
    example: tuple[str, ...]


KINDS = {
    k.slug: k
    for k in (
        Kind(
            "capacity",
            EnterpriseCapacity,
            ("enterprise", "year", "capacity", "unit"),
            {
                "统一社会信用代码": "enterprise",
                "起始年份": "year",
                "产能": "capacity",
                "单位": "unit",
            },
            ("91440300MA5XXXXXXX", "2025", "10000", "t/a"),
        ),
        Kind(
            "adoption",
            Adoption,
            ("enterprise", "technology", "year", "capacity"),
            {
                "统一社会信用代码": "enterprise",
                "技术（名称或标识）": "technology",
                "年份": "year",
                "覆盖产能": "capacity",
            },
            ("91440300MA5XXXXXXX", "示例技术", "2025", "5000"),
        ),
    )
}


def form_class(kind: Kind) -> type[forms.ModelForm]:
    """The form of one record of ``kind``: the enterprise by name or USCC among the user's."""
    field_names = list(kind.fields)

    class FactForm(forms_base.ModelForm):
        enterprise = OrganisationField(label=gettext_lazy("Enterprise (name or USCC)"))
        if "technology" in field_names:
            technology = TechnologyField(label=gettext_lazy("Technology (name or identifier)"))

        class Meta:
            model = kind.model
            fields = field_names

        def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fields["enterprise"].queryset = Enterprise.objects.restrict(user, VIEW)  # type: ignore[attr-defined]

    return FactForm


def _kind(slug: str) -> Kind:
    if slug not in KINDS:
        raise Http404
    return KINDS[slug]


@transaction.atomic
def import_records(user: Any, kind: Kind, file: Any, filename: str) -> int:
    """Every row validated by the record's form, then saved as ``user``; all rows or none."""
    cls = form_class(kind)
    made: list[Any] = []

    def make(data: dict[str, Any]) -> Any:
        made.append(cls(data=data, user=user))
        return made[-1]

    parsed = read_rows(file, filename, kind.columns, make, example=kind.example)
    if kind.model is EnterpriseCapacity:  # one capacity per enterprise and year
        first: dict[tuple[int, int], int] = {}
        errors = []
        for number, data in parsed:
            key = (data["enterprise"].pk, data["year"])
            if key in first:
                errors.append(
                    _("Row %(row)d: the same enterprise and year as row %(first)d.")
                    % {"row": number, "first": first[key]}
                )
            first.setdefault(key, number)
        if errors:
            raise RowErrors(errors)
    for form in made:
        save_form(user, form, ADD)
    return len(made)


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    """Recent capacities and adoptions the user may view, with links to record more."""
    if party_of(request.user) != "authority":
        raise PermissionDenied
    sections = [
        {
            "kind": k,
            "name": k.model._meta.verbose_name_plural,
            "rows": k.model._default_manager.restrict(request.user, VIEW)  # type: ignore[attr-defined]
            .select_related("enterprise")
            .order_by("-pk")[:100],
            "may_add": can_any(request.user, ADD, k.model),
        }
        for k in KINDS.values()
    ]
    return render(request, "plans/record_list.html", {"sections": sections})


@login_required
def record_add(request: HttpRequest, kind: str) -> HttpResponse:
    """Record one capacity or adoption."""
    k = _kind(kind)
    if party_of(request.user) != "authority" or not can_any(request.user, ADD, k.model):
        raise PermissionDenied
    form = form_class(k)(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            save_form(request.user, form, ADD)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Recorded."))
            return redirect("plans:record-list")
    context = {"form": form, "name": k.model._meta.verbose_name}
    return render(request, "plans/record_form.html", context)


class UploadForm(forms_base.Form):
    file = forms.FileField(label=gettext_lazy("File"))


@login_required
def record_import(request: HttpRequest, kind: str) -> HttpResponse:
    """Record capacities or adoptions from a spreadsheet."""
    k = _kind(kind)
    if party_of(request.user) != "authority" or not can_any(request.user, ADD, k.model):
        raise PermissionDenied
    upload = UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and upload.is_valid():
        file = upload.cleaned_data["file"]
        count, errors = run_import(lambda: import_records(request.user, k, file, file.name))
        if count is not None:
            messages.success(request, _("%(count)d records imported.") % {"count": count})
            return redirect("plans:record-list")
    context = {
        "upload": upload,
        "errors": errors,
        "kind": k,
        "name": k.model._meta.verbose_name_plural,
        "columns": list(k.columns),
    }
    return render(request, "plans/record_import.html", context)


@login_required
def record_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The upload template of ``kind`` (.xlsx)."""
    k = _kind(kind)
    return template_response(
        str(k.model._meta.verbose_name_plural),
        list(k.columns),
        [list(k.example)],
        f"{k.slug}-template.xlsx",
    )
