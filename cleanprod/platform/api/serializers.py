"""Serializer bases: text input is cleaned of control characters, and model validation (clean)
runs for API writes as it does for forms."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import models
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from cleanprod.core.text import clean_text
from cleanprod.platform.api.viewsets import run_model_clean
from cleanprod.platform.locking import VersionedSerializerMixin
from cleanprod.platform.permissions import CHANGE, changed_fields, check_fields


class CleanCharField(serializers.CharField):
    """A CharField whose input loses its control characters before validation.

    Line breaks and tabs are kept only in ``multiline`` fields (a model TextField).
    """

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, str):
            data = clean_text(data, multiline=self.multiline)
        value: str = super().to_internal_value(data)
        return value


class CleanTextField(CleanCharField):
    """The serializer field of a model TextField: multi-line text, cleaned."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(multiline=True, **kwargs)


class TextModelSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]  # any model
    """The base of every model serializer: model text fields map to cleaning fields."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: CleanCharField,
        models.TextField: CleanTextField,
    }


class CleanModelSerializer(VersionedSerializerMixin, TextModelSerializer):
    """Runs the model's clean(); versioned models show and accept ``version`` (409 if stale)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model: Any = self.Meta.model
        m2m = {f.name for f in model._meta.many_to_many}
        plain = {k: v for k, v in attrs.items() if k not in m2m}
        request = self.context.get("request")
        if self.instance is not None and request is not None:
            # Fields the user may not write are refused before any other check: the answer is
            # "not yours to change" (403), not a validation detail of the forbidden value.
            changed = changed_fields(self.instance, attrs)
            try:
                check_fields(request.user, CHANGE, self.instance, changed)
            except DjangoPermissionDenied as exc:
                raise PermissionDenied(str(exc)) from exc
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for key, value in plain.items():
            setattr(instance, key, value)
        run_model_clean(instance)
        return attrs
