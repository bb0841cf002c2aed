"""Engagements (agency ↔ enterprise) in the web UI: an enterprise engages an agency found by
name or USCC; an authority records engagements in its region, one by one or from a spreadsheet;
either ends one with an end date. Every write goes through
:func:`cleanprod.platform.services.save_form` (scope checked before and after, logged)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cleanprod.platform import forms as forms_base
from cleanprod.platform.locking import StaleObject
from cleanprod.platform.permissions import ADD, CHANGE, VIEW, can, can_any, party_of
from cleanprod.platform.services import save_form
from cleanprod.registry.forms import StyledModelForm
from cleanprod.registry.io.rowforms import RowErrors, read_rows, run_import, template_response
from cleanprod.registry.lookup import OrganisationField
from cleanprod.registry.models import Agency, Engagement, Enterprise
from cleanprod.registry.policies import active_engagement_q

COL_AGENCY, COL_ENTERPRISE = "咨询机构（名称或统一社会信用代码）", "企业（名称或统一社会信用代码）"
COL_START, COL_NOTE = "开始日期", "备注"
COLUMNS = {
    COL_AGENCY: "agency",
    COL_ENTERPRISE: "enterprise",
    COL_START: "start_date",
    COL_NOTE: "note",
}
EXAMPLE = ("示例咨询机构", "91440300MA5XXXXXXX", "2026-01-01", "")


def engageable_agencies(user: Any) -> Any:
    """Agencies an engagement may name: active, published or filed, and visible to ``user``."""
    return (
        Agency.objects.restrict(user, VIEW)
        .filter(active=True)
        .filter(Q(published=True) | ~Q(filing_no=""))
    )


class EngagementForm(StyledModelForm):
    """A new engagement: the agency (and, for an authority, the enterprise) by name or USCC."""

    agency = OrganisationField(label=gettext_lazy("Consulting agency (name or USCC)"))
    enterprise = OrganisationField(label=gettext_lazy("Enterprise (name or USCC)"))

    class Meta:
        model = Engagement
        fields = ["agency", "enterprise", "start_date", "note"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = engageable_agencies(user)  # type: ignore[attr-defined]
        if party_of(user) == "enterprise":
            # An enterprise engages for itself only: the field is not offered at all.
            del self.fields["enterprise"]
            self.instance.enterprise_id = user.enterprise_id
        else:
            self.fields["enterprise"].queryset = Enterprise.objects.restrict(user, CHANGE)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        agency, enterprise = (
            data.get("agency"),
            data.get("enterprise")
            or (self.instance.enterprise if self.instance.enterprise_id else None),
        )
        if agency and enterprise:
            active = Engagement.objects.filter(
                active_engagement_q(), agency=agency, enterprise=enterprise
            )
            if active.exists():
                raise forms.ValidationError(
                    _("%(agency)s already serves %(enterprise)s under an active engagement.")
                    % {"agency": agency, "enterprise": enterprise}
                )
        return data


class EngagementEndForm(StyledModelForm):
    """The date an engagement ends."""

    class Meta:
        model = Engagement
        fields = ["end_date"]
        widgets = {"end_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = True


class UploadForm(forms_base.Form):
    file = forms.FileField(label=gettext_lazy("Engagement file"))


@login_required
def engagement_list(request: HttpRequest) -> HttpResponse:
    """The engagements the user may view, active first."""
    if not can_any(request.user, VIEW, Engagement):
        raise PermissionDenied
    engagements = (
        Engagement.objects.restrict(request.user, VIEW)
        .select_related("agency", "enterprise")
        .order_by("-start_date", "pk")
    )
    enterprise = request.GET.get("enterprise", "")
    if enterprise.isdigit():
        engagements = engagements.filter(enterprise_id=int(enterprise))
    page = Paginator(engagements, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "may_add": can_any(request.user, ADD, Engagement),
        "may_import": party_of(request.user) == "authority"
        and can_any(request.user, ADD, Engagement),
        "changeable": set(
            Engagement.objects.restrict(request.user, CHANGE)
            .filter(pk__in=[e.pk for e in page])
            .values_list("pk", flat=True)
        ),
    }
    return render(request, "registry/engagement_list.html", context)


@login_required
def engagement_add(request: HttpRequest) -> HttpResponse:
    """Engage an agency (an enterprise) or record an engagement in one's region (an authority)."""
    if not can_any(request.user, ADD, Engagement):
        raise PermissionDenied
    initial = {}
    if request.GET.get("enterprise", "").isdigit():
        found = Enterprise.objects.restrict(request.user, VIEW).filter(
            pk=int(request.GET["enterprise"])
        )
        initial["enterprise"] = found[0].uscc if found else ""
    form = EngagementForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            engagement = save_form(request.user, form, ADD)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Engagement recorded: %(e)s.") % {"e": engagement})
            return redirect("registry:engagement-list")
    return render(request, "registry/engagement_form.html", {"form": form, "ending": None})


@login_required
def engagement_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End an engagement with an end date (kept as the record of who served whom)."""
    engagement = get_object_or_404(
        Engagement.objects.restrict(request.user, VIEW).select_related("agency", "enterprise"),
        pk=pk,
    )
    if not can(request.user, CHANGE, engagement):
        raise PermissionDenied
    form = EngagementEndForm(request.POST or None, instance=engagement)
    if request.method == "POST" and form.is_valid():
        try:
            save_form(request.user, form, CHANGE)
        except (PermissionDenied, StaleObject) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Engagement ended."))
            return redirect("registry:engagement-list")
    context = {"form": form, "ending": engagement}
    return render(request, "registry/engagement_form.html", context)


@login_required
def engagement_import(request: HttpRequest) -> HttpResponse:
    """An authority records engagements from a spreadsheet: every row valid, or nothing written."""
    if party_of(request.user) != "authority" or not can_any(request.user, ADD, Engagement):
        raise PermissionDenied
    upload = UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and upload.is_valid():
        file = upload.cleaned_data["file"]
        count, errors = run_import(lambda: import_engagements(request.user, file, file.name))
        if count is not None:
            messages.success(request, _("%(count)d engagements recorded.") % {"count": count})
            return redirect("registry:engagement-list")
    context = {"upload": upload, "errors": errors}
    return render(request, "registry/engagement_import.html", context)


@transaction.atomic
def import_engagements(user: Any, file: Any, filename: str) -> int:
    """Validate every row with :class:`EngagementForm`, then save each as ``user``; all or none.

    Two rows naming the same agency and enterprise are refused like an active engagement is.
    """
    made: list[EngagementForm] = []

    def make(data: dict[str, Any]) -> EngagementForm:
        made.append(EngagementForm(data=data, user=user))
        return made[-1]

    parsed = read_rows(
        file,
        filename,
        COLUMNS,
        make,
        required=(COL_AGENCY, COL_ENTERPRISE, COL_START),
        example=EXAMPLE,
    )
    # read_rows returned, so every form it made is valid (one per parsed row, in order).
    seen: dict[tuple[int, int], int] = {}
    duplicate: list[str] = []
    for number, data in parsed:
        key = (data["agency"].pk, data["enterprise"].pk)
        if key in seen:
            duplicate.append(
                _("Row %(row)d: the same engagement as row %(first)d.")
                % {"row": number, "first": seen[key]}
            )
        seen[key] = number
    if duplicate:
        raise RowErrors(duplicate)
    valid = made
    for form in valid:
        save_form(user, form, ADD)
    return len(valid)


@login_required
def engagement_template(request: HttpRequest) -> HttpResponse:
    """The engagement upload template (.xlsx)."""
    return template_response(
        _("Engagements"), list(COLUMNS), [list(EXAMPLE)], "engagement-template.xlsx"
    )
