import django_filters
from rest_framework import viewsets

from cleanprod.industries.api.serializers import IndustryGroupSerializer, IndustrySerializer
from cleanprod.industries.models import Industry, IndustryGroup
from cleanprod.platform.permissions import VIEW


class IndustryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Industry
        fields = ["level", "parent"]


class IndustryViewSet(viewsets.ReadOnlyModelViewSet):
    """GB/T 4754-2017 sections, divisions and the classes the platform names."""

    serializer_class = IndustrySerializer
    filterset_class = IndustryFilterSet
    queryset = Industry.objects.all()

    def get_queryset(self):
        return Industry.objects.restrict(self.request.user, VIEW)


class IndustryGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """Industry groups named by the plans, each with its source and GB/T 4754 codes."""

    serializer_class = IndustryGroupSerializer
    queryset = IndustryGroup.objects.all()
    filterset_fields: list[str] = []

    def get_queryset(self):
        return IndustryGroup.objects.restrict(self.request.user, VIEW).prefetch_related("members")
