"""Registry endpoints: the same FilterSets, scope and validation as the web pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cleanprod.changelog.api import ObjectChangeSerializer
from cleanprod.changelog.views import history_of
from cleanprod.platform.api.viewsets import RestrictedModelViewSet
from cleanprod.platform.permissions import VIEW
from cleanprod.registry import filtersets
from cleanprod.registry.api import serializers as s
from cleanprod.registry.models import Agency, AgencyStaff, Engagement, Enterprise, Expert, Park


class HistoryMixin:
    @extend_schema(responses=ObjectChangeSerializer(many=True))
    # The newest 50 changes as a bare list; without this the schema claimed a paginated page.
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request: Request, pk: Any = None) -> Response:
        """The object's change log: who changed what, when, with before/after values."""
        obj = self.get_object()
        return Response(ObjectChangeSerializer(history_of(request.user, obj), many=True).data)


class EnterpriseViewSet(HistoryMixin, RestrictedModelViewSet):
    """Enterprises by unified social credit code. Filters: region (any level, subtree),
    industry (section, division or class), group (industry group slug), q (name, USCC)."""

    queryset = Enterprise.objects.select_related("region")
    serializer_class = s.EnterpriseSerializer
    filterset_class = filtersets.EnterpriseFilterSet


class ParkViewSet(HistoryMixin, RestrictedModelViewSet):
    queryset = Park.objects.select_related("region")
    serializer_class = s.ParkSerializer
    filterset_class = filtersets.ParkFilterSet


class AgencyViewSet(HistoryMixin, RestrictedModelViewSet):
    queryset = Agency.objects.select_related("region").prefetch_related("industry_scope")
    serializer_class = s.AgencySerializer
    filterset_class = filtersets.AgencyFilterSet

    def get_queryset(self) -> Any:
        # Only the staff the reader may see, in one query for the page (not one per agency).
        visible = AgencyStaff.objects.restrict(self.request.user, VIEW)
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("staff", queryset=visible, to_attr="visible_staff"))
        )


class ExpertViewSet(HistoryMixin, RestrictedModelViewSet):
    queryset = Expert.objects.select_related("region").prefetch_related("specialties")
    serializer_class = s.ExpertSerializer
    filterset_class = filtersets.ExpertFilterSet


class EngagementViewSet(RestrictedModelViewSet):
    queryset = Engagement.objects.all()
    serializer_class = s.EngagementSerializer
    filterset_fields = ["agency", "enterprise"]
