"""List tables: sortable columns, links to detail pages, a badge on synthetic rows."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cleanprod.industries.models import industry_label
from cleanprod.registry.models import Agency, Enterprise, Expert, Park


class NameColumn(tables.Column):
    """The object's name linked to its page, marked when it is synthetic demo data."""

    def render(self, value: str, record: object) -> str:
        badge = (
            format_html(' <span class="badge text-bg-warning">{}</span>', _("synthetic"))
            if getattr(record, "synthetic", False)
            else ""
        )
        return format_html('<a href="{}">{}</a>{}', record.get_absolute_url(), value, badge)


class RegionColumn(tables.Column):
    def render(self, value: object) -> str:
        return getattr(value, "full_name", str(value))


class IndustryColumn(tables.Column):
    def render(self, value: str) -> str:
        return industry_label(value)


class EnterpriseTable(tables.Table):
    name = NameColumn()
    uscc = tables.Column()
    region = RegionColumn(order_by=("region_id",))
    industry_code = IndustryColumn()
    above_size = tables.BooleanColumn()
    status = tables.Column()

    class Meta:
        model = Enterprise
        fields = ("name", "uscc", "region", "industry_code", "above_size", "status")
        attrs = {"id": "enterprise-table", "class": "table table-sm table-hover align-middle"}


class ParkTable(tables.Table):
    name = NameColumn()
    region = RegionColumn(order_by=("region_id",))
    members = tables.Column(verbose_name=_("member enterprises"), accessor="member_count")

    class Meta:
        model = Park
        fields = ("name", "kind", "region", "members")
        attrs = {"id": "park-table", "class": "table table-sm table-hover align-middle"}


class AgencyTable(tables.Table):
    name = NameColumn()
    region = RegionColumn(order_by=("region_id",))

    class Meta:
        model = Agency
        fields = ("name", "uscc", "region", "filing_no", "valid_until")
        attrs = {"id": "agency-table", "class": "table table-sm table-hover align-middle"}


class ExpertTable(tables.Table):
    name = NameColumn()
    region = RegionColumn(order_by=("region_id",))
    employer = tables.Column(
        accessor="employer_display", orderable=False, verbose_name=_("employer")
    )

    class Meta:
        model = Expert
        fields = ("name", "title", "region", "employer", "active")
        attrs = {"id": "expert-table", "class": "table table-sm table-hover align-middle"}
