"""API representations: objects carry their codes (USCC, 6-digit region code), not only ids."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cleanprod.industries.models import Industry, IndustryLevel, industry_label
from cleanprod.platform.api.serializers import CleanModelSerializer, TextModelSerializer
from cleanprod.platform.permissions import VIEW
from cleanprod.regions.models import Region
from cleanprod.registry.api.groups import group_slugs
from cleanprod.registry.models import Agency, AgencyStaff, Engagement, Enterprise, Expert, Park

DIVISIONS = Industry.objects.filter(level=IndustryLevel.DIVISION)


class RegionalSerializer(CleanModelSerializer):
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), help_text="6-digit code"
    )
    region_name = serializers.CharField(source="region.full_name", read_only=True)


class EnterpriseSerializer(RegionalSerializer):
    province = serializers.SerializerMethodField()
    industry_name = serializers.SerializerMethodField()
    industry_groups = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "uscc",
            "name",
            "region",
            "region_name",
            "province",
            "industry_code",
            "industry_name",
            "industry_groups",
            "above_size",
            "park",
            "discharge_permit_no",
            "address",
            "contact_name",
            "contact_phone",
            "status",
            "synthetic",
            "created",
            "updated",
        ]
        read_only_fields = ["synthetic", "created", "updated"]

    def get_province(self, obj: Enterprise) -> str:
        return obj.region_id[:2] + "0000"

    def get_industry_name(self, obj: Enterprise) -> str:
        return industry_label(obj.industry_code).partition(" ")[2]

    def get_industry_groups(self, obj: Enterprise) -> list[str]:
        return group_slugs(obj.industry_code)  # cached map: no query per row


class ParkSerializer(RegionalSerializer):
    class Meta:
        model = Park
        fields = [
            "id",
            "name",
            "kind",
            "region",
            "region_name",
            "description",
            "published",
            "synthetic",
        ]
        read_only_fields = ["synthetic"]


class AgencyStaffSerializer(TextModelSerializer):
    class Meta:
        model = AgencyStaff
        fields = ["id", "name", "certificate_no", "certificate_valid_until"]


class AgencySerializer(RegionalSerializer):
    industry_scope = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=DIVISIONS, required=False
    )
    staff = serializers.SerializerMethodField()

    class Meta:
        model = Agency
        fields = [
            "id",
            "uscc",
            "name",
            "region",
            "region_name",
            "filing_no",
            "filing_authority",
            "valid_from",
            "valid_until",
            "industry_scope",
            "staff",
            "address",
            "contact_phone",
            "published",
            "synthetic",
        ]
        read_only_fields = ["synthetic"]

    @extend_schema_field(AgencyStaffSerializer(many=True))
    def get_staff(self, agency: Agency) -> list[dict[str, Any]]:
        """Only the staff the reader may see (AgencyStaff's own policy), not all of them."""
        staff = getattr(agency, "visible_staff", None)  # prefetched by the viewset
        if staff is None:
            request = self.context.get("request")
            staff = agency.staff.restrict(getattr(request, "user", None), VIEW)
        return list(AgencyStaffSerializer(staff, many=True).data)


class ExpertSerializer(RegionalSerializer):
    specialties = serializers.SlugRelatedField(slug_field="code", many=True, queryset=DIVISIONS)

    class Meta:
        model = Expert
        fields = [
            "id",
            "name",
            "title",
            "region",
            "region_name",
            "specialties",
            "employer_kind",
            "employer_enterprise",
            "employer_agency",
            "employer_name",
            "active",
            "phone",
            "email",
            "synthetic",
        ]
        read_only_fields = ["synthetic"]


class EngagementSerializer(CleanModelSerializer):
    class Meta:
        model = Engagement
        fields = ["id", "agency", "enterprise", "start_date", "end_date", "note"]
