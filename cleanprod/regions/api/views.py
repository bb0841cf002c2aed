import django_filters
from rest_framework import viewsets

from cleanprod.platform.permissions import VIEW
from cleanprod.regions.api.serializers import RegionSerializer
from cleanprod.regions.models import Region


class RegionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="full_name", lookup_expr="icontains")

    class Meta:
        model = Region
        fields = ["level", "parent"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative divisions (GB/T 2260, 2024): province → prefecture → county."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    queryset = Region.objects.all()

    def get_queryset(self):
        return Region.objects.restrict(self.request.user, VIEW)
