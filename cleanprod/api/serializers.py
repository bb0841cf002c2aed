"""Serializer base: model validation (clean) runs for API writes as it does for forms."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from cleanprod.accounts.permissions import CHANGE, changed_fields, check_fields
from cleanprod.api.viewsets import run_model_clean


class CleanModelSerializer(serializers.ModelSerializer):
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model = self.Meta.model
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
