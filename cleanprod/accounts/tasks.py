"""The invitation of a new account, e-mailed by a worker after the creating transaction."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_tasks import task

from cleanprod.accounts.models import User


def set_password_link(user: User) -> str:
    """The absolute "set your password" link (Django's password-reset token)."""
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.CLEANPROD_BASE_URL}{path}"


@task()
def send_invitation(user_id: int) -> str:
    """E-mail a new account its username and the link to choose its password."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return "skipped"
    body = render_to_string(
        "accounts/email/invitation.txt",
        {
            "user": user,
            "link": set_password_link(user),
            "base_url": settings.CLEANPROD_BASE_URL,
        },
    )
    send_mail(
        _("Your account on the cleaner-production platform"),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        fail_silently=False,
    )
    return "sent"
