"""Evaluation endpoints: systems, assessments (submit = create), scope grading."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cleanprod.evaluation.models import Assessment, SystemVersion
from cleanprod.evaluation.services import AssessmentError, grade_scope, submit
from cleanprod.platform.api.serializers import CleanCharField, TextModelSerializer
from cleanprod.platform.permissions import VIEW
from cleanprod.regions.models import Region
from cleanprod.registry.models import Enterprise


class SystemSerializer(TextModelSerializer):
    class Meta:
        model = SystemVersion
        fields = ["slug", "version", "name", "status", "industries", "source", "current", "text"]


class AssessmentSerializer(TextModelSerializer):
    system = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    system_version = serializers.CharField(source="system.version", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "enterprise",
            "system",
            "system_version",
            "inputs",
            "grade",
            "index_i",
            "index_ii",
            "index_iii",
            "result",
            "submitted",
            "supersedes",
        ]
        read_only_fields = fields


class SubmitSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    system = serializers.SlugField()
    inputs = serializers.DictField(child=CleanCharField(allow_blank=True))
    supersedes = serializers.IntegerField(required=False)


class SystemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SystemSerializer
    lookup_field = "slug"
    queryset = SystemVersion.objects.filter(current=True)
    filterset_fields = ["status"]

    def get_queryset(self) -> Any:
        return SystemVersion.objects.restrict(self.request.user, VIEW).filter(current=True)

    @extend_schema(
        parameters=[OpenApiParameter("region", str)],
        responses=inline_serializer("Grading", {"totals": serializers.DictField()}),
    )
    @action(detail=True, methods=["get"])
    def grading(self, request: Request, slug: str | None = None) -> Response:
        """Grade every enterprise of the caller's scope that has data for this system."""
        region = Region.objects.filter(code=request.query_params.get("region", "")).first()
        return Response(grade_scope(request.user, self.get_object().slug, region))


class AssessmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Assessment.objects.all()
    filterset_fields = ["enterprise", "grade"]

    def get_serializer_class(self) -> Any:
        return SubmitSerializer if self.action == "create" else AssessmentSerializer

    def get_queryset(self) -> Any:
        return Assessment.objects.restrict(self.request.user, VIEW).select_related("system")

    @extend_schema(request=SubmitSerializer, responses={201: AssessmentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Submit an assessment: ``inputs`` uses the CSV column names of the system."""
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        enterprise = (
            Enterprise.objects.restrict(request.user, VIEW).filter(pk=v["enterprise"]).first()
        )
        version = SystemVersion.objects.filter(slug=v["system"], current=True).first()
        if enterprise is None or version is None:
            return Response({"detail": "Unknown enterprise or system."}, status=400)
        previous = None
        if v.get("supersedes"):
            previous = self.get_queryset().filter(pk=v["supersedes"], enterprise=enterprise).first()
        try:
            made = submit(request.user, enterprise, version, v["inputs"], supersedes=previous)
        except AssessmentError as exc:
            return Response({"inputs": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(AssessmentSerializer(made).data, status=status.HTTP_201_CREATED)
