"""The national registry: enterprises, parks, consulting agencies and experts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cleanprod.industries.models import Industry, IndustryGroup, validate_class_code
from cleanprod.platform.locking import Versioned
from cleanprod.platform.permissions import RestrictedQuerySet
from cleanprod.regions.models import Region, subtree_q
from cleanprod.registry.validators import validate_uscc


class RegionalQuerySet(RestrictedQuerySet):
    def in_region(self, region: Region) -> RegionalQuerySet:
        """Objects whose region is ``region`` or lies below it."""
        return self.filter(subtree_q("region_id", region.code, region.level))


class Synthetic(Versioned):
    """Rows made by ``cleanprod demo`` carry ``synthetic=True`` and say so wherever shown.

    Registry objects are tracked by the change log and carry a version (optimistic locking,
    :mod:`cleanprod.platform.locking`): every one of them is edited through forms or the API.
    """

    changelog = True

    synthetic = models.BooleanField(_("synthetic (demo) data"), default=False, db_index=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Deactivatable(models.Model):
    """An organisation that is deactivated (停用) with a reason instead of being deleted.

    Organisations with regulated history cannot be deleted (their audits, assessments,
    engagements and credit events point at them); deactivation keeps every row and says why.
    """

    active = models.BooleanField(_("active"), default=True)
    deactivated_reason = models.TextField(_("reason for deactivation"), blank=True)
    deactivated_on = models.DateField(_("deactivated on"), null=True, blank=True)

    class Meta:
        abstract = True


class Park(Synthetic, Deactivatable):
    """园区 / 产业集群: an industrial park or cluster and its member enterprises."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National park")
        PROVINCIAL = "provincial", _("Provincial park")
        OTHER = "other", _("Other park")
        CLUSTER = "cluster", _("Industrial cluster")

    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    description = models.TextField(_("description"), blank=True)
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown to the public.")
    )

    objects = RegionalQuerySet.as_manager()

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("park or cluster")
        verbose_name_plural = _("parks and clusters")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="uniq_park_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:park-detail", args=[self.pk])


class Enterprise(Synthetic, Deactivatable):
    """An enterprise identified by its 统一社会信用代码."""

    class Status(models.TextChoices):
        OPERATING = "operating", _("Operating")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    name = models.CharField(_("name"), max_length=128, db_index=True)
    region = models.ForeignKey(
        Region, verbose_name=_("county-level region"), on_delete=models.PROTECT
    )
    industry_code = models.CharField(
        _("industry class (GB/T 4754)"), max_length=4, validators=[validate_class_code]
    )
    above_size = models.BooleanField(_("above-size industrial enterprise"), default=False)
    park = models.ForeignKey(
        Park,
        verbose_name=_("park or cluster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    discharge_permit_no = models.CharField(
        _("pollutant discharge permit number"), max_length=32, blank=True
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPERATING
    )

    objects = RegionalQuerySet.as_manager()

    class Meta:
        ordering = ["uscc"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            models.Index(fields=["region", "industry_code"], name="ent_region_industry"),
            models.Index(fields=["industry_code"], name="ent_industry"),
            # Lists filter by region and sort by the credit code: without this, PostgreSQL
            # walks the uscc index discarding other regions' rows (issue 17).
            models.Index(fields=["region", "uscc"], name="ent_region_uscc"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:enterprise-detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.region_id and Region.objects.filter(parent_id=self.region_id).exists():
            raise ValidationError(
                {"region": _("Choose a county-level region (a division with no subdivisions).")}
            )
        if self.park_id and self.region_id and self.park is not None:
            park_region = self.park.region
            if not Region.objects.subtree(park_region).filter(code=self.region_id).exists():
                raise ValidationError({"park": _("The park lies outside the enterprise's region.")})

    @property
    def province(self) -> Region | None:
        chain = self.region.ancestors()
        return chain[0] if chain else self.region

    @property
    def prefecture(self) -> Region | None:
        chain = [*self.region.ancestors(), self.region]
        return next((r for r in chain if r.level == 2), None)

    @property
    def industry(self) -> Industry | None:
        return (
            Industry.objects.filter(code__in=[self.industry_code, self.industry_code[:2]])
            .order_by("-code")
            .first()
        )

    def industry_groups(self) -> list[IndustryGroup]:
        """The plan industry groups this enterprise belongs to, by its class code."""
        code = self.industry_code
        return [
            g
            for g in IndustryGroup.objects.prefetch_related("members")
            if any(code.startswith(c) for c in g.codes())
        ]


class Agency(Synthetic, Deactivatable):
    """清洁生产审核咨询服务机构: a consulting agency, filed (备案) with an authority."""

    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    name = models.CharField(_("name"), max_length=128, db_index=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    filing_no = models.CharField(_("filing number"), max_length=64, blank=True)
    filing_authority = models.CharField(_("filing authority"), max_length=128, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    industry_scope = models.ManyToManyField(
        Industry,
        verbose_name=_("approved industry scope (divisions)"),
        blank=True,
        limit_choices_to={"level": "division"},
        related_name="agencies",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Listed in the public agency directory.")
    )

    objects = RegionalQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("consulting agency")
        verbose_name_plural = _("consulting agencies")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:agency-detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The filing ends before it starts.")})


class AgencyStaff(Synthetic):
    """A staff member of an agency with an audit-training certificate."""

    objects = RestrictedQuerySet.as_manager()

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(_("name"), max_length=64)
    certificate_no = models.CharField(_("audit-training certificate number"), max_length=64)
    certificate_valid_until = models.DateField(_("certificate valid until"), null=True, blank=True)

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = _("agency staff member")
        verbose_name_plural = _("agency staff")
        constraints = [
            models.UniqueConstraint(fields=["certificate_no"], name="uniq_staff_certificate")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_no}）"

    def changelog_region(self) -> str:
        return self.agency.region_id


class Engagement(Synthetic):
    """An agency serving an enterprise (a consulting contract); active until ``end_date``."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("consulting agency"),
        on_delete=models.PROTECT,
        related_name="engagements",
    )
    # PROTECT: an engagement is regulated history (who served whom); it is ended, not deleted.
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="engagements",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")

    def __str__(self) -> str:
        return f"{self.agency} → {self.enterprise}"

    def changelog_region(self) -> str:
        return self.enterprise.region_id

    def clean(self) -> None:
        super().clean()
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The engagement ends before it starts.")})


class Expert(Synthetic, Deactivatable):
    """专家: a member of the expert pool, with specialties by industry division."""

    class Title(models.TextChoices):
        SENIOR = "senior", _("Professor-level senior engineer")
        ASSOCIATE = "associate", _("Senior engineer")
        INTERMEDIATE = "intermediate", _("Engineer")
        OTHER = "other", _("Other")

    class EmployerKind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        AGENCY = "agency", _("Consulting agency")
        OTHER = "other", _("Other (university, institute, authority)")

    name = models.CharField(_("name"), max_length=64, db_index=True)
    title = models.CharField(_("professional title"), max_length=16, choices=Title.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    specialties = models.ManyToManyField(
        Industry,
        verbose_name=_("specialties (industry divisions)"),
        limit_choices_to={"level": "division"},
        related_name="experts",
    )
    employer_kind = models.CharField(
        _("employer kind"), max_length=16, choices=EmployerKind.choices
    )
    # PROTECT: the employer is the conflict-of-interest key of panel draws; it must not be
    # cleared silently by deleting the organisation.
    employer_enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("employer (enterprise)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experts",
    )
    # PROTECT: the employer is the conflict-of-interest key of panel draws; it must not be
    # cleared silently by deleting the organisation.
    employer_agency = models.ForeignKey(
        Agency,
        verbose_name=_("employer (agency)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experts",
    )
    employer_name = models.CharField(_("employer"), max_length=128, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    objects = RegionalQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:expert-detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        needs = {
            self.EmployerKind.ENTERPRISE: ("employer_enterprise", self.employer_enterprise_id),
            self.EmployerKind.AGENCY: ("employer_agency", self.employer_agency_id),
        }
        if self.employer_kind in needs:
            field, value = needs[self.EmployerKind(self.employer_kind)]
            if value is None:
                raise ValidationError({field: _("Choose the employer.")})

    @property
    def employer_display(self) -> str:
        if self.employer_enterprise_id:
            return str(self.employer_enterprise)
        if self.employer_agency_id:
            return str(self.employer_agency)
        return self.employer_name
