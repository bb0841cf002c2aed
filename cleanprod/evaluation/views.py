"""Indicator systems, self-assessment with the gap advisor, and grading a whole scope."""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from cleanprod.core import scoring
from cleanprod.core.scoring.tabular import table_from_rows
from cleanprod.evaluation.forms import AssessmentForm, UploadForm
from cleanprod.evaluation.models import Assessment, SystemVersion
from cleanprod.evaluation.services import AssessmentError, grade_scope, submit
from cleanprod.platform.permissions import VIEW
from cleanprod.regions.models import Region
from cleanprod.registry.io.readers import SUFFIXES, FileFormatError
from cleanprod.registry.io.readers import read_table as read_upload
from cleanprod.registry.models import Enterprise


class SystemListView(ListView):  # type: ignore[type-arg]
    template_name = "evaluation/system_list.html"

    def get_queryset(self) -> QuerySet[SystemVersion]:
        return SystemVersion.objects.restrict(self.request.user, VIEW).filter(current=True)


class SystemDetailView(DetailView):  # type: ignore[type-arg]
    template_name = "evaluation/system_detail.html"
    slug_field = "slug"

    def get_object(self, queryset: Any = None) -> SystemVersion:
        qs = SystemVersion.objects.restrict(self.request.user, VIEW)
        return get_object_or_404(qs, slug=self.kwargs["slug"], current=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["system"] = self.object.system()
        context["versions"] = SystemVersion.objects.filter(slug=self.object.slug)
        return context


def template_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The data sheet layout of a system: the columns `cleanprod evaluate` reads."""
    version = get_object_or_404(SystemVersion, slug=slug, current=True)
    form = AssessmentForm(version.system())
    buf = io.StringIO()
    csv.writer(buf).writerow(["id", *form.fields])
    response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-template.csv"'
    return response


def _enterprise_for(request: HttpRequest) -> Enterprise | None:
    """The enterprise assessed: ``?enterprise=`` (id) or ``?uscc=``, else the user's own; None
    when none is named (or the code names no enterprise the user reaches: a message says so)."""
    reachable = Enterprise.objects.restrict(request.user, VIEW)
    uscc = (request.GET.get("uscc") or "").strip().upper()
    if uscc:
        found = reachable.filter(uscc=uscc).first()
        if found is None:
            messages.error(
                request,
                _("Unified social credit code %(code)s: no enterprise in your scope.")
                % {"code": uscc},
            )
        return found
    pk = request.GET.get("enterprise") or request.POST.get("enterprise")
    if not pk and getattr(request.user, "enterprise_id", None):
        pk = request.user.enterprise_id
    if not pk:
        messages.info(request, _("Choose the enterprise to assess."))
        return None
    return get_object_or_404(reachable, pk=pk)


def _refuse_empty(system: Any, inputs: dict[str, str]) -> None:
    """An assessment without a single indicator value grades nothing: name what to fill in."""
    if any(not k.startswith("param:") for k in inputs):
        return
    names = [ind.name for ind in system.indicators]
    shown = "、".join(names[:8]) + ("…" if len(names) > 8 else "")
    raise AssessmentError(
        _("Nothing to assess: enter the value or level of at least one indicator (%(fields)s).")
        % {"fields": shown}
    )


def assess(request: HttpRequest, slug: str) -> HttpResponse:
    """Fill in (or upload) the system's data for an enterprise and submit it.

    An assessment is permanent once submitted: an empty one is refused and the user must tick
    the confirmation first (the typed values are kept when either is missing).
    """
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"/accounts/login/?next={request.get_full_path()}")
    version = get_object_or_404(SystemVersion, slug=slug, current=True)
    enterprise = _enterprise_for(request)
    if enterprise is None:
        # Only an enterprise assesses itself without saying which: others choose one first.
        return HttpResponseRedirect(version.get_absolute_url())
    system = version.system()
    form = AssessmentForm(system, request.POST or None)
    upload = UploadForm()
    error = ""
    if request.method == "POST":
        try:
            if request.FILES.get("file"):
                inputs = _uploaded_inputs(request.FILES["file"])
            elif form.is_valid():
                inputs = form.inputs()
            else:
                raise AssessmentError(_("Check the fields marked in red."))
            _refuse_empty(system, inputs)
            if not request.POST.get("confirm"):
                raise AssessmentError(
                    _(
                        "Tick “I confirm that the assessment cannot be changed once "
                        "submitted” to submit it."
                    )
                )
            made = submit(request.user, enterprise, version, inputs)
            return HttpResponseRedirect(made.get_absolute_url())
        except (AssessmentError, scoring.ScoringError) as exc:
            error = str(exc)
    return render(
        request,
        "evaluation/assess.html",
        {
            "version": version,
            "system": system,
            "enterprise": enterprise,
            "form": form,
            "upload": upload,
            "error": error,
        },
    )


def _uploaded_inputs(upload: Any) -> dict[str, str]:
    """The one data row of an uploaded sheet, read in memory by the platform's one reader."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise AssessmentError(_("Upload a .csv, .xlsx, .xls or .ods sheet."))
    try:
        table = read_upload(upload, upload.name)
    except FileFormatError as exc:
        raise AssessmentError(str(exc)) from exc
    header, rows = table_from_rows(table)
    if len(rows) != 1:
        raise AssessmentError(
            _("The sheet must hold exactly one data row (found %(n)d).") % {"n": len(rows)}
        )
    _line, cells = rows[0]
    return {h: c for h, c in zip(header, cells, strict=False) if h not in ("", "id", "name")}


class AssessmentDetailView(DetailView):  # type: ignore[type-arg]
    template_name = "evaluation/assessment_detail.html"

    def get_queryset(self) -> QuerySet[Assessment]:
        return Assessment.objects.restrict(self.request.user, VIEW).select_related(
            "enterprise", "system"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        a: Assessment = self.object
        system = a.system.system()
        levels = {row["code"]: row for row in a.result["indicators"]}
        rows, chart = [], []
        for cat in system.categories:
            applicable = [i for i in cat.indicators if levels[i.code]["level"] is not None]
            weight = sum((Fraction(levels[i.code]["weight"]) for i in applicable), Fraction(0))
            attained = []
            for k in (1, 2, 3):
                met = sum(
                    (
                        Fraction(levels[i.code]["weight"])
                        for i in applicable
                        if levels[i.code]["level"] in ("I", "II", "III")[:k]
                    ),
                    Fraction(0),
                )
                attained.append(round(float(100 * met / weight), 1) if weight else None)
            chart.append(
                {"category": cat.name, "I": attained[0], "II": attained[1], "III": attained[2]}
            )
            for ind in cat.indicators:
                row = levels[ind.code]
                rows.append(
                    {
                        "category": cat.name,
                        "indicator": ind,
                        "level": row["level"],
                        "missing": row["missing"],
                        "reason": row["reason"],
                        "value": a.inputs.get(ind.code, ""),
                        "restrictive": ind.restrictive,
                    }
                )
        context.update(system=system, rows=rows, chart=chart)
        return context


def grading(request: HttpRequest) -> HttpResponse:
    """Authorities: grade every enterprise in scope with data for a system, in one pass."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"/accounts/login/?next={request.get_full_path()}")
    systems = SystemVersion.objects.filter(current=True)
    slug = request.GET.get("system") or (systems[0].slug if systems else "")
    region = Region.objects.filter(code=request.GET.get("region", "")).first()
    if region is None and getattr(request.user, "region_id", None):
        region = request.user.region
    data = grade_scope(request.user, slug, region) if slug else None
    if request.GET.get("format") == "json":
        if data is None:
            raise Http404
        return JsonResponse(data)
    names = dict(
        Region.objects.filter(code__in=list((data or {}).get("by_region", {}))).values_list(
            "code", "name"
        )
    )
    return render(
        request,
        "evaluation/grading.html",
        {
            "systems": systems,
            "slug": slug,
            "region": region,
            "data": data,
            "region_names": names,
        },
    )
