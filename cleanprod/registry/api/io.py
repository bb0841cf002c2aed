"""API import and export of the registry, the same as the web pages and ``cleanprod import``.

``POST`` a multipart ``file`` (and optionally ``dry_run=true``) to an import view: 200
``{"created": n, "updated": n, "unchanged": n, "dry_run": false}``, or 400
``{"errors": [{"row": 3, "column": "统一社会信用代码", "message": "…"}]}`` with nothing written.
``GET`` an export view with ``?format=xlsx|csv`` and the list's filter parameters.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cleanprod.platform.permissions import EXPORT, can_any
from cleanprod.registry.io import SPECS, ModelSpec, import_file
from cleanprod.registry.io.exports import CONTENT_TYPES, FILTERSETS
from cleanprod.registry.io_views import export_response, may_import

TRUE = {"1", "true", "yes", "on"}


class ImportAPIView(APIView):
    """Import an .xlsx or .csv file; all rows or none are written."""

    spec: ModelSpec = SPECS["enterprises"]
    parser_classes = [MultiPartParser, FormParser]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "ImportUpload",
                {
                    "file": serializers.FileField(),
                    "dry_run": serializers.BooleanField(required=False),
                },
            )
        },
        responses={
            200: inline_serializer(
                "ImportResult",
                {
                    "created": serializers.IntegerField(),
                    "updated": serializers.IntegerField(),
                    "unchanged": serializers.IntegerField(),
                    "dry_run": serializers.BooleanField(),
                },
            ),
            400: inline_serializer("ImportErrors", {"errors": serializers.ListField()}),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not may_import(request.user, self.spec):
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None:
            message = _("Send the file in the “file” field.")
            return Response({"errors": [{"row": 0, "column": "", "message": message}]}, 400)
        dry_run = str(request.data.get("dry_run", "")).lower() in TRUE
        result = import_file(self.spec, request.user, upload, upload.name, dry_run=dry_run)
        if result.errors:
            return Response({"errors": [e.as_dict() for e in result.errors]}, status=400)
        return Response(
            {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "dry_run": result.dry_run,
            }
        )


class ExportAPIView(APIView):
    """The filtered list within the user's export scope, as .xlsx (default) or .csv."""

    spec: ModelSpec = SPECS["enterprises"]
    permission_classes = [IsAuthenticated]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # ``?format=csv`` names the file format here, not one of DRF's renderers.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["xlsx", "csv"])],
        # The file in the asked format, with its real content type (not octet-stream).
        responses={
            (200, content_type): OpenApiTypes.BINARY for content_type in CONTENT_TYPES.values()
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if not can_any(request.user, EXPORT, self.spec.model):
            raise PermissionDenied
        fmt = request.query_params.get("format", "xlsx")
        if fmt not in CONTENT_TYPES:
            return Response({"detail": _("Choose format=xlsx or format=csv.")}, status=400)
        response = export_response(self.spec, request.user, request.query_params, fmt)
        if response is None:
            return Response({"detail": _("The filter is not valid.")}, status=400)
        return response


def _filter_parameters(slug: str) -> list[OpenApiParameter]:
    """The list's filters, which the export takes too: declared so clients and fuzzers see them."""
    return [
        OpenApiParameter(name, str, description=str(field.label or ""))
        for name, field in FILTERSETS[slug].base_filters.items()
        if name != "format"
    ]


def _views(slug: str) -> tuple[type[ImportAPIView], type[ExportAPIView]]:
    spec = SPECS[slug]
    name = spec.model.__name__
    export = type(f"{name}ExportAPIView", (ExportAPIView,), {"spec": spec})
    export = extend_schema_view(get=extend_schema(parameters=_filter_parameters(slug)))(export)
    return type(f"{name}ImportAPIView", (ImportAPIView,), {"spec": spec}), export


EnterpriseImportAPIView, EnterpriseExportAPIView = _views("enterprises")
ParkImportAPIView, ParkExportAPIView = _views("parks")
AgencyImportAPIView, AgencyExportAPIView = _views("agencies")
ExpertImportAPIView, ExpertExportAPIView = _views("experts")
