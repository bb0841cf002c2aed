from rest_framework import serializers

from cleanprod.audits.models import Audit, Deadline, Option, Review, Roster, RosterEntry
from cleanprod.audits.workflow import TRANSITIONS
from cleanprod.platform.api.serializers import TextModelSerializer


class DeadlineSerializer(TextModelSerializer):
    class Meta:
        model = Deadline
        fields = [
            "event",
            "due",
            "met_on",
            "overdue",
            "rule_id",
            "rule_text",
            "rule_source",
            "rules_version",
        ]


class AuditSerializer(TextModelSerializer):
    enterprise_uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)

    class Meta:
        model = Audit
        fields = [
            "id",
            "title",
            "kind",
            "enterprise",
            "enterprise_uscc",
            "members",
            "park",
            "agency",
            "staff",
            "phase",
            "version",
            "region",
            "industry_code",
            "year",
            "rules_version",
            "focus",
            "pre_grade",
            "post_grade",
            "started_on",
            "report_submitted_on",
            "evaluation_passed_on",
            "closed_on",
            "overdue",
            "options_approved",
            "options_implemented",
            "investment_approved",
            "investment_implemented",
            "deadlines",
            "synthetic",
        ]
        read_only_fields = fields


class OptionSerializer(TextModelSerializer):
    class Meta:
        model = Option
        exclude: list[str] = []
        read_only_fields = ["audit", "status", "payback_years", "npv", "npvr", "irr"]


class ReviewSerializer(TextModelSerializer):
    class Meta:
        model = Review
        fields = [
            "id",
            "audit",
            "stage",
            "template_slug",
            "template_version",
            "score",
            "decision",
            "band",
            "vetoes",
            "opinion",
            "decided_at",
        ]


class RosterEntrySerializer(TextModelSerializer):
    enterprise_uscc = serializers.CharField(
        source="enterprise.uscc", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = RosterEntry
        fields = [
            "id",
            "enterprise",
            "enterprise_uscc",
            "park",
            "origin",
            "triggers",
            "reasons",
            "removed",
            "removal_reason",
        ]


class RosterSerializer(TextModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = Roster
        fields = [
            "id",
            "title",
            "region",
            "year",
            "kind",
            "status",
            "rules_version",
            "published_at",
        ]


class TransitionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The body of ``POST /api/audits/{id}/transition/``: a known step and an optional note."""

    step = serializers.ChoiceField(choices=[(t.name, t.label) for t in TRANSITIONS.values()])
    note = serializers.CharField(required=False, allow_blank=True, default="")
