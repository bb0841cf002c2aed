"""Industry classification GB/T 4754-2017 and the industry groups named by the plans."""

from __future__ import annotations

from functools import lru_cache, reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cleanprod.core.codes import prefix_upper_bound
from cleanprod.platform.permissions import RestrictedQuerySet


class IndustryLevel(models.TextChoices):
    SECTION = "section", _("Section")  # 门类, a letter
    DIVISION = "division", _("Division")  # 大类, 2 digits
    MIDDLE = "middle", _("Middle class")  # 中类, 3 digits
    CLASS = "class", _("Class")  # 小类, 4 digits


class Industry(models.Model):
    code = models.CharField(_("industry code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=128)
    level = models.CharField(_("level"), max_length=8, choices=IndustryLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def industry_label(code: str) -> str:
    """``3360 金属表面处理及热处理加工``; an unnamed class shows its division's name."""
    names = _industry_names()
    name = names.get(code) or names.get(code[:3]) or names.get(code[:2], "")
    return f"{code} {name}".strip()


@lru_cache(maxsize=1)
def _industry_names() -> dict[str, str]:
    # Reference data changes only by load_reference/import_industries, which clear this cache.
    return dict(Industry.objects.values_list("code", "name"))


def code_range_q(field: str, prefixes: list[str]) -> Q:
    """Match a 4-digit class-code field against any of ``prefixes`` (2-4 digit codes).

    Each prefix is a code range, so an ordinary index on the field serves the filter.
    """
    if not prefixes:
        return Q(pk__in=[])
    parts = [
        Q(**{field: p})
        if len(p) == 4
        else Q(**{f"{field}__gte": p, f"{field}__lt": prefix_upper_bound(p)})
        for p in prefixes
    ]
    return reduce(or_, parts)


def industry_q(field: str, code: str) -> Q:
    """Match a class-code field against a section letter or a 2-4 digit code."""
    if code.isalpha():
        divisions = list(
            Industry.objects.filter(parent_id=code, level=IndustryLevel.DIVISION)
            .order_by("code")
            .values_list("code", flat=True)
        )
        return code_range_q(field, divisions)
    return code_range_q(field, [code])


def validate_class_code(code: str) -> None:
    """A 4-digit class code whose division is known. Unnamed classes are accepted."""
    if len(code) != 4 or not code.isdigit():
        raise ValidationError(_("Industry class code must be 4 digits, e.g. 3360."), code="format")
    if not Industry.objects.filter(code=code[:2], level=IndustryLevel.DIVISION).exists():
        raise ValidationError(
            _("Division %(division)s does not exist in GB/T 4754-2017."),
            code="unknown_division",
            params={"division": code[:2]},
        )


class IndustryGroup(models.Model):
    """A list of industries named by a plan, e.g. the 8 heavy-metal industries (十二五 脚注②)."""

    slug = models.SlugField(_("identifier"), max_length=64, primary_key=True)
    name = models.CharField(_("name"), max_length=128)
    short_name = models.CharField(_("short name"), max_length=64)
    source = models.CharField(_("source"), max_length=128)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("industry group")
        verbose_name_plural = _("industry groups")

    def __str__(self) -> str:
        return self.short_name

    def codes(self) -> list[str]:
        return sorted({m.code for m in self.members.all()})

    def q(self, field: str) -> Q:
        """A filter matching class codes that belong to this group."""
        return code_range_q(field, self.codes())


class IndustryGroupMember(models.Model):
    group = models.ForeignKey(IndustryGroup, on_delete=models.CASCADE, related_name="members")
    code = models.CharField(_("industry code"), max_length=4)
    label = models.CharField(_("industry as named in the plan"), max_length=64)
    note = models.TextField(_("note"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["group", "code"]
        constraints = [models.UniqueConstraint(fields=["group", "code"], name="uniq_group_code")]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.label} ({self.code})"
