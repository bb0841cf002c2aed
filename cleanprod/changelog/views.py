"""The change log: an object's history, and a searchable log within the user's scope."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from cleanprod.changelog.models import Action, ObjectChange
from cleanprod.platform.permissions import VIEW
from cleanprod.regions.models import Region, subtree_q


def history_of(user: Any, obj: Model, limit: int = 50) -> QuerySet[ObjectChange]:
    """The changes of ``obj`` the user may see, newest first."""
    return (
        ObjectChange.objects.restrict(user, VIEW)
        .filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
        .select_related("user")[:limit]
    )


class ChangeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="object_repr", lookup_expr="icontains", label=_("Object")
    )
    user_name = django_filters.CharFilter(lookup_expr="icontains", label=_("User"))
    action = django_filters.ChoiceFilter(choices=Action.choices, empty_label=_("Any"))
    region = django_filters.CharFilter(method="filter_region", label=_("Region"))
    since = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label=_("From"))
    until = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label=_("To"))
    request_id = django_filters.UUIDFilter()

    class Meta:
        model = ObjectChange
        fields = ["content_type"]

    def filter_region(
        self, qs: QuerySet[ObjectChange], name: str, value: str
    ) -> QuerySet[ObjectChange]:
        region = Region.objects.filter(code=value).first()
        if region is None:
            return qs.none()
        return qs.filter(subtree_q("region_code", region.code, region.level))


class ChangeLogView(LoginRequiredMixin, ListView):
    template_name = "changelog/change_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[ObjectChange]:
        base = ObjectChange.objects.restrict(self.request.user, VIEW).select_related("content_type")
        self.filterset = ChangeFilterSet(self.request.GET, queryset=base)
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        return context
