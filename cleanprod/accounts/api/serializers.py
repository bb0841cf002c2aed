from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from rest_framework import serializers

from cleanprod.accounts.models import User
from cleanprod.platform.api.serializers import CleanModelSerializer


class UserSerializer(CleanModelSerializer):
    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "password",
            "first_name",
            "last_name",
            "email",
            "is_active",
            "party",
            "region",
            "department",
            "role",
            "enterprise",
            "agency",
            "expert",
        ]

    def validate_password(self, value: str) -> str:
        validate_password(value, self.instance)
        return value

    def create(self, validated: dict[str, Any]) -> User:
        password = validated.pop("password", None)
        user = User(**validated)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        return user

    def update(self, instance: User, validated: dict[str, Any]) -> User:
        password = validated.pop("password", None)
        user: User = super().update(instance, validated)
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
        return user
