"""Plan pages: progress dashboards, targets and their decomposition, the technology catalogue,
carbon calculations, annual plans and co-benefits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cleanprod.audits.models import Audit
from cleanprod.plans import carbon
from cleanprod.plans.cobenefits import audit_cobenefits
from cleanprod.plans.dashboard import InvalidParameters, resolve_region
from cleanprod.plans.dashboard import dashboard as dashboard_data
from cleanprod.plans.decomposition import allocate, can_allocate, decomposition, metric_of
from cleanprod.plans.forms import AllocationValueForm, LibraryChoiceForm, TechnologyForm
from cleanprod.plans.models import (
    AnnualPlan,
    CarbonCalculation,
    FactorLibraryVersion,
    Stage,
    Target,
    Technology,
)
from cleanprod.plans.xlsx import dashboard_workbook
from cleanprod.platform.permissions import ADD, VIEW, can_any, party_of
from cleanprod.regions.models import Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _login(request: HttpRequest) -> HttpResponse | None:
    if request.user.is_authenticated:
        return None
    return HttpResponseRedirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")


def dashboard(request: HttpRequest) -> HttpResponse:
    """National, provincial or prefectural progress dashboard (``?region=``)."""
    if (redirect_to := _login(request)) is not None:
        return redirect_to
    try:
        data = dashboard_data(request.user, request.GET)
    except InvalidParameters as exc:
        if request.GET.get("format") == "json":
            return JsonResponse(exc.errors, status=400)
        messages.error(request, str(exc))  # names the field, in Chinese
        return render(request, "bad_request.html", {"back": request.path}, status=400)
    if request.GET.get("format") == "json":
        return JsonResponse(data)
    return render(request, "plans/dashboard.html", {"data": data})


def dashboard_export(request: HttpRequest) -> HttpResponse:
    if (redirect_to := _login(request)) is not None:
        return redirect_to
    data = dashboard_data(request.user, request.GET)
    response = HttpResponse(dashboard_workbook(data), content_type=XLSX)
    name = f"progress-{(data['region'] or {}).get('code', 'national')}-{data['metric']['slug']}"
    response["Content-Disposition"] = f'attachment; filename="{name.replace(":", "-")}.xlsx"'
    return response


def target_list(request: HttpRequest) -> HttpResponse:
    targets = Target.objects.restrict(request.user, VIEW).select_related("key_project")
    return render(request, "plans/target_list.html", {"targets": targets})


def target_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A target, its decomposition under a node (``?region=``) and the form to allocate."""
    target = get_object_or_404(Target.objects.restrict(request.user, VIEW), slug=slug)
    parent = None
    if request.user.is_authenticated and request.GET.get("region"):
        parent = resolve_region(request.user, request.GET["region"])
    elif request.user.is_authenticated and getattr(request.user, "region_id", None):
        parent = request.user.region
    if request.method == "POST":
        return _allocate(request, target, parent)
    achieved = None
    metric = metric_of(target)
    if (
        metric is not None
        and request.user.is_authenticated
        and party_of(request.user) == "authority"
    ):
        data = dashboard_data(
            request.user, {"region": parent.code if parent else "", "metric": metric.slug}
        )
        achieved = {
            r["code"]: r["value"] / metric.scale for r in data["children"] if r["value"] is not None
        }
    context = {
        "target": target,
        "check": decomposition(request.user, target, parent, achieved),
        "can_allocate": can_allocate(request.user, parent) and target.target_value is not None,
        "metric": metric,
    }
    return render(request, "plans/target_detail.html", context)


def _allocate(request: HttpRequest, target: Target, parent: Region | None) -> HttpResponse:
    region = get_object_or_404(Region, code=request.POST.get("region", ""))
    if region.parent_id != (parent.code if parent else None):
        raise PermissionDenied
    # A form, not Decimal(): Decimal() accepts "NaN" and "Infinity", which no column can hold.
    form = AllocationValueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a number."))
    else:
        value = form.cleaned_data["value"]
        allocate(request.user, target, region, value)
        messages.success(request, _("Allocation saved."))
    query = f"?region={parent.code}" if parent else ""
    return redirect(reverse("plans:target-detail", args=[target.slug]) + query)


def technology_list(request: HttpRequest) -> HttpResponse:
    """The advanced-technology catalogue: public, searchable by name, industry, stage."""
    techs = Technology.objects.restrict(request.user, VIEW).select_related("key_project")
    q, industry, stage = (
        request.GET.get(k, "").replace("\x00", "").strip() for k in ("q", "industry", "stage")
    )
    if industry and not industry.isdigit():
        industry = ""
    if q:
        techs = techs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if industry:
        techs = techs.filter(codes_text__contains=f" {industry[:2]}")
    if stage:
        techs = techs.filter(stage=stage)
    page = Paginator(techs.order_by("origin", "slug"), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": {"q": q, "industry": industry, "stage": stage},
        "stages": Stage.choices,
        "can_add": can_any(request.user, ADD, Technology),
    }
    return render(request, "plans/technology_list.html", context)


def technology_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tech = get_object_or_404(Technology.objects.restrict(request.user, VIEW), slug=slug)
    return render(request, "plans/technology_detail.html", {"tech": tech})


def technology_add(request: HttpRequest) -> HttpResponse:
    """An authority adds an entry to the catalogue (十四五 §六(十九)), in its own region."""
    if (redirect_to := _login(request)) is not None:
        return redirect_to
    if not can_any(request.user, ADD, Technology):
        raise PermissionDenied
    form = TechnologyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tech = form.save(request.user)
        messages.success(request, _("Technology added to the catalogue."))
        return redirect(tech.get_absolute_url())
    return render(request, "plans/technology_form.html", {"form": form})


def carbon_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A calculation with its lines and pinned factors; POST recalculates with another version."""
    if (redirect_to := _login(request)) is not None:
        return redirect_to
    calc = get_object_or_404(
        CarbonCalculation.objects.restrict(request.user, VIEW).select_related(
            "library", "enterprise"
        ),
        pk=pk,
    )
    libraries = FactorLibraryVersion.objects.exclude(pk=calc.library_id)
    if request.method == "POST":
        if not CarbonCalculation.objects.restrict(request.user, "change").filter(pk=pk).exists():
            raise PermissionDenied
        # A form: ``"²".isdigit()`` is true but int("²") fails, so a hand check let a 500 through.
        form = LibraryChoiceForm(request.POST)
        library = get_object_or_404(
            libraries, pk=form.cleaned_data["library"] if form.is_valid() else 0
        )
        new = carbon.recalculate(calc, library, user=request.user)
        messages.success(request, _("Recalculated; the previous calculation is kept."))
        return redirect(new.get_absolute_url())
    history = CarbonCalculation.objects.restrict(request.user, VIEW).filter(
        enterprise_id=calc.enterprise_id, year=calc.year
    )
    context = {"calc": calc, "libraries": libraries, "history": history}
    return render(request, "plans/carbon_detail.html", context)


def annual_plans(request: HttpRequest) -> HttpResponse:
    if (redirect_to := _login(request)) is not None:
        return redirect_to
    plans = AnnualPlan.objects.restrict(request.user, VIEW).prefetch_related("milestones")
    return render(request, "plans/annual_plans.html", {"plans": plans[:200]})


def audit_cobenefits_view(request: HttpRequest, pk: int) -> HttpResponse:
    """减污降碳协同 of one audit: each option's pollutant and CO2 reductions side by side."""
    if (redirect_to := _login(request)) is not None:
        return redirect_to
    audit = get_object_or_404(Audit.objects.restrict(request.user, VIEW), pk=pk)
    context: dict[str, Any] = {"audit": audit, "co": audit_cobenefits(audit)}
    return render(request, "plans/cobenefits.html", context)
