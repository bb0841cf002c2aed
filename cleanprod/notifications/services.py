"""Notify users in the platform and by e-mail (through Django's configured mail backend)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail

from cleanprod.notifications.models import Notification


def notify(
    users: Iterable[Any], subject: str, body: str = "", link: str = "", key: str = ""
) -> int:
    """Notify each user once per ``key`` (when given); e-mail those with an address.

    Returns how many notifications were created.
    """
    made = 0
    for user in {u.pk: u for u in users if u is not None}.values():
        if key and Notification.objects.filter(user=user, key=key).exists():
            continue
        note = Notification.objects.create(
            user=user, subject=subject, body=body, link=link, key=key
        )
        made += 1
        if user.email:
            send_mail(
                subject,
                f"{body}\n\n{link}".strip(),
                getattr(settings, "DEFAULT_FROM_EMAIL", None),
                [user.email],
                fail_silently=True,
            )
            note.emailed = True
            note.save(update_fields=["emailed"])
    return made
