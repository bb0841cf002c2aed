"""An organisation's request to change its regulated registry fields, decided by the authority.

An enterprise may not rewrite its own USCC, region or industry (nor an agency its filing, nor an
expert its title or employer): those fields decide who supervises it, which rules apply and
who may sit on whose panel. It asks instead, with its reason and evidence; the competent
authority (whose scope covers the organisation) approves, which applies the change through the
same write path as any edit, or rejects. Both are in the change log.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cleanprod.platform.permissions import RestrictedQuerySet


class ChangeRequest(models.Model):
    changelog = True

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT
    )
    object_id = models.PositiveBigIntegerField(_("record"))
    target = GenericForeignKey("content_type", "object_id")
    # The organisation's region when it asked: whose authorities decide (kept if it moves).
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    object_repr = models.CharField(_("organisation"), max_length=200)
    changes = models.JSONField(_("requested values"))
    previous = models.JSONField(_("values when asked"))
    reason = models.TextField(_("reason"))
    evidence = models.FileField(_("evidence"), upload_to="change-requests/%Y/", blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.object_repr} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:

        return reverse("changerequests:detail", args=[self.pk])

    def changelog_region(self) -> str:
        return str(self.region_id)
