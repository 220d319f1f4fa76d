"""The penalty catalogue and the fine rules (LEGAL.md §4).

The catalogue is data (:mod:`anjian.law.catalogue`, ``rules/penalties.yaml``): law → article →
paragraph/item → violation → penalty clauses. A clause is a fine range, a share of the previous
year's income, a multiple of the illegal gains or of the base fine, a daily fine, or a non-money
measure (order to correct, suspension, ban …). Every bound is inclusive.

Procedure thresholds (hearing, legal review, collective discussion, summary procedure) live in
:mod:`anjian.law.procedure` and the late-payment surcharge in :mod:`anjian.law.surcharge`; both are
re-exported here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from anjian.law.catalogue import (
    AccidentGrade,
    Circumstance,
    Measure,
    PenaltyCatalogue,
    PenaltyClause,
    Subject,
    Violation,
    ViolationItem,
    chinese_number,
    default_catalogue,
)
from anjian.law.errors import AmountError, LawError, PenaltyClauseError, RuleNotInForceError
from anjian.law.money import ZERO, amount_cn, range_cn, round_down, round_half_up, round_up, to_amount
from anjian.law.periods import shift_months
from anjian.law.procedure import (
    CollectiveDiscussionRule,
    HearingConfig,
    MitigationGround,
    PartyKind,
    PenaltyKind,
    Permission,
    Reason,
    Requirement,
    ReviewCatalogueEntry,
    collective_discussion_required,
    hearing_required,
    legal_review_required,
    onsite_collection_allowed,
    summary_procedure_allowed,
)
from anjian.law.surcharge import SurchargeDay, SurchargeResult, surcharge

__all__ = [
    "AccidentGrade", "AmountCheck", "ApplicableRange", "Band", "Circumstance", "ClosureCheck",
    "CollectiveDiscussionRule", "DailyPenaltyCheck", "DiscretionConfig", "DiscretionCuts", "FineRange",
    "HearingConfig", "LimitationResult", "Measure", "MitigationGround", "PartyKind",
    "PenaltyCatalogue", "PenaltyClause", "PenaltyKind", "Permission", "Reason", "Requirement",
    "ReviewCatalogueEntry",
    "Subject", "SurchargeDay", "SurchargeResult", "Violation", "ViolationItem",
    "accident_fine_range", "accident_grade", "applicable_range", "band_of", "check_amount",
    "chinese_number", "closure_request_triggered", "collective_discussion_required",
    "daily_penalty_eligible", "default_catalogue", "discretion_bands", "hearing_required",
    "check_cuts", "legal_range", "legal_review_required", "limitation", "onsite_collection_allowed",
    "repeat_offence", "summary_procedure_allowed", "surcharge",
]  # fmt: skip

XZCF_32: Final = "行政处罚法第三十二条"
XZCF_34: Final = "行政处罚法第三十四条"  # 行政处罚裁量基准
XZCF_36: Final = "行政处罚法第三十六条"
XZCF_37: Final = "行政处罚法第三十七条"
AQSCF_112: Final = "安全生产法第一百一十二条"
AQSCF_113: Final = "安全生产法第一百一十三条"
ACCIDENT_REGULATION_3: Final = "生产安全事故报告和调查处理条例第三条"


class Band(StrEnum):
    LENIENT = "lenient"
    ORDINARY = "ordinary"
    HEAVY = "heavy"

    @property
    def label(self) -> str:
        return {"lenient": "从轻", "ordinary": "一般", "heavy": "从重"}[self.value]


# -- ranges -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FineRange:
    """An inclusive fine range in yuan; ``minimum`` None means "up to ``maximum``" (> 0)."""

    minimum: Decimal | None
    maximum: Decimal
    basis: str
    description: str = ""

    def contains(self, amount: Decimal) -> bool:
        low = self.minimum if self.minimum is not None else ZERO
        return low <= amount <= self.maximum and amount > ZERO

    def __str__(self) -> str:
        # As people write it: "5万元至10万元", "10万元以下", one amount when both ends are equal.
        return range_cn(self.minimum, self.maximum)


def _bounds(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal]:
    """Round a computed range to cents inward (the fine stays inside the legal range); when the
    range is a single non-representable value (e.g. exactly 40% of the income), round half-up."""
    lo, hi = round_up(low), round_down(high)
    if lo > hi:
        lo = hi = round_half_up(low)
    return lo, hi


def _violation(violation: str | Violation, on: dt.date | None, catalogue: PenaltyCatalogue | None) -> Violation:
    if isinstance(violation, Violation):
        return violation
    return (catalogue or default_catalogue()).violation(violation, on)


def legal_range(
    violation: str | Violation,
    *,
    subject: Subject | str = Subject.UNIT,
    circumstance: Circumstance | str = Circumstance.BASE,
    on: dt.date | None = None,
    grade: AccidentGrade | str | None = None,
    income: Decimal | None = None,
    gains: Decimal | None = None,
    catalogue: PenaltyCatalogue | None = None,
) -> FineRange:
    """The statutory fine range of a violation for one subject and circumstance.

    ``income`` (previous year's income) is needed for income-share clauses, ``gains`` (illegal
    gains) decides between a multiple of the gains and the fixed range, ``grade`` selects the
    accident-grade clause (AQSCF §95, §114).
    """
    v = _violation(violation, on, catalogue)
    who, when = Subject(subject), Circumstance(circumstance)
    level = AccidentGrade(grade) if grade is not None else None
    basis = v.citation
    candidates = [
        c for c in v.clauses
        if c.subject is who and c.circumstance is when and c.measure.is_money
    ]  # fmt: skip
    if any(c.measure is Measure.DAILY_FINE for c in candidates):
        raise PenaltyClauseError(f"{v.id}按日连续处罚按原处罚数额计算，没有罚款幅度", field="violation", article=basis)
    if any(c.grade is not None for c in candidates) or any(c.measure is Measure.AMOUNT_MULTIPLE for c in candidates):
        if level is None:
            raise PenaltyClauseError(f"{v.id}需要事故等级", field="grade", article=basis)
    multiple = next((c for c in candidates if c.measure is Measure.AMOUNT_MULTIPLE), None)
    if multiple is not None:
        base = legal_range(v, subject=who, circumstance=Circumstance.ACCIDENT, grade=level)
        assert multiple.multiple_min is not None and multiple.multiple_max is not None
        low = (base.minimum or ZERO) * multiple.multiple_min
        high = base.maximum * multiple.multiple_max
        return FineRange(
            low, high, f"{basis}第二款",
            f"{level.label if level else ''}罚款数额的{multiple.multiple_min}至{multiple.multiple_max}倍",
        )  # fmt: skip
    candidates = [c for c in candidates if c.grade is None or c.grade is level]
    gains_amount = to_amount(gains, "gains") if gains is not None else ZERO
    chosen: PenaltyClause | None = None
    for c in candidates:
        if c.measure is Measure.GAINS_MULTIPLE:
            assert c.gains_at_least is not None
            if gains_amount >= c.gains_at_least:
                chosen = c
                break
        elif c.gains_below is None or gains_amount < c.gains_below:
            chosen = chosen or c
    if chosen is None:
        raise PenaltyClauseError(
            f"{v.id}（{v.title}）对{who.label}在“{when.label}”情形下没有罚款规定",
            field="subject",
            article=basis,
        )
    if chosen.measure is Measure.INCOME_SHARE:
        if income is None:
            raise PenaltyClauseError(f"{v.id}按上一年年收入计算罚款，需要年收入", field="income")
        base_income = to_amount(income, "income")
        assert chosen.pct_min is not None and chosen.pct_max is not None
        low, high = _bounds(base_income * chosen.pct_min, base_income * chosen.pct_max)
        return FineRange(low, high, basis, f"上一年年收入的{chosen.pct_min:%}至{chosen.pct_max:%}")
    if chosen.measure is Measure.GAINS_MULTIPLE:
        assert chosen.multiple_min is not None and chosen.multiple_max is not None
        low, high = _bounds(gains_amount * chosen.multiple_min, gains_amount * chosen.multiple_max)
        return FineRange(low, high, basis, f"违法所得的{chosen.multiple_min}至{chosen.multiple_max}倍")
    assert chosen.maximum is not None
    return FineRange(chosen.minimum, chosen.maximum, basis, chosen.note)


# -- discretion (裁量基准) ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DiscretionConfig:
    """Band formula, CFG (LEGAL.md §4 "Discretion"; 应急〔2024〕90号, 应急管理部令第12号).

    Default: thirds of the legal range; where only a maximum is given, lenient ≤ 30 %, ordinary
    30–60 %, heavy ≥ 60 % of the maximum. An amount exactly on a boundary belongs to the outer
    band (lenient at the lower boundary, heavy at the upper one), as "≤30 %" and "≥60 %" say.
    """

    lower: Decimal = Decimal(1) / Decimal(3)
    upper: Decimal = Decimal(2) / Decimal(3)
    max_only_lower: Decimal = Decimal("0.30")
    max_only_upper: Decimal = Decimal("0.60")
    source: str = "《应急管理行政处罚裁量权基准》（应急〔2024〕90号）；默认三等分（待配置）"

    def __post_init__(self) -> None:
        for low, high in ((self.lower, self.upper), (self.max_only_lower, self.max_only_upper)):
            if not ZERO < low < high < 1:
                raise LawError("裁量档次的分界比例必须在0与1之间且递增", field="discretion")


@dataclass(frozen=True, slots=True)
class DiscretionCuts:
    """A local discretion standard's cut points for one violation (裁量基准, CFG; LEGAL.md §4
    "Discretion": provinces and bureaus set their own bands inside each legal range).

    ``lenient_to``: the lenient band (从轻) reaches up to this amount; ``heavy_from``: the heavy
    band (从重) starts here; between them the ordinary band (一般). Amounts in yuan, as the standard
    writes them; boundaries belong to the outer band like the default formula's. The cuts must lie
    strictly inside the legal range (a standard cannot move the statutory limits, 行政处罚法第三十四条:
    裁量基准 is set "within the range of the law"): :func:`check_cuts`.
    """

    lenient_to: Decimal
    heavy_from: Decimal
    source: str

    def __post_init__(self) -> None:
        a = to_amount(self.lenient_to, "lenient_to")
        b = to_amount(self.heavy_from, "heavy_from")
        if not a < b:
            raise LawError("从轻档上限须低于从重档下限", field="heavy_from", article=XZCF_34)
        if not self.source.strip():
            raise LawError("裁量基准须注明依据文件", field="source", article=XZCF_34)


def check_cuts(cuts: DiscretionCuts, fine_range: FineRange) -> None:
    """Refuse cut points outside the legal range (both strictly inside; LawError names the article)."""
    low = fine_range.minimum if fine_range.minimum is not None else ZERO
    for name, value in (("lenient_to", cuts.lenient_to), ("heavy_from", cuts.heavy_from)):
        if not low < value < fine_range.maximum:
            raise LawError(
                f"裁量档次分界{amount_cn(to_amount(value))}不在法定幅度{fine_range}之内（{fine_range.basis}）",
                field=name,
                article=f"{fine_range.basis}；{XZCF_34}",
            )


def _cuts(fine_range: FineRange, config: DiscretionConfig | DiscretionCuts) -> tuple[Decimal, Decimal, Decimal]:
    if isinstance(config, DiscretionCuts):
        check_cuts(config, fine_range)
        return fine_range.minimum or ZERO, to_amount(config.lenient_to), to_amount(config.heavy_from)
    if fine_range.minimum is None:
        top = fine_range.maximum
        return ZERO, round_half_up(top * config.max_only_lower), round_half_up(top * config.max_only_upper)
    low, span = fine_range.minimum, fine_range.maximum - fine_range.minimum
    return low, round_half_up(low + span * config.lower), round_half_up(low + span * config.upper)


def discretion_bands(fine_range: FineRange, config: DiscretionConfig | DiscretionCuts | None = None) -> dict[Band, FineRange]:
    """The lenient / ordinary / heavy sub-ranges of a legal range."""
    cfg = config or DiscretionConfig()
    low, a, b = _cuts(fine_range, cfg)
    first_low = fine_range.minimum
    basis = f"{fine_range.basis}；{cfg.source}"
    return {
        Band.LENIENT: FineRange(first_low, a, basis, Band.LENIENT.label),
        Band.ORDINARY: FineRange(a, b, basis, Band.ORDINARY.label),
        Band.HEAVY: FineRange(b, fine_range.maximum, basis, Band.HEAVY.label),
    }


def band_of(amount: Decimal, fine_range: FineRange, config: DiscretionConfig | DiscretionCuts | None = None) -> Band | None:
    """The band of ``amount``, or ``None`` when it is outside the legal range."""
    value = to_amount(amount)
    if not fine_range.contains(value):
        return None
    _, a, b = _cuts(fine_range, config or DiscretionConfig())
    if value <= a:
        return Band.LENIENT
    if value >= b:
        return Band.HEAVY
    return Band.ORDINARY


@dataclass(frozen=True, slots=True)
class AmountCheck:
    lawful: bool
    reason: str
    article: str
    band: Band | None = None
    mitigated: bool = False

    def __bool__(self) -> bool:
        return self.lawful


def check_amount(
    amount: Decimal,
    fine_range: FineRange,
    *,
    mitigation_ground: MitigationGround | str | None = None,
    collectively_approved: bool = False,
    config: DiscretionConfig | DiscretionCuts | None = None,
) -> AmountCheck:
    """Is ``amount`` a lawful fine for ``fine_range``?

    Inside the range → lawful, with its band. Below the minimum → lawful only with a recorded
    mitigation ground of XZCF §32 *and* the collective approval (LEGAL.md §4). Above the maximum →
    never.
    """
    value = to_amount(amount)
    if value == ZERO:
        raise AmountError("罚款金额必须大于零；不予处罚请另行记录", field="amount")
    if value > fine_range.maximum:
        return AmountCheck(False, f"罚款{amount_cn(value)}超过法定上限{amount_cn(fine_range.maximum)}", fine_range.basis)
    if fine_range.minimum is not None and value < fine_range.minimum:
        if mitigation_ground is None:
            return AmountCheck(
                False,
                f"罚款{amount_cn(value)}低于法定下限{amount_cn(fine_range.minimum)}，且未记录减轻处罚的法定情节",
                f"{fine_range.basis}；{XZCF_32}",
            )
        ground = MitigationGround(mitigation_ground)
        if not collectively_approved:
            return AmountCheck(
                False,
                f"低于法定下限的减轻处罚（{ground.label}）须经集体讨论决定",
                f"{ground.article}；行政处罚法第五十七条",
            )
        return AmountCheck(True, f"减轻处罚：{ground.label}，已经集体讨论决定", ground.article, None, True)
    return AmountCheck(True, "在法定幅度内", fine_range.basis, band_of(value, fine_range, config))


# -- which rules apply: 行政处罚法 §37 ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ApplicableRange:
    """``range`` is the range to apply (``None`` when the act is no longer unlawful)."""

    range: FineRange | None
    applied: str  # "act" or "decision"
    act_range: FineRange
    decision_range: FineRange | None
    reason: str
    article: str = XZCF_37


def _lighter(new: FineRange, old: FineRange) -> bool:
    """Is ``new`` lighter than ``old``? Compared by maximum, then by minimum."""
    if new.maximum != old.maximum:
        return new.maximum < old.maximum
    return (new.minimum or ZERO) < (old.minimum or ZERO)


def applicable_range(
    violation: str,
    act_date: dt.date,
    decision_date: dt.date,
    *,
    subject: Subject | str = Subject.UNIT,
    circumstance: Circumstance | str = Circumstance.BASE,
    grade: AccidentGrade | str | None = None,
    income: Decimal | None = None,
    gains: Decimal | None = None,
    catalogue: PenaltyCatalogue | None = None,
) -> ApplicableRange:
    """Substance follows the law at the time of the act, unless the law at the decision is lighter
    or no longer treats the act as unlawful (行政处罚法 §37)."""
    cat = catalogue or default_catalogue()
    kw: dict[str, Any] = {
        "subject": subject, "circumstance": circumstance, "grade": grade, "income": income,
        "gains": gains, "catalogue": cat,
    }  # fmt: skip
    old = legal_range(violation, on=act_date, **kw)
    try:
        new: FineRange | None = legal_range(violation, on=decision_date, **kw)
    except RuleNotInForceError:
        new = None
    if new is None:
        return ApplicableRange(None, "decision", old, None, "作出处罚决定时，新的规定已不认为该行为违法，适用新的规定")
    if _lighter(new, old):
        return ApplicableRange(new, "decision", old, new, "作出处罚决定时的规定处罚较轻，适用新的规定")
    return ApplicableRange(old, "act", old, new, "适用违法行为发生时的规定")


# -- accidents ------------------------------------------------------------------------------------------

_YI: Final = Decimal("100000000")  # 1亿
_GRADE_THRESHOLDS: Final = (
    # grade, deaths ≥, serious injuries ≥, direct loss ≥   ("以上" includes the number)
    (AccidentGrade.ESPECIALLY_MAJOR, 30, 100, _YI),
    (AccidentGrade.MAJOR, 10, 50, Decimal("50000000")),
    (AccidentGrade.LARGER, 3, 10, Decimal("10000000")),
)


def accident_grade(deaths: int, serious_injuries: int, direct_loss: Decimal) -> AccidentGrade:
    """The grade of an accident (生产安全事故报告和调查处理条例 §3; "以上" inclusive, "以下"
    exclusive): the highest grade any of the three measures reaches."""
    for name, count in (("deaths", deaths), ("serious_injuries", serious_injuries)):
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise LawError("人数必须为非负整数", field=name, article=ACCIDENT_REGULATION_3)
    loss = to_amount(direct_loss, "direct_loss")
    for grade, min_deaths, min_injuries, min_loss in _GRADE_THRESHOLDS:
        if deaths >= min_deaths or serious_injuries >= min_injuries or loss >= min_loss:
            return grade
    return AccidentGrade.GENERAL


def accident_fine_range(
    grade: AccidentGrade | str,
    *,
    especially_serious: bool = False,
    on: dt.date | None = None,
    catalogue: PenaltyCatalogue | None = None,
) -> FineRange:
    """The fine on the unit responsible for an accident (安全生产法 §114, P25)."""
    return legal_range(
        "P25",
        circumstance=Circumstance.ESPECIALLY_SERIOUS if especially_serious else Circumstance.ACCIDENT,
        grade=grade,
        on=on,
        catalogue=catalogue,
    )


# -- limitation, repeat offences, daily penalty, closure ------------------------------------------


@dataclass(frozen=True, slots=True)
class LimitationResult:
    expires_on: dt.date
    years: int
    within: bool | None  # None when no discovery date was given
    basis: str = XZCF_36


def limitation(
    act_date: dt.date,
    *,
    act_ended_on: dt.date | None = None,
    life_health_involved: bool = False,
    harm_occurred: bool = False,
    discovered_on: dt.date | None = None,
) -> LimitationResult:
    """行政处罚法 §36: not discovered within 2 years → no penalty; 5 years where life/health safety
    is involved *and* harm occurred; counted from the act, or from the end of a continuing act.

    A look-back, not a time to act: the last day is not moved past holidays (民法典 §203 clamp
    only: 2024-02-29 + 2 years = 2026-02-28)."""
    start = act_ended_on or act_date
    if act_ended_on is not None and act_ended_on < act_date:
        raise LawError("违法行为终了日期早于发生日期", field="act_ended_on", article=XZCF_36)
    years = 5 if (life_health_involved and harm_occurred) else 2
    expires = shift_months(start, 12 * years)
    within = None if discovered_on is None else discovered_on <= expires
    return LimitationResult(expires, years, within)


def repeat_offence(earlier: Iterable[dt.date], on: dt.date, *, lookback_years: int = 3) -> list[dt.date]:
    """Earlier records on the same item within ``lookback_years`` before ``on`` (CFG practice
    default 3 years, LEGAL.md §4 "Repeat offences"); an empty list means a first offence."""
    if lookback_years < 1:
        raise LawError("回溯年限必须为正整数", field="lookback_years")
    since = shift_months(on, -12 * lookback_years)
    return sorted(d for d in earlier if since <= d < on)


@dataclass(frozen=True, slots=True)
class DailyPenaltyCheck:
    eligible: bool
    missing: tuple[str, ...]
    start_date: dt.date | None
    daily_amount: Decimal | None
    article: str = AQSCF_112

    def __bool__(self) -> bool:
        return self.eligible


def daily_penalty_eligible(
    *,
    correction_ordered_on: dt.date | None,
    fine_amount: Decimal | None,
    refused_to_correct: bool,
) -> DailyPenaltyCheck:
    """安全生产法 §112: ordered to correct, *and* fined, *and* refuses to correct → fined the original
    amount per day from the day after the correction order."""
    missing: list[str] = []
    if correction_ordered_on is None:
        missing.append("未被责令改正")
    amount = to_amount(fine_amount, "fine_amount") if fine_amount is not None else None
    if amount is None or amount == ZERO:
        missing.append("未受到罚款处罚")
    if not refused_to_correct:
        missing.append("未认定拒不改正")
    if missing:
        return DailyPenaltyCheck(False, tuple(missing), None, None)
    assert correction_ordered_on is not None
    return DailyPenaltyCheck(True, (), correction_ordered_on + dt.timedelta(days=1), amount)


@dataclass(frozen=True, slots=True)
class ClosureCheck:
    triggered: bool
    reasons: tuple[str, ...]
    article: str = AQSCF_113

    def __bool__(self) -> bool:
        return self.triggered


def _clustered(dates: list[dt.date], count: int, end_of: Any) -> tuple[dt.date, ...] | None:
    for i in range(len(dates) - count + 1):
        if dates[i + count - 1] <= end_of(dates[i]):
            return tuple(dates[i : i + count])
    return None


def closure_request_triggered(
    *,
    major_hazard: bool,
    penalty_dates: Iterable[dt.date] = (),
    on: dt.date | None = None,
    unsafe_after_suspension: bool = False,
    major_accident_from_unsafe: bool = False,
    refused_suspension: bool = False,
) -> ClosureCheck:
    """安全生产法 §113: grounds to ask the local government to close the unit.

    (1) a major hazard and 3 penalties under AQSCF within 180 days or 4 within one year
    (``penalty_dates`` are the decision dates; "within 180 days" = the last is at most 180 days
    after the first, the first day not counted; a year = the same date a year later);
    (2) still without safety conditions after suspension; (3) lack of safety conditions caused a
    major or especially major accident; (4) refusing to carry out a suspension decision.
    """
    dates = sorted(d for d in penalty_dates if on is None or d <= on)
    reasons: list[str] = []
    if major_hazard:
        three = _clustered(dates, 3, lambda d: d + dt.timedelta(days=180))
        four = _clustered(dates, 4, lambda d: shift_months(d, 12))
        if three is not None:
            listed = "、".join(d.isoformat() for d in three)
            reasons.append(f"存在重大事故隐患，一百八十日内三次受到行政处罚（{listed}）")
        elif four is not None:
            listed = "、".join(d.isoformat() for d in four)
            reasons.append(f"存在重大事故隐患，一年内四次受到行政处罚（{listed}）")
    if unsafe_after_suspension:
        reasons.append("经停产停业整顿，仍不具备安全生产条件")
    if major_accident_from_unsafe:
        reasons.append("不具备安全生产条件，导致发生重大、特别重大生产安全事故")
    if refused_suspension:
        reasons.append("拒不执行停产停业整顿决定")
    return ClosureCheck(bool(reasons), tuple(reasons))
