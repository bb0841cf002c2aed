"""Administrative divisions (行政区划, GB/T 2260) as a province → prefecture → county tree."""

from __future__ import annotations

from functools import lru_cache

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cleanprod.platform.permissions import RestrictedQuerySet
from cleanprod.platform.scopes import code_prefix, subtree_q

__all__ = ["Level", "Region", "code_prefix", "subtree_q"]


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    PREFECTURE = 2, _("Prefecture")
    COUNTY = 3, _("County")


class RegionQuerySet(RestrictedQuerySet):
    def subtree(self, region: Region) -> RegionQuerySet:
        """The region itself and all its descendants."""
        return self.filter(subtree_q("code", region.code, region.level))

    def leaves(self) -> RegionQuerySet:
        """Regions with no children: where enterprises are registered."""
        return self.filter(children__isnull=True)

    def by_name(self, name: str) -> RegionQuerySet:
        """Regions whose short or full name equals ``name`` (short names repeat across China)."""
        return self.filter(Q(name=name) | Q(full_name=name))


class Region(models.Model):
    code = models.CharField(_("division code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=64, db_index=True)
    full_name = models.CharField(_("full name"), max_length=128, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.full_name}（{self.code}）"

    @property
    def prefix(self) -> str:
        return code_prefix(self.code, self.level)

    def ancestors(self) -> list[Region]:
        """From the province down to the parent (excluding self)."""
        chain: list[Region] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def descendants(self) -> RegionQuerySet:
        return Region.objects.subtree(self).exclude(code=self.code)

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    def get_absolute_url(self) -> str:

        return reverse("regions:detail", args=[self.code])


@lru_cache(maxsize=1)
def parent_map() -> dict[str, str | None]:
    """``{code: parent code}`` of the whole tree (reference data; load_regions clears it)."""
    return dict(Region.objects.values_list("code", "parent_id"))


def child_containing(code: str, ancestor: str | None) -> str | None:
    """The child of ``ancestor`` (a province when None) on the path down to ``code``."""
    parents = parent_map()
    node: str | None = code
    while node is not None:
        up = parents.get(node)
        if up == ancestor:
            return node
        node = up
    return None
