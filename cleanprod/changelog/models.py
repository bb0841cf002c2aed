"""The change log: every create, update and delete of a tracked object, with before/after."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from cleanprod.platform.permissions import RestrictedQuerySet


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class ObjectChange(models.Model):
    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.UUIDField(_("request id"), db_index=True)
    source = models.CharField(_("source"), max_length=16)
    remote_addr = models.CharField(_("remote address"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200)
    # Where the object sat, so that authorities can search the log within their region.
    region_code = models.CharField(_("region"), max_length=6, blank=True, db_index=True)
    prechange = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    postchange = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-time", "-pk"]
        verbose_name = _("change")
        verbose_name_plural = _("change log")
        indexes = [models.Index(fields=["content_type", "object_id"], name="change_object")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def diff(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field that differs."""
        before = self.prechange or {}
        after = self.postchange or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
