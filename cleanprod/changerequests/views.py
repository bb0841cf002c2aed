"""Change requests: ask (the organisation), list, decide (the authority), withdraw."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cleanprod.changerequests import services
from cleanprod.changerequests.forms import DecisionForm, ReasonForm, values_form
from cleanprod.changerequests.models import ChangeRequest
from cleanprod.platform.permissions import VIEW, limit_choices

KINDS = {"enterprise", "agency", "expert"}


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """The user's own requests and, for authorities, those it may decide."""
    qs = services.visible_requests(request.user)
    status = request.GET.get("status", "")
    if status in ChangeRequest.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "changerequests/list.html",
        {"page": page, "status": status, "statuses": ChangeRequest.Status.choices},
    )


@login_required
def request_new(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The organisation asks to change its regulated fields."""
    if kind not in KINDS:
        raise Http404
    model = ContentType.objects.get(app_label="registry", model=kind).model_class()
    assert model is not None
    obj = get_object_or_404(model.objects.restrict(request.user, VIEW), pk=pk)
    if not services.may_request(request.user, obj):
        raise PermissionDenied
    values_cls = values_form(model)
    fresh = model.objects.get(pk=pk)  # the form changes its instance; obj stays as stored
    if request.method == "POST":
        values = values_cls(request.POST, instance=fresh)
        reason = ReasonForm(request.POST, request.FILES)
        limit_choices(values, request.user)
        if values.is_valid() and reason.is_valid():
            try:
                made = services.request_change(
                    request.user,
                    obj,
                    values,
                    reason.cleaned_data["reason"],
                    reason.cleaned_data.get("evidence"),
                )
            except ValidationError as exc:
                values.add_error(None, exc)
            else:
                messages.success(request, _("Your request was sent to the competent authority."))
                return redirect(made)
    else:
        values = values_cls(instance=fresh)
        reason = ReasonForm()
    return render(
        request,
        "changerequests/new.html",
        {"object": obj, "values": values, "reason": reason, "model_name": model._meta.verbose_name},
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request with its values; the decision form for a competent authority."""
    obj = get_object_or_404(services.visible_requests(request.user), pk=pk)
    may_decide = services.may_decide(request.user, obj)
    form = DecisionForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "withdraw":
                services.withdraw(request.user, obj)
                messages.success(request, _("The request was withdrawn."))
                return redirect(obj)
            form = DecisionForm(request.POST)
            if not may_decide:
                raise PermissionDenied
            if form.is_valid():
                services.decide(
                    request.user,
                    obj,
                    form.cleaned_data["decision"] == "approve",
                    form.cleaned_data["note"],
                )
                messages.success(request, _("The decision was recorded."))
                return redirect(obj)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            if not str(exc):
                raise
            form.add_error(None, str(exc))
    rows = [
        (entry["label"], obj.previous.get(name, {}).get("display", "—"), entry["display"])
        for name, entry in obj.changes.items()
    ]
    context: dict[str, Any] = {
        "object": obj,
        "rows": rows,
        "form": form,
        "may_decide": may_decide,
        "may_withdraw": obj.requested_by_id == request.user.pk
        and obj.status == ChangeRequest.Status.PENDING,
    }
    return render(request, "changerequests/detail.html", context)


@login_required
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve the evidence file only to users who may see the request."""
    obj = get_object_or_404(services.visible_requests(request.user), pk=pk)
    if not obj.evidence:
        raise Http404
    return FileResponse(obj.evidence.open("rb"), as_attachment=True, filename=obj.evidence_name)
