"""One FilterSet per model, shared by the web pages and (later) the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cleanprod.industries.models import Industry, IndustryGroup, IndustryLevel, industry_q
from cleanprod.regions.models import Region, subtree_q
from cleanprod.registry.models import Agency, Enterprise, Expert, Park


class WholeNumberFilter(django_filters.NumberFilter):
    """An id or a year: a whole number within the database's integer range.

    django-filter's NumberFilter parses decimals, and a value such as ``-1e48`` then overflows
    the database driver (a server error); here it is a field error.
    """

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", -(2**63) + 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class AnyYesNo(forms.Select):
    """A tri-state select that reads 全部 / 是 / 否 rather than Django's 未知 / 是 / 否."""

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])


def yes_no(label: str) -> django_filters.BooleanFilter:
    return django_filters.BooleanFilter(label=label, widget=AnyYesNo)


class RegionFilter(django_filters.CharFilter):
    """``region=440300``: the division and everything below it."""

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        region = Region.objects.filter(code=value).first()
        if region is None:
            return qs.none()
        return qs.filter(subtree_q(self.field_name, region.code, region.level))


class RegistryFilterSet(django_filters.FilterSet):
    """Region subtree and free text, common to every registry list."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    region = RegionFilter(field_name="region_id", label=_("Region"))
    search_fields: tuple[str, ...] = ("name",)

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return qs
        cond = Q()
        for field in self.search_fields:
            cond |= Q(**{f"{field}__icontains": value})
        return qs.filter(cond)


class IndustryFilterMixin(django_filters.FilterSet):
    """``industry=C`` / ``31`` / ``384`` / ``3360`` and ``group=<slug>`` on a class-code field."""

    industry = django_filters.CharFilter(label=_("Industry"), method="filter_industry")
    group = django_filters.ModelChoiceFilter(
        label=_("Industry group"),
        queryset=IndustryGroup.objects.all(),
        method="filter_group",
    )
    industry_field = "industry_code"

    def filter_industry(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip().upper()
        return qs.filter(industry_q(self.industry_field, value)) if value else qs

    def filter_group(self, qs: QuerySet, name: str, value: IndustryGroup | None) -> QuerySet:
        return qs.filter(value.q(self.industry_field)) if value else qs


class EnterpriseFilterSet(IndustryFilterMixin, RegistryFilterSet):
    search_fields = ("name", "uscc", "discharge_permit_no")
    park = WholeNumberFilter(field_name="park_id", widget=forms.HiddenInput)
    above_size = yes_no(_("above-size industrial enterprise"))
    synthetic = yes_no(_("synthetic (demo) data"))
    status = django_filters.ChoiceFilter(choices=Enterprise.Status.choices, empty_label=_("Any"))

    class Meta:
        model = Enterprise
        fields = ["above_size", "status", "park", "synthetic"]


class ParkFilterSet(IndustryFilterMixin, RegistryFilterSet):
    """Parks match an industry or group through their member enterprises."""

    kind = django_filters.ChoiceFilter(choices=Park.Kind.choices, empty_label=_("Any"))
    industry_field = "industry_code"

    def filter_industry(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        members = super().filter_industry(Enterprise.objects.all(), name, value)
        return qs.filter(pk__in=members.values("park_id")) if value.strip() else qs

    def filter_group(self, qs: QuerySet, name: str, value: IndustryGroup | None) -> QuerySet:
        members = super().filter_group(Enterprise.objects.all(), name, value)
        return qs.filter(pk__in=members.values("park_id")) if value else qs

    class Meta:
        model = Park
        fields = ["kind"]


class SpecialtyFilterMixin(IndustryFilterMixin):
    """Agencies and experts match an industry through their divisions (scope or specialties)."""

    division_relation = ""

    def filter_industry(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip().upper()
        if not value:
            return qs
        if value.isalpha():
            divisions = list(
                Industry.objects.filter(parent_id=value, level=IndustryLevel.DIVISION).values_list(
                    "code", flat=True
                )
            )
        else:
            divisions = [value[:2]]
        return self.with_divisions(qs, divisions)

    def filter_group(self, qs: QuerySet, name: str, value: IndustryGroup | None) -> QuerySet:
        if not value:
            return qs
        return self.with_divisions(qs, sorted({c[:2] for c in value.codes()}))

    def with_divisions(self, qs: QuerySet, divisions: list[str]) -> QuerySet:
        return qs.filter(**{f"{self.division_relation}__code__in": divisions}).distinct()


class AgencyFilterSet(SpecialtyFilterMixin, RegistryFilterSet):
    search_fields = ("name", "uscc", "filing_no")
    division_relation = "industry_scope"

    class Meta:
        model = Agency
        fields: list[str] = []


class ExpertFilterSet(SpecialtyFilterMixin, RegistryFilterSet):
    search_fields = ("name", "employer_name")
    division_relation = "specialties"
    active = yes_no(_("active"))
    title = django_filters.ChoiceFilter(choices=Expert.Title.choices, empty_label=_("Any"))
    employer_kind = django_filters.ChoiceFilter(
        choices=Expert.EmployerKind.choices, empty_label=_("Any")
    )

    class Meta:
        model = Expert
        fields = ["title", "active", "employer_kind"]
