"""The e-mail of a notification, sent by a worker after the notifying transaction committed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from cleanprod.notifications.models import Notification


def absolute(link: str) -> str:
    """The link as users reach it from their mail client (``CLEANPROD_BASE_URL`` + path)."""
    if not link or "://" in link:
        return link
    return f"{settings.CLEANPROD_BASE_URL}/{link.lstrip('/')}"


def retry_delay(attempts: int) -> int:
    """Seconds to wait before the next try after ``attempts`` failed ones."""
    delays = settings.CLEANPROD_EMAIL_RETRY_DELAYS
    return int(delays[min(attempts, len(delays)) - 1])


@task()
def send_notification_email(notification_id: int) -> str:
    """Send one notification's e-mail; on failure record the error and try again later.

    After ``CLEANPROD_EMAIL_ATTEMPTS`` failures the error is re-raised, so the task itself ends
    failed and shows among the failed tasks (docs/operations.md).
    """
    note = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if note is None or note.emailed or not note.user.email:
        return "skipped"
    note.email_attempts += 1
    try:
        sent = send_mail(
            note.subject,
            f"{note.body}\n\n{absolute(note.link)}".strip(),
            settings.DEFAULT_FROM_EMAIL,
            [note.user.email],
            fail_silently=False,
        )
        if not sent:
            raise RuntimeError("the mail backend accepted no message")
    except Exception as exc:
        note.email_error = f"{type(exc).__name__}: {exc}"[:1000]
        note.save(update_fields=["email_attempts", "email_error"])
        if note.email_attempts >= settings.CLEANPROD_EMAIL_ATTEMPTS:
            raise
        later = timezone.now() + dt.timedelta(seconds=retry_delay(note.email_attempts))
        send_notification_email.using(run_after=later).enqueue(notification_id)
        return "retrying"
    note.emailed, note.emailed_at, note.email_error = True, timezone.now(), ""
    note.save(update_fields=["emailed", "emailed_at", "email_attempts", "email_error"])
    return "sent"
