"""Training pages: the sessions an authority may view, a new session with its attendance (form
rows or an uploaded spreadsheet), more attendance for a session, and the upload template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cleanprod.plans import training
from cleanprod.plans.models import Attendance, TrainingSession
from cleanprod.platform.permissions import ADD, CHANGE, VIEW, can, can_any
from cleanprod.registry.io.readers import FileFormatError
from cleanprod.registry.io.rowforms import template_response


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    """The training sessions the user may view, newest first, with their attendance counts."""
    if not can_any(request.user, VIEW, TrainingSession):
        raise PermissionDenied
    sessions = (
        TrainingSession.objects.restrict(request.user, VIEW)
        .select_related("region")
        .annotate(attendees=Count("attendances"))
        .order_by("-date", "pk")
    )
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    context = {"page": page, "may_add": can_any(request.user, ADD, TrainingSession)}
    return render(request, "plans/training_list.html", context)


def _attendance(
    request: HttpRequest, formset: Any, upload: Any
) -> tuple[list[training.Row] | None, list[str]]:
    """The rows to record (from the file if one was given, else from the form rows)."""
    if not upload.is_valid():
        return None, []
    file = upload.cleaned_data.get("file")
    if file:
        try:
            return training.read_attendance(file, file.name, request.user), []
        except training.RowErrors as exc:
            return None, exc.messages
        except FileFormatError as exc:
            return None, [str(exc)]
    if not formset.is_valid():
        return None, []
    return training.rows_of(formset), []


@login_required
def session_add(request: HttpRequest) -> HttpResponse:
    """A new session with its attendance: the form's rows or an uploaded file, all or nothing."""
    if not can_any(request.user, ADD, TrainingSession):
        raise PermissionDenied
    user = request.user
    data = request.POST if request.method == "POST" else None
    form = training.SessionForm(data, user=user)
    formset = training.AttendanceFormSet(data, form_kwargs={"user": user}, prefix="att")
    upload = training.UploadForm(data, request.FILES or None)
    file_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        rows, file_errors = _attendance(request, formset, upload)
        if rows is not None:
            try:
                session = training.record_attendance(user, rows, form=form)
            except ValidationError as exc:
                file_errors = exc.messages
            except PermissionDenied as exc:
                file_errors = [str(exc)]
            else:
                messages.success(
                    request,
                    _("Training session recorded with %(count)d attendees.") % {"count": len(rows)},
                )
                return redirect("plans:training-detail", pk=session.pk)
    elif request.method == "POST":
        formset.is_valid()  # show the rows' errors along with the session's
    context = {"form": form, "formset": formset, "upload": upload, "file_errors": file_errors}
    return render(request, "plans/training_form.html", context)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session's attendance; POST adds attendees (form rows or a file), all or nothing."""
    session = get_object_or_404(
        TrainingSession.objects.restrict(request.user, VIEW).select_related("region"), pk=pk
    )
    user = request.user
    may_change = can(user, CHANGE, session)
    data = request.POST if request.method == "POST" else None
    if data is not None and not may_change:
        raise PermissionDenied
    formset = training.AttendanceFormSet(data, form_kwargs={"user": user}, prefix="att")
    upload = training.UploadForm(data, request.FILES or None)
    file_errors: list[str] = []
    if data is not None:
        rows, file_errors = _attendance(request, formset, upload)
        if rows is not None:
            if not rows:
                file_errors = [_("Enter at least one attendee or upload a file.")]
            else:
                try:
                    training.record_attendance(user, rows, session=session)
                except ValidationError as exc:
                    file_errors = exc.messages
                except PermissionDenied as exc:
                    file_errors = [str(exc)]
                else:
                    messages.success(
                        request, _("%(count)d attendees added.") % {"count": len(rows)}
                    )
                    return redirect("plans:training-detail", pk=session.pk)
    attendances = (
        Attendance.objects.restrict(user, VIEW)
        .filter(session=session)
        .select_related("enterprise")
        .order_by("enterprise__name", "person")
    )
    context = {
        "session": session,
        "attendances": attendances,
        "may_change": may_change,
        "formset": formset,
        "upload": upload,
        "file_errors": file_errors,
    }
    return render(request, "plans/training_detail.html", context)


@login_required
def attendance_template(request: HttpRequest) -> HttpResponse:
    """The attendance upload template (.xlsx): the three columns and an example row."""
    header, body = training.template_rows()
    return template_response(_("Attendance"), header, body, "attendance-template.xlsx")
