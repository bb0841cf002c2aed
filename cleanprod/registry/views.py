"""Registry pages: filterable, sortable lists (HTMX partial updates), details and edit forms."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from cleanprod.changelog.views import history_of
from cleanprod.industries.models import Industry, IndustryGroup, IndustryLevel
from cleanprod.platform import services
from cleanprod.platform.permissions import (
    ADD,
    CHANGE,
    DELETE,
    VIEW,
    can,
    can_any,
    limit_choices,
    writable_fields,
)
from cleanprod.regions.models import Level, Region
from cleanprod.registry import filtersets, forms, tables
from cleanprod.registry.models import Agency, Enterprise, Expert, Park


class ObjectListView(SingleTableMixin, FilterView):
    """A list page; an HTMX request gets only the results fragment."""

    template_name = "registry/object_list.html"
    paginate_by = 50
    title = ""
    add_url_name = ""

    def get_queryset(self) -> QuerySet[Any]:
        return self.base_queryset().restrict(self.request.user, VIEW)

    def base_queryset(self) -> Any:
        return self.model.objects.all()

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request") and not self.request.headers.get("HX-Boosted"):
            return ["registry/_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["add_url_name"] = self.add_url_name
        context["can_add"] = can_any(self.request.user, ADD, self.model)
        name = self.model._meta.model_name
        context["export_url_name"] = f"registry:{name}-export"
        context["import_url_name"] = f"registry:{name}-import"
        context["provinces"] = Region.objects.filter(level=Level.PROVINCE)
        context["groups"] = IndustryGroup.objects.all()
        context["divisions"] = Industry.objects.filter(level=IndustryLevel.DIVISION)
        context.update(region_cascade(self.request.GET.get("region", "")))
        return context

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        for field in filterset.form.fields.values():
            css = "form-select" if hasattr(field, "choices") else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")
        return filterset


def region_cascade(code: str) -> dict[str, Any]:
    """The chain of the selected region and the options of each picker level."""
    region = Region.objects.select_related("parent__parent").filter(code=code).first()
    chain = [*region.ancestors(), region] if region else []
    level2 = list(Region.objects.filter(parent=chain[0])) if chain else []
    level3 = list(Region.objects.filter(parent=chain[1])) if len(chain) > 1 else []
    return {"region_chain": chain, "region_level2": level2, "region_level3": level3}


class EnterpriseListView(ObjectListView):
    model = Enterprise
    table_class = tables.EnterpriseTable
    filterset_class = filtersets.EnterpriseFilterSet
    title = Enterprise._meta.verbose_name_plural
    add_url_name = "registry:enterprise-add"

    def base_queryset(self) -> Any:
        return Enterprise.objects.select_related("region")


class ParkListView(ObjectListView):
    model = Park
    table_class = tables.ParkTable
    filterset_class = filtersets.ParkFilterSet
    title = Park._meta.verbose_name_plural
    add_url_name = "registry:park-add"

    def base_queryset(self) -> Any:
        return (
            Park.objects.select_related("region")
            .annotate(member_count=Count("members"))
            .order_by("region_id", "name")
        )


class AgencyListView(ObjectListView):
    model = Agency
    table_class = tables.AgencyTable
    filterset_class = filtersets.AgencyFilterSet
    title = Agency._meta.verbose_name_plural
    add_url_name = "registry:agency-add"

    def base_queryset(self) -> Any:
        return Agency.objects.select_related("region")


class ExpertListView(ObjectListView):
    model = Expert
    table_class = tables.ExpertTable
    filterset_class = filtersets.ExpertFilterSet
    title = Expert._meta.verbose_name_plural
    add_url_name = "registry:expert-add"

    def base_queryset(self) -> Any:
        return Expert.objects.select_related("region", "employer_enterprise", "employer_agency")


class ObjectDetailView(DetailView):
    """A detail page of an object the user may view, with its history and edit link."""

    def get_queryset(self) -> QuerySet[Any]:
        return self.base_queryset().restrict(self.request.user, VIEW)

    def base_queryset(self) -> Any:
        return self.model.objects.all()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_change"] = can(user, CHANGE, self.object)
        context["can_delete"] = can(user, DELETE, self.object)
        context["history"] = history_of(user, self.object)
        return context


class EnterpriseDetailView(ObjectDetailView):
    model = Enterprise

    def base_queryset(self) -> Any:
        return Enterprise.objects.select_related("region__parent__parent", "park__region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["experts"] = self.object.experts.restrict(user, VIEW)
        context["engagements"] = self.object.engagements.restrict(user, VIEW).select_related(
            "agency"
        )
        return context


class ParkDetailView(ObjectDetailView):
    model = Park

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        members = self.object.members.restrict(self.request.user, VIEW)
        context["members"] = members.select_related("region")[:200]
        context["member_count"] = members.count()
        return context


class AgencyDetailView(ObjectDetailView):
    model = Agency

    def base_queryset(self) -> Any:
        return Agency.objects.select_related("region").prefetch_related("industry_scope")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["staff"] = self.object.staff.restrict(user, VIEW)
        context["experts"] = self.object.experts.restrict(user, VIEW)
        context["clients"] = self.object.engagements.restrict(user, VIEW).select_related(
            "enterprise"
        )
        # The audits served and the credit events (the agency's accountability record) belong to
        # the audits app, which the page loads as a fragment (audits:agency-record).
        return context


class ExpertDetailView(ObjectDetailView):
    model = Expert

    def base_queryset(self) -> Any:
        return Expert.objects.select_related(
            "region", "employer_enterprise", "employer_agency"
        ).prefetch_related("specialties")


class ObjectEditMixin(LoginRequiredMixin):
    """Create and update through :mod:`cleanprod.platform.services`, in the user's scope."""

    template_name = "registry/object_form.html"
    action = ADD

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not can_any(user, self.action, self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.model.objects.restrict(self.request.user, CHANGE)

    def get_form(self, form_class: Any = None) -> Any:
        """The form with choices in the user's scope and the fields it may not write disabled."""
        form = super().get_form(form_class)
        user = self.request.user
        instance = form.instance
        allowed = writable_fields(user, self.action, instance) if instance.pk else None
        if allowed is not None:
            for name, field in form.fields.items():
                if name not in allowed:
                    field.disabled = True
            self.regulated = [f for f in form.fields if f not in allowed]
        limit_choices(form, user)
        return form

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.object = services.save_form(self.request.user, form, self.action)
        except (PermissionDenied, services.StaleObject) as exc:
            # The form comes back with what the user typed and the reason; nothing was saved.
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        return HttpResponseRedirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["classes"] = Industry.objects.filter(level=IndustryLevel.CLASS)
        context["model_name"] = self.model._meta.verbose_name
        # Regulated fields shown read-only: the organisation asks the authority to change them.
        context["regulated"] = getattr(self, "regulated", [])
        obj = getattr(self, "object", None)
        if context["regulated"] and obj is not None and obj.pk:
            name = self.model._meta.model_name
            if name in ("enterprise", "agency", "expert"):
                context["request_url"] = reverse("changerequests:new", args=[name, obj.pk])
        return context


class DeactivateForm(django_forms.Form):
    """The reason an organisation is deactivated instead of deleted (required)."""

    reason = django_forms.CharField(
        label=_("Reason for deactivation"),
        widget=django_forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=2000,
    )


class ObjectDeleteView(LoginRequiredMixin, DeleteView):
    """Confirm, then delete through the service (scope checked, change logged).

    The confirmation lists what blocks the deletion (kept history) and what would be deleted
    along with the object; when deletion is blocked it offers deactivation with a reason.
    """

    template_name = "registry/object_confirm_delete.html"

    def get_queryset(self) -> QuerySet[Any]:
        return self.model.objects.restrict(self.request.user, DELETE)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["plan"] = services.deletion_plan(self.request.user, self.object)
        context["can_deactivate"] = services.can_deactivate(self.request.user, self.object)
        context.setdefault("deactivate_form", DeactivateForm())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("deactivate"):
            self.object = self.get_object()
            form = DeactivateForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(deactivate_form=form))
            try:
                services.deactivate(request.user, self.object, form.cleaned_data["reason"])
            except services.StaleObject as exc:
                form.add_error(None, str(exc))
                return self.render_to_response(self.get_context_data(deactivate_form=form))
            messages.success(request, _("Deactivated; every record that refers to it is kept."))
            return HttpResponseRedirect(self.object.get_absolute_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.delete_object(self.request.user, self.object)
        except services.InUse as exc:
            messages.error(self.request, str(exc))
            return HttpResponseRedirect(self.object.get_absolute_url())
        return HttpResponseRedirect(reverse(f"registry:{self.model._meta.model_name}-list"))


def _delete_view(model: type[Model]) -> type:
    return type(f"{model.__name__}DeleteView", (ObjectDeleteView,), {"model": model})


def _edit_views(model: type[Model], form: type) -> tuple[type, type]:
    create = type(
        f"{model.__name__}CreateView",
        (ObjectEditMixin, CreateView),
        {"model": model, "form_class": form, "action": ADD},
    )
    update = type(
        f"{model.__name__}UpdateView",
        (ObjectEditMixin, UpdateView),
        {"model": model, "form_class": form, "action": CHANGE},
    )
    return create, update


EnterpriseDeleteView, ParkDeleteView, AgencyDeleteView, ExpertDeleteView = (
    _delete_view(m) for m in (Enterprise, Park, Agency, Expert)
)
EnterpriseCreateView, EnterpriseUpdateView = _edit_views(Enterprise, forms.EnterpriseForm)
ParkCreateView, ParkUpdateView = _edit_views(Park, forms.ParkForm)
AgencyCreateView, AgencyUpdateView = _edit_views(Agency, forms.AgencyForm)
ExpertCreateView, ExpertUpdateView = _edit_views(Expert, forms.ExpertForm)


def region_children(request: HttpRequest) -> HttpResponse:
    """Options for a region select, used by cascading pickers (HTMX)."""

    parent = request.GET.get("region") or request.GET.get("parent") or ""
    children = Region.objects.filter(parent_id=parent) if parent else Region.objects.none()
    return render(request, "registry/_region_options.html", {"children": children})
