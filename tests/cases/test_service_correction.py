"""A penalty case's proof of service marked erroneous from the documents register (issue 14 item 4):
"erroneous service recomputes the deadline" for the notice, the decision and the reminder; refused
once something rests on the date, with the rule named and nothing written; the roles and the other
district; the register screen with the Django test client; the complaints "records speak" panel
with a withdrawn deadline. On the frozen 2026 clock of tests/cases/conftest.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from anjian.cases import execution, filing, service_correction, services
from anjian.cases.models import Case, CaseDeadline, CaseStep
from anjian.core.errors import DomainError, NotFound, PermissionRefused
from anjian.core.models import AuditEvent
from anjian.documents import registry
from anjian.documents import services as documents
from anjian.documents.casekinds import CASE_KIND_CODES
from anjian.documents.models import ServiceRecord
from tests.cases.conftest import START, at, filed_case, scan
from tests.inspections.conftest import officers

D = dt.date
FINE = Decimal("20000.00")


@pytest.fixture(autouse=True)
def _media(settings_media: Any) -> None:
    pass


def _noticed(w: Any, ent: Any, *, hearing: bool = True) -> Case:
    """Notice issued and served on Monday 2026-03-02: defence to 3/5 (3 WD), hearing request to 3/9 (5 WD)."""
    c = filed_case(w, ent, amount=Decimal("60000.00"), violation="P21") if hearing else filed_case(w, ent)
    services.notice_issue(actor=w.user("officer_a"), case=c, issued_on=START.date())
    services.notice_served(actor=w.user("officer_a"), case=c, method="direct", event_date=START.date(), recipient="李四")
    c.refresh_from_db()
    return c


def _notice_record(c: Case) -> ServiceRecord:
    n = c.notices.get()
    return n.document.service_records.get(status="effective")


def _served(w: Any, ent: Any, clock: Any) -> Case:
    """Decided and served 2026-03-06: payment due 3/23 (3/21 is a Saturday)."""
    c = _noticed(w, ent, hearing=False)
    at(clock, D(2026, 3, 6))
    c = services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    services.decision_served(actor=w.user("officer_a"), case=c, method="direct", event_date=D(2026, 3, 6), recipient="李四")
    c.refresh_from_db()
    return c


def _active(c: Case, code: str) -> CaseDeadline:
    return CaseDeadline.objects.get(case=c, code=code, active=True)


# --- the notice ------------------------------------------------------------------------------------------------
def test_erroneous_service_of_the_notice_recomputes_the_deadline(cases_world: Any, ent_a: Any, clock: Any, client: Any) -> None:
    w = cases_world
    c = _noticed(w, ent_a)
    old_defence, old_hearing = _active(c, "defence_statement"), _active(c, "hearing_request")
    assert (old_defence.due, old_hearing.due) == (D(2026, 3, 5), D(2026, 3, 9))
    record = _notice_record(c)
    at(clock, D(2026, 3, 3))
    documents.service_record_mark_erroneous(actor=w.user("officer_a"), record=record, reason="当事人实际于3月3日签收，登记日期有误")
    c.refresh_from_db()
    n = c.notices.get()
    assert c.status == "notice_issued" and n.served_on is None and n.service_method == "" and n.recipient == ""
    # Withdrawn, kept: nothing is deleted, nothing active is left of the two windows.
    for old in (old_defence, old_hearing):
        old.refresh_from_db()
        assert not old.active and old.withdrawn_at is not None and "登记有误" in old.withdrawn_reason and old.met_on is None
    assert not CaseDeadline.objects.filter(case=c, code__in=["defence_statement", "hearing_request"], active=True).exists()
    assert c.next_due == _active(c, "decision_deadline").due  # the board's next step: serve the notice
    step = CaseStep.objects.get(case=c, action="case.service_corrected")
    assert (step.from_status, step.to_status) == ("notice_served", "notice_issued")
    assert "陈述申辩期限（原至2026年3月5日）" in step.summary and "申请听证期限（原至2026年3月9日）" in step.summary and "第六十一条" in step.article
    event = AuditEvent.objects.get(action="case.service_corrected")
    assert event.before == {"status": "notice_served"} and event.after["status"] == "notice_issued" and len(event.after["withdrawn"]) == 2
    assert AuditEvent.objects.filter(action="document.service_error").count() == 1

    client.force_login(w.user("officer_a"))
    page = client.get(f"/cases/{c.pk}/").content.decode()
    assert page.count('data-testid="deadline-withdrawn"') == 2 and "待重新登记送达后按新的送达日期重新起算" in page
    assert 'data-testid="action-notice-served"' in page  # the correct service is recorded on the case, as before

    # The correct service: the windows are computed again from 3/3 and name the withdrawn ones.
    services.notice_served(actor=w.user("officer_a"), case=c, method="direct", event_date=D(2026, 3, 3), recipient="李四")
    c.refresh_from_db()
    defence, hearing = _active(c, "defence_statement"), _active(c, "hearing_request")
    assert c.status == "notice_served" and (defence.due, hearing.due) == (D(2026, 3, 6), D(2026, 3, 10))
    assert (defence.replaces_id, hearing.replaces_id) == (old_defence.pk, old_hearing.pk)
    served_step = CaseStep.objects.filter(case=c, action="case.notice_served").order_by("-id").first()
    assert served_step is not None and "陈述申辩期限至2026年3月6日（原按有误的送达登记计算至2026年3月5日" in served_step.summary
    page = client.get(f"/cases/{c.pk}/").content.decode()
    assert 'data-testid="deadline-withdrawn"' not in page and page.count('data-testid="deadline-changed"') == 2
    assert "原届满日2026-03-05（按有误的送达登记计算，已撤回）→ 现2026-03-06" in page
    api = client.get(f"/api/v1/cases/{c.pk}/").json()
    assert {d["code"]: d["replaced_due"] for d in api["deadlines"]}["defence_statement"] == "2026-03-05"
    # The document keeps both proofs of service: the erroneous one and the new one.
    assert sorted(n.document.service_records.values_list("status", flat=True)) == ["effective", "erroneous"]
    # The decision now waits for the recomputed windows (3/10), not the withdrawn ones (3/9).
    at(clock, D(2026, 3, 10))
    with pytest.raises(DomainError) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 10))
    assert exc.value.code == "hearing_window_open" and "2026年3月10日" in exc.value.message


@pytest.mark.parametrize("act", ["defence", "waiver", "hearing"])
def test_notice_correction_refused_once_the_party_acted(cases_world: Any, ent_a: Any, clock: Any, act: str) -> None:
    w = cases_world
    c = _noticed(w, ent_a)
    at(clock, D(2026, 3, 4))
    if act == "defence":
        services.defence_record(actor=w.user("officer_a"), case=c, received_on=D(2026, 3, 4), kind="defence", form="written", content="已整改")
    elif act == "waiver":
        services.waiver_record(actor=w.user("officer_a"), case=c, signed_on=D(2026, 3, 4), signer="李四", fh=scan(), name="放弃声明.png")
    else:
        services.hearing_request(actor=w.user("officer_a"), case=c, requested_on=D(2026, 3, 4))
    c.refresh_from_db()
    status, record = c.status, _notice_record(c)
    assert service_correction.refusal(record.document, record) != ""  # the page shows why, without the form
    with pytest.raises(DomainError) as exc:
        documents.service_record_mark_erroneous(actor=w.user("officer_a"), record=record, reason="登记有误")
    assert exc.value.code == "case_service_correction"
    assert "第四十五条" in exc.value.message and "第六十四条" in exc.value.message and "第六十一条" in exc.value.message
    record.refresh_from_db()
    c.refresh_from_db()
    assert record.status == "effective" and c.status == status and c.notices.get().served_on == START.date()  # nothing written
    assert _active(c, "defence_statement").withdrawn_at is None
    assert not CaseStep.objects.filter(case=c, action="case.service_corrected").exists()


def test_notice_correction_waits_for_a_hearing_right_notice_stating_the_date_to_be_voided(cases_world: Any, ent_a: Any, clock: Any) -> None:
    w = cases_world
    c = _noticed(w, ent_a)
    separate, _ = filing.hearing_right_notice_issue(actor=w.user("officer_a"), case=c)
    record = _notice_record(c)
    with pytest.raises(DomainError) as exc:
        documents.service_record_mark_erroneous(actor=w.user("officer_a"), record=record, reason="登记有误")
    assert separate.number in exc.value.message and "请先作废" in exc.value.message
    documents.document_void(actor=w.user("depthead_a"), document=separate, reason="告知书送达日期登记有误")
    documents.service_record_mark_erroneous(actor=w.user("officer_a"), record=record, reason="登记有误")
    c.refresh_from_db()
    assert c.status == "notice_issued"


# --- the decision ----------------------------------------------------------------------------------------------
def test_erroneous_service_of_the_decision_recomputes_payment_and_remedy_deadlines(cases_world: Any, ent_a: Any, clock: Any) -> None:
    w = cases_world
    c = _served(w, ent_a, clock)
    old = {code: _active(c, code) for code in ("payment", "reconsideration_application", "lawsuit_direct")}
    assert old["payment"].due == D(2026, 3, 23) and _active(c, "decision_service").met_on == D(2026, 3, 6)
    record = c.decision_document.service_records.get()
    at(clock, D(2026, 3, 9))
    documents.service_record_mark_erroneous(actor=w.user("office_a"), record=record, reason="回执日期为3月9日，登记有误")
    c.refresh_from_db()
    assert c.status == "decided" and c.decision_served_on is None and c.decision_service_method == ""
    assert not CaseDeadline.objects.filter(case=c, code__in=list(old), active=True).exists()
    assert all(CaseDeadline.objects.get(pk=r.pk).withdrawn_at is not None for r in old.values())
    assert _active(c, "decision_service").met_on is None  # the decision is again to be served (§61)
    assert c.next_due == _active(c, "decision_service").due
    step = CaseStep.objects.get(case=c, action="case.service_corrected")
    assert (step.from_status, step.to_status) == ("served", "decided") and "第六十七条" in step.article
    services.decision_served(actor=w.user("office_a"), case=c, method="mail", event_date=D(2026, 3, 9), recipient="李四")
    c.refresh_from_db()
    payment = _active(c, "payment")
    assert c.status == "served" and c.decision_served_on == D(2026, 3, 9) and payment.due == D(2026, 3, 24) and payment.replaces_id == old["payment"].pk
    assert _active(c, "reconsideration_application").replaces_id == old["reconsideration_application"].pk
    summary = CaseStep.objects.filter(case=c, action="case.decision_served").order_by("-id").first().summary  # type: ignore[union-attr]
    assert "原按有误的送达登记计算至2026年3月23日" in summary
    assert execution.amount_due(c, D(2026, 3, 24)).surcharge == 0  # the surcharge runs from the recomputed date only


@pytest.mark.parametrize("act", ["payment", "deferral", "reconsideration", "demand"])
def test_decision_correction_refused_when_something_rests_on_the_date(cases_world: Any, ent_a: Any, clock: Any, act: str) -> None:
    w = cases_world
    c = _served(w, ent_a, clock)
    off = w.user("officer_a")
    if act == "payment":
        at(clock, D(2026, 3, 10))
        execution.payment_record(actor=off, case=c, paid_on=D(2026, 3, 10), amount=FINE, receipt_no="R-1")
    elif act == "deferral":
        at(clock, D(2026, 3, 10))
        execution.deferral_request(actor=off, case=c, kind="deferral", requested_on=D(2026, 3, 10), reason="困难", instalments=[{"due": D(2026, 6, 1), "amount": FINE}])
    elif act == "reconsideration":
        at(clock, D(2026, 3, 10))
        execution.remedy_record(actor=off, case=c, kind="reconsideration", filed_on=D(2026, 3, 10))
    else:
        at(clock, D(2026, 3, 30))
        execution.demand_issue(actor=off, case=c, issued_on=D(2026, 3, 30))
    c.refresh_from_db()
    status, record = c.status, c.decision_document.service_records.get()
    with pytest.raises(DomainError) as exc:
        documents.service_record_mark_erroneous(actor=off, record=record, reason="登记有误")
    assert exc.value.code == "case_service_correction" and "第六十一条" in exc.value.message and "第六十七条" in exc.value.message
    record.refresh_from_db()
    c.refresh_from_db()
    assert record.status == "effective" and c.status == status and c.decision_served_on == D(2026, 3, 6)
    assert _active(c, "payment").withdrawn_at is None


def test_erroneous_service_of_the_reminder_recomputes_the_wait_and_is_refused_after_the_application(cases_world: Any, ent_a: Any, clock: Any) -> None:
    w = cases_world
    c = _served(w, ent_a, clock)
    at(clock, D(2026, 9, 8))  # the lawsuit period (to 9/7) has lapsed unused
    reminder = execution.reminder_issue(actor=w.user("officer_a"), case=c, issued_on=D(2026, 9, 8))
    old = execution.reminder_served(actor=w.user("officer_a"), case=c, method="direct", event_date=D(2026, 9, 8), recipient="李四")
    assert old.due == D(2026, 9, 21)
    # The decision's own service now rests on nothing? No: the reminder was issued on it.
    decision_record = c.decision_document.service_records.get()
    with pytest.raises(DomainError) as exc:
        documents.service_record_mark_erroneous(actor=w.user("officer_a"), record=decision_record, reason="登记有误")
    assert "催告履行" in exc.value.message
    at(clock, D(2026, 9, 9))
    documents.service_record_mark_erroneous(actor=w.user("officer_a"), record=reminder.service_records.get(), reason="实际于9月9日送达")
    c.refresh_from_db()
    ex = c.execution
    old.refresh_from_db()
    assert c.status == "served" and ex.reminder_served_on is None and old.withdrawn_at is not None and not old.active
    assert CaseStep.objects.get(case=c, action="case.service_corrected").to_status == ""  # no status moved
    with pytest.raises(DomainError) as exc:  # no application to the court on a withdrawn wait
        execution.enforcement_apply(actor=w.user("leader_a"), case=c, applied_on=D(2026, 9, 9))
    assert exc.value.code == "reminder_not_served"
    new = execution.reminder_served(actor=w.user("officer_a"), case=c, method="direct", event_date=D(2026, 9, 9), recipient="李四")
    assert new.due > old.due and new.replaces_id == old.pk
    assert "原按有误的送达登记计算的期限至2026年9月21日" in CaseStep.objects.filter(case=c, action="case.reminder_served").order_by("-id").first().summary  # type: ignore[union-attr]
    at(clock, new.due + dt.timedelta(days=1))
    execution.enforcement_apply(actor=w.user("leader_a"), case=c, applied_on=new.due + dt.timedelta(days=1))
    with pytest.raises(DomainError) as exc:
        documents.service_record_mark_erroneous(actor=w.user("officer_a"), record=reminder.service_records.get(status="effective"), reason="登记有误")
    assert "申请人民法院强制执行" in exc.value.message and "第五十四条" in exc.value.message


# --- the other kinds -------------------------------------------------------------------------------------------
def test_every_served_case_kind_is_classified() -> None:
    sets = [service_correction.NOTICE_KINDS, service_correction.DECISION_KINDS, service_correction.REMINDER_KINDS, service_correction.FREE_KINDS, set(service_correction.REFUSED_KINDS)]
    for code in CASE_KIND_CODES:
        if registry.get(code).served:
            assert sum(code in s for s in sets) == 1, code
    assert all(registry.get(code).served for s in sets for code in s)


def test_an_onsite_decision_is_refused_and_a_kind_that_starts_nothing_is_corrected_freely(cases_world: Any, ent_a: Any, clock: Any) -> None:
    w = cases_world
    off = w.user("officer_a")
    summary = services.case_summary_decide(
        actor=off, title="警示标志", facts="未设置警示标志", violation_id="P9", act_date=START.date(), decided_on=START.date(),
        officer_ids=officers(w), reasons="情节轻微", enterprise=ent_a, recipient="李四", amount=Decimal("2000.00"),
    )  # fmt: skip
    record = documents.service_record(actor=off, document=summary.decision_document, method="direct", event_date=START.date(), recipient="李四")
    with pytest.raises(DomainError) as exc:
        documents.service_record_mark_erroneous(actor=off, record=record, reason="登记有误")
    assert "第五十二条" in exc.value.message
    c = filed_case(w, ent_a)
    from anjian.cases import evidence

    n = evidence.interview_notice_issue(
        actor=off, case=c, interviewee="张三", issued_on=START.date(), appointed_at=dt.datetime(2026, 3, 4, 9, 30, tzinfo=START.tzinfo), place="询问室"
    )
    record = documents.service_record(actor=off, document=n.document, method="direct", event_date=START.date(), recipient="张三")
    assert service_correction.refusal(n.document, record) == ""
    documents.service_record_mark_erroneous(actor=off, record=record, reason="受送达人写错")
    c.refresh_from_db()
    assert c.status == "filed" and not CaseStep.objects.filter(case=c, action="case.service_corrected").exists()


# --- who may, through the API and the register screen ---------------------------------------------------------
def test_api_roles_other_district_and_refusal(cases_world: Any, ent_a: Any, clock: Any, client: Any) -> None:
    w = cases_world
    c = _noticed(w, ent_a)
    record = _notice_record(c)
    url = f"/api/v1/documents/{record.document_id}/service-records/{record.pk}/erroneous/"
    for user, status in (("officer_b", 404), ("supervisor_a", 403), ("leader_a", 403), ("officer_city", 403)):
        client.force_login(w.user(user))
        assert client.post(url, {"reason": "登记有误"}, content_type="application/json").status_code == status, user
    with pytest.raises(PermissionRefused):  # the service says the same as the API
        documents.service_record_mark_erroneous(actor=w.user("supervisor_a"), record=record, reason="登记有误")
    with pytest.raises(NotFound):
        documents.service_record_mark_erroneous(actor=w.user("officer_b"), record=record, reason="登记有误")
    client.force_login(w.user("officer_a"))
    assert client.post(url, {"reason": " "}, content_type="application/json").status_code == 400
    record.refresh_from_db()
    c.refresh_from_db()
    assert record.status == "effective" and c.status == "notice_served"
    resp = client.post(url, {"reason": "送达日期登记错误"}, content_type="application/json")
    assert resp.status_code == 200, resp.content
    c.refresh_from_db()
    assert c.status == "notice_issued"
    assert client.post(url, {"reason": "再次"}, content_type="application/json").status_code == 409
    # Served again, then the party states: the marking is refused with the rule named (409).
    services.notice_served(actor=w.user("officer_a"), case=c, method="direct", event_date=START.date(), recipient="李四")
    at(clock, D(2026, 3, 3))
    services.defence_record(actor=w.user("officer_a"), case=c, received_on=D(2026, 3, 3), kind="statement", form="written", content="无异议")
    client.force_login(w.user("officer_a"))  # a day later: the session idled out
    again = _notice_record(c)
    resp = client.post(f"/api/v1/documents/{again.document_id}/service-records/{again.pk}/erroneous/", {"reason": "登记有误"}, content_type="application/json")
    assert resp.status_code == 409 and "第四十五条" in resp.json()["message"], resp.json()


def test_register_screen_flow(cases_world: Any, ent_a: Any, clock: Any, client: Any) -> None:
    w = cases_world
    c = _noticed(w, ent_a)
    record = _notice_record(c)
    doc_url = f"/documents/{record.document_id}/"
    client.force_login(w.user("supervisor_a"))  # may not correct a case's service: no form
    assert 'data-testid="service-erroneous"' not in client.get(doc_url).content.decode()
    client.force_login(w.user("officer_a"))
    page = client.get(doc_url).content.decode()
    assert 'data-testid="service-erroneous"' in page and 'data-testid="service-correction-refusal"' not in page
    blank = client.post(f"{doc_url}service/{record.pk}/erroneous/", {f"r{record.pk}-reason": ""})
    assert blank.status_code == 400
    done = client.post(f"{doc_url}service/{record.pk}/erroneous/", {f"r{record.pk}-reason": "送达日期登记错误"}, follow=True)
    body = done.content.decode()
    assert done.status_code == 200 and "请在行政处罚案件中重新登记送达" in body and "登记有误：送达日期登记错误" in body
    c.refresh_from_db()
    assert c.status == "notice_issued"
    # Served again and the party states: the page shows why it cannot be marked, without the form.
    services.notice_served(actor=w.user("officer_a"), case=c, method="direct", event_date=START.date(), recipient="李四")
    at(clock, D(2026, 3, 3))
    services.defence_record(actor=w.user("officer_a"), case=c, received_on=D(2026, 3, 3), kind="statement", form="written", content="无异议")
    client.force_login(w.user("officer_a"))  # a day later: the session idled out
    page = client.get(doc_url).content.decode()
    assert 'data-testid="service-erroneous"' not in page and 'data-testid="service-correction-refusal"' in page and "第四十五条" in page
    again = _notice_record(c)
    refused = client.post(f"{doc_url}service/{again.pk}/erroneous/", {f"r{again.pk}-reason": "登记有误"})
    assert refused.status_code == 409 and "第四十五条" in refused.content.decode()


# --- the complaints "records speak" panel ----------------------------------------------------------------------
def test_records_speak_with_a_withdrawn_deadline(cases_world: Any, ent_a: Any, clock: Any) -> None:
    from anjian.complaints import records

    w = cases_world
    c = _noticed(w, ent_a, hearing=False)
    at(clock, D(2026, 3, 3))
    documents.service_record_mark_erroneous(actor=w.user("officer_a"), record=_notice_record(c), reason="当事人实际于3月3日签收")

    def texts() -> tuple[list[Any], list[Any]]:
        case = Case.objects.prefetch_related("deadlines", "legal_reviews", "discussions").get(pk=c.pk)
        return records._defence(case, D(2026, 3, 20)).facts, records._procedure(case, D(2026, 3, 20)).facts

    defence, procedure = texts()
    lines = [f.text for f in defence]
    assert any("告知书曾登记于2026年3月2日送达" in t and "当事人实际于3月3日签收" in t for t in lines)
    withdrawn = [f for f in defence if "因送达登记有误" in f.text]
    assert len(withdrawn) == 1 and "待重新登记送达后重新起算" in withdrawn[0].text and not withdrawn[0].marked
    assert not any("尚未作出决定" in f.text and "2026年3月5日届满" in f.text for f in defence)  # not read as a running window
    assert any("因送达登记有误" in f.text for f in procedure) and not any(f.marked and "陈述申辩期限" in f.text for f in procedure)
    services.notice_served(actor=w.user("officer_a"), case=c, method="direct", event_date=D(2026, 3, 3), recipient="李四")
    defence, procedure = texts()
    withdrawn = [f for f in defence if "因送达登记有误" in f.text]
    assert len(withdrawn) == 1 and "由自2026年3月3日起算、2026年3月6日届满的期限替代" in withdrawn[0].text
    assert any("陈述申辩期限：自2026年3月3日起算" in f.text and "因送达登记有误" not in f.text for f in defence)
    assert any("告知书于2026年3月3日送达" in f.text for f in defence)


def test_a_step_recorded_after_its_date_says_when_it_was_recorded(cases_world: Any, ent_a: Any, clock: Any, client: Any) -> None:
    """The timeline is in the order of the acts' dates; a service entered again a day later, with its
    true (earlier) date, shows the day it was recorded, so it does not read as preceding the correction."""
    w = cases_world
    c = _noticed(w, ent_a)
    at(clock, D(2026, 3, 3))
    documents.service_record_mark_erroneous(actor=w.user("officer_a"), record=_notice_record(c), reason="当事人实际于3月3日签收，登记日期有误")
    at(clock, D(2026, 3, 4))
    services.notice_served(actor=w.user("officer_a"), case=c, method="direct", event_date=D(2026, 3, 3), recipient="李四")
    client.force_login(w.user("officer_a"))
    page = client.get(f"/cases/{c.pk}/").content.decode()
    assert page.count("登记）") == 1 and "2026-03-03（2026-03-04登记）" in page
