"""Plan endpoints: targets, the technology catalogue, allocations, carbon calculations, and
the dashboard's figures (same numbers as the pages, same restrict() scope)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cleanprod.accounts.permissions import VIEW
from cleanprod.api.serializers import TextModelSerializer
from cleanprod.plans.dashboard import dashboard
from cleanprod.plans.decomposition import decomposition
from cleanprod.plans.models import CarbonCalculation, Target, TargetAllocation, Technology
from cleanprod.regions.models import Region


class TargetSerializer(TextModelSerializer):
    class Meta:
        model = Target
        exclude = ["id", "key_project"]


class TechnologySerializer(TextModelSerializer):
    key_project = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Technology
        exclude = ["id", "codes_text", "added_by", "published"]


class AllocationSerializer(TextModelSerializer):
    target = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = TargetAllocation
        fields = ["id", "target", "region", "value", "note", "updated"]


class CarbonSerializer(TextModelSerializer):
    library = serializers.SlugRelatedField(slug_field="version", read_only=True)

    class Meta:
        model = CarbonCalculation
        exclude = ["created_by"]


class _Restricted(viewsets.ReadOnlyModelViewSet):
    related: tuple[str, ...] = ()  # to-one relations the serializer reads on every row

    def get_queryset(self) -> Any:
        model = self.queryset.model  # type: ignore[union-attr]
        qs = model.objects.restrict(self.request.user, VIEW)
        return qs.select_related(*self.related) if self.related else qs


class PlanTargetViewSet(_Restricted):
    """Targets and quantities of both plans (public)."""

    queryset = Target.objects.all()
    serializer_class = TargetSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[a-z0-9-]+"
    filterset_fields = ["document", "kind", "additive"]

    @extend_schema(
        parameters=[OpenApiParameter("region", str, description="parent node (default: nation)")],
        responses=inline_serializer(
            "Decomposition",
            {
                "whole": serializers.DecimalField(max_digits=18, decimal_places=4),
                "total": serializers.DecimalField(max_digits=18, decimal_places=4),
                "gap": serializers.DecimalField(max_digits=18, decimal_places=4),
                "balanced": serializers.BooleanField(allow_null=True),
                "parts": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    @action(detail=True, methods=["get"])
    def decomposition(self, request: Request, slug: str | None = None) -> Response:
        """Parts assigned to the children of a node and whether they add up (目标分解)."""
        target = self.get_object()
        code = request.query_params.get("region", "")
        parent = Region.objects.filter(code=code).first() if code.isdigit() else None
        data = decomposition(request.user, target, parent)
        return Response(
            {
                "target": target.slug,
                "parent": parent.code if parent else None,
                "whole": data["whole"],
                "total": data["total"],
                "gap": data["gap"],
                "balanced": data["balanced"],
                "parts": data["parts"],
            }
        )


class TechnologyViewSet(_Restricted):
    """The advanced-technology catalogue (public; authorities' own entries in their scope)."""

    queryset = Technology.objects.all()
    serializer_class = TechnologySerializer
    lookup_field = "slug"
    lookup_value_regex = r"[a-z0-9-]+"
    filterset_fields = ["origin", "stage"]


class TargetAllocationViewSet(_Restricted):
    queryset = TargetAllocation.objects.all()
    related = ("target",)  # the serializer shows the target's slug
    serializer_class = AllocationSerializer
    filterset_fields = ["region"]


class CarbonCalculationViewSet(_Restricted):
    queryset = CarbonCalculation.objects.all()
    related = ("library",)  # the serializer shows the library's version
    serializer_class = CarbonSerializer
    filterset_fields = ["enterprise", "year", "current"]


class ProgressDashboardView(APIView):
    """The dashboard's figures for a node: every metric, the chosen one's trend and children."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="region code (default: your region)"),
            OpenApiParameter("metric", str, description="metric slug or penetration:<tech>"),
            OpenApiParameter("year", int),
            OpenApiParameter("industry", str, description="section letter or 2-4 digit code"),
            OpenApiParameter("group", str, description="industry group slug"),
        ],
        responses=inline_serializer(
            "ProgressDashboard",
            {
                "region": serializers.DictField(allow_null=True),
                "years": serializers.ListField(child=serializers.IntegerField()),
                "headline": serializers.ListField(child=serializers.DictField()),
                "trend": serializers.DictField(),
                "children": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        return Response(dashboard(request.user, request.query_params))
