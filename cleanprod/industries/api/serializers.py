from rest_framework import serializers

from cleanprod.industries.models import Industry, IndustryGroup, IndustryGroupMember


class IndustrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Industry
        fields = ["code", "name", "level", "parent"]


class IndustryGroupMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndustryGroupMember
        fields = ["code", "label", "note"]


class IndustryGroupSerializer(serializers.ModelSerializer):
    members = IndustryGroupMemberSerializer(many=True, read_only=True)

    class Meta:
        model = IndustryGroup
        fields = ["slug", "name", "short_name", "source", "description", "members"]
