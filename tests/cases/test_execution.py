"""Execution of penalty decisions (issue 9 item 7) on a frozen clock in the loaded 2026 calendar:
surcharge to the cap, paused during reconsideration, deferral/instalments approved by the head and
not by the requester, demand, reminder → 10 working days → court application, the offers of
安全生产法 §112/§113, and the documents' texts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from anjian.cases import execution, services
from anjian.cases.models import CaseDeadline, CaseStep
from anjian.cases.models_execution import CaseExecution, Instalment
from anjian.core.errors import DomainError, PermissionRefused, ValidationFailed
from anjian.documents.rendering import document_text
from anjian.law import deadlines as law_deadlines
from anjian.legal import lawcal
from tests.cases.conftest import at, noticed_case

D = dt.date
FINE = Decimal("20000.00")


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return settings


def served_case(w: Any, ent: Any, clock: Any, amount: Decimal = FINE, **kw: Any) -> Any:
    """Notice served 2026-03-02, decided and served 2026-03-06: payment due 2026-03-23 (3/21 is a Saturday)."""
    c = noticed_case(w, ent, amount, **kw)
    at(clock, D(2026, 3, 6))
    c = services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    services.decision_served(actor=w.user("officer_a"), case=c, method="direct", event_date=D(2026, 3, 6), recipient="李四")
    c.refresh_from_db()
    return c


def _actions(c: Any) -> list[str]:
    return list(CaseStep.objects.filter(case=c).order_by("on", "at", "id").values_list("action", flat=True))


def test_payment_deadline_and_no_surcharge_before_it(cases_world, ent_a, clock, media):
    c = served_case(cases_world, ent_a, clock)
    pay = CaseDeadline.objects.get(case=c, code="payment", active=True)
    assert pay.due == D(2026, 3, 23) and "第六十七条" in pay.article
    assert execution.amount_due(c, D(2026, 3, 23)).surcharge == 0
    assert services.amount_due(c, D(2026, 3, 24)) == (FINE, Decimal("600.00"))  # 3 % of ¥20,000 a day


def test_late_payment_reaches_the_cap(cases_world, ent_a, clock, media):
    w = cases_world
    c = served_case(w, ent_a, clock)
    # 33 counted days: 33 × ¥600 = ¥19,800; the 34th adds only ¥200 and nothing accrues after it.
    assert execution.amount_due(c, D(2026, 3, 23) + dt.timedelta(days=33)).surcharge == Decimal("19800.00")
    capped = execution.amount_due(c, D(2026, 3, 23) + dt.timedelta(days=34))
    assert capped.surcharge == FINE and capped.parts[0].capped
    at(clock, D(2026, 7, 1))
    due = execution.amount_due(c, D(2026, 7, 1))
    assert due.total == 2 * FINE  # the cap: surcharge never exceeds the fine (行政处罚法 §72)
    with pytest.raises(ValidationFailed):
        execution.payment_record(actor=w.user("officer_a"), case=c, paid_on=D(2026, 7, 1), amount=FINE, receipt_no="R-1")
    with pytest.raises(ValidationFailed):
        execution.payment_record(actor=w.user("officer_a"), case=c, paid_on=D(2026, 7, 1), amount="40000.001", receipt_no="R-1")
    p = execution.payment_record(actor=w.user("officer_a"), case=c, paid_on=D(2026, 7, 1), amount=2 * FINE, receipt_no="R-1")
    c.refresh_from_db()
    assert c.status == "executed" and p.surcharge == FINE and p.fine == FINE
    assert c.steps.get(action="case.payment").deadline_met is False


def test_surcharge_schedule_per_day_to_the_cap(cases_world, ent_a, clock, media):
    c = served_case(cases_world, ent_a, clock)
    (part,) = execution.surcharge_schedule(c, D(2026, 3, 10))
    assert part["daily"] == Decimal("600.00") and part["cap"] == FINE
    assert part["days"][0]["date"] == D(2026, 3, 24) and part["days"][-1]["cumulative"] == FINE
    assert part["cap_reached_on"] == D(2026, 3, 23) + dt.timedelta(days=34)


def test_surcharge_paused_during_reconsideration(cases_world, ent_a, clock, media):
    w = cases_world
    c = served_case(w, ent_a, clock)
    at(clock, D(2026, 3, 25))
    r = execution.remedy_record(actor=w.user("officer_a"), case=c, kind="reconsideration", filed_on=D(2026, 3, 25))
    assert r.body == "烟台市芝罘区人民政府"  # the agency's review body (Agency.review_body)
    at(clock, D(2026, 4, 1))
    assert execution.amount_due(c, D(2026, 4, 1)).surcharge == Decimal("600.00")  # only 3/24; paused from 3/25
    with pytest.raises(ValidationFailed):  # the outcome cannot be served before the filing
        execution.remedy_outcome(actor=w.user("officer_a"), remedy=r, outcome="upheld", outcome_on=D(2026, 3, 20))
    at(clock, D(2026, 4, 12))
    execution.remedy_outcome(actor=w.user("officer_a"), remedy=r, outcome="upheld", outcome_on=D(2026, 4, 10))
    # counted: 3/24, 4/11, 4/12 — the pause 3/25–4/10 (filing to service of the decision) is skipped
    assert execution.amount_due(c, D(2026, 4, 12)).surcharge == Decimal("1800.00")
    later = CaseDeadline.objects.get(case=c, code="lawsuit_after_reconsideration", active=True)
    assert later.trigger_date == D(2026, 4, 10) and "第四十五条" in later.article
    assert "case.remedy_filed" in _actions(c) and "case.remedy_outcome" in _actions(c)


def test_revoked_decision_ends_execution_and_flags_publication(cases_world, ent_a, clock, media):
    w = cases_world
    c = served_case(w, ent_a, clock)
    at(clock, D(2026, 4, 20))
    r = execution.remedy_record(actor=w.user("officer_a"), case=c, kind="lawsuit", filed_on=D(2026, 4, 1), body="烟台市芝罘区人民法院", reference="（2026）鲁0602行初1号")
    execution.remedy_outcome(actor=w.user("officer_a"), remedy=r, outcome="revoked", outcome_on=D(2026, 4, 20))
    c.refresh_from_db()
    ex = CaseExecution.objects.get(case=c)
    assert c.status == "revoked" and ex.revoked_on == D(2026, 4, 20) and ex.change_kind == "revoked"
    withdrawal = CaseDeadline.objects.get(case=c, code="publication_withdrawal", active=True)
    assert withdrawal.trigger_date == D(2026, 4, 20) and withdrawal.met_on is None
    # The publication queue shows the change and the withdrawal due date (行政处罚法第四十八条第二款).
    from anjian.cases.models_publication import Publication
    from anjian.cases.publication import publications_to_withdraw

    p = Publication.objects.get(case=c)
    assert p.decision_changed_on == D(2026, 4, 20) and p.withdrawal_due_on == withdrawal.due and "撤销" in p.withdrawal_reason
    assert list(publications_to_withdraw(user=w.user("depthead_a"))) == [p]
    assert execution.amount_due(c, D(2026, 4, 20)).total == 0
    at(clock, D(2026, 4, 21))
    services.case_close(actor=w.user("depthead_a"), case=c, closed_on=D(2026, 4, 21))
    c.refresh_from_db()
    assert c.status == "closed"


def test_varied_fine(cases_world, ent_a, clock, media):
    w = cases_world
    c = served_case(w, ent_a, clock)
    at(clock, D(2026, 3, 20))
    r = execution.remedy_record(actor=w.user("officer_a"), case=c, kind="reconsideration", filed_on=D(2026, 3, 10))
    with pytest.raises(ValidationFailed):
        execution.remedy_outcome(actor=w.user("officer_a"), remedy=r, outcome="varied", outcome_on=D(2026, 3, 20), varied_fine="15000.005")
    execution.remedy_outcome(actor=w.user("officer_a"), remedy=r, outcome="varied", outcome_on=D(2026, 3, 20), varied_fine="15000.00")
    c.refresh_from_db()
    assert c.fine_total == Decimal("15000.00") and c.status == "served"
    assert CaseDeadline.objects.filter(case=c, code="publication_withdrawal", active=True).exists()


def test_instalments_approved_by_another_person_and_self_approval_refused(cases_world, ent_a, clock, media):
    from anjian.org.models import AgencyHead

    w = cases_world
    c = served_case(w, ent_a, clock)
    AgencyHead.objects.create(agency=w.agency_a, staff=w.user("depthead_a").staff, kind="head", valid_from=D(2020, 1, 1))
    at(clock, D(2026, 3, 10))
    parts = [{"due": D(2026, 4, 10), "amount": "10000.00"}, {"due": D(2026, 5, 10), "amount": "10000.00"}]
    with pytest.raises(ValidationFailed) as exc:  # the parts must sum exactly to the fine
        execution.deferral_request(actor=w.user("depthead_a"), case=c, kind="instalments", requested_on=D(2026, 3, 10), reason="经营困难", instalments=[parts[0], {**parts[1], "amount": "9999.99"}])
    assert exc.value.code == "instalments_sum"
    with pytest.raises(ValidationFailed):  # more than two decimals
        execution.deferral_request(actor=w.user("depthead_a"), case=c, kind="instalments", requested_on=D(2026, 3, 10), reason="经营困难", instalments=[parts[0], {**parts[1], "amount": "10000.001"}])
    with pytest.raises(ValidationFailed):  # no hardship stated (§66)
        execution.deferral_request(actor=w.user("depthead_a"), case=c, kind="instalments", requested_on=D(2026, 3, 10), reason=" ", instalments=parts)
    with pytest.raises(ValidationFailed):  # a date before the decision was served
        execution.deferral_request(actor=w.user("depthead_a"), case=c, kind="instalments", requested_on=D(2026, 3, 1), reason="经营困难", instalments=parts)
    plan = execution.deferral_request(actor=w.user("depthead_a"), case=c, kind="instalments", requested_on=D(2026, 3, 10), reason="经营困难，现金流紧张", instalments=parts)
    with pytest.raises(PermissionRefused) as refused:
        execution.deferral_decide(actor=w.user("depthead_a"), plan=plan, approved=True, decided_on=D(2026, 3, 10))
    assert refused.value.code == "self_approval"
    with pytest.raises(PermissionRefused):  # an officer is not the agency head
        execution.deferral_decide(actor=w.user("officer_a"), plan=plan, approved=True, decided_on=D(2026, 3, 10))
    plan = execution.deferral_decide(actor=w.user("leader_a"), plan=plan, approved=True, decided_on=D(2026, 3, 10))
    assert plan.status == "approved" and plan.document is not None and plan.document.kind == "deferral_approval"
    text = document_text(plan.document.file.read())
    assert "2026年4月10日" in text and "2026年5月10日" in text and "壹万元整" in text and "贰万元整" in text and "分期缴纳" in text
    # The schedule is kept: nothing accrues after the statutory deadline (3/23) on the parts not yet due.
    at(clock, D(2026, 4, 10))
    assert execution.amount_due(c, D(2026, 4, 10)).surcharge == 0
    execution.payment_record(actor=w.user("officer_a"), case=c, paid_on=D(2026, 4, 10), amount="10000.00", receipt_no="P-1")
    c.refresh_from_db()
    assert c.status == "served"
    # The second part is paid two days late: 3 % of ¥10,000 for 5/11 and 5/12.
    at(clock, D(2026, 5, 12))
    due = execution.amount_due(c, D(2026, 5, 12))
    assert (due.fine, due.surcharge) == (Decimal("10000.00"), Decimal("600.00"))
    with pytest.raises(ValidationFailed):
        execution.payment_record(actor=w.user("officer_a"), case=c, paid_on=D(2026, 5, 12), amount="10000.00", receipt_no="P-2")
    execution.payment_record(actor=w.user("officer_a"), case=c, paid_on=D(2026, 5, 12), amount="10600.00", receipt_no="P-2")
    c.refresh_from_db()
    assert c.status == "executed" and not Instalment.objects.filter(plan=plan, payment__isnull=True).exists()
    assert _actions(c)[-4:] == ["case.deferral_request", "case.deferral_decide", "case.instalment_paid", "case.instalment_paid"]
    assert c.steps.get(action="case.deferral_decide").document_id == plan.document_id


def test_deferral_after_the_deadline_and_refusal(cases_world, ent_a, clock, media):
    w = cases_world
    c = served_case(w, ent_a, clock)
    at(clock, D(2026, 3, 25))
    with pytest.raises(DomainError) as exc:
        execution.deferral_request(actor=w.user("officer_a"), case=c, kind="deferral", requested_on=D(2026, 3, 25), reason="困难", instalments=[{"due": D(2026, 6, 1), "amount": FINE}])
    assert exc.value.code == "plan_after_deadline"
    with pytest.raises(ValidationFailed):  # a deferral has one date
        execution.deferral_request(actor=w.user("officer_a"), case=c, kind="deferral", requested_on=D(2026, 3, 20), reason="困难", instalments=[{"due": D(2026, 5, 1), "amount": "10000.00"}, {"due": D(2026, 6, 1), "amount": "10000.00"}])
    plan = execution.deferral_request(actor=w.user("officer_a"), case=c, kind="deferral", requested_on=D(2026, 3, 20), reason="困难", instalments=[{"due": D(2026, 6, 1), "amount": FINE}])
    plan = execution.deferral_decide(actor=w.user("leader_a"), plan=plan, approved=False, decided_on=D(2026, 3, 25), note="不符合经济困难的条件")
    assert plan.status == "refused" and plan.document is None
    assert execution.amount_due(c, D(2026, 3, 25)).surcharge == Decimal("1200.00")  # the refused plan changes nothing


def test_demand_reminder_ten_working_days_and_court_application(cases_world, ent_a, clock, media):
    w = cases_world
    c = served_case(w, ent_a, clock)
    at(clock, D(2026, 3, 23))
    with pytest.raises(DomainError) as exc:
        execution.demand_issue(actor=w.user("officer_a"), case=c, issued_on=D(2026, 3, 23))
    assert exc.value.code == "not_overdue"
    at(clock, D(2026, 3, 30))
    demand = execution.demand_issue(actor=w.user("officer_a"), case=c, issued_on=D(2026, 3, 30))
    text = document_text(demand.file.read())
    assert "罚款催缴通知书" in text and "2万元" in text and "贰万元整" in text and "4200元" in text  # 7 days × ¥600
    assert "2026年3月23日" in text and "2.42万元" in text and "贰万肆仟贰佰元整" in text
    # The reminder only once the lawsuit period (6 months from 3/6 → 9/6, a Sunday → 9/7) has lapsed.
    at(clock, D(2026, 9, 7))
    with pytest.raises(DomainError) as exc:
        execution.reminder_issue(actor=w.user("officer_a"), case=c, issued_on=D(2026, 9, 7))
    assert exc.value.code == "remedy_window_open"
    at(clock, D(2026, 9, 8))
    reminder = execution.reminder_issue(actor=w.user("officer_a"), case=c, issued_on=D(2026, 9, 8))
    text = document_text(reminder.file.read())
    assert "履行行政决定催告书" in text and "陈述权和申辩权" in text and "4万元" in text and "肆万元整" in text and "2026年3月6日" in text
    window = CaseDeadline.objects.get(case=c, code="court_enforcement_application", active=True)
    assert window.trigger_date == D(2026, 9, 7) and window.due == D(2026, 12, 7) and "第五十三条" in window.article
    with pytest.raises(DomainError) as exc:  # not before the reminder is served
        execution.enforcement_apply(actor=w.user("leader_a"), case=c, applied_on=D(2026, 9, 8))
    assert exc.value.code == "reminder_not_served"
    wait = execution.reminder_served(actor=w.user("officer_a"), case=c, method="direct", event_date=D(2026, 9, 8), recipient="李四")
    expected = law_deadlines.evaluate("enforcement_reminder_wait", D(2026, 9, 8), calendar=lawcal.work_calendar())
    # 10 working days (行政强制法 §54, §69); Sunday 9/20 is a make-up working day before National Day.
    assert wait.due == expected.date == D(2026, 9, 21)
    assert wait.calendar_version and "第五十四条" in wait.article and not wait.provisional
    at(clock, D(2026, 9, 21))
    with pytest.raises(DomainError) as exc:
        execution.enforcement_apply(actor=w.user("leader_a"), case=c, applied_on=D(2026, 9, 21))
    assert exc.value.code == "reminder_wait_open"
    at(clock, D(2026, 9, 22))
    with pytest.raises(PermissionRefused):  # signed by the agency head (行政强制法 §55)
        execution.enforcement_apply(actor=w.user("depthead_a"), case=c, applied_on=D(2026, 9, 22))
    app = execution.enforcement_apply(actor=w.user("leader_a"), case=c, applied_on=D(2026, 9, 22))
    text = document_text(app.file.read())
    court = w.agency_a.court
    assert app.context["court"] == court and court in text and "烟台市芝罘区应急管理局" in text
    assert reminder.number in text and "肆万元整" in text and "2026年9月8日" in text
    c.refresh_from_db()
    assert c.status == "enforcement" and CaseExecution.objects.get(case=c).court == court
    assert _actions(c)[-4:] == ["case.fine_demand", "case.reminder", "case.reminder_served", "case.enforcement_apply"]
    assert c.steps.get(action="case.enforcement_apply").document_id == app.pk
    services.case_close(actor=w.user("depthead_a"), case=c, closed_on=D(2026, 9, 22))
    c.refresh_from_db()
    assert c.status == "closed"


def test_court_window_passed(cases_world, ent_a, clock, media):
    w = cases_world
    c = served_case(w, ent_a, clock)
    at(clock, D(2026, 12, 8))  # three months after 9/7 ended on 12/7
    with pytest.raises(DomainError) as exc:
        execution.reminder_issue(actor=w.user("officer_a"), case=c, issued_on=D(2026, 12, 8))
    assert exc.value.code == "court_window_passed"


def test_pending_remedy_blocks_the_reminder(cases_world, ent_a, clock, media):
    w = cases_world
    c = served_case(w, ent_a, clock)
    at(clock, D(2026, 9, 8))
    execution.remedy_record(actor=w.user("officer_a"), case=c, kind="reconsideration", filed_on=D(2026, 5, 1))
    with pytest.raises(DomainError) as exc:
        execution.reminder_issue(actor=w.user("officer_a"), case=c, issued_on=D(2026, 9, 8))
    assert exc.value.code == "remedy_pending"


def test_daily_penalty_and_closure_offers(cases_world, ent_a, clock, media):
    w = cases_world
    c = served_case(w, ent_a, clock)
    o = execution.offers(c, D(2026, 3, 10)).explain()
    assert o["daily_penalty"]["offered"] is False and "未被责令改正" in o["daily_penalty"]["missing"]
    assert o["closure_request"]["offered"] is False
    with pytest.raises(DomainError):
        execution.daily_penalty_open(actor=w.user("officer_a"), case=c, on=D(2026, 3, 10))
    with pytest.raises(DomainError):
        execution.closure_request_record(actor=w.user("depthead_a"), case=c, on=D(2026, 3, 10), note="芝应急〔2026〕1号")


def test_daily_penalty_and_closure_offered_and_taken_up(cases_world, inspection, clock, media):
    from anjian.cases.models import Case
    from anjian.hazards import services as hazard_services
    from anjian.hazards.models import Hazard

    w = cases_world
    ent = inspection.enterprise
    h = hazard_services.hazard_create(actor=w.user("officer_a"), enterprise=ent, source="inspection", inspection=inspection,
                                      description="储罐区可燃气体报警装置失效", location="储罐区", severity="general", found_on=inspection.inspected_on, period_days=5)  # fmt: skip
    cases = [served_case(w, ent, clock, act_date=D(2026, 2, day)) for day in (20, 21, 22)]
    c = cases[0]
    Hazard.objects.filter(pk=h.pk).update(status="rectifying", severity="major", served_on=D(2026, 2, 10), deadline=D(2026, 2, 15))
    Case.objects.filter(pk=c.pk).update(hazard=h)
    c.refresh_from_db()
    at(clock, D(2026, 3, 20))
    o = execution.offers(c, D(2026, 3, 20)).explain()
    # 安全生产法 §112: ordered to correct (2/10), fined, still not corrected after the deadline
    assert o["daily_penalty"]["offered"] is True and o["daily_penalty"]["start_date"] == D(2026, 2, 11) and o["daily_penalty"]["daily_amount"] == FINE
    # §113 (1): a major hazard and three penalties within 180 days
    assert o["closure_request"]["offered"] is True and "一百八十日内三次" in o["closure_request"]["reasons"][0]
    new = execution.daily_penalty_open(actor=w.user("officer_a"), case=c, on=D(2026, 3, 20))
    assert new.status == "draft" and new.enterprise_id == ent.pk and "第一百一十二条" in new.source_reason
    with pytest.raises(DomainError):  # taken up once
        execution.daily_penalty_open(actor=w.user("officer_a"), case=c, on=D(2026, 3, 20))
    with pytest.raises(ValidationFailed):
        execution.closure_request_record(actor=w.user("depthead_a"), case=c, on=D(2026, 3, 20), note="")
    execution.closure_request_record(actor=w.user("depthead_a"), case=c, on=D(2026, 3, 20), note="芝应急〔2026〕9号，报烟台市芝罘区人民政府")
    o = execution.offers(c, D(2026, 3, 20)).explain()
    assert o["daily_penalty"]["offered"] is False and o["daily_penalty"]["taken_case"] == new.pk
    assert o["closure_request"]["offered"] is False and o["closure_request"]["requested_on"] == D(2026, 3, 20)
    assert _actions(c)[-2:] == ["case.daily_penalty", "case.closure_request"]
