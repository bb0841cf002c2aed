"""API tokens (django-rest-knox): a password change revokes every token of the account.

Hooked on the model's save, so every way of changing a password is covered: the API, the
admin's password form, ``set_password`` in a service or a shell, ``changepassword``.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save
from knox.models import AuthToken

from cleanprod.accounts.models import User


def revoke_tokens(user: User) -> int:
    """Delete all of ``user``'s API tokens; returns how many there were."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def _remember_password_change(sender: Any, instance: User, **kwargs: Any) -> None:
    if instance.pk is None or kwargs.get("raw"):
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._cleanprod_password_changed = stored is not None and stored != instance.password


def _revoke_after_password_change(sender: Any, instance: User, **kwargs: Any) -> None:
    if getattr(instance, "_cleanprod_password_changed", False):
        instance._cleanprod_password_changed = False
        revoke_tokens(instance)


def connect() -> None:
    """Called from the app config's ``ready``."""
    pre_save.connect(_remember_password_change, sender=User, dispatch_uid="cp_pw_change_pre")
    post_save.connect(_revoke_after_password_change, sender=User, dispatch_uid="cp_pw_change")
