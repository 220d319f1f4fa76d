"""The journeys of issue 9 on a frozen clock, through the services the API and the pages call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from anjian.cases import services
from anjian.cases.models import Case, CaseDeadline
from anjian.core.errors import DomainError, PermissionRefused, ValidationFailed
from anjian.core.models import AuditEvent
from tests.cases.conftest import START, at, filed_case, noticed_case, open_case, scan
from tests.inspections.conftest import officers

D = dt.date


def test_filing_to_closing_with_payment_on_time(cases_world, ent_a, clock):
    w = cases_world
    c = open_case(w, ent_a)
    assert c.status == "draft"
    with pytest.raises(PermissionRefused) as exc:  # the applicant does not approve his own filing
        services.case_file(actor=w.user("officer_a"), case=c, filed_on=START.date())
    assert exc.value.code in ("self_approval", "role_refused")
    services.case_file(actor=w.user("depthead_a"), case=c, filed_on=START.date())
    c.refresh_from_db()
    assert c.status == "filed" and c.repeat_dates == []
    limit = CaseDeadline.objects.get(case=c, code="decision_deadline", active=True)
    assert limit.due >= D(2026, 5, 31) and "第六十条" in limit.article and not limit.provisional
    assert c.next_due == limit.due  # the board's sort key follows the next legal step
    services.case_assign_officers(actor=w.user("officer_a"), case=c, staff_ids=officers(w))
    v = c.violations.get()
    services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal("20000.00"), "reasons": "逾期未消除，情节一般"}])
    v.refresh_from_db()
    assert v.band == "ordinary" and v.range_max == Decimal("50000.00")
    n = services.notice_issue(actor=w.user("officer_a"), case=c, issued_on=START.date())
    assert not n.hearing_offered and n.fine_total == Decimal("20000.00")
    services.notice_served(actor=w.user("officer_a"), case=c, method="direct", event_date=START.date(), recipient="李四")
    defence = CaseDeadline.objects.get(case=c, code="defence_statement", active=True)
    assert defence.due == D(2026, 3, 5) and not defence.unverified and not defence.provisional  # 3 working days after 3/2
    at(clock, D(2026, 3, 6))
    c = services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    assert c.status == "decided" and c.fine_total == Decimal("20000.00")
    services.decision_served(actor=w.user("officer_a"), case=c, method="direct", event_date=D(2026, 3, 6), recipient="李四")
    pay = CaseDeadline.objects.get(case=c, code="payment", active=True)
    assert pay.due == D(2026, 3, 23)  # 15 days → Saturday 3/21 rolls to Monday
    assert Case.objects.get(pk=c.pk).next_due == pay.due
    at(clock, D(2026, 3, 10))
    with pytest.raises(ValidationFailed):
        services.payment_record(actor=w.user("officer_a"), case=c, paid_on=D(2026, 3, 10), amount=Decimal("20000.001"), receipt_no="R1")
    services.payment_record(actor=w.user("officer_a"), case=c, paid_on=D(2026, 3, 10), amount=Decimal("20000.00"), receipt_no="3706020001")
    with pytest.raises(PermissionRefused):
        services.case_close(actor=w.user("officer_a"), case=c, closed_on=D(2026, 3, 10))
    c = services.case_close(actor=w.user("depthead_a"), case=c, closed_on=D(2026, 3, 10))
    assert c.status == "closed" and c.next_due is None
    steps = list(c.steps.values_list("action", flat=True))
    assert steps == ["case.open", "case.violation", "case.file", "case.officers", "case.propose", "case.notice", "case.notice_served", "case.decide", "case.decision_served", "case.payment", "case.close"]
    assert c.steps.get(action="case.payment").deadline_met is True
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(c.pk), action="case.decide").exists()


def test_filing_refuses_the_applicant_as_approver(cases_world, ent_a):
    w = cases_world
    c = services.case_open(actor=w.user("depthead_a"), source="other", source_reason="举报", enterprise=ent_a, title="案", facts="事实", discovered_on=D(2026, 2, 25))
    services.case_violation_add(actor=w.user("depthead_a"), case=c, violation_id="P12", act_date=D(2026, 2, 20))
    with pytest.raises(PermissionRefused) as exc:
        services.case_file(actor=w.user("depthead_a"), case=c, filed_on=START.date())
    assert exc.value.code == "self_approval"
    services.case_file(actor=w.user("leader_a"), case=c, filed_on=START.date())


def test_filing_refuses_an_act_past_the_limitation(cases_world, ent_a):
    w = cases_world
    c = open_case(w, ent_a, act_date=D(2023, 12, 1), discovered_on=D(2026, 2, 25))
    with pytest.raises(DomainError) as exc:
        services.case_file(actor=w.user("depthead_a"), case=c, filed_on=START.date())
    assert exc.value.code == "limitation_expired" and "第三十六条" in exc.value.article
    assert Case.objects.get(pk=c.pk).status == "draft"


def test_filing_refuses_the_same_act_in_a_second_case(cases_world, ent_a):
    w = cases_world
    filed_case(w, ent_a)
    c2 = open_case(w, ent_a)
    with pytest.raises(DomainError) as exc:
        services.case_file(actor=w.user("depthead_a"), case=c2, filed_on=START.date())
    assert exc.value.code == "same_act_other_case" and "第二十九条" in exc.value.article


def test_filing_shows_earlier_decided_cases_as_repeat_offences(cases_world, ent_a, clock):
    w = cases_world
    first = noticed_case(w, ent_a)
    at(clock, D(2026, 3, 6))
    services.decision_make(actor=w.user("leader_a"), case=first, decided_on=D(2026, 3, 6))
    second = open_case(w, ent_a, act_date=D(2026, 3, 5), discovered_on=D(2026, 3, 6))
    services.case_file(actor=w.user("depthead_a"), case=second, filed_on=D(2026, 3, 6))
    second.refresh_from_db()
    assert second.repeat_dates == []  # decided the same day: not an earlier record
    at(clock, D(2026, 3, 9))
    third = open_case(w, ent_a, act_date=D(2026, 3, 7), discovered_on=D(2026, 3, 9))
    services.case_file(actor=w.user("depthead_a"), case=third, filed_on=D(2026, 3, 9))
    third.refresh_from_db()
    assert third.repeat_dates == ["2026-03-06"]
    assert "三年内有同类违法记录" in third.steps.get(action="case.file").summary


def test_refused_early_decision(cases_world, ent_a, clock):
    w = cases_world
    c = noticed_case(w, ent_a)
    at(clock, D(2026, 3, 5))  # the last day of the defence window
    with pytest.raises(DomainError) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 5))
    assert exc.value.code == "defence_window_open" and "第六十二条" in exc.value.article
    c.refresh_from_db()
    assert c.status == "notice_served" and c.decided_on is None
    assert not c.steps.filter(action="case.decide").exists()


def test_decision_refused_before_the_notice_is_served(cases_world, ent_a, clock):
    w = cases_world
    c = filed_case(w, ent_a)
    services.notice_issue(actor=w.user("officer_a"), case=c, issued_on=START.date())
    at(clock, D(2026, 4, 1))
    with pytest.raises(DomainError) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 4, 1))
    assert exc.value.code == "bad_state"


def test_only_the_agency_head_decides_and_not_the_proposer(cases_world, ent_a, clock):
    w = cases_world
    c = noticed_case(w, ent_a)
    at(clock, D(2026, 3, 9))
    with pytest.raises(PermissionRefused):
        services.decision_make(actor=w.user("depthead_a"), case=c, decided_on=D(2026, 3, 9))
    with pytest.raises(PermissionRefused) as exc:
        services.decision_make(actor=w.user("leader_city"), case=c, decided_on=D(2026, 3, 9))
    assert exc.value.code in ("not_owner", "role_refused")


def test_written_waiver_allows_an_early_decision(cases_world, ent_a, clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = cases_world
    c = noticed_case(w, ent_a)
    at(clock, D(2026, 3, 3))
    with pytest.raises(ValidationFailed):  # a "scan" that is not an image or a PDF
        services.waiver_record(actor=w.user("officer_a"), case=c, signed_on=D(2026, 3, 3), signer="李四", fh=__import__("io").BytesIO(b"not a scan at all"), name="x.png")
    with pytest.raises(ValidationFailed):
        services.waiver_record(actor=w.user("officer_a"), case=c, signed_on=D(2026, 3, 3), signer="李四", fh=None, name="")  # type: ignore[arg-type]
    wv = services.waiver_record(actor=w.user("officer_a"), case=c, signed_on=D(2026, 3, 3), signer="李四", fh=scan(), name="放弃声明.png")
    assert len(wv.sha256) == 64 and wv.content_type == "image/png"
    c = services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 3))
    assert c.status == "decided"


def test_refused_increase_after_the_defence(cases_world, ent_a, clock):
    w = cases_world
    c = noticed_case(w, ent_a)
    v = c.violations.get()
    at(clock, D(2026, 3, 4))
    st = services.defence_record(actor=w.user("officer_a"), case=c, received_on=D(2026, 3, 4), kind="defence", form="written", content="已着手整改，请求从轻")
    with pytest.raises(DomainError) as exc:
        services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal("25000.00"), "reasons": "态度不好"}])
    assert exc.value.code == "increase_after_defence" and "第四十五条" in exc.value.article
    v.refresh_from_db()
    assert v.proposed_amount == Decimal("20000.00")
    services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal("15000.00"), "reasons": "采纳申辩意见，从轻"}])
    at(clock, D(2026, 3, 6))
    with pytest.raises(DomainError) as exc:  # the defence must be reviewed first (§45 ¶1)
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    assert exc.value.code == "defence_not_reviewed"
    services.defence_review(actor=w.user("officer_a"), statement=st, review="当事人已着手整改，采纳，从轻处罚")
    c = services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    assert c.fine_total == Decimal("15000.00")


def test_amount_outside_the_range_and_below_it_without_a_ground(cases_world, ent_a):
    w = cases_world
    c = filed_case(w, ent_a, amount=None)
    v = c.violations.get()
    with pytest.raises(ValidationFailed) as exc:
        services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal("50000.01"), "reasons": "r"}])
    assert exc.value.code == "amount_out_of_range"
    with pytest.raises(ValidationFailed):
        services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": "1000.005", "reasons": "r"}])


def test_below_the_minimum_needs_a_ground_and_a_collective_discussion(cases_world, ent_a, clock):
    w = cases_world
    c = filed_case(w, ent_a, amount=None, violation="P21")  # 安全生产法 §109: 5万–10万
    v = c.violations.get()
    with pytest.raises(ValidationFailed) as exc:
        services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal("30000.00"), "reasons": "r"}])
    assert "第三十二条" in exc.value.article
    services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal("30000.00"), "reasons": "主动消除危害后果", "mitigation_ground": "eliminated_harm"}])
    services.notice_issue(actor=w.user("officer_a"), case=c, issued_on=START.date())
    services.notice_served(actor=w.user("officer_a"), case=c, method="direct", event_date=START.date(), recipient="李四")
    at(clock, D(2026, 3, 6))
    with pytest.raises(DomainError) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    assert exc.value.code in ("amount_out_of_range", "collective_missing")
    services.collective_discussion_record(actor=w.user("leader_a"), case=c, held_on=D(2026, 3, 6), attendee_ids=[w.user("leader_a").staff.pk, w.user("depthead_a").staff.pk],
                                          conclusion="同意减轻处罚", approves_mitigation=True)
    c = services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    assert c.fine_total == Decimal("30000.00")


def test_one_act_one_fine(cases_world, ent_a):
    w = cases_world
    c = open_case(w, ent_a, violation="P12")
    services.case_violation_add(actor=w.user("officer_a"), case=c, violation_id="P14", act_date=D(2026, 2, 20), act_group=1)
    services.case_file(actor=w.user("depthead_a"), case=c, filed_on=START.date())
    a, b = list(c.violations.order_by("id"))
    with pytest.raises(ValidationFailed) as exc:
        services.case_propose(actor=w.user("officer_a"), case=c, items=[
            {"violation": a.pk, "amount": Decimal("10000.00"), "reasons": "r"}, {"violation": b.pk, "amount": Decimal("10000.00"), "reasons": "r"},
        ])
    assert exc.value.code == "one_act_one_fine" and "第二十九条" in exc.value.article


def test_two_officer_rule(cases_world, ent_a):
    w = cases_world
    c = open_case(w, ent_a)
    services.case_file(actor=w.user("depthead_a"), case=c, filed_on=START.date())
    with pytest.raises(ValidationFailed) as exc:
        services.case_assign_officers(actor=w.user("officer_a"), case=c, staff_ids=officers(w, "officer_a"))
    assert exc.value.code == "officers_too_few"
    with pytest.raises(ValidationFailed) as exc:
        services.case_assign_officers(actor=w.user("officer_a"), case=c, staff_ids=officers(w, "officer_a", "expert_a"))
    assert exc.value.code == "officers_invalid"
    v = c.violations.get()
    services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal("20000.00"), "reasons": "r"}])
    with pytest.raises(DomainError) as exc:
        services.notice_issue(actor=w.user("officer_a"), case=c, issued_on=START.date())
    assert exc.value.code == "officers_too_few" and "第四十二条" in exc.value.article
    rows = services.case_assign_officers(actor=w.user("officer_a"), case=c, staff_ids=officers(w))
    assert [r.valid for r in rows] == [True, True] and all(r.certificate_number for r in rows)


def test_certificate_suspended_on_the_notice_day_blocks_the_notice(cases_world, ent_a):
    from anjian.org.models import CertificateEvent

    w = cases_world
    c = filed_case(w, ent_a)
    cert = w.user("officer_a2").staff.certificates.get()
    CertificateEvent.objects.create(certificate=cert, kind="suspended", date=START.date())
    with pytest.raises(ValidationFailed) as exc:
        services.notice_issue(actor=w.user("officer_a"), case=c, issued_on=START.date())
    assert exc.value.code == "officers_invalid"


def test_with_a_hearing_and_the_legal_review_gate(cases_world, ent_a, clock):
    w = cases_world
    c = filed_case(w, ent_a, amount=Decimal("60000.00"), violation="P21")
    n = services.notice_issue(actor=w.user("officer_a"), case=c, issued_on=START.date())
    assert n.hearing_offered and "第六十三条" in n.hearing_reasons[0]["article"]
    services.notice_served(actor=w.user("officer_a"), case=c, method="direct", event_date=START.date(), recipient="李四")
    assert CaseDeadline.objects.get(case=c, code="hearing_request", active=True).due == D(2026, 3, 9)
    at(clock, D(2026, 3, 4))
    services.hearing_request(actor=w.user("officer_a"), case=c, requested_on=D(2026, 3, 4))
    at(clock, D(2026, 3, 12))
    chair = w.user("supervisor_a").staff
    with pytest.raises(DomainError) as exc:  # 3/12 is later than 7 working days before 3/20
        services.hearing_notice(actor=w.user("officer_a"), case=c, hearing_date=D(2026, 3, 20), notice_served_on=D(2026, 3, 12), place="局三楼会议室", chair=chair)
    assert exc.value.code == "hearing_notice_late"
    with pytest.raises(DomainError) as exc:
        services.hearing_notice(actor=w.user("officer_a"), case=c, hearing_date=D(2026, 3, 24), notice_served_on=D(2026, 3, 12), place="局三楼会议室", chair=w.user("officer_a").staff)
    assert exc.value.code == "chair_investigator"
    services.hearing_notice(actor=w.user("officer_a"), case=c, hearing_date=D(2026, 3, 24), notice_served_on=D(2026, 3, 12), place="局三楼会议室", chair=chair)
    at(clock, D(2026, 3, 20))
    with pytest.raises(DomainError) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 20))
    assert exc.value.code == "hearing_not_held"
    at(clock, D(2026, 3, 24))
    services.hearing_held(actor=w.user("officer_a"), case=c, held_on=D(2026, 3, 24), outcome="held", summary="当事人到场陈述意见", opinion="事实清楚，建议维持拟处罚意见")
    with pytest.raises(DomainError) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 24))
    assert exc.value.code == "legal_review_missing" and "第五十八条" in exc.value.article
    # the reviewer must hold the role and a legal qualification, and not have handled the case
    with pytest.raises(PermissionRefused):
        services.legal_review_record(actor=w.user("officer_a2"), case=c, reviewed_on=D(2026, 3, 24), passed=True, opinion="同意")
    from anjian.org.models import Staff

    Staff.objects.filter(pk=w.user("legal_a").staff.pk).update(legal_qualification_no="")
    w.user("legal_a").staff.refresh_from_db()
    with pytest.raises(PermissionRefused) as exc:
        services.legal_review_record(actor=w.user("legal_a"), case=c, reviewed_on=D(2026, 3, 24), passed=True, opinion="同意")
    assert exc.value.code == "no_legal_qualification"
    Staff.objects.filter(pk=w.user("legal_a").staff.pk).update(legal_qualification_no="A20203700000001")
    w.user("legal_a").staff.refresh_from_db()
    services.legal_review_record(actor=w.user("legal_a"), case=c, reviewed_on=D(2026, 3, 24), passed=False, opinion="证据不足")
    with pytest.raises(DomainError) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 24))
    assert exc.value.code == "legal_review_missing"
    services.legal_review_record(actor=w.user("legal_a"), case=c, reviewed_on=D(2026, 3, 24), passed=True, opinion="事实清楚，证据确凿，适用依据正确")
    c = services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 24))
    assert c.status == "decided"
    assert c.steps.get(action="case.hearing_notice").deadline_met is True


def test_late_hearing_request_is_refused(cases_world, ent_a, clock):
    w = cases_world
    c = noticed_case(w, ent_a, amount=Decimal("60000.00"), violation="P21")
    at(clock, D(2026, 3, 10))
    with pytest.raises(DomainError) as exc:
        services.hearing_request(actor=w.user("officer_a"), case=c, requested_on=D(2026, 3, 10))
    assert exc.value.code == "hearing_request_late"
    # the hearing window has passed: the decision may follow (no review needed: no hearing held)
    c = services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 10))
    assert c.status == "decided"


def test_hearing_window_blocks_an_early_decision_without_a_waiver_of_the_hearing(cases_world, ent_a, clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = cases_world
    c = noticed_case(w, ent_a, amount=Decimal("60000.00"), violation="P21")
    at(clock, D(2026, 3, 6))  # the defence window has passed, the hearing window (3/9) has not
    with pytest.raises(DomainError) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    assert exc.value.code == "hearing_window_open" and "第六十四条" in exc.value.article
    services.waiver_record(actor=w.user("officer_a"), case=c, signed_on=D(2026, 3, 6), signer="李四", fh=scan(), name="放弃.png", waives_hearing=True)
    assert services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6)).status == "decided"


def test_unverified_defence_window_blocks_the_notice(world, calendar, ent_a):
    """Without the legal department's confirmation, the old 办法's 3 days is an unverified default."""
    from anjian.legal.models import RuleOverride

    RuleOverride.objects.all().delete()
    c = filed_case(world, ent_a)
    with pytest.raises(DomainError) as exc:
        services.notice_issue(actor=world.user("officer_a"), case=c, issued_on=START.date())
    assert exc.value.code == "unverified_default" and "法规科" in exc.value.message
    assert Case.objects.get(pk=c.pk).status == "filed"


def test_a_confirmation_withdrawn_before_the_decision_blocks_it(cases_world, ent_a, clock, defence_confirmed):
    w = cases_world
    c = noticed_case(w, ent_a)
    defence_confirmed.effective_to = D(2026, 3, 1)  # ended: the stored window now rests on nothing
    defence_confirmed.save()
    at(clock, D(2026, 3, 9))
    with pytest.raises(DomainError) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 9))
    assert exc.value.code == "unverified_default"


def test_provisional_year_blocks_relying_on_the_defence_window(cases_world, ent_a, clock):
    """A window ending in a year whose holidays are not loaded is provisional: no decision relies on it."""
    from anjian.legal.models import CalendarYear, WorkCalendarDay

    w = cases_world
    c = noticed_case(w, ent_a)
    # Pretend 2026 was never loaded: recomputation now gives a weekends-only, provisional end.
    WorkCalendarDay.objects.filter(date__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    at(clock, D(2026, 3, 9))
    with pytest.raises(DomainError) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 9))
    assert exc.value.code == "window_provisional"


def test_decision_after_the_time_limit_needs_an_approved_extension(cases_world, ent_a, clock):
    w = cases_world
    c = noticed_case(w, ent_a)
    limit = CaseDeadline.objects.get(case=c, code="decision_deadline", active=True).due
    late = limit + dt.timedelta(days=3)
    at(clock, late)
    with pytest.raises(DomainError) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=late)
    assert exc.value.code == "decision_late" and "第六十条" in exc.value.article
    e = services.extension_request(actor=w.user("officer_a"), case=c, requested_on=late, extend_until=limit + dt.timedelta(days=30), reason="需补充鉴定")
    with pytest.raises(PermissionRefused):
        services.extension_decide(actor=w.user("officer_a"), extension=e, approved=True, decided_on=late)
    services.extension_decide(actor=w.user("leader_a"), extension=e, approved=True, decided_on=late)
    assert services.decision_make(actor=w.user("leader_a"), case=c, decided_on=late).status == "decided"


def test_late_payment_includes_the_surcharge(cases_world, ent_a, clock):
    w = cases_world
    c = noticed_case(w, ent_a, amount=Decimal("10000.00"))
    at(clock, D(2026, 3, 6))
    services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    services.decision_served(actor=w.user("officer_a"), case=c, method="direct", event_date=D(2026, 3, 6), recipient="李四")
    at(clock, D(2026, 3, 26))  # payment due 3/23: 3 days late at 3% of 10,000 a day
    with pytest.raises(ValidationFailed) as exc:
        services.payment_record(actor=w.user("officer_a"), case=c, paid_on=D(2026, 3, 26), amount=Decimal("10000.00"), receipt_no="R-1")
    assert exc.value.code == "amount_mismatch" and "10900.00" in exc.value.message.replace(",", "")
    p = services.payment_record(actor=w.user("officer_a"), case=c, paid_on=D(2026, 3, 26), amount=Decimal("10900.00"), receipt_no="R-1")
    assert p.surcharge == Decimal("900.00")
    assert Case.objects.get(pk=c.pk).steps.get(action="case.payment").deadline_met is False


def test_transfer_accepted_into_a_case(cases_world, inspection, clock):
    from anjian.hazards import services as hazard_services
    from anjian.inspections import services as insp_services
    from anjian.org.models import Department, Membership

    w = cases_world
    team = Department.objects.get(agency=w.agency_a, kind="enforcement")
    sup = Department.objects.create(agency=w.agency_a, name="危化监管科", kind="supervision")
    Membership.objects.filter(staff=w.user("officer_a").staff).update(department=team)
    f = insp_services.finding_add(actor=w.user("officer_a"), inspection=inspection, description="未如实记录安全生产教育培训情况", violation_id="P7")
    t = hazard_services.transfer_send(actor=w.user("supervisor_a"), enterprise=inspection.enterprise, from_department=sup, to_department=team, facts="未如实记录培训", findings=[f])
    c = services.transfer_accept_into_case(actor=w.user("officer_a"), transfer=t, title="未如实记录培训案")
    t.refresh_from_db()
    assert t.status == "accepted" and c.transfer_id == t.pk and c.status == "draft"
    assert list(c.violations.values_list("violation_id", flat=True)) == ["P7"]
    assert t.cases.get() == c  # linked both ways
    with pytest.raises(ValidationFailed):  # a second case from the same transfer
        services.case_open(actor=w.user("officer_a"), source="transfer", transfer=t, title="重复", facts="重复", discovered_on=START.date())


def test_hazard_flagged_by_the_sweep_opens_a_case_with_article_102(cases_world, inspection, clock):
    from anjian.hazards import services as hazard_services
    from anjian.hazards.models import Hazard

    w = cases_world
    h = hazard_services.hazard_create(actor=w.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection,
                                      description="消防通道堵塞", location="仓库", severity="general", found_on=inspection.inspected_on, period_days=5)
    Hazard.objects.filter(pk=h.pk).update(status="rectifying", served_on=inspection.inspected_on, deadline=D(2026, 2, 1))
    with pytest.raises(ValidationFailed):  # not flagged yet
        services.case_open(actor=w.user("officer_a"), source="hazard", hazard=h, title="逾期未整改", facts="逾期", discovered_on=START.date())
    assert hazard_services.hazards_overdue_sweep(today=START.date()) == 1
    h.refresh_from_db()
    c = services.case_open(actor=w.user("officer_a"), source="hazard", hazard=h, title="逾期未整改", facts="逾期", discovered_on=START.date())
    v = c.violations.get()
    assert v.violation_id == "P12" and v.act_date == D(2026, 2, 2)


def test_accident_grade_is_computed_and_offered(cases_world, ent_a):
    w = cases_world
    a = services.accident_record(actor=w.user("officer_a"), enterprise=ent_a, occurred_on=D(2026, 2, 10), deaths=3, serious_injuries=0, direct_loss=Decimal("1200000.00"), narrative="储罐爆炸")
    assert a.grade == "larger"
    ranges = services.accident_ranges(a)
    assert ranges["unit"].minimum == Decimal("1000000.00") and ranges["unit"].maximum == Decimal("2000000.00")
    c = services.case_open(actor=w.user("officer_a"), source="accident", accident=a, title="较大事故案", facts="储罐爆炸", discovered_on=D(2026, 2, 10))
    v = c.violations.get()
    assert (v.violation_id, v.grade, v.circumstance, v.life_health_harm) == ("P25", "larger", "accident", True)


def test_person_party_needs_a_valid_id_number_and_personal_subject(cases_world, ent_a):
    w = cases_world
    with pytest.raises(ValidationFailed) as exc:
        services.case_open(actor=w.user("officer_a"), source="other", source_reason="事故调查", enterprise=ent_a, person_name="王五", person_id_number="370602199001011234", title="主要负责人未履职案", facts="f", discovered_on=D(2026, 2, 25))
    assert "person_id_number" in exc.value.fields


def test_branches_no_penalty_withdraw_refer(cases_world, ent_a, clock):
    w = cases_world
    c = filed_case(w, ent_a)
    with pytest.raises(PermissionRefused):
        services.case_no_penalty(actor=w.user("depthead_a"), case=c, on=START.date(), ground="minor_corrected", reason="已改正")
    c = services.case_no_penalty(actor=w.user("leader_a"), case=c, on=START.date(), ground="minor_corrected", reason="轻微并及时改正，无危害后果")
    assert c.status == "no_penalty"
    assert services.case_close(actor=w.user("depthead_a"), case=c, closed_on=START.date()).status == "closed"
    d = open_case(w, ent_a, act_date=D(2026, 2, 21))
    with pytest.raises(PermissionRefused):
        services.case_withdraw(actor=w.user("officer_a"), case=d, on=START.date(), reason="不属于本机关管辖")
    assert services.case_withdraw(actor=w.user("depthead_a"), case=d, on=START.date(), reason="不属于本机关管辖").status == "withdrawn"
    e = filed_case(w, ent_a, act_date=D(2026, 2, 22))
    e = services.case_refer(actor=w.user("leader_a"), case=e, on=START.date(), referred_to="烟台市公安局芝罘分局", reason="涉嫌重大责任事故罪")
    assert e.status == "referred"
    with pytest.raises(DomainError) as exc:
        services.decision_make(actor=w.user("leader_a"), case=e, decided_on=START.date())
    assert exc.value.code == "bad_state"


def test_other_bureau_cannot_touch_the_case(cases_world, ent_a):
    from anjian.core.errors import NotFound

    w = cases_world
    c = open_case(w, ent_a)
    with pytest.raises(NotFound):
        services.case_file(actor=w.user("depthead_b"), case=c, filed_on=START.date())
    with pytest.raises(PermissionRefused) as exc:
        services.case_file(actor=w.user("leader_city"), case=c, filed_on=START.date())
    assert exc.value.code == "not_owner"


def test_no_increase_after_the_notice_even_before_a_defence(cases_world, ent_a):
    w = cases_world
    c = noticed_case(w, ent_a)
    v = c.violations.get()
    with pytest.raises(DomainError) as exc:
        services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal("20000.01"), "reasons": "r"}])
    assert exc.value.code == "above_notice" and "第四十四条" in exc.value.article


def test_summary_procedure_with_onsite_collection(cases_world, ent_a, clock):
    w = cases_world
    kw = dict(title="未设置安全警示标志", facts="现场未设置警示标志", violation_id="P9", act_date=START.date(), decided_on=START.date(), officer_ids=officers(w),
              reasons="情节轻微，当场改正", enterprise=ent_a, recipient="李四")
    with pytest.raises(DomainError) as exc:  # an organisation: no more than ¥3,000 on the spot
        services.case_summary_decide(actor=w.user("officer_a"), amount=Decimal("3000.01"), **kw)
    assert exc.value.code == "summary_not_allowed" and "第五十一条" in exc.value.article
    with pytest.raises(DomainError) as exc:  # on-the-spot collection: ≤ ¥100 unless hard to collect later
        services.case_summary_decide(actor=w.user("officer_a"), amount=Decimal("500.00"), collected_receipt_no="PJ-1", **kw)
    assert exc.value.code == "onsite_collection_refused" and "第六十八条" in exc.value.article
    assert not Case.objects.exists()  # a refused step changes nothing
    c = services.case_summary_decide(actor=w.user("officer_a"), amount=Decimal("100.00"), collected_receipt_no="PJ-1", onsite_statement="无异议", **kw)
    assert (c.procedure, c.status, c.fine_total) == ("summary", "executed", Decimal("100.00"))
    handover = CaseDeadline.objects.get(case=c, code="onsite_fine_handover", active=True)
    assert handover.due == D(2026, 3, 4)  # 2 working days after Monday 3/2
    with pytest.raises(DomainError) as exc:
        services.case_close(actor=w.user("depthead_a"), case=c, closed_on=START.date())
    assert exc.value.code == "onsite_not_handed_over"
    at(clock, D(2026, 3, 5))
    services.onsite_handover_record(actor=w.user("officer_a"), case=c, handed_on=D(2026, 3, 5))
    assert c.steps.get(action="case.onsite_handover").deadline_met is False  # one day late, recorded as such
    assert services.case_close(actor=w.user("depthead_a"), case=c, closed_on=D(2026, 3, 5)).status == "closed"


def test_summary_procedure_without_collection_leaves_a_payment_window(cases_world, ent_a):
    w = cases_world
    c = services.case_summary_decide(actor=w.user("officer_a"), title="警示标志", facts="f", violation_id="P9", act_date=START.date(), decided_on=START.date(),
                                     officer_ids=officers(w), reasons="r", enterprise=ent_a, recipient="李四", amount=Decimal("2000.00"), warning=True)
    assert c.status == "served" and CaseDeadline.objects.get(case=c, code="payment", active=True).due == D(2026, 3, 17)
    with pytest.raises(ValidationFailed) as exc:
        services.case_summary_decide(actor=w.user("officer_a"), title="t", facts="f", violation_id="P9", act_date=START.date(), decided_on=START.date(),
                                     officer_ids=officers(w, "officer_a"), reasons="r", enterprise=ent_a, recipient="李四", amount=Decimal("200.00"))
    assert exc.value.code == "officers_too_few"


def test_a_legal_review_before_the_hearing_does_not_count(cases_world, ent_a, clock):
    w = cases_world
    c = noticed_case(w, ent_a, amount=Decimal("60000.00"), violation="P21")
    at(clock, D(2026, 3, 4))
    services.hearing_request(actor=w.user("officer_a"), case=c, requested_on=D(2026, 3, 4))
    services.legal_review_record(actor=w.user("legal_a"), case=c, reviewed_on=D(2026, 3, 4), passed=True, opinion="同意")
    services.hearing_notice(actor=w.user("officer_a"), case=c, hearing_date=D(2026, 3, 16), notice_served_on=D(2026, 3, 4), place="会议室", chair=w.user("supervisor_a").staff)
    at(clock, D(2026, 3, 16))
    services.hearing_held(actor=w.user("officer_a"), case=c, held_on=D(2026, 3, 16), outcome="held", summary="听证", opinion="建议维持拟处罚意见")
    with pytest.raises(DomainError) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 16))
    assert exc.value.code == "legal_review_stale"


def test_recusal_decided_by_the_head_takes_the_officer_off_the_case(cases_world, ent_a):
    w = cases_world
    c = filed_case(w, ent_a)
    r = services.recusal_request(actor=w.user("officer_a"), case=c, staff=w.user("officer_a2").staff, requested_on=START.date(), applicant="李四", reason="承办人员与当事人有利害关系")
    with pytest.raises(PermissionRefused):
        services.recusal_decide(actor=w.user("depthead_a"), recusal=r, granted=True, decided_on=START.date())
    services.recusal_decide(actor=w.user("leader_a"), recusal=r, granted=True, decided_on=START.date())
    with pytest.raises(DomainError) as exc:  # one officer left: the next step waits for a second one
        services.notice_issue(actor=w.user("officer_a"), case=c, issued_on=START.date())
    assert exc.value.code == "officers_too_few"
    services.case_assign_officers(actor=w.user("officer_a"), case=c, staff_ids=officers(w, "officer_a", "depthead_a"))
    assert services.notice_issue(actor=w.user("officer_a"), case=c, issued_on=START.date()).fine_total == Decimal("20000.00")
