"""Users (administrators manage their region's users) and API tokens (django-rest-knox)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from knox.views import LogoutAllView as KnoxLogoutAllView
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cleanprod.accounts.api.serializers import UserSerializer
from cleanprod.accounts.lockout import lockout_message
from cleanprod.accounts.models import User
from cleanprod.accounts.throttling import TokenRateThrottle
from cleanprod.accounts.tokens import revoke_tokens
from cleanprod.platform.api.viewsets import RestrictedModelViewSet
from cleanprod.platform.permissions import CHANGE, can

RevokedSerializer = inline_serializer("TokensRevoked", {"revoked": serializers.IntegerField()})


class UserViewSet(RestrictedModelViewSet):
    queryset = User.objects.select_related("region").order_by("username")
    serializer_class = UserSerializer
    filterset_fields = ["party", "role", "department", "region", "is_active"]
    ordering_fields = ["username", "date_joined", "last_login"]

    @extend_schema(request=None, responses={200: RevokedSerializer})
    @action(detail=True, methods=["post"], url_path="revoke-tokens")
    def revoke_tokens(self, request: Request, pk: Any = None) -> Response:
        """Revoke every API token of this user (its administrator, e.g. a lost laptop)."""
        target = self.get_object()
        if not request.user.is_authenticated or not can(request.user, CHANGE, target):
            raise PermissionDenied(_("You may not revoke this user's tokens."))
        return Response({"revoked": revoke_tokens(target)})


class TokenView(APIView):
    """``POST {"username", "password"}`` → ``{"token", "expiry"}``; use as
    ``Authorization: Token …`` until the expiry, a logout or a password change.

    An enterprise account may give its unified social credit code as username. Repeated
    failures lock the account (django-axes), as on the login page: 429.
    """

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    throttle_classes = [TokenRateThrottle]

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses={
            200: inline_serializer(
                "TokenResponse",
                {"token": serializers.CharField(), "expiry": serializers.DateTimeField()},
            ),
            # Field errors (a missing username or password) or non_field_errors (wrong ones).
            400: inline_serializer(
                "TokenError",
                {
                    "username": serializers.ListField(
                        child=serializers.CharField(), required=False
                    ),
                    "password": serializers.ListField(
                        child=serializers.CharField(), required=False
                    ),
                    "non_field_errors": serializers.ListField(
                        child=serializers.CharField(), required=False
                    ),
                },
            ),
            429: inline_serializer("TokenLocked", {"detail": serializers.CharField()}),
        },
    )
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}  # JSON may be null or a list
        username = str(data.get("username") or "").strip()
        password = str(data.get("password") or "")
        if not username or not password:
            return Response(
                {"username": ["This field is required."], "password": ["This field is required."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        user = authenticate(request._request, username=username, password=password)
        if getattr(request._request, "axes_locked_out", False):
            return Response({"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None:
            return Response(
                {"non_field_errors": ["Unable to log in with the credentials provided."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        instance, token = AuthToken.objects.create(user)
        return Response({"token": token, "expiry": instance.expiry})


@extend_schema(request=None, responses={204: None})
class LogoutView(KnoxLogoutView):
    """``POST`` with a token: revoke that token."""


@extend_schema(request=None, responses={204: None})
class LogoutAllView(KnoxLogoutAllView):
    """``POST`` with a token: revoke every token of its user (all devices)."""
