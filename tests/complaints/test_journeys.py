"""Journeys of both kinds through the petition procedure on a frozen 2026 calendar: acceptance
(15 days), handling (60 days, +30 extended), reply, review and re-review (30 + 30), decline and
referral; each skipped or late step refused with the rule named."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from anjian.complaints import clocks, reports, services
from anjian.complaints.models import Submission
from anjian.core.errors import DomainError, PermissionRefused, ValidationFailed
from anjian.core.models import AuditEvent
from anjian.documents.models import IssuedDocument
from tests.complaints.conftest import START, at, register, to_approved, to_investigating

D = dt.date


def test_complaint_full_journey_with_review_and_re_review(cw: Any, clock: Any) -> None:
    sub, code = register(cw, officers=["officer_a"])
    assert sub.status == "registered" and len(code) == 19
    assert Submission.objects.get(pk=sub.pk).tracking_digest == services.tracking_digest(code)
    assert services.submission_by_code(code.lower().replace("-", " ")) == sub
    # 15 days from 2026-03-02 → 2026-03-17 (信访工作条例第二十二条)
    due = clocks.acceptance_due(sub)
    assert due.date == D(2026, 3, 17) and "第二十二条" in due.basis
    sub = to_approved(cw, sub)
    assert sub.status == "approved"
    # reply due 60 days after acceptance: 2026-05-01 is Labour Day (5/1–5/5) → rolls to 2026-05-06
    h = clocks.handling_due(sub)
    assert h is not None and h.date == D(2026, 5, 6) and "第三十四条" in h.basis
    at(clock, D(2026, 3, 23))
    services.submission_reply(actor=cw.user("office_a"), submission=sub, replied_on=D(2026, 3, 20), received_on=D(2026, 3, 23))
    sub.refresh_from_db()
    assert sub.status == "replied" and sub.reply_document is not None and sub.reply_document.kind == "complaint_reply"
    assert "王小明" in str(sub.reply_document.context)
    # a double submit: the state has moved on, no second document
    with pytest.raises(DomainError) as exc:
        services.submission_reply(actor=cw.user("office_a"), submission=sub, replied_on=D(2026, 3, 20))
    assert exc.value.code == "bad_state"
    assert IssuedDocument.objects.filter(kind="complaint_reply").count() == 1
    # review window: 30 days from receipt (3/23) → 4/22
    assert clocks.review_request_due(sub).date == D(2026, 4, 22)  # type: ignore[union-attr]
    with pytest.raises(DomainError) as exc:
        services.submission_close(actor=cw.user("office_a"), submission=sub, closed_on=D(2026, 3, 20))
    assert exc.value.code == "window_open" and "第三十五条" in exc.value.article
    at(clock, D(2026, 4, 20))
    services.review_request(actor=cw.user("office_a"), submission=sub, requested_on=D(2026, 4, 20))
    sub.refresh_from_db()
    assert clocks.review_answer_due(sub).date == D(2026, 5, 20)  # type: ignore[union-attr]
    at(clock, D(2026, 5, 15))
    services.review_answer(actor=cw.user("office_a"), submission=sub, answered_on=D(2026, 5, 15), text="经复查，维持原处理意见。")
    sub.refresh_from_db()
    assert clocks.re_review_request_due(sub).date == D(2026, 6, 15)  # type: ignore[union-attr]  # 6/14 is a Sunday
    at(clock, D(2026, 6, 10))
    services.re_review_request(actor=cw.user("office_a"), submission=sub, requested_on=D(2026, 6, 10))
    at(clock, D(2026, 7, 1))
    services.re_review_answer(actor=cw.user("office_a"), submission=sub, answered_on=D(2026, 7, 1), text="经复核，维持复查意见。")
    sub.refresh_from_db()
    assert sub.status == "closed" and sub.closed_on == D(2026, 7, 1)
    actions = list(AuditEvent.objects.filter(object_type="complaints.submission", object_id=str(sub.pk)).order_by("id").values_list("action", flat=True))
    assert actions[:4] == ["complaint.register", "complaint.accept", "complaint.assign", "complaint.finding"]
    assert actions[-1] == "complaint.re_review_answer"
    # the audit never carries the submitter's identity in the clear
    assert not AuditEvent.objects.filter(after__icontains="13812345678").exists()


def test_report_journey_with_extension(cw: Any, clock: Any) -> None:
    sub, _ = register(cw, kind="report", grounds=["hidden_hazard", "unlicensed"], anonymous=True, unit_name="某无证加工点")
    assert sub.submitter_name == "" and sub.submitter_phone == ""
    sub = to_investigating(cw, sub)
    h = clocks.handling_due(sub)
    assert h is not None and h.date == D(2026, 5, 6) and "第七十三条" in h.basis
    at(clock, D(2026, 4, 20))
    services.extension_request(actor=cw.user("officer_a2"), submission=sub, reason="需现场核查多处场所", requested_on=D(2026, 4, 20))
    with pytest.raises(PermissionRefused) as perm:
        services.extension_decide(actor=cw.user("officer_a2"), submission=sub, approved=True, decided_on=D(2026, 4, 20))
    assert perm.value.code == "role_refused"
    # a leader who asked cannot approve their own request
    sub.refresh_from_db()
    Submission.objects.filter(pk=sub.pk).update(extension_requested_by=cw.user("leader_a"))
    with pytest.raises(PermissionRefused) as perm:
        services.extension_decide(actor=cw.user("leader_a"), submission=sub, approved=True, decided_on=D(2026, 4, 20))
    assert perm.value.code == "self_approval"
    Submission.objects.filter(pk=sub.pk).update(extension_requested_by=cw.user("officer_a2"))
    at(clock, D(2026, 4, 21))
    services.extension_decide(actor=cw.user("leader_a"), submission=sub, approved=True, decided_on=D(2026, 4, 21))
    sub.refresh_from_db()
    assert clocks.handling_due(sub).date == D(2026, 6, 5)  # type: ignore[union-attr]  # 5/6 + 30
    with pytest.raises(DomainError) as exc:
        services.extension_request(actor=cw.user("officer_a2"), submission=sub, reason="再延", requested_on=D(2026, 4, 21))
    assert exc.value.code == "extension_once"
    for g in sub.grounds:
        services.finding_record(actor=cw.user("officer_a2"), submission=sub, ground=g, substantiated=True, note="现场核实", recorded_on=D(2026, 4, 21))
    # verified by a written inquiry and the unit's answer before the result (complaints/reports.py)
    reports.inquiry_send(actor=cw.user("officer_a2"), submission=sub, sent_on=D(2026, 4, 21), text="请书面说明无证经营和隐患情况。")
    reports.inquiry_answer(actor=cw.user("officer_a2"), submission=sub, answered_on=D(2026, 4, 21), answer="单位承认，已停业整改。")
    services.result_draft(actor=cw.user("officer_a2"), submission=sub, result_text="举报属实，已立案查处", public_reply="经核查，举报属实，已依法处理。", drafted_on=D(2026, 4, 21))
    services.result_approve(actor=cw.user("leader_a"), submission=sub, approved=True, decided_on=D(2026, 4, 21))
    at(clock, D(2026, 6, 1))  # after the 60 days, inside the extension: in time
    services.submission_reply(actor=cw.user("office_a"), submission=sub, replied_on=D(2026, 6, 1))
    sub.refresh_from_db()
    assert sub.status == "replied" and sub.reply_late_reason == ""
    assert "投诉举报人" in str(sub.reply_document.context)  # anonymous: no name


def test_late_acceptance_and_reply_need_the_reason(cw: Any, clock: Any) -> None:
    sub, _ = register(cw)
    at(clock, D(2026, 3, 18))  # the 15th day was 3/17
    with pytest.raises(DomainError) as exc:
        services.submission_accept(actor=cw.user("office_a"), submission=sub, accepted_on=D(2026, 3, 18))
    assert exc.value.code == "late" and "第二十二条" in exc.value.article and "2026年3月17日" in exc.value.message
    services.submission_accept(actor=cw.user("office_a"), submission=sub, accepted_on=D(2026, 3, 18), late_reason="信件转递延误")
    sub.refresh_from_db()
    assert sub.acceptance_late_reason == "信件转递延误"


def test_skipped_steps_are_refused_with_the_rule(cw: Any) -> None:
    sub, _ = register(cw)
    with pytest.raises(DomainError) as exc:
        services.submission_reply(actor=cw.user("office_a"), submission=sub, replied_on=START.date())
    assert exc.value.code == "bad_state" and "局领导批准" in exc.value.message
    sub = to_investigating(cw, sub)
    services.finding_record(actor=cw.user("officer_a2"), submission=sub, ground="no_certificate", substantiated=False, note="已出示", recorded_on=START.date())
    with pytest.raises(DomainError) as exc:
        services.result_draft(actor=cw.user("officer_a2"), submission=sub, result_text="x", public_reply="y", drafted_on=START.date())
    assert exc.value.code == "findings_missing" and "不文明执法" in exc.value.message and "第五条" in exc.value.article
    with pytest.raises(ValidationFailed):
        services.finding_record(actor=cw.user("officer_a2"), submission=sub, ground="money", substantiated=True, note="x", recorded_on=START.date())


def test_the_drafter_never_approves(cw: Any) -> None:
    from anjian.org.models import Membership, RoleGrant

    sub, _ = register(cw)
    sub = to_investigating(cw, sub, handler="leader_a")
    for g in sub.grounds:
        services.finding_record(actor=cw.user("leader_a"), submission=sub, ground=g, substantiated=False, note="不属实", recorded_on=START.date())
    services.result_draft(actor=cw.user("leader_a"), submission=sub, result_text="不属实", public_reply="经调查不属实。", drafted_on=START.date())
    with pytest.raises(PermissionRefused) as exc:
        services.result_approve(actor=cw.user("leader_a"), submission=sub, approved=True, decided_on=START.date())
    assert exc.value.code == "self_approval"
    m = Membership.objects.get(staff=cw.user("depthead_a").staff)
    RoleGrant.objects.create(membership=m, role="leader")
    from anjian.core.scoping import forget_scope

    forget_scope(cw.user("depthead_a"))
    services.result_approve(actor=cw.user("depthead_a"), submission=sub, approved=False, decided_on=START.date(), note="证据不足，补充调查")
    sub.refresh_from_db()
    assert sub.status == "investigating" and sub.drafted_by is None


def test_decline_and_referral(cw: Any) -> None:
    dup, _ = register(cw)
    services.submission_decline(actor=cw.user("office_a"), submission=dup, reason="duplicate", note="同一事项正在办理", decided_on=START.date())
    dup.refresh_from_db()
    assert dup.status == "declined" and dup.closed_on == START.date()
    court, _ = register(cw)
    services.submission_decline(actor=cw.user("office_a"), submission=court, reason="legal_remedy", note="已申请行政复议", decided_on=START.date())
    other, _ = register(cw, kind="report", grounds=["other"])
    with pytest.raises(ValidationFailed) as exc:
        services.submission_decline(actor=cw.user("office_a"), submission=other, reason="outside_remit", note="属市场监管职责", decided_on=START.date())
    assert "referred_to" in exc.value.fields
    services.submission_decline(actor=cw.user("office_a"), submission=other, reason="outside_remit", note="该事项属于市场监督管理部门的职责", decided_on=START.date(), referred_to="烟台市芝罘区市场监督管理局")
    other.refresh_from_db()
    assert other.status == "referred" and other.referral_document is not None and other.referral_document.kind == "complaint_referral"
    assert other.referral_document.number.startswith("芝应急诉转")
    assert other.referral_document.party_name == ""  # a kind that names no party (not a sentinel's repr)
    with pytest.raises(DomainError):
        services.submission_accept(actor=cw.user("office_a"), submission=other, accepted_on=START.date())


def test_review_request_after_the_window_is_refused(cw: Any, clock: Any) -> None:
    sub, _ = register(cw)
    sub = to_approved(cw, sub)
    services.submission_reply(actor=cw.user("office_a"), submission=sub, replied_on=START.date())
    sub.refresh_from_db()
    at(clock, D(2026, 4, 2))  # 30 days from 3/2 → 4/1
    with pytest.raises(DomainError) as exc:
        services.review_request(actor=cw.user("office_a"), submission=sub, requested_on=D(2026, 4, 2))
    assert exc.value.code == "window_closed" and "第三十五条" in exc.value.article
    services.submission_close(actor=cw.user("office_a"), submission=sub, closed_on=D(2026, 4, 2))
    sub.refresh_from_db()
    assert sub.status == "closed"


def test_bad_input_is_refused_with_chinese_field_messages(cw: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        register(cw, submitter_id_number="110105194912310021")
    assert "submitter_id_number" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        register(cw, grounds=["hidden_hazard"])  # a report's ground on a complaint
    assert "grounds" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        register(cw, received_on=D(2026, 3, 3))
    assert "received_on" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        register(cw, content="x" * 5001)
    assert "content" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        register(cw, submitter_phone="", submitter_address="")
    assert "submitter_phone" in exc.value.fields
    with pytest.raises(PermissionRefused):
        from anjian.complaints import services as s

        s.submission_register(actor=cw.user("officer_a"), kind="complaint", channel="letter", grounds=["money"], summary="x", content="y", received_on=START.date(), anonymous=True)


def test_a_report_alleging_deaths_is_flagged_for_the_county_government(cw: Any) -> None:
    from django.test import Client

    sub, _ = register(cw, kind="report", grounds=["concealed_accident"], deaths_alleged=2)
    assert services.escalation_note(sub) == "举报涉及2人死亡：应当报请县级以上人民政府组织核查处理（《中华人民共和国安全生产法》第七十三条第二款）。"
    c = Client()
    c.force_login(cw.user("leader_a"))
    assert 'data-testid="escalation"' in c.get(f"/complaints/{sub.pk}/").content.decode()
    with pytest.raises(ValidationFailed) as exc:
        register(cw, deaths_alleged=1)  # a conduct complaint alleges no deaths
    assert "deaths_alleged" in exc.value.fields
    with pytest.raises(ValidationFailed):
        register(cw, kind="report", grounds=["concealed_accident"], deaths_alleged="99999999999")
