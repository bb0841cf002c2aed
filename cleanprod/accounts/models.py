"""Users and the party each belongs to: an authority, an enterprise, an agency, an expert or an
industry association. What a user may see and do follows from the party (see permissions.py)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cleanprod.platform.locking import Versioned
from cleanprod.platform.permissions import RestrictedQuerySet
from cleanprod.registry.models import Agency, Enterprise, Expert


class Party(models.TextChoices):
    AUTHORITY = "authority", _("Competent authority")
    ENTERPRISE = "enterprise", _("Enterprise")
    AGENCY = "agency", _("Consulting agency")
    EXPERT = "expert", _("Expert")
    ASSOCIATION = "association", _("Industry association")


class Department(models.TextChoices):
    NDRC = "ndrc", _("Development and reform")
    MEE = "mee", _("Ecology and environment")
    MIIT = "miit", _("Industry and information technology")


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    OFFICER = "officer", _("Officer")
    ADMINISTRATOR = "administrator", _("Administrator")


class RestrictedUserManager(UserManager.from_queryset(RestrictedQuerySet)):
    """Django's user manager whose querysets have ``restrict()``."""


class User(Versioned, AbstractUser):
    """A platform user. Authorities are bound to a region node (none = national)."""

    changelog = True

    party = models.CharField(_("party"), max_length=16, choices=Party.choices, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("For an authority: the region it governs; empty means national."),
    )
    department = models.CharField(
        _("department"), max_length=8, choices=Department.choices, blank=True
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    # PROTECT: an organisation's accounts block its deletion rather than vanish with it;
    # deactivating the organisation deactivates its accounts.
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("consulting agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    expert = models.OneToOneField(
        "registry.Expert",
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
    )
    association_scope = models.ManyToManyField(
        "industries.Industry",
        verbose_name=_("association's industry divisions"),
        blank=True,
        limit_choices_to={"level": "division"},
        related_name="+",
    )

    # A self-registration or application (enterprise, agency, expert) waiting for the competent
    # authority: inactive until approved. Kept apart from is_active, which a deactivation clears
    # too, so the pending list never shows deactivated accounts.
    awaiting_approval = models.BooleanField(_("awaiting approval"), default=False)
    application_note = models.TextField(_("note for the approving authority"), blank=True)

    objects = RestrictedUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        needs = {
            Party.ENTERPRISE: "enterprise",
            Party.AGENCY: "agency",
            Party.EXPERT: "expert",
        }
        field = needs.get(Party(self.party)) if self.party else None
        if field and getattr(self, f"{field}_id") is None:
            raise ValidationError({field: _("This party needs its organisation.")})
        if self.party == Party.AUTHORITY and not self.department:
            raise ValidationError({"department": _("An authority user needs a department.")})

    @property
    def is_authority(self) -> bool:
        return self.party == Party.AUTHORITY

    @property
    def is_national(self) -> bool:
        return self.is_superuser or (self.is_authority and self.region_id is None)

    def changelog_region(self) -> str:
        """The user's region, else its organisation's (read by id: it may be mid-deletion)."""
        if self.region_id:
            return str(self.region_id)

        for model, pk in (
            (Enterprise, self.enterprise_id),
            (Agency, self.agency_id),
            (Expert, self.expert_id),
        ):
            if pk:
                code = model.objects.filter(pk=pk).values_list("region_id", flat=True).first()
                return str(code or "")
        return ""
