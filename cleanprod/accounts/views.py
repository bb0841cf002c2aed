"""Login with throttling; USCC-bound enterprise accounts may use their code as username."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cleanprod.accounts import lockout


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or unified social credit code"),
        widget=forms.TextInput(attrs={"autofocus": True, "class": "form-control"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "form-control", "autocomplete": "current-password"}
        ),
    )

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip()
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        if lockout.is_locked(username, address):
            raise ValidationError(
                _("Too many failed attempts. Try again in %(minutes)d minutes."),
                code="locked",
                params={"minutes": int(lockout.limits()[1].total_seconds() // 60)},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            lockout.record_failure(username, address)
            raise
        lockout.clear_failures(username)
        return cleaned


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
