"""Target decomposition for all child regions at once: a table form (one row per child of the
officer's own node), its .xlsx export and import; one validation (:func:`check_parts`: exact
sum against the node's value), one submit, all parts or none."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cleanprod.plans.decomposition import (
    DecompositionError,
    allocate_all,
    can_allocate,
    children_of,
    decomposition,
)
from cleanprod.plans.models import Target
from cleanprod.platform import forms as forms_base
from cleanprod.platform.permissions import VIEW
from cleanprod.regions.models import Region
from cleanprod.registry.io.readers import FileFormatError
from cleanprod.registry.io.rowforms import RowErrors, read_rows, template_response

COL_CODE, COL_NAME, COL_VALUE = "地区代码", "地区", "分解值"


class PartsForm(forms_base.Form):
    """One decimal field per child region (``part_<code>``); a part once set stays set."""

    def __init__(
        self, *args: Any, children: list[Region], current: dict[str, Decimal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.children = children
        self.current = current
        for child in children:
            self.fields[f"part_{child.code}"] = forms.DecimalField(
                label=child.name,
                max_digits=18,
                decimal_places=4,
                required=child.code in current,
                initial=current.get(child.code),
            )

    def rows(self) -> list[dict[str, Any]]:
        """The table: each child with its field and current value."""
        return [
            {"region": c, "field": self[f"part_{c.code}"], "current": self.current.get(c.code)}
            for c in self.children
        ]

    def values(self) -> dict[str, Decimal]:
        return {
            c.code: self.cleaned_data[f"part_{c.code}"]
            for c in self.children
            if self.cleaned_data.get(f"part_{c.code}") is not None
        }


class PartRowForm(forms_base.Form):
    """One row of the decomposition spreadsheet."""

    code = forms.CharField(label=gettext_lazy("Region code"), max_length=12)
    value = forms.DecimalField(label=gettext_lazy("Value"), max_digits=18, decimal_places=4)

    def __init__(self, *args: Any, children: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.children = children

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if code not in self.children:
            raise forms.ValidationError(
                _("%(code)s is not a region this target is decomposed to.") % {"code": code}
            )
        return code


class UploadForm(forms_base.Form):
    file = forms.FileField(label=gettext_lazy("Decomposition file"), required=False)


def _node(request: HttpRequest, slug: str) -> tuple[Target, Region | None]:
    """The target and the user's own node, which only its authority decomposes."""
    target = get_object_or_404(Target.objects.restrict(request.user, VIEW), slug=slug)
    parent = request.user.region if getattr(request.user, "region_id", None) else None
    if target.target_value is None or not can_allocate(request.user, parent):
        raise PermissionDenied
    return target, parent


def read_parts(file: Any, filename: str, children: set[str]) -> dict[str, Decimal]:
    """The parts of a decomposition spreadsheet, every row checked; a region given twice is
    refused naming both rows."""
    parsed = read_rows(
        file,
        filename,
        {COL_CODE: "code", COL_VALUE: "value"},
        lambda data: PartRowForm(data=data, children=children),
    )
    values: dict[str, Decimal] = {}
    first: dict[str, int] = {}
    errors = []
    for number, data in parsed:
        if data["code"] in first:
            errors.append(
                _("Row %(row)d: %(code)s is already given in row %(first)d.")
                % {"row": number, "code": data["code"], "first": first[data["code"]]}
            )
            continue
        first[data["code"]] = number
        values[data["code"]] = data["value"]
    if errors:
        raise RowErrors(errors)
    return values


@login_required
def decompose(request: HttpRequest, slug: str) -> HttpResponse:
    """Every child's part of ``target`` in one table (or one uploaded file), saved together."""
    target, parent = _node(request, slug)
    check = decomposition(request.user, target, parent)
    current = {p["code"]: p["assigned"] for p in check["parts"]}
    children = children_of(parent)
    data = request.POST if request.method == "POST" else None
    form = PartsForm(data, children=children, current=current)
    upload = UploadForm(data, request.FILES or None)
    errors: list[str] = []
    if data is not None and upload.is_valid():
        values: dict[str, Decimal] | None = None
        file = upload.cleaned_data.get("file")
        if file:
            try:
                values = {**current, **read_parts(file, file.name, {c.code for c in children})}
            except RowErrors as exc:
                errors = exc.messages
            except FileFormatError as exc:
                errors = [str(exc)]
        elif form.is_valid():
            values = form.values()
        if values is not None:
            try:
                allocate_all(request.user, target, parent, values)
            except DecompositionError as exc:
                for code, message in exc.errors.items():
                    if code and f"part_{code}" in form.fields and not file:
                        form.add_error(f"part_{code}", message)
                    else:
                        errors.append(message)
            else:
                messages.success(request, _("Decomposition saved."))
                return redirect(reverse("plans:target-detail", args=[target.slug]))
    context = {
        "target": target,
        "parent": parent,
        "check": check,
        "form": form,
        "upload": upload,
        "errors": errors,
    }
    return render(request, "plans/decompose.html", context)


@login_required
def decompose_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The decomposition table as .xlsx (code, name, current part), to fill in and upload."""
    target, parent = _node(request, slug)
    check = decomposition(request.user, target, parent)
    current = {p["code"]: p["assigned"] for p in check["parts"]}
    body = [[c.code, c.name, current.get(c.code)] for c in children_of(parent)]
    return template_response(
        _("Decomposition"),
        [COL_CODE, COL_NAME, COL_VALUE],
        body,
        f"decomposition-{target.slug}.xlsx",
    )
