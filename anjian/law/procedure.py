"""Procedure thresholds of the general and summary procedures (LEGAL.md §2).

Each check returns the list of reasons (with their articles) rather than a bare boolean, so the
case record can show *why* a hearing offer, a legal review or a collective discussion is due.
Thresholds that are provincial or agency rules (hearing amounts, the legal-review catalogue, the
collective-discussion rule) are configuration passed in, never constants.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Final

from anjian.law.errors import LawError
from anjian.law.money import ZERO, to_amount
from anjian.law.ruleset import RuleOverride, config_value

XZCF_51: Final = "行政处罚法第五十一条"
XZCF_57: Final = "行政处罚法第五十七条"
XZCF_58: Final = "行政处罚法第五十八条"
XZCF_63: Final = "行政处罚法第六十三条"
XZCF_68: Final = "行政处罚法第六十八条"
OLD_BANFA_33: Final = "原《安全生产违法行为行政处罚办法》第三十三条"


class PartyKind(StrEnum):
    INDIVIDUAL = "individual"
    ORGANISATION = "organisation"

    @property
    def label(self) -> str:
        return "公民" if self is PartyKind.INDIVIDUAL else "法人或者其他组织"


class PenaltyKind(StrEnum):
    """Kinds of administrative penalty (行政处罚法 §9)."""

    WARNING = "warning"
    CRITICISM = "criticism"
    FINE = "fine"
    CONFISCATE_GAINS = "confiscate_gains"
    CONFISCATE_PROPERTY = "confiscate_property"
    LICENCE_SUSPENSION = "licence_suspension"
    QUALIFICATION_DOWNGRADE = "qualification_downgrade"
    LICENCE_REVOCATION = "licence_revocation"
    RESTRICT_ACTIVITIES = "restrict_activities"
    ORDER_STOP = "order_stop"
    ORDER_CLOSE = "order_close"
    RESTRICT_PRACTICE = "restrict_practice"
    DETENTION = "detention"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS: Final = {
    PenaltyKind.WARNING: "警告",
    PenaltyKind.CRITICISM: "通报批评",
    PenaltyKind.FINE: "罚款",
    PenaltyKind.CONFISCATE_GAINS: "没收违法所得",
    PenaltyKind.CONFISCATE_PROPERTY: "没收非法财物",
    PenaltyKind.LICENCE_SUSPENSION: "暂扣许可证件",
    PenaltyKind.QUALIFICATION_DOWNGRADE: "降低资质等级",
    PenaltyKind.LICENCE_REVOCATION: "吊销许可证件",
    PenaltyKind.RESTRICT_ACTIVITIES: "限制开展生产经营活动",
    PenaltyKind.ORDER_STOP: "责令停产停业",
    PenaltyKind.ORDER_CLOSE: "责令关闭",
    PenaltyKind.RESTRICT_PRACTICE: "限制从业",
    PenaltyKind.DETENTION: "行政拘留",
    PenaltyKind.OTHER: "其他行政处罚",
}


class MitigationGround(StrEnum):
    """Grounds for a lenient or mitigated penalty (行政处罚法 §32)."""

    ELIMINATED_HARM = "eliminated_harm"
    COERCED = "coerced"
    CONFESSED = "confessed"
    MERITORIOUS = "meritorious"
    OTHER_LEGAL = "other_legal"

    @property
    def label(self) -> str:
        return _GROUNDS[self][0]

    @property
    def article(self) -> str:
        return f"行政处罚法第三十二条第（{_GROUNDS[self][1]}）项"


_GROUNDS: Final = {
    MitigationGround.ELIMINATED_HARM: ("主动消除或者减轻违法行为危害后果", "一"),
    MitigationGround.COERCED: ("受他人胁迫或者诱骗实施违法行为", "二"),
    MitigationGround.CONFESSED: ("主动供述行政机关尚未掌握的违法行为", "三"),
    MitigationGround.MERITORIOUS: ("配合行政机关查处违法行为有立功表现", "四"),
    MitigationGround.OTHER_LEGAL: ("法律、法规、规章规定其他应当从轻或者减轻行政处罚", "五"),
}


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason a procedural step is required (or refused)."""

    code: str
    text: str
    article: str


@dataclass(frozen=True, slots=True)
class Requirement:
    """Whether a step is required, with the reasons; truthy when required."""

    reasons: tuple[Reason, ...]

    @property
    def required(self) -> bool:
        return bool(self.reasons)

    def __bool__(self) -> bool:
        return self.required


@dataclass(frozen=True, slots=True)
class Permission:
    """Whether a step is allowed; ``reasons`` are the grounds of refusal. Truthy when allowed."""

    reasons: tuple[Reason, ...]

    @property
    def allowed(self) -> bool:
        return not self.reasons

    def __bool__(self) -> bool:
        return self.allowed


def _kinds(kinds: Iterable[PenaltyKind | str]) -> frozenset[PenaltyKind]:
    return frozenset(PenaltyKind(k) for k in kinds)


def _fine(kinds: frozenset[PenaltyKind], fine: Decimal | None) -> Decimal:
    if PenaltyKind.FINE in kinds:
        if fine is None:
            raise LawError("拟处罚种类包含罚款，但未给出罚款数额", field="fine")
        return to_amount(fine, "fine")
    return ZERO


# -- hearing (听证) ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HearingConfig:
    """ "Large amount" thresholds for the hearing right (CFG).

    Default: the old national values, individual ≥ ¥20,000, organisation ≥ ¥50,000 inclusive
    (原办法 §33); a provincial rule replaces them (e.g. ¥500 / ¥5,000 for non-business acts).
    Confiscation thresholds: ``None`` = not configured, in which case any confiscation is treated
    as large (the hearing right is offered rather than withheld).
    """

    individual: Decimal = Decimal("20000.00")
    organisation: Decimal = Decimal("50000.00")
    confiscation_individual: Decimal | None = None
    confiscation_organisation: Decimal | None = None
    source: str = OLD_BANFA_33

    KEYS = (
        "hearing.fine.individual",
        "hearing.fine.organisation",
        "hearing.confiscation.individual",
        "hearing.confiscation.organisation",
    )

    @classmethod
    def from_overrides(cls, overrides: Sequence[RuleOverride], on: dt.date) -> HearingConfig:
        """The thresholds in force on ``on``: overrides (keys in ``KEYS``) over the defaults."""
        default = cls()
        ind, o1 = config_value(cls.KEYS[0], default.individual, on, overrides)
        org, o2 = config_value(cls.KEYS[1], default.organisation, on, overrides)
        values: list[Decimal | None] = []
        sources = [o.source_document for o in (o1, o2) if o is not None]
        for key in cls.KEYS[2:]:
            chosen, o = config_value(key, Decimal(0), on, overrides)
            values.append(chosen if o is not None and o.value is not None else None)
            if o is not None:
                sources.append(o.source_document)
        source = "、".join(sources) if sources else default.source
        return cls(ind, org, values[0], values[1], source)

    def fine_threshold(self, party: PartyKind) -> Decimal:
        return self.individual if party is PartyKind.INDIVIDUAL else self.organisation

    def confiscation_threshold(self, party: PartyKind) -> Decimal | None:
        if party is PartyKind.INDIVIDUAL:
            return self.confiscation_individual
        return self.confiscation_organisation


_HEARING_KINDS: Final = {
    # 行政处罚法 §63 ¶1 (3) and (4)
    PenaltyKind.QUALIFICATION_DOWNGRADE: "（三）",
    PenaltyKind.LICENCE_REVOCATION: "（三）",
    PenaltyKind.ORDER_STOP: "（四）",
    PenaltyKind.ORDER_CLOSE: "（四）",
    PenaltyKind.RESTRICT_PRACTICE: "（四）",
}


def hearing_required(
    *,
    kinds: Iterable[PenaltyKind | str],
    party: PartyKind | str,
    fine: Decimal | None = None,
    confiscation: Decimal | None = None,
    other_heavy: bool = False,
    other_law_requires: bool = False,
    config: HearingConfig | None = None,
) -> Requirement:
    """Whether the party must be told of the right to a hearing (行政处罚法 §63), and why.

    Stop production or business, close, restrict practice, downgrade or revoke a licence: always.
    A fine at or above the configured threshold (inclusive); confiscation of a large amount; other
    heavy penalties and cases other rules name are flags set by the caller.
    """
    cfg = config or HearingConfig()
    chosen = _kinds(kinds)
    who = PartyKind(party)
    amount = _fine(chosen, fine)
    reasons: list[Reason] = []
    threshold = cfg.fine_threshold(who)
    if PenaltyKind.FINE in chosen and amount >= threshold:
        reasons.append(Reason(
            "large_fine", f"较大数额罚款（{who.label}{threshold}元以上，{cfg.source}）",
            f"{XZCF_63}第一款第（一）项",
        ))  # fmt: skip
    if chosen & {PenaltyKind.CONFISCATE_GAINS, PenaltyKind.CONFISCATE_PROPERTY}:
        limit = cfg.confiscation_threshold(who)
        value = to_amount(confiscation, "confiscation") if confiscation is not None else None
        if limit is None or value is None or value >= limit:
            text = "没收较大数额违法所得或者较大价值非法财物"
            if limit is None:
                text += "（“较大数额”标准未配置，依法从宽告知听证权利）"
            reasons.append(Reason("large_confiscation", text, f"{XZCF_63}第一款第（二）项"))
    for kind in sorted(chosen & _HEARING_KINDS.keys()):
        reasons.append(Reason(
            kind.value, kind.label, f"{XZCF_63}第一款第{_HEARING_KINDS[kind]}项"
        ))  # fmt: skip
    if other_heavy:
        reasons.append(Reason("other_heavy", "其他较重的行政处罚", f"{XZCF_63}第一款第（五）项"))
    if other_law_requires:
        reasons.append(Reason(
            "other_law", "法律、法规、规章规定的其他情形", f"{XZCF_63}第一款第（六）项"
        ))  # fmt: skip
    return Requirement(tuple(reasons))


# -- legal review (法制审核) ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewCatalogueEntry:
    """An entry of the agency's own legal-review catalogue (法制审核目录), as data.

    It matches a proposed decision that includes any of ``kinds``, or a fine at or above the
    threshold for the party's kind. An entry with no criterion at all matches every case.
    """

    code: str
    name: str
    kinds: frozenset[PenaltyKind] = field(default_factory=frozenset)
    fine_individual: Decimal | None = None
    fine_organisation: Decimal | None = None

    def matches(self, kinds: frozenset[PenaltyKind], party: PartyKind, fine: Decimal) -> bool:
        limit = self.fine_individual if party is PartyKind.INDIVIDUAL else self.fine_organisation
        criteria = bool(self.kinds) or (self.fine_individual, self.fine_organisation) != (None, None)
        if not criteria:
            return True
        if self.kinds & kinds:
            return True
        return limit is not None and PenaltyKind.FINE in kinds and fine >= limit


def legal_review_required(
    *,
    major_public_interest: bool = False,
    concerns_major_rights: bool = False,
    hearing_held: bool = False,
    complex_case: bool = False,
    several_legal_relationships: bool = False,
    other_law_requires: bool = False,
    catalogue: Iterable[ReviewCatalogueEntry] = (),
    kinds: Iterable[PenaltyKind | str] = (),
    party: PartyKind | str = PartyKind.ORGANISATION,
    fine: Decimal | None = None,
    officer_flags: Iterable[str] = (),
) -> Requirement:
    """Whether a legal review must pass before the decision (行政处罚法 §58), and why.

    The four statutory conditions exactly: (1) major public interest; (2) the decision directly
    concerns major rights of the party or a third party **and** went through a hearing — one
    condition, both facts needed; (3) difficult or complex, or several legal relationships;
    (4) other laws or regulations require it. Plus the agency catalogue entries the proposal
    matches and any flags an officer raised.
    """
    reasons: list[Reason] = []
    if major_public_interest:
        reasons.append(Reason("public_interest", "涉及重大公共利益", f"{XZCF_58}第一款第（一）项"))
    if concerns_major_rights and hearing_held:
        reasons.append(Reason(
            "major_rights_hearing", "直接关系当事人或者第三人重大权益，经过听证程序",
            f"{XZCF_58}第一款第（二）项",
        ))  # fmt: skip
    if complex_case or several_legal_relationships:
        reasons.append(Reason(
            "complex", "案件情况疑难复杂、涉及多个法律关系", f"{XZCF_58}第一款第（三）项"
        ))  # fmt: skip
    if other_law_requires:
        reasons.append(Reason(
            "other_law", "法律、法规规定应当进行法制审核的其他情形", f"{XZCF_58}第一款第（四）项"
        ))  # fmt: skip
    chosen = _kinds(kinds)
    who = PartyKind(party)
    amount = _fine(chosen, fine)
    for entry in catalogue:
        if entry.matches(chosen, who, amount):
            reasons.append(Reason(f"catalogue:{entry.code}", f"列入本机关法制审核目录：{entry.name}", XZCF_58))
    for flag in officer_flags:
        if flag.strip():
            reasons.append(Reason("officer_flag", f"承办人员提请法制审核：{flag.strip()}", XZCF_58))
    return Requirement(tuple(reasons))


# -- collective discussion (集体讨论) ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CollectiveDiscussionRule:
    """The agency's rule for collective discussion (CFG). Default: complex cases, or serious
    violations given a heavier penalty (行政处罚法 §57 ¶2); an agency may add penalty kinds and its
    own fine thresholds (never the hearing thresholds by default)."""

    complex_cases: bool = True
    serious_heavier: bool = True
    kinds: frozenset[PenaltyKind] = field(default_factory=frozenset)
    fine_individual: Decimal | None = None
    fine_organisation: Decimal | None = None
    source: str = XZCF_57


def collective_discussion_required(
    *,
    complex_case: bool = False,
    serious_violation: bool = False,
    heavier_penalty: bool = False,
    mitigated_below_range: bool = False,
    kinds: Iterable[PenaltyKind | str] = (),
    party: PartyKind | str = PartyKind.ORGANISATION,
    fine: Decimal | None = None,
    rule: CollectiveDiscussionRule | None = None,
) -> Requirement:
    """Whether the leaders must decide collectively (行政处罚法 §57 ¶2), and why.

    A fine below the legal minimum on a mitigation ground is always decided collectively
    (LEGAL.md §4).
    """
    cfg = rule or CollectiveDiscussionRule()
    reasons: list[Reason] = []
    if cfg.complex_cases and complex_case:
        reasons.append(Reason("complex", "情节复杂", cfg.source))
    if cfg.serious_heavier and serious_violation and heavier_penalty:
        reasons.append(Reason("serious_heavier", "重大违法行为给予较重的行政处罚", cfg.source))
    if mitigated_below_range:
        reasons.append(Reason(
            "mitigated", "低于法定下限减轻处罚", f"行政处罚法第三十二条；{XZCF_57}"
        ))  # fmt: skip
    chosen = _kinds(kinds)
    who = PartyKind(party)
    amount = _fine(chosen, fine)
    for kind in sorted(chosen & cfg.kinds):
        reasons.append(Reason(f"kind:{kind.value}", f"本机关规定：{kind.label}", cfg.source))
    limit = cfg.fine_individual if who is PartyKind.INDIVIDUAL else cfg.fine_organisation
    if limit is not None and PenaltyKind.FINE in chosen and amount >= limit:
        reasons.append(Reason("fine", f"本机关规定：罚款{limit}元以上", cfg.source))
    return Requirement(tuple(reasons))


# -- summary procedure and on-the-spot collection -------------------------------------------------

SUMMARY_LIMITS: Final = {
    PartyKind.INDIVIDUAL: Decimal("200.00"),  # 行政处罚法 §51: 公民二百元以下
    PartyKind.ORGANISATION: Decimal("3000.00"),  # 法人或者其他组织三千元以下
}
ONSITE_COLLECTION_LIMIT: Final = Decimal("100.00")  # 行政处罚法 §68(1)


def summary_procedure_allowed(
    *,
    kinds: Iterable[PenaltyKind | str],
    party: PartyKind | str,
    fine: Decimal | None = None,
    facts_certain: bool = True,
    legal_basis: bool = True,
) -> Permission:
    """Whether the summary procedure (当场处罚) is allowed (行政处罚法 §51):
    facts certain, a legal basis, and only a warning and/or a fine ≤ ¥200 (individual) /
    ≤ ¥3,000 (organisation)."""
    chosen = _kinds(kinds)
    who = PartyKind(party)
    amount = _fine(chosen, fine)
    refused: list[Reason] = []
    if not chosen:
        refused.append(Reason("no_penalty", "未给出拟处罚种类", XZCF_51))
    other = chosen - {PenaltyKind.WARNING, PenaltyKind.FINE}
    if other:
        names = "、".join(k.label for k in sorted(other))
        refused.append(Reason("kind", f"简易程序只能给予警告或者罚款，不能给予{names}", XZCF_51))
    limit = SUMMARY_LIMITS[who]
    if PenaltyKind.FINE in chosen and amount > limit:
        refused.append(Reason("amount", f"对{who.label}罚款超过{limit}元", XZCF_51))
    if not facts_certain:
        refused.append(Reason("facts", "违法事实不确凿", XZCF_51))
    if not legal_basis:
        refused.append(Reason("basis", "没有法定依据", XZCF_51))
    return Permission(tuple(refused))


def onsite_collection_allowed(*, summary: bool, fine: Decimal, collection_impossible_later: bool = False) -> Permission:
    """Whether on-the-spot collection (当场收缴) is allowed (行政处罚法 §68):
    only in a summary case, and only for a fine ≤ ¥100 or when collection later is impossible.
    The money is handed in within 2 working days (deadline ``onsite_fine_handover``, §71)."""
    amount = to_amount(fine, "fine")
    refused: list[Reason] = []
    if not summary:
        refused.append(Reason("not_summary", "只有依简易程序当场作出的处罚才能当场收缴罚款", XZCF_68))
    if amount > ONSITE_COLLECTION_LIMIT and not collection_impossible_later:
        refused.append(Reason(
            "amount", f"罚款超过{ONSITE_COLLECTION_LIMIT}元，且不属于不当场收缴事后难以执行的情形",
            XZCF_68,
        ))  # fmt: skip
    return Permission(tuple(refused))
