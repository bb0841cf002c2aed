"""Random draw of an expert panel (专家组) from the expert pool (专家库) for an Evaluation or
Acceptance.

The draw is reproducible and auditable without this code: every eligible expert gets the rank
``SHA-256("<seed>\\x1f<expert id>")`` (hex digest, smallest first), so the same pool and seed
give the same panel whatever order the pool arrives in, on any platform or Python version.

Eligibility, in the order the reasons are checked:

1. inactive experts are out;
2. recused experts (an explicit list, each with its reason) are out;
3. staff of the audited enterprise and of the agency that served the audit are out (conflict
   of interest: employer key equals the enterprise's or the agency's key, e.g. their USCC);
4. the specialty must match: one of the expert's specialties (GB/T 4754 division codes) is the
   first two digits of the enterprise's class code (rule ``division``). When the matched pool
   cannot form a panel and the request allows it, the rule widens to any division of the same
   section (门类, rule ``section``); the rule used is in the result.

Panel: with ``require_senior`` the best-ranked senior (正高级) expert takes the first seat;
the remaining seats go in rank order, skipping any expert whose employer already has a seat
(no two members from one employer). Alternates follow in rank order under the same employer
rule, so each can replace any member. Experts skipped for their employer are logged too.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from cleanprod.core.errors import CoreError

__all__ = [
    "SENIOR_TITLES",
    "DrawRequest",
    "Exclusion",
    "ExclusionCode",
    "ExpertCandidate",
    "MatchRule",
    "NotEnoughExperts",
    "PanelDraw",
    "PanelError",
    "draw_alternate",
    "draw_panel",
    "fresh_seed",
    "is_senior",
    "rank_key",
    "section_of",
]


class PanelError(CoreError, ValueError):
    """A draw request or the pool is malformed (duplicate ids, bad codes, bad sizes)."""


class NotEnoughExperts(PanelError):
    """Too few eligible experts to form the panel; the message says how many and why."""

    def __init__(self, message: str, eligible: int, needed: int, excluded: Counter[str]) -> None:
        super().__init__(message)
        self.eligible = eligible
        self.needed = needed
        self.excluded = excluded  # ExclusionCode value -> number of experts


class MatchRule(StrEnum):
    """How the specialty was matched."""

    DIVISION = "division"  # 同行业大类
    SECTION = "section"  # 同门类（放宽）

    @property
    def label(self) -> str:
        """Chinese label for logs and documents."""
        return "同行业大类" if self is MatchRule.DIVISION else "同门类（专业人数不足时放宽）"


class ExclusionCode(StrEnum):
    """Why an expert is not on the panel (first applicable reason)."""

    INACTIVE = "inactive"
    RECUSED = "recused"
    ENTERPRISE_STAFF = "enterprise_staff"
    AGENCY_STAFF = "agency_staff"
    SPECIALTY = "specialty"
    SAME_EMPLOYER = "same_employer"
    DECLINED = "declined"


# 正高级 professional titles; any title starting with 正高级 counts as well.
SENIOR_TITLES = frozenset(
    {"教授", "研究员", "教授级高级工程师", "正高级工程师", "正高级经济师", "正高级会计师"}
)

# GB/T 4754-2017 sections by their division ranges (the same as
# cleanprod/industries/data/gbt4754-2017.csv; a test checks the two agree).
_SECTIONS: tuple[tuple[str, int, int], ...] = (
    ("A", 1, 5), ("B", 6, 12), ("C", 13, 43), ("D", 44, 46), ("E", 47, 50),
    ("F", 51, 52), ("G", 53, 60), ("H", 61, 62), ("I", 63, 65), ("J", 66, 69),
    ("K", 70, 70), ("L", 71, 72), ("M", 73, 75), ("N", 76, 79), ("O", 80, 82),
    ("P", 83, 83), ("Q", 84, 85), ("R", 86, 90), ("S", 91, 96), ("T", 97, 97),
)  # fmt: skip


def section_of(division: str) -> str:
    """The section letter (门类) of a two-digit division code, e.g. ``"26"`` → ``"C"``."""
    if len(division) == 2 and division.isdigit():
        n = int(division)
        for letter, lo, hi in _SECTIONS:
            if lo <= n <= hi:
                return letter
    raise PanelError(f"行业大类代码应为 01 至 97 的两位数字：{division!r}")


def is_senior(title: str) -> bool:
    """Whether a professional title is 正高级."""
    return title in SENIOR_TITLES or title.startswith("正高级")


@dataclass(frozen=True)
class ExpertCandidate:
    """An expert of the pool. ``specialties`` are GB/T 4754 division codes (two digits).

    ``employer_key`` identifies the employer (USCC or the agency's key); an empty key (e.g. a
    retired expert) is a unique employer of its own.
    """

    id: str
    name: str
    specialties: frozenset[str]
    employer_key: str
    title: str
    active: bool = True

    @property
    def senior(self) -> bool:
        """Whether the expert holds a 正高级 title."""
        return is_senior(self.title)

    @property
    def employer(self) -> str:
        """The employer key used for the one-member-per-employer rule."""
        return self.employer_key or f"个人:{self.id}"


@dataclass(frozen=True)
class DrawRequest:
    """What to draw. ``recused`` maps expert id to the reason (回避理由)."""

    industry_code: str  # the enterprise's GB/T 4754 class code (4 digits; 2-3 accepted)
    enterprise_key: str
    agency_key: str | None
    seed: int | str
    size: int = 3
    alternates: int = 2
    require_senior: bool = False
    allow_section_fallback: bool = False
    recused: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Exclusion:
    """One expert not on the panel, with the reason in Chinese."""

    expert_id: str
    code: ExclusionCode
    reason: str


@dataclass(frozen=True)
class PanelDraw:
    """The result and its log: members in seat order, alternates in rank order."""

    members: tuple[ExpertCandidate, ...]
    alternates: tuple[ExpertCandidate, ...]
    excluded: tuple[Exclusion, ...]
    seed: str
    rule: MatchRule
    pool_size: int
    eligible: int
    require_senior: bool


def fresh_seed() -> int:
    """A new unpredictable 64-bit seed; store it with the draw to reproduce it."""
    return secrets.randbits(64)


def rank_key(seed: int | str, expert_id: str) -> str:
    """The rank of an expert in a draw: hex SHA-256 of ``"<seed>\\x1f<id>"``, smaller first."""
    return hashlib.sha256(f"{seed}\x1f{expert_id}".encode()).hexdigest()


def _conflict(e: ExpertCandidate, req: DrawRequest) -> Exclusion | None:
    if not e.active:
        return Exclusion(e.id, ExclusionCode.INACTIVE, "专家状态为停用")
    if e.id in req.recused:
        return Exclusion(e.id, ExclusionCode.RECUSED, f"回避：{req.recused[e.id]}")
    if e.employer_key and e.employer_key == req.enterprise_key:
        return Exclusion(e.id, ExclusionCode.ENTERPRISE_STAFF, "受审企业的员工")
    if e.employer_key and req.agency_key and e.employer_key == req.agency_key:
        return Exclusion(e.id, ExclusionCode.AGENCY_STAFF, "为该审核提供服务的咨询机构的员工")
    return None


def _matches(e: ExpertCandidate, division: str, rule: MatchRule) -> bool:
    if rule is MatchRule.DIVISION:
        return division in e.specialties
    return section_of(division) in {section_of(s) for s in e.specialties}


def _feasible(experts: Iterable[ExpertCandidate], size: int, senior: bool) -> bool:
    # Distinct employers bound the panel size; a senior can always take one of those seats.
    pool = list(experts)
    return len({e.employer for e in pool}) >= size and (not senior or any(e.senior for e in pool))


def _check(pool: Iterable[ExpertCandidate], req: DrawRequest) -> str:
    code = req.industry_code
    if not (2 <= len(code) <= 4 and code.isdigit()):
        raise PanelError(f"企业行业代码应为2至4位数字（GB/T 4754 行业小类）：{code!r}")
    section_of(code[:2])
    if req.size < 1 or req.alternates < 0:
        raise PanelError(f"专家组人数应至少为1，备选人数不能为负：{req.size}、{req.alternates}")
    seen: set[str] = set()
    for e in pool:
        if e.id in seen:
            raise PanelError(f"专家库中专家编号重复：{e.id}")
        seen.add(e.id)
        for s in e.specialties:
            try:
                section_of(s)
            except PanelError as exc:
                raise PanelError(f"专家 {e.id}（{e.name}）的专业代码有误：{exc}") from None
    return code[:2]


def draw_panel(pool: Iterable[ExpertCandidate], request: DrawRequest) -> PanelDraw:
    """Draw a panel and its alternates from ``pool``; see the module docstring for the rules.

    Raises :class:`NotEnoughExperts` when the eligible experts cannot fill ``size`` seats
    (too few, too few distinct employers, or no senior when one is required), and
    :class:`PanelError` for a malformed pool or request.
    """
    experts = sorted(pool, key=lambda e: e.id)  # stable key: input order must not matter
    division = _check(experts, request)
    excluded: list[Exclusion] = []
    free: list[ExpertCandidate] = []
    for e in experts:
        conflict = _conflict(e, request)
        if conflict is None:
            free.append(e)
        else:
            excluded.append(conflict)
    rule = MatchRule.DIVISION
    eligible = [e for e in free if _matches(e, division, rule)]
    if request.allow_section_fallback and not _feasible(
        eligible, request.size, request.require_senior
    ):
        rule = MatchRule.SECTION
        eligible = [e for e in free if _matches(e, division, rule)]
    wanted = division if rule is MatchRule.DIVISION else f"门类 {section_of(division)}"
    chosen = {e.id for e in eligible}
    for e in free:
        if e.id not in chosen:
            have = "、".join(sorted(e.specialties)) or "无"
            reason = f"专业不符：专业代码 {have}，不含 {wanted}（企业行业 {request.industry_code}）"
            excluded.append(Exclusion(e.id, ExclusionCode.SPECIALTY, reason))
    if not _feasible(eligible, request.size, request.require_senior):
        raise _not_enough(eligible, excluded, request, rule)
    ranked = sorted(eligible, key=lambda e: rank_key(request.seed, e.id))
    members, alternates = _seat(ranked, request, excluded)
    excluded.sort(key=lambda x: x.expert_id)
    return PanelDraw(
        tuple(members),
        tuple(alternates),
        tuple(excluded),
        str(request.seed),
        rule,
        len(experts),
        len(eligible),
        request.require_senior,
    )


def _seat(
    ranked: list[ExpertCandidate], request: DrawRequest, excluded: list[Exclusion]
) -> tuple[list[ExpertCandidate], list[ExpertCandidate]]:
    """Members and alternates in rank order, one per employer; logs the experts skipped."""
    members: list[ExpertCandidate] = []
    if request.require_senior:  # feasibility was checked: a senior exists
        members.append(next(e for e in ranked if e.senior))
    alternates: list[ExpertCandidate] = []
    for e in ranked:
        if e in members:
            continue
        holder = next((m for m in (*members, *alternates) if m.employer == e.employer), None)
        if holder is not None:
            seat = "专家组成员" if holder in members else "备选专家"
            reason = f"与已抽中的{seat} {holder.id}（{holder.name}）同一单位"
            excluded.append(Exclusion(e.id, ExclusionCode.SAME_EMPLOYER, reason))
        elif len(members) < request.size:
            members.append(e)
        elif len(alternates) < request.alternates:
            alternates.append(e)
    return members, alternates


_CODE_LABELS = {
    ExclusionCode.INACTIVE: "停用",
    ExclusionCode.RECUSED: "申请回避",
    ExclusionCode.ENTERPRISE_STAFF: "受审企业员工",
    ExclusionCode.AGENCY_STAFF: "咨询机构员工",
    ExclusionCode.SPECIALTY: "专业不符",
    ExclusionCode.SAME_EMPLOYER: "同一单位",
    ExclusionCode.DECLINED: "拒绝参加",
}


def _not_enough(
    eligible: list[ExpertCandidate],
    excluded: list[Exclusion],
    request: DrawRequest,
    rule: MatchRule,
) -> NotEnoughExperts:
    counts = Counter(x.code.value for x in excluded)
    employers = len({e.employer for e in eligible})
    why = "，".join(f"{_CODE_LABELS[ExclusionCode(c)]} {n} 名" for c, n in sorted(counts.items()))
    msg = (
        f"可抽取的专家不足：需要 {request.size} 名，按{rule.label}规则符合条件的 {len(eligible)} 名"
        f"（来自 {employers} 个单位，同一单位至多 1 名）"
    )
    if request.require_senior and not any(e.senior for e in eligible):
        msg += "，其中没有正高级专家"
    msg += f"；其余排除原因：{why or '无'}"
    if rule is MatchRule.DIVISION and not request.allow_section_fallback:
        msg += "（未允许放宽到同门类）"
    return NotEnoughExperts(msg, len(eligible), request.size, counts)


def draw_alternate(draw: PanelDraw, declined_id: str, reason: str) -> PanelDraw:
    """Replace member ``declined_id`` (who declines, with ``reason``) by the first alternate.

    The alternate takes the vacated seat; if the panel requires a senior and the declining
    member was its only one, the first senior alternate is taken instead. The decline is
    added to the log. Raises :class:`PanelError` if ``declined_id`` is not a member and
    :class:`NotEnoughExperts` if no suitable alternate is left (draw again with a new seed).
    """
    seat = next((i for i, m in enumerate(draw.members) if m.id == declined_id), None)
    if seat is None:
        raise PanelError(f"{declined_id} 不是本次抽取的专家组成员")
    rest = draw.members[:seat] + draw.members[seat + 1 :]
    need_senior = draw.require_senior and not any(m.senior for m in rest)
    pick = next((a for a in draw.alternates if a.senior or not need_senior), None)
    if pick is None:
        what = "正高级备选专家" if need_senior else "备选专家"
        raise NotEnoughExperts(
            f"{what}已用完，无法替换 {declined_id}：请以新的种子重新抽取",
            0,
            1,
            Counter(),
        )
    members = (*draw.members[:seat], pick, *draw.members[seat + 1 :])
    decline = Exclusion(declined_id, ExclusionCode.DECLINED, f"拒绝参加：{reason}")
    return replace(
        draw,
        members=members,
        alternates=tuple(a for a in draw.alternates if a is not pick),
        excluded=(*draw.excluded, decline),
    )
