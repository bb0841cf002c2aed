"""An agency's staff and their audit-training certificates, kept by the agency itself or by the
authority of its region: the list (expired certificates flagged), a form per member and an .xlsx
import (姓名, 培训证书编号, 证书有效期至) through the same form, all rows or none."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cleanprod.platform.locking import StaleObject
from cleanprod.platform.permissions import ADD, CHANGE, VIEW, can, party_of
from cleanprod.platform.services import save_form
from cleanprod.registry.forms import StyledModelForm
from cleanprod.registry.io.rowforms import RowErrors, read_rows, run_import, template_response
from cleanprod.registry.models import Agency, AgencyStaff

COLUMNS = {
    "姓名": "name",
    "培训证书编号": "certificate_no",
    "证书有效期至": "certificate_valid_until",
}
EXAMPLE = ("王审核", "QJ-0000", "2028-12-31")


class StaffForm(StyledModelForm):
    """A staff member of ``agency`` with its certificate."""

    class Meta:
        model = AgencyStaff
        fields = ["name", "certificate_no", "certificate_valid_until"]
        widgets = {"certificate_valid_until": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agency = agency


def _may_add(user: Any, agency: Agency) -> bool:
    """Whether ``user`` may add staff to ``agency``: the policy decides on a probe row (the
    agency's own account, or an authority whose scope covers the agency's region)."""
    if not can(user, VIEW, agency):
        return False
    if getattr(user, "agency_id", None) == agency.pk:
        return True
    return party_of(user) == "authority" and can(user, CHANGE, agency)


@login_required
def staff_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency's staff, expired certificates flagged; the form to add one and the import."""
    agency = get_object_or_404(Agency.objects.restrict(request.user, VIEW), pk=pk)
    staff = AgencyStaff.objects.restrict(request.user, VIEW).filter(agency=agency)
    may_add = _may_add(request.user, agency)
    data = request.POST if request.method == "POST" else None
    if data is not None and not may_add:
        raise PermissionDenied
    form = StaffForm(data, agency=agency)
    errors: list[str] = []
    if data is not None and request.FILES.get("file"):
        upload = request.FILES["file"]
        count, errors = run_import(lambda: import_staff(request.user, agency, upload, upload.name))
        if count is not None:
            messages.success(request, _("%(count)d staff members added.") % {"count": count})
            return redirect("registry:agency-staff", pk=agency.pk)
        form = StaffForm(None, agency=agency)
    elif data is not None and form.is_valid():
        try:
            save_form(request.user, form, ADD)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Staff member added."))
            return redirect("registry:agency-staff", pk=agency.pk)
    changeable = set(
        AgencyStaff.objects.restrict(request.user, CHANGE)
        .filter(agency=agency)
        .values_list("pk", flat=True)
    )
    context = {
        "agency": agency,
        "staff": staff,
        "today": timezone.localdate(),
        "may_add": may_add,
        "changeable": changeable,
        "form": form,
        "errors": errors,
    }
    return render(request, "registry/staff_list.html", context)


@login_required
def staff_edit(request: HttpRequest, pk: int, staff: int) -> HttpResponse:
    """Change a staff member's name or certificate (e.g. a renewed certificate's validity)."""
    member = get_object_or_404(
        AgencyStaff.objects.restrict(request.user, VIEW).select_related("agency"),
        pk=staff,
        agency_id=pk,
    )
    if not can(request.user, CHANGE, member):
        raise PermissionDenied
    form = StaffForm(request.POST or None, instance=member, agency=member.agency)
    if request.method == "POST" and form.is_valid():
        try:
            save_form(request.user, form, CHANGE)
        except (PermissionDenied, StaleObject) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Staff member saved."))
            return redirect("registry:agency-staff", pk=pk)
    return render(request, "registry/staff_form.html", {"form": form, "member": member})


@transaction.atomic
def import_staff(user: Any, agency: Agency, file: Any, filename: str) -> int:
    """Every row validated by :class:`StaffForm` (a certificate number used twice in the file
    is refused), then saved as ``user``; all rows or none."""
    if not _may_add(user, agency):
        raise PermissionDenied(_("You may not change this agency's staff."))
    made: list[StaffForm] = []

    def make(data: dict[str, Any]) -> StaffForm:
        made.append(StaffForm(data=data, agency=agency))
        return made[-1]

    parsed = read_rows(
        file, filename, COLUMNS, make, required=("姓名", "培训证书编号"), example=EXAMPLE
    )
    first: dict[str, int] = {}
    errors = []
    for number, data in parsed:
        number_text = data["certificate_no"]
        if number_text in first:
            errors.append(
                _("Row %(row)d: the certificate %(no)s is already given in row %(first)d.")
                % {"row": number, "no": number_text, "first": first[number_text]}
            )
        first.setdefault(number_text, number)
    if errors:
        raise RowErrors(errors)
    for form in made:
        save_form(user, form, ADD)
    return len(made)


@login_required
def staff_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff upload template (.xlsx)."""
    return template_response(_("Staff"), list(COLUMNS), [list(EXAMPLE)], "staff-template.xlsx")
