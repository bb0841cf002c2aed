"""In-app notifications (and the e-mail sent with them)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cleanprod.platform.permissions import RestrictedQuerySet


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=255, blank=True)
    # Repeated reminders about the same thing are sent once: the key names the occasion.
    key = models.CharField(max_length=128, blank=True, db_index=True)
    read = models.BooleanField(_("read"), default=False)
    # True only once the mail server accepted the message (sent by a task after commit).
    emailed = models.BooleanField(_("e-mailed"), default=False)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_error = models.TextField(_("e-mail error"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="uniq_notification_key"
            )
        ]

    def __str__(self) -> str:
        return self.subject
