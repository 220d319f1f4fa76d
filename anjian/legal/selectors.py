"""Reads of the legal engine for officers: the 法定期限计算器 and the 罚款裁量 calculator.

The HTML pages (``calculators``) and the API (``law_api``) both call these, so a figure on screen
and in the API come from one computation. The engine computes (``anjian.law``); this module only
gathers the inputs it needs from the database — the working-day calendar and the rule overrides
that apply to the user's agency — and shapes the result. Engine refusals become
``ValidationFailed`` (HTTP 422) naming the input (``services.law_error``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final
from zoneinfo import ZoneInfo

from anjian.core.errors import ValidationFailed
from anjian.law import penalties as law_penalties
from anjian.law.calendar import WorkCalendar, check_date
from anjian.law.catalogue import AccidentGrade, Circumstance, Measure, PenaltyClause, Subject, Violation, default_catalogue
from anjian.law.deadlines import DeadlineResult, evaluate, inherit_flags
from anjian.law.errors import LawError, PenaltyClauseError, RuleNotInForceError
from anjian.law.money import yuan
from anjian.law.penalties import AmountCheck, ApplicableRange, Band, DiscretionConfig, FineRange
from anjian.law.periods import PeriodUnit, party_protecting_window_blocked
from anjian.law.procedure import (
    XZCF_51,
    XZCF_57,
    XZCF_58,
    XZCF_63,
    HearingConfig,
    MitigationGround,
    PartyKind,
    PenaltyKind,
    Permission,
    Requirement,
)
from anjian.law.ruleset import DeadlineRule, RuleOverride, RuleSet, default_ruleset, select_override
from anjian.legal import authority, lawcal
from anjian.legal.models import CalendarYear, WorkCalendarDay
from anjian.legal.services import law_error

SHANGHAI: Final = ZoneInfo("Asia/Shanghai")
PROVISIONAL_TEXT: Final = (
    "年度的法定节假日安排尚未载入，本结果仅按周末推算，属临时计算（provisional）。"
    "保护当事人权利的期限（陈述申辩、申请听证、缴纳罚款等）在载入该年度安排之前，不得以临时届满日为依据办理下一步。"
)


# -- who is asking: the overrides of the user's agency ---------------------------------------------


@dataclass(frozen=True)
class OverrideContext:
    """The overrides that apply to the acting agency (its division code, city, province, "*")."""

    jurisdiction_code: str | None
    scope_codes: tuple[str, ...]
    overrides: tuple[RuleOverride, ...]


def overrides_for_user(user: Any) -> OverrideContext:
    code = authority.actor_jurisdiction_code(user)
    codes = authority.scope_codes(code) if code else ["*"]
    return OverrideContext(code, tuple(codes), tuple(lawcal.overrides_for(codes)))


def _unloaded_years(cal: WorkCalendar, days: Sequence[dt.date]) -> list[int]:
    if not days:
        return []
    low, high = min(days).year, max(days).year
    return [y for y in range(low, high + 1) if not cal.is_loaded(y)]


def provisional_message(years: Sequence[int]) -> str:
    return "、".join(str(y) for y in years) + PROVISIONAL_TEXT


# -- deadlines -----------------------------------------------------------------------------------------


def event_choices(rules: RuleSet | None = None) -> list[tuple[str, str]]:
    """Trigger events that start at least one rule, as (code, Chinese label)."""
    rs = rules or default_ruleset()
    used = {r.trigger for r in rs.rules.values()}
    return [(code, label) for code, label in rs.events.items() if code in used]


def _counts_hours(rule: DeadlineRule) -> bool:
    return any(v.unit is PeriodUnit.HOURS for v in rule.versions)


@dataclass(frozen=True)
class DeadlineRow:
    """One computed deadline with what the screen shows beside it."""

    result: DeadlineResult
    chained_from: str | None = None
    chained_from_name: str = ""
    blocked: str | None = None  # the provisional-window refusal (LEGAL.md §1), when it applies

    @property
    def override(self) -> RuleOverride | None:
        return self.result.override


@dataclass(frozen=True)
class Skipped:
    code: str
    name: str
    message: str


@dataclass(frozen=True)
class DeadlineTable:
    event: str
    event_label: str
    trigger: dt.date
    trigger_at: dt.datetime | None
    step_date: dt.date | None
    rows: tuple[DeadlineRow, ...]
    skipped: tuple[Skipped, ...]
    calendar_version: str
    unloaded_years: tuple[int, ...]
    jurisdiction_code: str | None
    scope_codes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def provisional(self) -> bool:
        return any(r.result.provisional for r in self.rows)

    @property
    def provisional_message(self) -> str:
        return provisional_message(self.unloaded_years) if self.provisional else ""

    @property
    def unverified(self) -> bool:
        return any(r.result.unverified for r in self.rows)


def _trigger_for(rule: DeadlineRule, day: dt.date, at: dt.time | None) -> dt.date:
    if not _counts_hours(rule):
        return day
    if at is None:
        raise ValidationFailed(f"{rule.name}以小时计算，请填写事件发生的时刻", code="time_required", fields={"time": f"{rule.name}以小时计算，请填写事件发生的时刻（北京时间）。"})
    return dt.datetime.combine(day, at, tzinfo=SHANGHAI)


def _row(result: DeadlineResult, base: DeadlineResult | None) -> DeadlineRow:
    if base is not None:
        result = inherit_flags(result, base)
    return DeadlineRow(
        result=result,
        chained_from=base.code if base else None,
        chained_from_name=base.name if base else "",
        blocked=party_protecting_window_blocked(result),
    )


def deadline_table(*, user: Any, event: str, day: dt.date, step_date: dt.date | None = None, at: dt.time | None = None) -> DeadlineTable:
    """Every deadline ``event`` on ``day`` starts, and the deadlines chained to them (``<rule>.due``).

    ``step_date`` (default: the event date) chooses the rule version in force for the rules the
    event starts; a chained rule uses the version in force on its own trigger (the earlier due
    date), as the engine's ``case_deadlines`` does.
    """
    rules = default_ruleset()
    if event not in rules.events:
        raise ValidationFailed(f"未知的触发事件：{event}", code="unknown_event", fields={"event": f"未知的触发事件：{event}"})
    for name, value in (("date", day), ("step_date", step_date)):
        if value is not None:
            try:
                check_date(value, name)
            except LawError as exc:
                raise law_error(exc) from None
    ctx = overrides_for_user(user)
    cal = lawcal.work_calendar()
    results: dict[str, DeadlineResult] = {}
    rows: list[DeadlineRow] = []
    skipped: list[Skipped] = []
    trigger_at: dt.datetime | None = None
    chained: dict[str, list[DeadlineRule]] = {}
    for rule in rules.rules.values():
        if rule.derived_from is not None:
            chained.setdefault(rule.derived_from, []).append(rule)

    def compute(rule: DeadlineRule, trigger: dt.date, step: dt.date | None, base: DeadlineResult | None) -> None:
        try:
            result = evaluate(rule.code, trigger, calendar=cal, step_date=step, overrides=ctx.overrides)
        except RuleNotInForceError as exc:
            skipped.append(Skipped(rule.code, rule.name, exc.message))
            return
        except LawError as exc:
            raise law_error(exc, field_names={"trigger": "date", "start": "date", "end": "date", "overrides": "event"}) from None
        row = _row(result, base)
        results[rule.code] = row.result
        rows.append(row)
        # Rules that start on this one's due date follow it (the YAML lists some before their base).
        for follower in chained.get(rule.code, []):
            if follower.code not in results:
                compute(follower, row.result.date, None, row.result)

    for rule in rules.rules.values():
        if rule.trigger != event:
            continue
        trigger = _trigger_for(rule, day, at)
        if isinstance(trigger, dt.datetime):
            trigger_at = trigger
        compute(rule, trigger, step_date, None)
    days = [day] + [r.result.date for r in rows]
    return DeadlineTable(
        event=event,
        event_label=rules.events[event],
        trigger=day,
        trigger_at=trigger_at,
        step_date=step_date,
        rows=tuple(rows),
        skipped=tuple(skipped),
        calendar_version=cal.version,
        unloaded_years=tuple(_unloaded_years(cal, days)),
        jurisdiction_code=ctx.jurisdiction_code,
        scope_codes=ctx.scope_codes,
    )


def deadline_one(*, user: Any, code: str, trigger: dt.date, step_date: dt.date | None = None, at: dt.time | None = None) -> tuple[DeadlineRow, tuple[int, ...]]:
    """One rule from its trigger date (``GET /api/v1/law/deadlines/{code}/``)."""
    rules = default_ruleset()
    try:
        rule = rules.get(code)
    except LawError as exc:
        raise law_error(exc) from None
    for name, value in (("trigger", trigger), ("step_date", step_date)):
        if value is not None:
            try:
                check_date(value, name)
            except LawError as exc:
                raise law_error(exc) from None
    ctx = overrides_for_user(user)
    cal = lawcal.work_calendar()
    start = _trigger_for(rule, trigger, at)
    try:
        result = evaluate(code, start, calendar=cal, step_date=step_date, overrides=ctx.overrides)
    except LawError as exc:
        raise law_error(exc, field_names={"start": "trigger", "date": "trigger", "end": "trigger", "overrides": "code"}) from None
    return _row(result, None), tuple(_unloaded_years(cal, [trigger, result.date]))


# -- the calendar --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarYearInfo:
    year: int
    loaded: bool
    source: str
    loaded_at: dt.datetime | None
    exceptions: tuple[tuple[dt.date, str, str], ...]
    working_days: int


def calendar_year_get(year: int) -> CalendarYearInfo:
    try:
        check_date(dt.date(year, 1, 1), "year")
    except (LawError, ValueError, OverflowError) as exc:
        message = exc.message if isinstance(exc, LawError) else f"年度{year}无效"
        raise ValidationFailed(message, code="date_out_of_range", fields={"year": message}) from None
    row = CalendarYear.objects.filter(year=year).first()
    days = tuple(WorkCalendarDay.objects.filter(date__year=year).values_list("date", "kind", "name")) if row else ()
    cal = lawcal.work_calendar()
    return CalendarYearInfo(year, row is not None, row.source if row else "", row.loaded_at if row else None, days, cal.working_days_in_year(year))


# -- fines ---------------------------------------------------------------------------------------------


def violation_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The catalogue grouped by law and article, for a ``<select>`` with ``<optgroup>``s."""
    cat = default_catalogue()
    groups: dict[str, list[tuple[str, str]]] = {}
    for vid in cat.ids():
        v = cat.violation(vid)
        groups.setdefault(v.citation, []).append((v.id, f"{v.id} {v.title}"))
    return list(groups.items())


def violation_list() -> list[Violation]:
    cat = default_catalogue()
    return [cat.violation(vid) for vid in cat.ids()]


HEAVY_KINDS: Final = frozenset(
    {PenaltyKind.ORDER_STOP, PenaltyKind.ORDER_CLOSE, PenaltyKind.LICENCE_REVOCATION, PenaltyKind.RESTRICT_PRACTICE, PenaltyKind.QUALIFICATION_DOWNGRADE}
)


@dataclass(frozen=True)
class HearingInfo:
    requirement: Requirement
    config: HearingConfig
    party: PartyKind
    threshold: Decimal
    overrides: tuple[RuleOverride, ...]
    unverified_warning: str | None
    hint: str  # when no amount was proposed: what the threshold means for this range


@dataclass(frozen=True)
class PenaltyAssessment:
    violation: Violation
    item_text: str
    subject: Subject
    circumstance: Circumstance
    party: PartyKind
    act_date: dt.date
    decision_date: dt.date
    applicable: ApplicableRange | None
    range: FineRange | None
    no_fine_reason: str
    bands: Mapping[Band, FineRange] | None
    bands_source: str
    amount: Decimal | None
    amount_check: AmountCheck | None
    measures: tuple[PenaltyClause, ...]
    kinds: tuple[PenaltyKind, ...]
    hearing: HearingInfo
    legal_review: Requirement
    collective: Requirement
    heavier_reasons: tuple[str, ...]
    summary: Permission
    jurisdiction_code: str | None
    articles: Mapping[str, str] = field(default_factory=dict)

    @property
    def amount_text(self) -> str:
        return yuan(self.amount) if self.amount is not None else ""


def _hearing_unverified(config_overrides: Sequence[RuleOverride], party: PartyKind, on: dt.date) -> str | None:
    """The hearing "large fine" default comes from 原办法 §33: after the 办法 lapsed it is an
    unverified default until the legal department confirms or replaces it (LEGAL.md §2)."""
    key = HearingConfig.KEYS[0] if party is PartyKind.INDIVIDUAL else HearingConfig.KEYS[1]
    if select_override(key, on, config_overrides) is not None:
        return None
    old = default_ruleset().laws.get("OLD_BANFA")
    if old is None or old.repealed_on is None or on < old.repealed_on:
        return None
    default = HearingConfig()
    return (
        f"听证“较大数额罚款”标准（{party.label}{default.fine_threshold(party)}元以上）取自{default.source}，"
        f"该规定自{old.repealed_on.isoformat()}起不再有效（{old.repealed_by}）。对此后的处罚，该值只是未经核实的默认值，"
        "须经法规科确认或者替换（登记规则覆盖）后方可使用；本省另有规定的从其规定。"
    )


def penalty_assessment(
    *,
    user: Any,
    violation: str,
    subject: str = Subject.UNIT.value,
    circumstance: str = Circumstance.BASE.value,
    act_date: dt.date,
    decision_date: dt.date,
    item: int | None = None,
    grade: str | None = None,
    income: Decimal | None = None,
    gains: Decimal | None = None,
    amount: Decimal | None = None,
    kinds: Sequence[str] = (),
    confiscation: Decimal | None = None,
    mitigation_ground: str | None = None,
    collectively_approved: bool = False,
    major_public_interest: bool = False,
    concerns_major_rights: bool = False,
    hearing_held: bool = False,
    complex_case: bool = False,
    several_legal_relationships: bool = False,
    other_law_requires: bool = False,
    review_other: str = "",
    serious_violation: bool = False,
) -> PenaltyAssessment:
    """Legal range (with 行政处罚法 §37), discretion bands, the proposed amount's band and
    lawfulness, and the procedure flags: hearing (§63), legal review (§58), collective discussion
    (§57), summary procedure (§51)."""
    cat = default_catalogue()
    try:
        check_date(act_date, "act_date")
        check_date(decision_date, "decision_date")
        latest = cat.violation(violation)
    except LawError as exc:
        raise law_error(exc) from None
    if decision_date < act_date:
        raise ValidationFailed("处罚决定日期早于违法行为发生日期", code="invalid", fields={"decision_date": "处罚决定日期不能早于违法行为发生日期。"})
    try:
        v = cat.violation(violation, act_date)
    except RuleNotInForceError as exc:
        raise ValidationFailed(
            exc.message, code=exc.code, article=latest.citation, fields={"act_date": f"{exc.message}（处罚目录自{latest.effective_from.isoformat()}起）"}
        ) from None
    item_text = ""
    if item is not None:
        found = next((i for i in v.items if i.item == item), None)
        if found is None:
            listed = "、".join(str(i.item) for i in v.items) or "无分项"
            raise ValidationFailed(f"{v.id}没有第{item}项", code="invalid", fields={"item": f"{v.id}（{v.citation}）没有第{item}项（可选：{listed}）。"})
        item_text = found.text
    who, when = Subject(subject), Circumstance(circumstance)
    party = PartyKind.ORGANISATION if who is Subject.UNIT else PartyKind.INDIVIDUAL
    level = AccidentGrade(grade) if grade else None
    ctx = overrides_for_user(user)

    applicable: ApplicableRange | None = None
    fine_range: FineRange | None = None
    no_fine = ""
    try:
        applicable = law_penalties.applicable_range(violation, act_date, decision_date, subject=who, circumstance=when, grade=level, income=income, gains=gains, catalogue=cat)
        fine_range = applicable.range
        if fine_range is None:
            no_fine = applicable.reason
    except PenaltyClauseError as exc:
        if exc.field != "subject":  # a missing input (grade, income): the officer must give it
            raise law_error(exc) from None
        no_fine = exc.message
    except LawError as exc:
        raise law_error(exc) from None

    discretion = DiscretionConfig()
    bands = law_penalties.discretion_bands(fine_range, discretion) if fine_range is not None else None
    ground = MitigationGround(mitigation_ground) if mitigation_ground else None
    check: AmountCheck | None = None
    if amount is not None:
        if fine_range is None:
            check = AmountCheck(False, f"该情形没有罚款规定，不能罚款：{no_fine}", v.citation)
        else:
            try:
                check = law_penalties.check_amount(amount, fine_range, mitigation_ground=ground, collectively_approved=collectively_approved, config=discretion)
            except LawError as exc:
                raise law_error(exc) from None

    chosen = {PenaltyKind(k) for k in kinds} - {PenaltyKind.FINE}
    if amount is not None:
        chosen.add(PenaltyKind.FINE)
    measures = tuple(c for c in v.clauses if c.subject is who and c.circumstance is when and not c.measure.is_money)

    try:
        config = HearingConfig.from_overrides(ctx.overrides, decision_date)
        hearing = law_penalties.hearing_required(kinds=chosen, party=party, fine=amount, confiscation=confiscation, config=config)
        below_minimum = bool(amount is not None and fine_range is not None and fine_range.minimum is not None and amount < fine_range.minimum and ground is not None)
        heavier: list[str] = []
        if check is not None and check.band is Band.HEAVY:
            heavier.append(f"拟罚款处于{Band.HEAVY.label}档")
        heavier += [f"拟给予{k.label}" for k in sorted(chosen & HEAVY_KINDS)]
        review = law_penalties.legal_review_required(
            major_public_interest=major_public_interest, concerns_major_rights=concerns_major_rights, hearing_held=hearing_held,
            complex_case=complex_case, several_legal_relationships=several_legal_relationships, other_law_requires=other_law_requires,
            kinds=chosen, party=party, fine=amount, officer_flags=[review_other] if review_other.strip() else [],
            catalogue=lawcal.review_catalogue_for(ctx.scope_codes, decision_date),
        )  # fmt: skip
        collective = law_penalties.collective_discussion_required(
            complex_case=complex_case, serious_violation=serious_violation, heavier_penalty=bool(heavier),
            mitigated_below_range=below_minimum, kinds=chosen, party=party, fine=amount,
            rule=lawcal.collective_rule_for(ctx.scope_codes, decision_date),
        )  # fmt: skip
        summary = law_penalties.summary_procedure_allowed(kinds=chosen, party=party, fine=amount)
    except LawError as exc:
        raise law_error(exc) from None

    threshold = config.fine_threshold(party)
    hint = ""
    if amount is None and fine_range is not None:
        if fine_range.maximum >= threshold:
            hint = f"未填拟罚款数额：对{party.label}罚款达到{threshold}元以上的，须告知听证权利（法定幅度{fine_range}）。"
        else:
            hint = f"法定幅度上限{fine_range.maximum}元低于听证标准{threshold}元，仅罚款时不因数额告知听证。"
    used = tuple(o for key in HearingConfig.KEYS if (o := select_override(key, decision_date, ctx.overrides)) is not None)
    return PenaltyAssessment(
        violation=v,
        item_text=item_text,
        subject=who,
        circumstance=when,
        party=party,
        act_date=act_date,
        decision_date=decision_date,
        applicable=applicable,
        range=fine_range,
        no_fine_reason=no_fine,
        bands=bands,
        bands_source=discretion.source,
        amount=amount,
        amount_check=check,
        measures=measures,
        kinds=tuple(sorted(chosen)),
        hearing=HearingInfo(hearing, config, party, threshold, used, _hearing_unverified(ctx.overrides, party, decision_date), hint),
        legal_review=review,
        collective=collective,
        heavier_reasons=tuple(heavier),
        summary=summary,
        jurisdiction_code=ctx.jurisdiction_code,
        articles={"hearing": XZCF_63, "legal_review": XZCF_58, "collective": XZCF_57, "summary": XZCF_51, "applicable": law_penalties.XZCF_37},
    )


__all__ = [
    "Band",
    "CalendarYearInfo",
    "DeadlineRow",
    "DeadlineTable",
    "Measure",
    "OverrideContext",
    "PenaltyAssessment",
    "calendar_year_get",
    "deadline_one",
    "deadline_table",
    "event_choices",
    "overrides_for_user",
    "penalty_assessment",
    "violation_choices",
    "violation_list",
]
