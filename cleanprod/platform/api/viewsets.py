"""The base of every API endpoint: the same restrict() path and write checks as the web UI."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from rest_framework import filters, viewsets
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.serializers import BaseSerializer

from cleanprod.platform.api.permissions import ActionPermission
from cleanprod.platform.locking import VERSION, StaleObject, claim
from cleanprod.platform.permissions import (
    ADD,
    CHANGE,
    VIEW,
    can,
    changed_fields,
    check_fields,
)
from cleanprod.platform.services import InUse, delete_object


class RestrictedSchema(AutoSchema):
    """Documents the 409 of writes: a stale ``version`` (update) or kept history (delete)."""

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        if self.method in ("PUT", "PATCH", "DELETE"):
            responses.setdefault(
                "409",
                {
                    "description": "Conflict: changed by someone else since the given version "
                    "was read, or still referenced by records that must be kept.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"detail": {"type": "string"}},
                                "required": ["detail"],
                            }
                        }
                    },
                },
            )
        return responses


class RestrictedModelViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]  # any model
    """CRUD whose every query goes through ``restrict(user, action)``.

    Objects are looked up within the user's view scope (others are 404); changing or deleting
    one outside the change/delete scope is 403; a write whose result would leave the user's
    scope is refused and rolled back.
    """

    schema = RestrictedSchema()
    permission_classes = [ActionPermission]
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    ordering_fields = "__all__"

    def get_queryset(self) -> Any:
        queryset: Any = super().get_queryset()
        return queryset.restrict(self.request.user, VIEW)

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        serializer.validated_data.pop(VERSION, None)  # a new row starts at version 1
        with transaction.atomic():
            obj = serializer.save()
            if not can(self.request.user, ADD, obj):
                transaction.set_rollback(True)
                raise PermissionDenied("The object would lie outside the scope you may manage.")

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        instance: Any = serializer.instance
        if not can(self.request.user, CHANGE, instance):
            raise PermissionDenied("You may not change this object.")
        changed = changed_fields(instance, serializer.validated_data)
        try:
            check_fields(self.request.user, CHANGE, instance, changed)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        # Optimistic locking: a write that names the version it was based on is refused with
        # 409 when another write came first; one without it is accepted (older clients) but is
        # still checked against the version this request read, inside the same transaction.
        expected = serializer.validated_data.pop(VERSION, None)
        with transaction.atomic():
            try:
                claim(instance, expected)
            except StaleObject as exc:
                raise Conflict(str(exc)) from exc
            obj = serializer.save()
            if not can(self.request.user, CHANGE, obj):
                transaction.set_rollback(True)
                raise PermissionDenied("The change would move the object out of your scope.")

    def perform_destroy(self, instance: models.Model) -> None:
        try:
            delete_object(self.request.user, instance)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except InUse as exc:
            raise Conflict(str(exc)) from exc


class Conflict(APIException):
    status_code = 409
    default_detail = "Conflict."
    default_code = "conflict"


def run_model_clean(instance: models.Model) -> None:
    """Run the model's own clean() so the API refuses what forms and the admin refuse."""
    try:
        instance.clean()
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        raise DRFValidationError(detail) from exc
