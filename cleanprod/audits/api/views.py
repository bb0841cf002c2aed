"""Audit endpoints (read) and workflow steps (POST), with the web's permissions and services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from cleanprod.audits.api import serializers as s
from cleanprod.audits.dashboard import InvalidParameters, audit_dashboard
from cleanprod.audits.filtersets import AuditFilterSet, RosterFilterSet
from cleanprod.audits.models import Audit, Option, Review, Roster, RosterEntry
from cleanprod.audits.services import Conflict, NotAllowed, WorkflowError
from cleanprod.audits.services import audits as audit_services
from cleanprod.platform.permissions import VIEW


class AuditViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AuditSerializer
    filterset_class = AuditFilterSet
    queryset = Audit.objects.all()

    def get_queryset(self) -> Any:
        # The serializer reads the enterprise's code and the members, staff and deadlines of
        # every row: joined or prefetched, a page costs the same few queries however long.
        return (
            Audit.objects.restrict(self.request.user, VIEW)
            .select_related("enterprise")
            .prefetch_related("deadlines", "members", "staff")
        )

    @extend_schema(
        request=s.TransitionSerializer,
        responses={
            200: s.AuditSerializer,
            409: OpenApiResponse(
                inline_serializer("Conflict", {"detail": serializers.CharField()}),
                description="Someone moved the audit first, or the step no longer applies.",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: Any = None) -> Response:
        """Take a workflow step (e.g. ``start``, ``complete_preparation``, ``submit_report``).

        409 when someone else moved the audit first or the step no longer applies; 400 with the
        missing preconditions; 403 when the user may not take it.
        """
        audit = self.get_object()
        body = s.TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)  # 400 naming ``step`` or ``note``
        try:
            audit = audit_services.transition(
                request.user, audit, body.validated_data["step"], body.validated_data["note"]
            )
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        except Conflict as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except WorkflowError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(s.AuditSerializer(audit).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="Region code (default: own region)"),
            OpenApiParameter("year", int, description="Audit year"),
            OpenApiParameter("industry", str, description="Industry code (GB/T 4754) or prefix"),
            OpenApiParameter("group", str, description="Industry group slug"),
        ],
        responses=inline_serializer(
            "AuditDashboard",
            {
                "totals": serializers.DictField(),
                "by_phase": serializers.ListField(),
                "children": serializers.ListField(),
            },
        ),
    )
    @action(detail=False, methods=["get"])
    def dashboard(self, request: Request) -> Response:
        """Audits by phase, overdue, evaluation/acceptance results and implementation rates for
        the caller's scope; ``region``, ``year``, ``industry``, ``group`` narrow it."""
        try:
            return Response(audit_dashboard(request.user, request.query_params))
        except InvalidParameters as exc:
            raise serializers.ValidationError(exc.errors) from exc


class OptionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.OptionSerializer
    queryset = Option.objects.all()
    filterset_fields = ["audit", "status", "high_cost", "category"]

    def get_queryset(self) -> Any:
        return Option.objects.restrict(self.request.user, VIEW)


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ReviewSerializer
    queryset = Review.objects.all()
    filterset_fields = ["audit", "stage", "decision"]

    def get_queryset(self) -> Any:
        return Review.objects.restrict(self.request.user, VIEW)


class RosterViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.RosterSerializer
    filterset_class = RosterFilterSet
    queryset = Roster.objects.all()

    def get_queryset(self) -> Any:
        return Roster.objects.restrict(self.request.user, VIEW).order_by("-year", "pk")

    @extend_schema(responses=s.RosterEntrySerializer(many=True))
    # Every entry as a bare list (rosters are bounded); the schema must not claim a page.
    @action(detail=True, methods=["get"], pagination_class=None)
    def entries(self, request: Request, pk: Any = None) -> Response:
        roster = self.get_object()
        rows = RosterEntry.objects.restrict(request.user, VIEW).filter(roster=roster)
        return Response(s.RosterEntrySerializer(rows.select_related("enterprise"), many=True).data)
