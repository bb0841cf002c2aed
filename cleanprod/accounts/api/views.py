"""Users (administrators manage their region's users) and token login with throttling."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cleanprod.accounts import lockout
from cleanprod.accounts.api.serializers import UserSerializer
from cleanprod.accounts.models import User
from cleanprod.api.viewsets import RestrictedModelViewSet


class UserViewSet(RestrictedModelViewSet):
    queryset = User.objects.select_related("region").order_by("username")
    serializer_class = UserSerializer
    filterset_fields = ["party", "role", "department", "region", "is_active"]
    ordering_fields = ["username", "date_joined", "last_login"]


class TokenView(APIView):
    """``POST {"username", "password"}`` → ``{"token": …}``; use as ``Authorization: Token …``.

    An enterprise account may give its unified social credit code as username. Repeated
    failures lock the username for a while, as on the login page.
    """

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}  # JSON may be null or a list
        username = str(data.get("username") or "").strip()
        password = str(data.get("password") or "")
        address = request.META.get("REMOTE_ADDR", "")
        if not username or not password:
            return Response(
                {"username": ["This field is required."], "password": ["This field is required."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if lockout.is_locked(username, address):
            return Response(
                {"detail": "Too many failed attempts; try again later."},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        user = authenticate(request._request, username=username, password=password)
        if user is None:
            lockout.record_failure(username, address)
            return Response(
                {"non_field_errors": ["Unable to log in with the credentials provided."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        lockout.clear_failures(username)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
