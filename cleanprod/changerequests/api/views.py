"""Change requests over the API: the organisation asks, the competent authority decides."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.forms.models import model_to_dict
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from cleanprod.changerequests import services
from cleanprod.changerequests.forms import values_form
from cleanprod.changerequests.models import ChangeRequest
from cleanprod.platform.permissions import VIEW
from cleanprod.registry.models import Agency, Enterprise, Expert

KINDS = {"enterprise": Enterprise, "agency": Agency, "expert": Expert}


class ChangeRequestSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="content_type.model", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "kind",
            "object_id",
            "object_repr",
            "region",
            "changes",
            "previous",
            "reason",
            "status",
            "status_display",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class RequestInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=sorted(KINDS))
    object_id = serializers.IntegerField(min_value=1)
    changes = serializers.DictField(help_text="Field name → requested value, as in the API.")
    reason = serializers.CharField(max_length=2000)


class DecisionInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


def _errors(exc: DjangoValidationError) -> Any:
    return exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}


class ChangeRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Requests to change an organisation's regulated fields (see README)."""

    queryset = ChangeRequest.objects.select_related("content_type").order_by("-requested_at")
    serializer_class = ChangeRequestSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status"]

    def get_queryset(self) -> Any:
        return super().get_queryset().restrict(self.request.user, VIEW)

    @extend_schema(request=RequestInput, responses={201: ChangeRequestSerializer})
    def create(self, request: Request) -> Response:
        data = RequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        model = KINDS[data.validated_data["kind"]]
        obj = (
            model.objects.restrict(request.user, VIEW)
            .filter(pk=data.validated_data["object_id"])
            .first()
        )
        if obj is None:
            raise ValidationError({"object_id": ["Not found."]})
        form_class = values_form(model)
        fields = list(form_class.base_fields)
        unknown = sorted(set(data.validated_data["changes"]) - set(fields))
        if unknown:
            raise ValidationError({"changes": [f"Not a requestable field: {', '.join(unknown)}"]})
        initial = model_to_dict(obj, fields=fields)
        initial.update(data.validated_data["changes"])
        form = form_class(data=initial, instance=model.objects.get(pk=obj.pk))
        if not form.is_valid():
            raise ValidationError({"changes": form.errors.get_json_data()})
        try:
            made = services.request_change(request.user, obj, form, data.validated_data["reason"])
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise ValidationError(_errors(exc)) from exc
        return Response(ChangeRequestSerializer(made).data, status=status.HTTP_201_CREATED)

    def _decide(self, request: Request, approve: bool) -> Response:
        obj = self.get_object()
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        note = data.validated_data.get("note", "")
        if not approve and not note.strip():
            raise ValidationError({"note": ["Say why the request is rejected."]})
        try:
            obj = services.decide(request.user, obj, approve, note)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        except DjangoValidationError as exc:
            raise ValidationError(_errors(exc)) from exc
        return Response(ChangeRequestSerializer(obj).data)

    @extend_schema(request=DecisionInput, responses=ChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        """Apply the requested values (the approver's scope must cover the old and new place)."""
        return self._decide(request, True)

    @extend_schema(request=DecisionInput, responses=ChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        """Reject with a reason (``note``)."""
        return self._decide(request, False)
