"""Notify users in the platform and by e-mail (through Django's configured mail backend).

The in-app notification is written in the caller's transaction; the e-mail is a background task
enqueued only when that transaction commits, so a rolled-back roster sends nothing and a
500-entry roster costs the request no mail round trips.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction

from cleanprod.notifications.models import Notification
from cleanprod.notifications.tasks import send_notification_email


def notify(
    users: Iterable[Any], subject: str, body: str = "", link: str = "", key: str = ""
) -> int:
    """Notify each user once per ``key`` (when given); e-mail those with an address after commit.

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
            # robust: the change is committed by then; a failed enqueue is logged, not a 500.
            transaction.on_commit(partial(send_notification_email.enqueue, note.pk), robust=True)
    return made
