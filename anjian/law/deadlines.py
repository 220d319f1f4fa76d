"""The deadline catalogue: every statutory time limit as a named rule with its article.

``evaluate(code, trigger, calendar=…)`` computes one deadline from its trigger date with the rule
version in force on the step date (procedure follows the rules in force on the day of each step);
``case_deadlines(facts, calendar=…)`` computes every deadline whose trigger is among the facts.

Results are facts to store together with ``rule_version`` and ``calendar_version``
(ARCHITECTURE.md: a date told to a party is never moved silently).

Examples (2026 calendar loaded):

* ``evaluate("hearing_request", date(2026, 2, 13))`` → 2026-02-27 (5 WD; 2/14 is a make-up
  Saturday, 2/15–2/23 Spring Festival), 行政处罚法第六十四条.
* ``evaluate("payment", date(2026, 9, 22))`` → 2026-10-08 (15th day 10/7 is National Day).
* ``evaluate("defence_statement", date(2026, 2, 3))`` → 3 WD, flagged ``unverified=True``: the
  2015 办法 lapsed on 2026-01-31 and the value waits for the legal department's confirmation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final

from anjian.law.calendar import WorkCalendar
from anjian.law.errors import LawError, PeriodError, RuleNotInForceError, UnverifiedRuleError
from anjian.law.periods import (
    Direction,
    PeriodResult,
    PeriodUnit,
    add_calendar_days,
    add_hours,
    ensure_window_final,
    period,
)
from anjian.law.ruleset import (
    DeadlineRule,
    RuleOverride,
    RuleSet,
    RuleStatus,
    RuleVersion,
    default_ruleset,
    select_override,
)

_ONE_DAY: Final = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DeadlineResult:
    """One computed deadline.

    ``date`` is the last day (for a BEFORE rule: the latest day the act may be done); ``at`` is the
    instant for hour rules. ``unverified`` marks a value from a lapsed rule that nobody has
    confirmed yet; ``warning`` says why in Chinese.
    """

    code: str
    name: str
    date: dt.date
    provisional: bool
    basis: str
    status: RuleStatus
    unverified: bool
    warning: str | None
    protects_party: bool
    trigger: dt.date
    trigger_event: str
    step_date: dt.date
    amount: int
    unit: PeriodUnit
    direction: Direction
    unrolled: dt.date
    rule_version: str
    calendar_version: str
    override: RuleOverride | None = None
    informational: bool = False
    at: dt.datetime | None = None

    @property
    def due(self) -> dt.date:
        """Alias of ``date``: the due date."""
        return self.date

    @property
    def rule_name(self) -> str:
        return self.name

    @property
    def article(self) -> str:
        return self.basis

    @property
    def rolled_forward(self) -> bool:
        return self.date != self.unrolled


def _unverified_warning(rules: RuleSet, rule: DeadlineRule, version: RuleVersion) -> str:
    law = rules.laws[version.law]
    lapsed = (version.effective_to or version.effective_from) + _ONE_DAY
    repealed = f"（{law.repealed_by}）" if law.repealed_by else f"（{law.name}）"
    return (
        f"{rule.name}“{version.amount}{version.unit.label}”取自{version.article}，"
        f"该规定自{lapsed.isoformat()}起不再有效{repealed}。对此后的步骤，该值只是未经核实的默认值，"
        f"须经法规科确认或者替换（登记规则覆盖）后方可使用；特别规定不明的，适用行政处罚法的一般规定。"
    )


def evaluate(
    code: str,
    trigger: dt.date,
    *,
    calendar: WorkCalendar,
    step_date: dt.date | None = None,
    overrides: Sequence[RuleOverride] | None = None,
    excluded_days: int = 0,
    ruleset: RuleSet | None = None,
) -> DeadlineResult:
    """Compute deadline ``code`` from its trigger date (an aware datetime for hour rules).

    ``step_date`` (default: the trigger's date) chooses the rule version in force.
    ``overrides`` are the approved overrides for the acting agency's scope. ``excluded_days``
    adds days that by law do not count (testing time during a seizure, XZQZF §25) and is only
    accepted by rules marked ``excludable``.
    """
    rules = ruleset or default_ruleset()
    rule = rules.get(code)
    trigger_day = trigger.date() if isinstance(trigger, dt.datetime) else trigger
    step = step_date or trigger_day
    version, unverified = rule.version_on(step)
    chosen = select_override(code, step, overrides or ())
    amount, unit = version.amount, version.unit
    basis = version.article
    rule_version = f"{code}@{version.effective_from.isoformat()}"
    if chosen is not None:
        if version.status is not RuleStatus.CFG and not unverified:
            raise LawError(
                f"{rule.name}是法定期限（{version.article}），不能以规则覆盖变更",
                field="overrides",
                article=version.article,
                code="statutory_rule_not_overridable",
            )
        if chosen.value is not None:
            amount = int(chosen.value)
            unit = chosen.unit or unit
        basis = f"{chosen.source_document}（{version.article}）"
        rule_version += f"+{chosen.source_document}@{chosen.effective_from.isoformat()}"
        unverified = False
    if excluded_days:
        if not version.excludable or unit is not PeriodUnit.CALENDAR_DAYS or excluded_days < 0:
            raise PeriodError(f"{rule.name}不允许扣除期间", field="excluded_days")
    if unit is PeriodUnit.HOURS:
        result: PeriodResult = add_hours(
            trigger,  # type: ignore[arg-type]  # checked inside: must be an aware datetime
            amount, basis=basis, direction=rule.direction, protects_party=rule.protects_party,
            rule_name=rule.name,
        )  # fmt: skip
    elif excluded_days:
        result = add_calendar_days(
            calendar, trigger_day, amount + excluded_days, basis=basis,
            roll_forward=version.roll_forward, protects_party=rule.protects_party,
            rule_name=rule.name,
        )  # fmt: skip
    else:
        result = period(
            calendar, trigger_day, amount, unit, rule.direction, basis=basis,
            roll_forward=version.roll_forward, protects_party=rule.protects_party,
            rule_name=rule.name,
        )  # fmt: skip
    warning: str | None = None
    if unverified:
        warning = _unverified_warning(rules, rule, version)
    elif version.informational:
        warning = version.note
    return DeadlineResult(
        code=code,
        name=rule.name,
        date=result.date,
        provisional=result.provisional,
        basis=basis,
        status=version.status,
        unverified=unverified,
        warning=warning,
        protects_party=rule.protects_party,
        trigger=trigger_day,
        trigger_event=rule.trigger,
        step_date=step,
        amount=amount,
        unit=unit,
        direction=rule.direction,
        unrolled=result.unrolled,
        rule_version=rule_version,
        calendar_version=calendar.version,
        override=chosen,
        informational=version.informational,
        at=result.at,
    )


def unverified_default_blocked(result: DeadlineResult) -> str | None:
    """The Chinese refusal message when ``result`` is an unverified default, else ``None``.

    An unverified default may be shown but not relied on: the legal department must confirm or
    replace it first (LEGAL.md, introduction).
    """
    return result.warning if result.unverified else None


def ensure_usable(result: DeadlineResult) -> None:
    """Raise when a step may not rely on ``result``: an unverified default
    (:class:`UnverifiedRuleError`) or a provisional end of a window protecting the party
    (:class:`~anjian.law.errors.ProvisionalWindowError`)."""
    message = unverified_default_blocked(result)
    if message is not None:
        raise UnverifiedRuleError(message, field="code", article=result.basis)
    ensure_window_final(result)


@dataclass(frozen=True, slots=True)
class CaseDeadlines:
    """All deadlines of a case: ``results`` by rule code, and the rules that could not be
    computed (``skipped``: code → the error, e.g. no version in force for that step)."""

    results: Mapping[str, DeadlineResult]
    skipped: Mapping[str, LawError] = field(default_factory=dict)

    def __getitem__(self, code: str) -> DeadlineResult:
        return self.results[code]

    def __contains__(self, code: object) -> bool:
        return code in self.results

    def warnings(self) -> list[str]:
        return [r.warning for r in self.results.values() if r.warning]

    def provisional(self) -> list[str]:
        return [code for code, r in self.results.items() if r.provisional]


def case_deadlines(
    facts: Mapping[str, dt.date],
    *,
    calendar: WorkCalendar,
    overrides: Sequence[RuleOverride] | None = None,
    codes: Iterable[str] | None = None,
    ruleset: RuleSet | None = None,
) -> CaseDeadlines:
    """Every deadline whose trigger event is in ``facts`` (event code → date or aware datetime).

    A derived trigger ``<rule>.due`` is taken from ``facts`` when present, otherwise from the
    computed due date of ``<rule>``; the derived result inherits the base result's provisional
    and unverified flags. Each rule uses the version in force on its trigger date.
    """
    rules = ruleset or default_ruleset()
    overrides = overrides or ()
    wanted = None if codes is None else set(codes)
    results: dict[str, DeadlineResult] = {}
    skipped: dict[str, LawError] = {}
    # A derived rule may come before its base rule in the YAML: the base is then evaluated on
    # demand (``_evaluate_base``) and again in its own turn.
    for rule in rules.rules.values():
        if wanted is not None and rule.code not in wanted:
            continue
        base_result: DeadlineResult | None = None
        trigger = facts.get(rule.trigger)
        if trigger is None:
            base = rule.derived_from
            if base is None:
                continue
            base_result = results.get(base)
            if base_result is None:
                base_result = _evaluate_base(base, facts, calendar, overrides, rules, skipped)
                if base_result is None:
                    continue
            trigger = base_result.date
        try:
            result = evaluate(rule.code, trigger, calendar=calendar, overrides=overrides, ruleset=rules)
        except RuleNotInForceError as exc:
            skipped[rule.code] = exc
            continue
        if base_result is not None:
            result = inherit_flags(result, base_result)
        results[rule.code] = result
    return CaseDeadlines(results, skipped)


def _evaluate_base(
    code: str,
    facts: Mapping[str, dt.date],
    calendar: WorkCalendar,
    overrides: Sequence[RuleOverride],
    rules: RuleSet,
    skipped: dict[str, LawError],
) -> DeadlineResult | None:
    """A base rule's result when only its derived rule was asked for (``codes`` filter)."""
    nested = case_deadlines(facts, calendar=calendar, overrides=overrides, codes=[code], ruleset=rules)
    skipped.update(nested.skipped)
    return nested.results.get(code)


def inherit_flags(result: DeadlineResult, base: DeadlineResult) -> DeadlineResult:
    """A chained deadline starts on another's due date: it is provisional or unverified when that
    date is."""
    if not (base.provisional or base.unverified):
        return result
    warning = result.warning
    if base.unverified and not result.unverified:
        warning = f"起算日取自未经核实的默认值：{base.warning}"
    return replace(
        result,
        provisional=result.provisional or base.provisional,
        unverified=result.unverified or base.unverified,
        warning=warning,
    )
