"""The change log over the API: searchable within the user's scope."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from cleanprod.changelog.models import ObjectChange
from cleanprod.changelog.views import ChangeFilterSet
from cleanprod.platform.permissions import VIEW


class ObjectChangeSerializer(serializers.ModelSerializer):
    model = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = ObjectChange
        fields = [
            "id",
            "time",
            "user",
            "user_name",
            "request_id",
            "source",
            "action",
            "model",
            "object_id",
            "object_repr",
            "region_code",
            "prechange",
            "postchange",
        ]


class ObjectChangeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ObjectChangeSerializer
    filterset_class = ChangeFilterSet
    queryset = ObjectChange.objects.all()

    def get_queryset(self):
        return ObjectChange.objects.restrict(self.request.user, VIEW).select_related("content_type")
