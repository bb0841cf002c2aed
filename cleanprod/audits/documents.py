"""The evaluation opinion and the acceptance conclusion as PDF documents (in Chinese)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from cleanprod.audits.models import Audit, OptionStatus, Review
from cleanprod.audits.services.reviews import seated
from cleanprod.core import review as core_review
from cleanprod.core.scoring import Grade
from cleanprod.industries.models import industry_label
from cleanprod.reports import pdf

GRADES = {"I": Grade.I, "II": Grade.II, "III": Grade.III, "BELOW": Grade.BELOW}


def _info(rev: Review, user: Any) -> pdf.ReviewInfo:
    audit: Audit = rev.audit
    template = core_review.load_template(rev.template_slug)
    sheets = [
        core_review.ScoreSheet(
            expert_id=str(s.expert_id), scores=s.scores, vetoes=s.vetoes, opinion=s.opinion
        )
        for s in rev.sheets.all()
    ]
    result = core_review.decide(template, sheets)
    enterprise = audit.enterprise
    agency = audit.agency
    members = seated(rev.panel)
    return pdf.review_info(
        template,
        result,
        enterprise=pdf.EnterpriseInfo(
            name=enterprise.name,
            uscc=enterprise.uscc,
            region=f"{enterprise.region.full_name}（{enterprise.region_id}）",
            industry=industry_label(enterprise.industry_code),
        ),
        audit_id=f"{audit.year}-{audit.pk:06d}",
        agency=pdf.AgencyInfo(
            name=agency.name if agency else "（企业自行审核）",
            staff=tuple(f"{s.name}（审核培训证书 {s.certificate_no}）" for s in audit.staff.all()),
        ),
        panel=tuple(
            pdf.PanelMemberInfo(
                name=m.expert.name,
                title=m.expert.get_title_display(),
                employer=m.expert.employer_display or "—",
                role="组长" if i == 0 else "成员",
            )
            for i, m in enumerate(members)
        ),
        review_date=timezone.localtime(rev.decided_at).date(),
        place=audit.region.full_name,
        opinion=rev.opinion,
        generated_by=getattr(user, "username", "") or "cleanprod",
        generated_at=timezone.localtime(),
        synthetic=audit.synthetic,
        draw_seed=rev.panel.seed,
    )


def review_pdf(rev: Review, user: Any) -> bytes:
    """The document of a review: evaluation opinion or acceptance conclusion."""
    info = _info(rev, user)
    if rev.stage == "evaluation":
        return pdf.evaluation_opinion_pdf(pdf.EvaluationOpinion(review=info))
    audit = rev.audit
    options = tuple(
        pdf.OptionRow(
            name=f"{o.code} {o.name}",
            cost_class="中/高费" if o.high_cost else "无/低费",
            investment=o.actual_investment or o.investment,
            economic_benefit=o.verified_money or Decimal(0),
            environmental_benefit="；".join(
                f"{k.upper()} {getattr(o, f'verified_{k}'):.2f}"
                for k in ("cod", "so2", "nox", "energy", "co2")
                if getattr(o, f"verified_{k}")
            )
            or "—",
            verified=o.status == OptionStatus.VERIFIED,
        )
        for o in audit.options.filter(status__in=[OptionStatus.IMPLEMENTED, OptionStatus.VERIFIED])
    )
    targets_text = ""
    record = audit.phase_records.filter(phase="pre_assessment").first()
    if record is not None:
        targets_text = str(record.data.get("targets", ""))
    targets = (
        pdf.TargetRow(
            indicator=targets_text or "清洁生产目标",
            unit="—",
            baseline="—",
            target=targets_text or "—",
            achieved="见验收核查",
            met=rev.decision == Review.Decision.PASSED,
        ),
    )
    evaluation = audit.reviews.filter(stage="evaluation").order_by("-decided_at").first()
    return pdf.acceptance_conclusion_pdf(
        pdf.AcceptanceConclusion(
            review=info,
            evaluation_date=timezone.localtime(evaluation.decided_at).date()
            if evaluation
            else None,
            options=options,
            indicator_system=f"{industry_label(audit.industry_code)} 行业清洁生产评价指标体系",
            grade_before=GRADES.get(audit.pre_grade, Grade.BELOW),
            grade_after=GRADES.get(audit.post_grade, Grade.BELOW),
            targets=targets,
        )
    )
