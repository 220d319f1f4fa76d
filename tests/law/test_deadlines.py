"""Every statutory deadline, around the 2026 holidays. Expected dates are worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from anjian.law.calendar import WorkCalendar
from anjian.law.deadlines import (
    DeadlineResult,
    case_deadlines,
    ensure_usable,
    evaluate,
    unverified_default_blocked,
)
from anjian.law.errors import (
    LawError,
    OverrideError,
    OverrideSourceMissingError,
    PeriodError,
    ProvisionalWindowError,
    RuleNotInForceError,
    UnknownRuleError,
    UnverifiedRuleError,
)
from anjian.law.periods import Direction, PeriodUnit, party_protecting_window_blocked
from anjian.law.ruleset import RuleOverride, RuleSet, RuleStatus, default_ruleset

D = dt.date
CST = dt.timezone(dt.timedelta(hours=8))

# code, trigger, expected date — one row per rule at least
TABLE: list[tuple[str, dt.date, dt.date]] = [
    ("filing_after_investigation", D(2026, 1, 26), D(2026, 2, 2)),  # 1/31 Saturday → Monday
    ("evidence_preservation_decision", D(2026, 9, 28), D(2026, 10, 13)),  # 9/29, 9/30, 10/8, 10/9, 10/10, 10/12, 10/13
    ("defence_statement", D(2026, 1, 29), D(2026, 2, 3)),  # 1/30, 2/2, 2/3
    ("hearing_request", D(2026, 2, 13), D(2026, 2, 27)),
    ("hearing_notice", D(2026, 2, 26), D(2026, 2, 10)),
    ("decision_deadline", D(2026, 1, 5), D(2026, 4, 7)),  # 4/5 Qingming → 4/7
    ("decision_deadline_banfa", D(2026, 1, 5), D(2026, 2, 4)),
    ("decision_deadline_banfa_head_extension", D(2026, 1, 5), D(2026, 4, 7)),
    ("decision_deadline_banfa_superior_extension", D(2026, 1, 5), D(2026, 7, 6)),  # 7/4 Saturday
    ("decision_service", D(2026, 4, 30), D(2026, 5, 13)),  # 5/6, 5/7, 5/8, 5/9, 5/11, 5/12, 5/13
    ("payment", D(2026, 9, 22), D(2026, 10, 8)),
    ("payment", D(2026, 3, 6), D(2026, 3, 23)),  # ordinary Saturday → Monday
    ("payment", D(2026, 2, 13), D(2026, 2, 28)),  # make-up Saturday stays
    ("surcharge_start", D(2026, 9, 30), D(2026, 10, 1)),  # the day after, even a holiday
    ("enforcement_reminder_wait", D(2026, 2, 12), D(2026, 3, 4)),  # 2/13, 2/14, 2/24..2/28, 3/2..3/4
    ("court_enforcement_application", D(2026, 7, 5), D(2026, 10, 8)),  # 10/5 → 10/8
    ("publication", D(2026, 9, 18), D(2026, 9, 29)),  # 9/20 make-up Sunday, 9/25 Mid-autumn
    ("publication_withdrawal", D(2026, 9, 30), D(2026, 10, 10)),  # 10/8, 10/9, 10/10
    ("credit_publicity", D(2026, 3, 20), D(2026, 4, 20)),  # Qingming 4/4–4/6 skipped
    ("onsite_fine_handover", D(2026, 2, 13), D(2026, 2, 24)),  # 2/14 make-up, 2/24
    ("onsite_fine_deposit", D(2026, 4, 30), D(2026, 5, 7)),
    ("limitation_general", D(2024, 10, 1), D(2026, 10, 1)),  # a look-back: no roll-forward
    ("limitation_life_health", D(2021, 10, 1), D(2026, 10, 1)),
    ("reconsideration_application", D(2026, 8, 8), D(2026, 10, 8)),  # 10/7 → 10/8
    ("reconsideration_acceptance", D(2026, 9, 30), D(2026, 10, 13)),
    ("reconsideration_decision", D(2026, 3, 6), D(2026, 5, 6)),  # 5/5 Labour Day → 5/6
    ("reconsideration_decision_extension", D(2026, 5, 6), D(2026, 6, 5)),
    ("lawsuit_direct", D(2026, 4, 5), D(2026, 10, 8)),
    ("lawsuit_after_reconsideration", D(2026, 2, 5), D(2026, 2, 24)),  # 2/20 Spring Festival
    ("seizure_period", D(2026, 9, 7), D(2026, 10, 7)),  # a maximum: not rolled
    ("seizure_extension", D(2026, 10, 7), D(2026, 11, 6)),
    ("restart_review", D(2026, 9, 27), D(2026, 10, 8)),
    ("rectification_reinspection", D(2026, 1, 21), D(2026, 2, 2)),
    ("rectification_extension_request", D(2026, 1, 30), D(2026, 1, 20)),
    ("rectification_extension_answer", D(2026, 1, 26), D(2026, 2, 2)),
    ("temporary_suspension_info", D(2026, 4, 1), D(2026, 10, 8)),
    ("petition_acceptance", D(2026, 4, 20), D(2026, 5, 6)),
    ("petition_handling", D(2026, 3, 6), D(2026, 5, 6)),
    ("petition_handling_extension", D(2026, 5, 6), D(2026, 6, 5)),
    ("petition_review_request", D(2026, 1, 16), D(2026, 2, 24)),  # 2/15 → 2/24
    ("petition_review_answer", D(2026, 4, 24), D(2026, 5, 25)),  # 5/24 Sunday
    ("petition_re_review_request", D(2026, 9, 10), D(2026, 10, 10)),  # make-up Saturday
    ("petition_re_review_answer", D(2026, 9, 1), D(2026, 10, 8)),
    ("safety_report_handling", D(2026, 8, 8), D(2026, 10, 8)),
    ("safety_report_handling_extension", D(2026, 10, 8), D(2026, 11, 9)),  # 11/7 Saturday
]
HOUR_TABLE = [
    ("coercive_emergency_approval", dt.datetime(2026, 10, 1, 9, 0, tzinfo=CST), dt.datetime(2026, 10, 2, 9, 0, tzinfo=CST)),
    ("power_cut_notice", dt.datetime(2026, 10, 8, 8, 0, tzinfo=CST), dt.datetime(2026, 10, 7, 8, 0, tzinfo=CST)),
]


def test_the_table_covers_every_rule() -> None:
    covered = {code for code, _, _ in TABLE} | {code for code, _, _ in HOUR_TABLE}
    assert covered == set(default_ruleset().rules)


@pytest.mark.parametrize(("code", "trigger", "expected"), TABLE)
def test_every_deadline(official: WorkCalendar, code: str, trigger: D, expected: D) -> None:
    result = evaluate(code, trigger, calendar=official)
    assert result.date == expected == result.due
    assert result.code == code
    assert result.basis and result.article == result.basis
    assert result.name and result.rule_name == result.name
    assert not result.provisional
    assert not result.unverified
    assert result.trigger == trigger and result.step_date == trigger
    assert result.calendar_version == official.version
    assert result.rule_version.startswith(f"{code}@")
    assert result.status in RuleStatus
    assert result.status.label in {"已核对官方文本", "已核对权威转载", "可配置（默认值）"}


@pytest.mark.parametrize(("code", "trigger", "expected"), HOUR_TABLE)
def test_hour_deadlines(official: WorkCalendar, code: str, trigger: dt.datetime, expected: dt.datetime) -> None:
    result = evaluate(code, trigger, calendar=official)
    assert result.at == expected
    assert result.date == expected.date()
    assert result.unit is PeriodUnit.HOURS


def test_hour_deadlines_need_an_aware_datetime(official: WorkCalendar) -> None:
    with pytest.raises(PeriodError):
        evaluate("coercive_emergency_approval", D(2026, 10, 1), calendar=official)


def test_day_deadlines_accept_a_datetime_trigger(official: WorkCalendar) -> None:
    result = evaluate("payment", dt.datetime(2026, 9, 22, 15, 0, tzinfo=CST), calendar=official)
    assert result.date == D(2026, 10, 8)
    assert result.trigger == D(2026, 9, 22)


def test_articles_and_statuses(official: WorkCalendar) -> None:
    r = evaluate("hearing_request", D(2026, 2, 13), calendar=official)
    assert "行政处罚法第六十四条" in r.basis and r.status is RuleStatus.V and r.protects_party
    assert r.direction is Direction.AFTER and r.amount == 5 and r.unit is PeriodUnit.WORKING_DAYS
    n = evaluate("hearing_notice", D(2026, 2, 26), calendar=official)
    assert n.direction is Direction.BEFORE
    cfg = evaluate("restart_review", D(2026, 9, 27), calendar=official)
    assert cfg.status is RuleStatus.CFG and not cfg.unverified and cfg.warning is None
    assert cfg.rolled_forward and cfg.unrolled == D(2026, 10, 7)


OLD_BANFA = sorted(
    code for code, rule in default_ruleset().rules.items() if rule.versions[-1].law == "OLD_BANFA"
)


def test_the_old_banfa_rules_are_the_expected_ones() -> None:
    assert OLD_BANFA == sorted([
        "decision_deadline_banfa", "decision_deadline_banfa_head_extension",
        "decision_deadline_banfa_superior_extension", "defence_statement",
        "filing_after_investigation", "rectification_extension_answer",
        "rectification_extension_request", "rectification_reinspection",
    ])  # fmt: skip


@pytest.mark.parametrize("code", OLD_BANFA)
def test_old_banfa_values_are_unverified_defaults_after_january_2026(official: WorkCalendar, code: str) -> None:
    before = evaluate(code, D(2026, 1, 30), calendar=official)
    assert not before.unverified and before.warning is None
    ensure_usable(before)
    after = evaluate(code, D(2026, 2, 2), calendar=official)
    assert after.unverified
    assert after.warning is not None
    assert "未经核实的默认值" in after.warning and "应急管理部令第18号" in after.warning
    assert "2026-02-01" in after.warning
    assert unverified_default_blocked(after) == after.warning
    with pytest.raises(UnverifiedRuleError) as info:
        ensure_usable(after)
    assert info.value.code == "rule_unverified"
    # the step date, not the trigger, chooses the version
    late_step = evaluate(code, D(2026, 1, 30), calendar=official, step_date=D(2026, 2, 1))
    assert late_step.unverified and late_step.step_date == D(2026, 2, 1)


def test_defence_window_after_the_change(official: WorkCalendar) -> None:
    result = evaluate("defence_statement", D(2026, 2, 3), calendar=official)
    assert result.date == D(2026, 2, 6)  # still computed and shown, 2/4, 2/5, 2/6
    assert result.unverified


def _override(**kw: object) -> RuleOverride:
    data: dict[str, object] = {
        "rule_code": "defence_statement", "scope": "370600", "effective_from": D(2026, 2, 1),
        "source_document": "烟应急法〔2026〕1号", "approver": "王法规",
    }  # fmt: skip
    data.update(kw)
    return RuleOverride(**data)  # type: ignore[arg-type]


def test_an_override_confirms_an_unverified_default(official: WorkCalendar) -> None:
    confirmed = _override()
    result = evaluate("defence_statement", D(2026, 2, 3), calendar=official, overrides=[confirmed])
    assert not result.unverified and result.warning is None
    assert result.date == D(2026, 2, 6)
    assert result.override == confirmed
    assert result.basis.startswith("烟应急法〔2026〕1号")
    assert "烟应急法〔2026〕1号@2026-02-01" in result.rule_version
    ensure_usable(result)


def test_an_override_replaces_a_value(official: WorkCalendar) -> None:
    five = _override(value=5)
    result = evaluate("defence_statement", D(2026, 2, 3), calendar=official, overrides=[five])
    assert result.amount == 5 and result.date == D(2026, 2, 10)  # 2/4, 2/5, 2/6, 2/9, 2/10
    calendar_days = _override(value=7, unit=PeriodUnit.CALENDAR_DAYS)
    result = evaluate("defence_statement", D(2026, 2, 3), calendar=official, overrides=[calendar_days])
    assert result.unit is PeriodUnit.CALENDAR_DAYS and result.date == D(2026, 2, 10)


def test_overrides_by_effective_date(official: WorkCalendar) -> None:
    old = _override(value=4, effective_from=D(2026, 2, 1), effective_to=D(2026, 5, 31))
    new = _override(value=6, effective_from=D(2026, 3, 1), source_document="烟应急法〔2026〕9号")
    other = _override(rule_code="hearing_request_x", value=9)
    overrides = [old, new, other]
    assert evaluate("defence_statement", D(2026, 2, 10), calendar=official, overrides=overrides).amount == 4
    assert evaluate("defence_statement", D(2026, 3, 10), calendar=official, overrides=overrides).amount == 6
    lapsed = [old]
    assert evaluate("defence_statement", D(2026, 6, 10), calendar=official, overrides=lapsed).unverified
    cfg_in_force = _override(rule_code="restart_review", value=7, effective_from=D(2025, 1, 1))
    assert evaluate("restart_review", D(2026, 3, 2), calendar=official, overrides=[cfg_in_force]).amount == 7


def test_conflicting_overrides_are_refused(official: WorkCalendar) -> None:
    a = _override(value=4)
    b = _override(value=5, source_document="烟应急法〔2026〕2号")
    with pytest.raises(OverrideError) as info:
        evaluate("defence_statement", D(2026, 2, 3), calendar=official, overrides=[a, b])
    assert info.value.code == "override_conflict"
    assert evaluate("defence_statement", D(2026, 2, 3), calendar=official, overrides=[a, a]).amount == 4


def test_statutory_rules_cannot_be_overridden(official: WorkCalendar) -> None:
    with pytest.raises(LawError) as info:
        evaluate(
            "hearing_request", D(2026, 2, 13), calendar=official,
            overrides=[_override(rule_code="hearing_request", value=3)],
        )  # fmt: skip
    assert info.value.code == "statutory_rule_not_overridable"
    assert info.value.field == "overrides"


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"source_document": ""}, "source_document", OverrideSourceMissingError),
        ({"source_document": "   "}, "source_document", OverrideSourceMissingError),
        ({"approver": ""}, "approver", OverrideError),
        ({"scope": ""}, "scope", OverrideError),
        ({"rule_code": None}, "rule_code", OverrideError),
        ({"effective_from": "2026-02-01"}, "effective_from", OverrideError),
        ({"effective_to": D(2026, 1, 1)}, "effective_to", OverrideError),
        ({"value": 0}, "value", OverrideError),
        ({"value": True}, "value", OverrideError),
        ({"value": Decimal("-1")}, "value", OverrideError),
        ({"unit": PeriodUnit.CALENDAR_DAYS}, "value", OverrideError),
        ({"unit": PeriodUnit.CALENDAR_DAYS, "value": Decimal("7")}, "value", OverrideError),
    ],
)
def test_overrides_are_validated(changes: dict[str, object], field: str, error: type[LawError]) -> None:
    with pytest.raises(error) as info:
        _override(**changes)
    assert info.value.field == field
    assert info.value.message


def test_an_override_without_a_source_names_the_field() -> None:
    with pytest.raises(OverrideSourceMissingError) as info:
        _override(source_document="")
    assert info.value.as_dict()["field"] == "source_document"
    assert "依据文件" in info.value.message


def test_unknown_codes_and_dates_out_of_force(official: WorkCalendar) -> None:
    with pytest.raises(UnknownRuleError) as info:
        evaluate("no_such_rule", D(2026, 3, 2), calendar=official)
    assert info.value.field == "code"
    with pytest.raises(RuleNotInForceError) as nif:
        evaluate("hearing_request", D(2021, 7, 14), calendar=official)
    assert nif.value.field == "step_date"
    with pytest.raises(RuleNotInForceError):
        evaluate("reconsideration_application", D(2023, 12, 31), calendar=official)


def test_excluded_days(official: WorkCalendar) -> None:
    plain = evaluate("seizure_period", D(2026, 9, 7), calendar=official)
    tested = evaluate("seizure_period", D(2026, 9, 7), calendar=official, excluded_days=5)
    assert (plain.date, tested.date) == (D(2026, 10, 7), D(2026, 10, 12))
    assert not tested.rolled_forward
    with pytest.raises(PeriodError) as info:
        evaluate("payment", D(2026, 9, 7), calendar=official, excluded_days=5)
    assert info.value.field == "excluded_days"
    with pytest.raises(PeriodError):
        evaluate("seizure_period", D(2026, 9, 7), calendar=official, excluded_days=-1)


def test_informational_rule(official: WorkCalendar) -> None:
    result = evaluate("temporary_suspension_info", D(2026, 4, 1), calendar=official)
    assert result.informational
    assert result.warning is not None and "不据此执行" in result.warning
    assert not result.unverified


def test_a_provisional_protecting_deadline_is_not_usable(official: WorkCalendar) -> None:
    result = evaluate("payment", D(2026, 12, 20), calendar=official)
    assert result.provisional and result.date == D(2027, 1, 4)
    assert party_protecting_window_blocked(result) is not None
    with pytest.raises(ProvisionalWindowError):
        ensure_usable(result)
    duty = evaluate("decision_service", D(2026, 12, 28), calendar=official)
    assert duty.provisional
    ensure_usable(duty)  # an agency duty: shown as provisional, not blocked


# -- case_deadlines --------------------------------------------------------------------------------

FACTS: dict[str, dt.date] = {
    "investigation_started": D(2026, 1, 2),
    "case_filed": D(2026, 1, 5),
    "evidence_preserved": D(2026, 1, 8),
    "notice_served": D(2026, 2, 13),
    "hearing_date": D(2026, 3, 10),
    "decision_made": D(2026, 3, 20),
    "decision_served": D(2026, 3, 23),
    "reminder_served": D(2026, 10, 12),
    "act_ended": D(2025, 11, 1),
}


def test_case_deadlines_match_single_evaluations(official: WorkCalendar) -> None:
    case = case_deadlines(FACTS, calendar=official)
    expected_codes = {
        code for code, rule in default_ruleset().rules.items()
        if rule.trigger in FACTS or (rule.derived_from in FACTS_BASES)
    }  # fmt: skip
    assert set(case.results) == expected_codes
    for code, result in case.results.items():
        assert result == evaluate(code, result.trigger, calendar=official)
    assert case["payment"].date == D(2026, 4, 7)
    assert case["surcharge_start"].trigger == D(2026, 4, 7)
    assert case["surcharge_start"].date == D(2026, 4, 8)
    assert case["court_enforcement_application"].trigger == D(2026, 9, 23)
    assert case["court_enforcement_application"].date == D(2026, 12, 23)
    assert case["hearing_notice"].date == D(2026, 2, 28)  # make-up Saturday
    assert "payment" in case and "seizure_period" not in case
    assert case.skipped == {}
    assert case.provisional() == []
    # notice served 2026-02-13: the old 办法's defence window is an unverified default by then
    assert case.warnings() == [case["defence_statement"].warning]
    assert [c for c, r in case.results.items() if r.unverified] == ["defence_statement"]


FACTS_BASES = {"payment", "lawsuit_direct"}


def test_case_deadlines_with_unverified_and_provisional_results(official: WorkCalendar) -> None:
    case = case_deadlines(
        {"notice_served": D(2026, 2, 3), "decision_served": D(2026, 12, 20)}, calendar=official
    )
    assert case["defence_statement"].unverified
    assert any("未经核实" in w for w in case.warnings())
    assert case["payment"].provisional
    assert case["surcharge_start"].provisional  # inherited from its base
    assert set(case.provisional()) >= {"payment", "surcharge_start", "lawsuit_direct"}


def test_case_deadlines_filtered_by_code(official: WorkCalendar) -> None:
    only = case_deadlines(FACTS, calendar=official, codes=["surcharge_start"])
    assert list(only.results) == ["surcharge_start"]
    assert only["surcharge_start"].date == D(2026, 4, 8)
    none = case_deadlines({"case_filed": D(2026, 1, 5)}, calendar=official, codes=["surcharge_start"])
    assert none.results == {}


def test_an_explicit_derived_trigger_wins(official: WorkCalendar) -> None:
    case = case_deadlines(
        {"decision_served": D(2026, 3, 23), "payment.due": D(2026, 5, 4)}, calendar=official
    )
    assert case["surcharge_start"].date == D(2026, 5, 5)


def test_rules_not_in_force_are_skipped_not_fatal(official: WorkCalendar) -> None:
    case = case_deadlines({"decision_served": D(2023, 6, 1)}, calendar=official)
    assert "reconsideration_application" in case.skipped
    assert isinstance(case.skipped["reconsideration_application"], RuleNotInForceError)
    assert case["payment"].date == D(2023, 6, 16)
    derived = case_deadlines(
        {"reconsideration_accepted": D(2023, 6, 1)}, calendar=official,
        codes=["reconsideration_decision_extension"],
    )  # fmt: skip
    assert derived.results == {}
    assert "reconsideration_decision" in derived.skipped


def _ruleset(**rule_changes: object) -> RuleSet:
    data = {
        "laws": {
            "OLD": {"name": "旧办法", "in_force": D(2015, 5, 1), "repealed_by": "新令"},
            "NEW": {"name": "新法", "in_force": D(2015, 5, 1)},
        },
        "events": {"e": "事件", "base.due": "基础期限届满"},
        "rules": [
            {"code": "base", "name": "基础", "trigger": "e", "direction": "after", "versions": [
                {"amount": 3, "unit": "working_days", "law": "OLD", "article": "旧办法第1条",
                 "status": "CFG", "effective_from": D(2021, 7, 15), "effective_to": D(2026, 1, 31),
                 "after_expiry": "unverified_default"},
            ]},
            {"code": "derived", "name": "派生", "trigger": "base.due", "direction": "after", "versions": [
                {"amount": 2, "unit": "calendar_days", "law": "NEW", "article": "新法第2条",
                 "status": "V", "effective_from": D(2021, 7, 15)},
            ]},
            {"code": "versioned", "name": "分版本", "trigger": "e", "direction": "after", "versions": [
                {"amount": 10, "unit": "calendar_days", "law": "NEW", "article": "新法第3条",
                 "status": "V", "effective_from": D(2021, 7, 15), "effective_to": D(2025, 12, 31)},
                {"amount": 20, "unit": "calendar_days", "law": "NEW", "article": "新法第3条（修订）",
                 "status": "V", "effective_from": D(2026, 1, 1)},
            ]},
        ],
    }
    data.update(rule_changes)
    return RuleSet.from_data(data)


def test_versions_change_by_step_date(official: WorkCalendar) -> None:
    rs = _ruleset()
    assert evaluate("versioned", D(2025, 12, 20), calendar=official, ruleset=rs).amount == 10
    assert evaluate("versioned", D(2026, 1, 5), calendar=official, ruleset=rs).amount == 20
    mixed = evaluate("versioned", D(2025, 12, 20), calendar=official, ruleset=rs, step_date=D(2026, 1, 2))
    assert mixed.amount == 20 and mixed.rule_version == "versioned@2026-01-01"


def test_a_derived_rule_inherits_an_unverified_base(official: WorkCalendar) -> None:
    rs = _ruleset()
    case = case_deadlines({"e": D(2026, 3, 2)}, calendar=official, ruleset=rs)
    assert case["base"].unverified and case["base"].date == D(2026, 3, 5)
    derived = case["derived"]
    assert derived.date == D(2026, 3, 9)  # 3/7 Saturday → Monday
    assert derived.unverified
    assert derived.warning is not None and derived.warning.startswith("起算日取自未经核实的默认值")
    assert "新令" in derived.warning


@pytest.mark.parametrize(
    ("mutate", "field_part"),
    [
        (lambda d: d.update(laws=[]), "root.laws"),
        (lambda d: d["laws"].update(BAD=["x"]), "laws.BAD"),
        (lambda d: d["laws"].update(BAD={"name": "x"}), "laws.BAD.in_force"),
        (lambda d: d.update(rules="x"), "root.rules"),
        (lambda d: d["rules"].append("x"), "rules[3]"),
        (lambda d: d["rules"].append(dict(d["rules"][0])), "rules[3].code"),
        (lambda d: d["rules"][0].update(trigger="nope"), "rules[0].trigger"),
        (lambda d: d["rules"][0].update(versions=[]), "rules[0].versions"),
        (lambda d: d["rules"][0].update(versions=["x"]), "rules[0].versions[0]"),
        (lambda d: d["rules"][0].update(direction="sideways"), "rules[0].direction"),
        (lambda d: d["rules"][0]["versions"][0].update(amount=0), "rules[0].versions[0].amount"),
        (lambda d: d["rules"][0]["versions"][0].update(amount="3"), "rules[0].versions[0].amount"),
        (lambda d: d["rules"][0]["versions"][0].update(amount=True), "rules[0].versions[0].amount"),
        (lambda d: d["rules"][0]["versions"][0].update(unit="weeks"), "rules[0].versions[0]"),
        (lambda d: d["rules"][0]["versions"][0].update(effective_from=None), "rules[0].versions[0].effective_from"),
        (lambda d: d["rules"][0]["versions"][0].update(effective_from="2021"), "rules[0].versions[0].effective_from"),
        (lambda d: d["rules"][0]["versions"][0].update(effective_to=D(2020, 1, 1)), "rules[0].versions[0].effective_to"),
        (lambda d: d["rules"][0]["versions"][0].update(law="NOPE"), "rules[0]"),
        (lambda d: d["rules"][2]["versions"][0].update(effective_to=None), "rules[2].versions"),
        (lambda d: d["rules"][2]["versions"][1].update(effective_from=D(2025, 6, 1)), "rules[2].versions"),
        (lambda d: d["rules"].pop(0), "rules"),  # derived rule without its base
    ],
)
def test_rule_data_is_validated(mutate: object, field_part: str) -> None:
    data = _raw_ruleset()
    mutate(data)  # type: ignore[operator]
    with pytest.raises(LawError) as info:
        RuleSet.from_data(data)
    assert info.value.field is not None and info.value.field.startswith(field_part)
    assert info.value.code == "rule_data_invalid"


def test_rule_data_must_be_a_mapping() -> None:
    with pytest.raises(LawError):
        RuleSet.from_data(["x"])


def _raw_ruleset() -> dict[str, object]:
    import copy

    rs = _ruleset()
    data: dict[str, object] = {
        "laws": {code: {"name": law.name, "in_force": law.in_force} for code, law in rs.laws.items()},
        "events": dict(rs.events),
        "rules": [
            {
                "code": r.code, "name": r.name, "trigger": r.trigger, "direction": r.direction.value,
                "versions": [
                    {
                        "amount": v.amount, "unit": v.unit.value, "law": v.law, "article": v.article,
                        "status": v.status.value, "effective_from": v.effective_from,
                        "effective_to": v.effective_to, "after_expiry": v.after_expiry.value,
                    }
                    for v in r.versions
                ],
            }
            for r in rs.rules.values()
        ],
    }  # fmt: skip
    return copy.deepcopy(data)


def test_result_is_immutable(official: WorkCalendar) -> None:
    result: DeadlineResult = evaluate("payment", D(2026, 3, 6), calendar=official)
    with pytest.raises(AttributeError):
        result.date = D(2026, 3, 24)  # type: ignore[misc]
