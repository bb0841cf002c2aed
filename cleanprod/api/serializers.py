"""Serializer base: model validation (clean) runs for API writes as it does for forms."""

from __future__ import annotations

import copy
from typing import Any

from rest_framework import serializers

from cleanprod.api.viewsets import run_model_clean
from cleanprod.platform.locking import VersionedSerializerMixin


class CleanModelSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """Runs the model's clean(); versioned models show and accept ``version`` (409 if stale)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model = self.Meta.model
        m2m = {f.name for f in model._meta.many_to_many}
        plain = {k: v for k, v in attrs.items() if k not in m2m}
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for key, value in plain.items():
            setattr(instance, key, value)
        run_model_clean(instance)
        return attrs
