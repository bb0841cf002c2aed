import django_filters
from django.utils.translation import gettext_lazy as _

from cleanprod.audits.models import Audit, AuditKind, Phase, Roster
from cleanprod.registry.filtersets import IndustryFilterMixin, RegionFilter, WholeNumberFilter


class AuditFilterSet(IndustryFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    region = RegionFilter(field_name="region_id", label=_("Region"))
    phase = django_filters.ChoiceFilter(choices=Phase.choices, empty_label=_("Any"))
    kind = django_filters.ChoiceFilter(choices=AuditKind.choices, empty_label=_("Any"))
    year = WholeNumberFilter()
    overdue = django_filters.BooleanFilter()
    agency = WholeNumberFilter(field_name="agency_id")
    enterprise = WholeNumberFilter(method="filter_enterprise")

    class Meta:
        model = Audit
        fields = ["phase", "kind", "year", "overdue"]

    def filter_enterprise(self, qs, name, value):
        return qs.filter(pk__in=Audit.objects.filter(enterprise_id=value).values("pk")) | qs.filter(
            members=value
        )


class RosterFilterSet(django_filters.FilterSet):
    region = RegionFilter(field_name="region_id", label=_("Region"))
    kind = django_filters.ChoiceFilter(choices=Roster.Kind.choices, empty_label=_("Any"))
    status = django_filters.ChoiceFilter(choices=Roster.Status.choices, empty_label=_("Any"))
    year = WholeNumberFilter()

    class Meta:
        model = Roster
        fields = ["kind", "status", "year"]
