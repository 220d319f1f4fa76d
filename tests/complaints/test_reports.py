"""Safety reports after acceptance (issue 12 item 6): verified on site or by a written inquiry, the
hazard registered from the report, the transfer to the enforcement team, the result flowing back to
the report's page, the reply waiting for the verification, and the reward for a verified named
report inside the bureau's own range, approved by another person, its payment recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from anjian.complaints import reports, services
from anjian.complaints.models import Reward, RewardRange
from anjian.core.errors import DomainError, PermissionRefused, ValidationFailed
from anjian.hazards.choices import HazardSource
from anjian.inspections import services as inspections
from tests.complaints.conftest import START, at, register, to_investigating

D = START.date()


@pytest.fixture
def report(cw: Any, ent_a: Any) -> Any:
    sub, _ = register(cw, kind="report", grounds=["hidden_hazard"], enterprise_id=ent_a.pk)
    return to_investigating(cw, sub, handler="officer_a2")


@pytest.fixture
def enforcement(cw: Any) -> Any:
    from anjian.org.models import Department

    return Department.objects.get_or_create(agency=cw.agency_a, name="执法大队", defaults={"kind": "enforcement"})[0]


def _draft(cw: Any, sub: Any) -> Any:
    return services.result_draft(actor=cw.user("officer_a2"), submission=sub, result_text="举报属实。", public_reply="经核查，举报属实，已责令整改。", drafted_on=D)


def test_inquiry_then_hazard_then_transfer_flow_back_to_the_report(cw: Any, report: Any, enforcement: Any, ent_a: Any) -> None:
    sub = report
    services.finding_record(actor=cw.user("officer_a2"), submission=sub, ground="hidden_hazard", substantiated=True, note="单位书面承认", recorded_on=D)
    with pytest.raises(DomainError) as exc:  # not yet verified: the reply waits
        _draft(cw, sub)
    assert exc.value.code == "verification_open" and "第七十三条" in exc.value.article
    with pytest.raises(DomainError) as exc:  # no hazard before the report is verified
        reports.hazard_register(actor=cw.user("officer_a2"), submission=sub, description="仓库超量储存", location="仓库", severity="general", found_on=D)
    assert exc.value.code == "not_verified"
    reports.inquiry_send(actor=cw.user("officer_a2"), submission=sub, sent_on=D, text="请于5日内书面说明仓库储存情况。")
    with pytest.raises(DomainError) as exc:
        reports.inquiry_send(actor=cw.user("officer_a2"), submission=sub, sent_on=D, text="再次函询")
    assert exc.value.code == "inquiry_exists"
    with pytest.raises(DomainError) as exc:
        _draft(cw, sub)
    assert exc.value.code == "verification_open" and "尚未书面回复" in exc.value.message
    with pytest.raises(ValidationFailed) as vexc:  # the answer cannot predate the inquiry
        reports.inquiry_answer(actor=cw.user("officer_a2"), submission=sub, answered_on=D - dt.timedelta(days=1), answer="x")
    assert "answered_on" in vexc.value.fields
    reports.inquiry_answer(actor=cw.user("officer_a2"), submission=sub, answered_on=D, answer="单位承认仓库超量储存，已清理。")
    h = reports.hazard_register(actor=cw.user("officer_a2"), submission=sub, description="危化品仓库超量储存", location="二号仓库", severity="general", found_on=D)
    assert h.source == HazardSource.REPORT and h.enterprise_id == ent_a.pk and list(sub.hazards.all()) == [h]
    with pytest.raises(ValidationFailed) as vexc:  # the enforcement team is the receiver
        reports.transfer_to_enforcement(actor=cw.user("officer_a2"), submission=sub, from_department_id=cw.dept_a.pk, to_department_id=cw.dept_a.pk, facts="超量储存")
    assert "to_department" in vexc.value.fields
    with pytest.raises(ValidationFailed) as vexc:  # a malformed or foreign id is a field error, not a 500
        reports.transfer_to_enforcement(actor=cw.user("officer_a2"), submission=sub, from_department_id="abc", to_department_id=10**30, facts="超量储存")
    assert set(vexc.value.fields) == {"from_department_id", "to_department_id"}
    t = reports.transfer_to_enforcement(actor=cw.user("officer_a2"), submission=sub, from_department_id=cw.dept_a.pk, to_department_id=enforcement.pk, facts="危化品仓库超量储存")
    assert list(t.hazards.all()) == [h]
    with pytest.raises(DomainError) as exc:  # a double submit does not send a second transfer
        reports.transfer_to_enforcement(actor=cw.user("officer_a2"), submission=sub, from_department_id=cw.dept_a.pk, to_department_id=enforcement.pk, facts="危化品仓库超量储存")
    assert exc.value.code == "transfer_exists"
    sub.refresh_from_db()
    flow = reports.handling(sub)
    assert flow["inquiry"]["answered_on"] == D and [x["id"] for x in flow["hazards"]] == [h.pk] and flow["transfers"][0]["status"] == t.get_status_display()
    sub = _draft(cw, sub)
    assert sub.status == "drafted"
    c = Client()
    c.force_login(cw.user("officer_a2"))
    page = c.get(f"/complaints/{sub.pk}/").content.decode()
    assert 'data-testid="handling"' in page and "危化品仓库超量储存" in page and 'data-testid="report-transfer"' in page


def test_on_site_verification_must_be_completed_before_the_draft(cw: Any, report: Any, clock: Any) -> None:
    sub = report
    services.finding_record(actor=cw.user("officer_a2"), submission=sub, ground="hidden_hazard", substantiated=False, note="现场未发现", recorded_on=D)
    officers = [cw.user("officer_a").staff.pk, cw.user("officer_a2").staff.pk]
    insp = services.report_verify(actor=cw.user("officer_a2"), submission=sub, officer_ids=officers, inspected_on=D, place="仓库")
    sub.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        _draft(cw, sub)
    assert "尚未完成" in exc.value.message
    at(clock, D)
    clock.shift(dt.timedelta(hours=2))
    inspections.inspection_complete(actor=cw.user("officer_a2"), inspection=insp, party_representative="张三", party_signature="signed")
    sub.refresh_from_db()
    assert _draft(cw, sub).status == "drafted"


def _to_replied(cw: Any, sub: Any, clock: Any) -> Any:
    services.finding_record(actor=cw.user("officer_a2"), submission=sub, ground="hidden_hazard", substantiated=True, note="单位书面承认", recorded_on=D)
    reports.inquiry_send(actor=cw.user("officer_a2"), submission=sub, sent_on=D, text="请书面说明。")
    reports.inquiry_answer(actor=cw.user("officer_a2"), submission=sub, answered_on=D, answer="已承认并整改。")
    _draft(cw, sub)
    services.result_approve(actor=cw.user("leader_a"), submission=sub, approved=True, decided_on=D)
    return services.submission_reply(actor=cw.user("office_a"), submission=sub, replied_on=D)


def test_reward_inside_the_bureaus_range_approved_by_another_and_paid(cw: Any, report: Any, clock: Any) -> None:
    sub = _to_replied(cw, report, clock)
    with pytest.raises(DomainError) as exc:  # no range of its own: nothing assumed
        reports.reward_propose(actor=cw.user("office_a"), submission=sub, amount="3000", reason="举报属实", proposed_on=D)
    assert exc.value.code == "no_range"
    # Another bureau's range does not apply to this one.
    reports.reward_range_set(actor=cw.user("leader_city"), min_amount="100", max_amount="200", basis="烟台市举报奖励办法（示例）", effective_from=D)
    with pytest.raises(DomainError):
        reports.reward_propose(actor=cw.user("office_a"), submission=sub, amount="150", reason="举报属实", proposed_on=D)
    with pytest.raises(PermissionRefused):  # the office does not set the range
        reports.reward_range_set(actor=cw.user("office_a"), min_amount="500", max_amount="50000", basis="x", effective_from=D)
    with pytest.raises(ValidationFailed) as vexc:
        reports.reward_range_set(actor=cw.user("leader_a"), min_amount="5000", max_amount="500", basis="x", effective_from=D)
    assert "max_amount" in vexc.value.fields
    reports.reward_range_set(actor=cw.user("leader_a"), min_amount="500", max_amount="50000", basis="芝罘区安全生产举报奖励办法（示例）", effective_from=D)
    with pytest.raises(DomainError) as exc:
        reports.reward_propose(actor=cw.user("office_a"), submission=sub, amount="60000", reason="举报属实", proposed_on=D)
    assert exc.value.code == "out_of_range" and "amount" in exc.value.fields
    for bad in ("abc", "-1", "1e400", "0.001", "99999999999999999999"):
        with pytest.raises(ValidationFailed):
            reports.reward_propose(actor=cw.user("office_a"), submission=sub, amount=bad, reason="举报属实", proposed_on=D)
    r = reports.reward_propose(actor=cw.user("office_a"), submission=sub, amount="3000", reason="举报属实，消除了重大隐患", proposed_on=D)
    assert r.amount == Decimal("3000.00") and (r.range_min, r.range_max) == (Decimal("500.00"), Decimal("50000.00"))
    with pytest.raises(DomainError) as exc:  # once
        reports.reward_propose(actor=cw.user("office_a"), submission=sub, amount="3000", reason="再次", proposed_on=D)
    assert exc.value.code == "reward_exists"
    with pytest.raises(DomainError) as exc:  # not before approval
        reports.reward_paid(actor=cw.user("office_a"), submission=sub, paid_on=D, payment_ref="PZ-1")
    assert exc.value.code == "reward_not_approved"
    Reward.objects.filter(pk=r.pk).update(proposed_by=cw.user("leader_a"))
    with pytest.raises(PermissionRefused) as perm:  # the proposer never approves
        reports.reward_decide(actor=cw.user("leader_a"), submission=sub, approved=True, decided_on=D)
    assert perm.value.code == "self_approval"
    Reward.objects.filter(pk=r.pk).update(proposed_by=cw.user("office_a"))
    reports.reward_decide(actor=cw.user("leader_a"), submission=sub, approved=True, decided_on=D)
    r = reports.reward_paid(actor=cw.user("office_a"), submission=sub, paid_on=D, payment_ref="芝应急奖〔2026〕1号")
    assert r.status == "paid" and reports.handling(sub)["reward"]["status"] == "paid"


def test_anonymous_or_unsubstantiated_reports_are_not_rewarded(cw: Any, ent_a: Any, clock: Any) -> None:
    reports.reward_range_set(actor=cw.user("leader_a"), min_amount="500", max_amount="50000", basis="示例", effective_from=D)
    sub, _ = register(cw, kind="report", grounds=["hidden_hazard"], enterprise_id=ent_a.pk, anonymous=True)
    sub = _to_replied(cw, to_investigating(cw, sub, handler="officer_a2"), clock)
    with pytest.raises(DomainError) as exc:
        reports.reward_propose(actor=cw.user("office_a"), submission=sub, amount="1000", reason="x", proposed_on=D)
    assert exc.value.code == "anonymous"


def test_pages_and_api(cw: Any, report: Any, enforcement: Any, clock: Any) -> None:
    sub = report
    c = Client()
    c.force_login(cw.user("officer_a2"))
    detail = c.get(f"/complaints/{sub.pk}/").content.decode()
    assert 'data-testid="step-inquiry"' in detail and 'data-testid="step-hazard"' not in detail  # verify first
    assert c.get(f"/complaints/{sub.pk}/inquiry/").status_code == 200
    r = c.post(f"/complaints/{sub.pk}/inquiry/", {"sent_on": D.isoformat(), "text": "请书面说明"})
    assert r.status_code == 302
    api = APIClient()
    api.force_authenticate(cw.user("officer_a2"))
    r = api.post(f"/api/v1/complaints/{sub.pk}/inquiry-answer/", {"answered_on": D.isoformat(), "answer": "已整改"}, format="json")
    assert r.status_code == 200 and r.json()["handling"]["inquiry"]["answer"] == "已整改"
    r = api.post(f"/api/v1/complaints/{sub.pk}/hazard/", {"description": "仓库超量储存", "location": "仓库", "severity": "general", "found_on": D.isoformat()}, format="json")
    assert r.status_code == 200 and len(r.json()["handling"]["hazards"]) == 1
    r = api.post(f"/api/v1/complaints/{sub.pk}/transfer/", {"from_department_id": cw.dept_a.pk, "to_department_id": "x", "facts": "超量"}, format="json")
    assert r.status_code in (400, 422)
    r = api.post(f"/api/v1/complaints/{sub.pk}/transfer/", {"from_department_id": cw.dept_a.pk, "to_department_id": enforcement.pk, "facts": "超量"}, format="json")
    assert r.status_code == 200 and r.json()["handling"]["transfers"]
    # the reward range: a leader of this bureau sets it; others read it
    api.force_authenticate(cw.user("officer_a2"))
    r = api.post("/api/v1/complaints/reward-range/", {"min_amount": "500", "max_amount": "50000", "basis": "示例", "effective_from": D.isoformat()}, format="json")
    assert r.status_code == 403
    api.force_authenticate(cw.user("leader_a"))
    r = api.post("/api/v1/complaints/reward-range/", {"min_amount": "500", "max_amount": "50000", "basis": "示例", "effective_from": D.isoformat()}, format="json")
    assert r.status_code == 201
    assert [x["basis"] for x in api.get("/api/v1/complaints/reward-range/").json()] == ["示例"]
    api.force_authenticate(cw.user("leader_city"))
    assert api.get("/api/v1/complaints/reward-range/").json() == []  # another bureau's ranges are not its own
    c.force_login(cw.user("leader_a"))
    page = c.get("/complaints/reward-range/").content.decode()
    assert 'data-testid="range-form"' in page and "500.00元至50000.00元" in page
    c.force_login(cw.user("office_a"))
    page = c.get("/complaints/reward-range/").content.decode()
    assert 'data-testid="range-form"' not in page
    assert c.post("/complaints/reward-range/", {"min_amount": "1", "max_amount": "2", "basis": "x", "effective_from": D.isoformat()}).status_code == 403
    assert RewardRange.objects.count() == 1
