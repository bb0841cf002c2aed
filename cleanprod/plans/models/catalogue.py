"""The plans' entries in the database: targets and quantities, key projects, technologies
(plus the authorities' advanced-technology catalogue), substances and substitutions.

Loaded from :func:`cleanprod.core.plans.load_plans` by
:func:`cleanprod.plans.loader.load_plan_data`.
Industry codes are stored resolved to GB/T 4754-2017 prefixes, both as a list and as a
space-delimited text (`` 22 1340 ``) that a plain ``contains`` filter searches on any database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cleanprod.core.plans import load_plans
from cleanprod.platform.permissions import RestrictedQuerySet
from cleanprod.regions.models import Region


class Stage(models.TextChoices):
    RESEARCH = "research", _("Research")
    PILOT = "pilot", _("Pilot")
    DEMONSTRATION = "demonstration", _("Demonstration")
    PROMOTION = "promotion", _("Promotion")
    POPULARIZATION = "popularization", _("Popularization")
    ADVANCEMENT = "advancement", _("Advancement")
    RETROFIT = "retrofit", _("Retrofit")
    IMPLEMENTATION = "implementation", _("Implementation")
    CONTROL = "control", _("Control")


def codes_text(codes: list[str] | tuple[str, ...]) -> str:
    """`` 22 1340 ``: each code between spaces, so ``contains=" 22"`` finds division 22."""
    return f" {' '.join(codes)} " if codes else ""


class KeyProject(models.Model):
    """A key project (重点工程) of a plan."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    document = models.CharField(_("plan"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=200)
    pollutants = models.JSONField(_("pollutants"), default=list)
    industries = models.JSONField(_("industries"), default=list)
    focus = models.TextField(_("focus"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """A target (or a quantity of work) of a plan, with its metric, baseline and target value."""

    class Kind(models.TextChoices):
        TARGET = "target", _("Target")
        QUANTITY = "quantity", _("Quantity")

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    document = models.CharField(_("plan"), max_length=16, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=200)
    unit = models.CharField(_("unit"), max_length=32)
    definition = models.TextField(_("definition"))
    scope = models.CharField(_("scope"), max_length=16)
    industries = models.JSONField(_("industries"), default=list)
    industry_groups = models.JSONField(_("industry groups"), default=list)
    industry_codes = models.JSONField(_("industry codes"), default=list)
    baseline_value = models.FloatField(_("baseline"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_kind = models.CharField(max_length=32, blank=True)
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    target_kind = models.CharField(max_length=32)
    direction = models.CharField(_("direction"), max_length=8)
    comparison = models.CharField(_("comparison"), max_length=2, blank=True)
    comparison_text = models.CharField(max_length=200, blank=True)
    approximate = models.BooleanField(default=False)
    additive = models.BooleanField(_("additive"), default=False)
    qualitative = models.BooleanField(_("qualitative"), default=False)
    key_project = models.ForeignKey(
        KeyProject, on_delete=models.SET_NULL, null=True, blank=True, related_name="targets"
    )
    note = models.TextField(blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["document", "kind", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:target-detail", args=[self.slug])

    def core(self):  # type: ignore[no-untyped-def]
        """The :class:`cleanprod.core.plans.Target` this row was loaded from."""

        return load_plans().get(self.slug)


class Technology(models.Model):
    """A technology named by a plan, or added to the advanced-technology catalogue
    (清洁生产先进技术目录, 十四五 §六(十九)) by an authority."""

    class Origin(models.TextChoices):
        PLAN = "plan", _("Plan")
        CATALOGUE = "catalogue", _("Catalogue")

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    stage_text = models.CharField(max_length=32, blank=True)
    pollutants = models.JSONField(_("pollutants"), default=list, blank=True)
    industries = models.JSONField(default=list, blank=True)
    industry_groups = models.JSONField(default=list, blank=True)
    industry_codes = models.JSONField(_("industry codes"), default=list)
    codes_text = models.CharField(max_length=400, blank=True, db_index=True)
    key_project = models.ForeignKey(
        KeyProject, on_delete=models.SET_NULL, null=True, blank=True, related_name="technologies"
    )
    includes = models.JSONField(default=list, blank=True)
    penetration_target = models.FloatField(_("penetration target (%)"), null=True, blank=True)
    penetration_year = models.PositiveSmallIntegerField(null=True, blank=True)
    penetration_comparison = models.CharField(max_length=2, blank=True)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("catalogue of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published = models.BooleanField(_("published"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    changelog = True

    class Meta:
        ordering = ["origin", "slug"]
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:technology-detail", args=[self.slug])

    def changelog_region(self) -> str:
        return str(self.region_id or "")


class Substance(models.Model):
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=200)
    priority_chemical = models.CharField(max_length=8, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("substance")
        verbose_name_plural = _("substances")

    def __str__(self) -> str:
        return self.name


class Substitution(models.Model):
    """A toxic and hazardous substitution (有毒有害原料替代)."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=200)
    field = models.CharField(_("field"), max_length=16)
    replaces = models.ManyToManyField(Substance, related_name="substitutions", blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    industry_codes = models.JSONField(_("industry codes"), default=list)
    technology = models.ForeignKey(
        Technology, on_delete=models.SET_NULL, null=True, blank=True, related_name="substitutions"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("substitution")
        verbose_name_plural = _("substitutions")

    def __str__(self) -> str:
        return self.name
