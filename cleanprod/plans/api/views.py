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

from cleanprod.plans.dashboard import InvalidParameters, dashboard
from cleanprod.plans.decomposition import decomposition
from cleanprod.plans.models import CarbonCalculation, Target, TargetAllocation, Technology
from cleanprod.platform.api.serializers import TextModelSerializer
from cleanprod.platform.permissions import VIEW
from cleanprod.regions.models import Region


class TargetSerializer(TextModelSerializer):
    class Meta:
        model = Target
        exclude = ["id", "key_project"]


class TechnologySerializer(TextModelSerializer):
    key_project = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

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


def _exact(**kwargs: Any) -> serializers.DecimalField:
    # Decimal strings as stored, unrounded (DRF's JSON encoder would turn a bare Decimal into a
    # float, which is neither exact nor what the schema says).
    return serializers.DecimalField(max_digits=None, decimal_places=None, **kwargs)


class DecompositionPartSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = serializers.CharField()
    assigned = _exact()
    achieved = serializers.FloatField(allow_null=True, help_text="from the dashboard's figures")
    shortfall = _exact(allow_null=True)


class DecompositionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A target's parts under a node and whether they add up (exact decimal strings)."""

    target = serializers.CharField()
    parent = serializers.CharField(allow_null=True)
    whole = _exact(allow_null=True)
    total = _exact()
    gap = _exact(allow_null=True)
    balanced = serializers.BooleanField(allow_null=True)
    parts = DecompositionPartSerializer(many=True)


class PlanTargetViewSet(_Restricted):
    """Targets and quantities of both plans (public)."""

    queryset = Target.objects.all()
    serializer_class = TargetSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[a-z0-9-]+"
    filterset_fields = ["document", "kind", "additive"]

    @extend_schema(
        parameters=[OpenApiParameter("region", str, description="parent node (default: nation)")],
        responses=DecompositionSerializer,
    )
    @action(detail=True, methods=["get"])
    def decomposition(self, request: Request, slug: str | None = None) -> Response:
        """Parts assigned to the children of a node and whether they add up (目标分解)."""
        target = self.get_object()
        code = request.query_params.get("region", "")
        parent = Region.objects.filter(code=code).first() if code.isdigit() else None
        data = decomposition(request.user, target, parent)
        payload = {**data, "target": target.slug, "parent": parent.code if parent else None}
        return Response(DecompositionSerializer(payload).data)


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
        """The figures; 400 ``{"year": [...]}`` when a parameter is malformed."""
        try:
            return Response(dashboard(request.user, request.query_params))
        except InvalidParameters as exc:
            raise serializers.ValidationError(exc.errors) from exc
