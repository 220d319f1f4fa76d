"""Evidence of a penalty case (行政处罚法 §42, §55, §56): interviews, surveys, samples, preservation
with its seven-working-day decision, files checked by content; each act writes its document and a
CaseStep; refusals (one officer, future dates, before filing, late decision, self-approval); the
API's scope and query counts; the page for the team and 404 for another district."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from anjian.cases import evidence
from anjian.cases.models import CaseDeadline, CaseOfficer, CaseStep
from anjian.cases.models_evidence import EvidenceFile, Preservation, PreservationStatus
from anjian.core.errors import DomainError, PermissionRefused, ValidationFailed
from anjian.documents.rendering import document_text
from tests.cases.conftest import PNG, SH, at, filed_case

D = dt.date
FILED = dt.date(2026, 3, 2)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode."


def t(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH)


@pytest.fixture
def case(cases_world: Any, ent_a: Any, settings_media: Any) -> Any:
    """A filed case (2026-03-02) with officer_a and officer_a2; the clock at 2026-03-04 17:00."""
    c = filed_case(cases_world, ent_a, amount=None)
    return c


@pytest.fixture
def later(clock: Any) -> Any:
    clock.move_to(t(D(2026, 3, 4), 17), tick=False)
    return clock


def text_of(doc: Any) -> str:
    doc.file.open("rb")
    try:
        return document_text(doc.file.read())
    finally:
        doc.file.close()


def steps(case: Any, action: str) -> list[CaseStep]:
    return list(CaseStep.objects.filter(case=case, action=action))


# --- interviews ------------------------------------------------------------------------------------------------
def test_interview_notice_and_record_with_two_officers_and_their_certificates(cases_world: Any, case: Any, later: Any) -> None:
    w = cases_world
    n = evidence.interview_notice_issue(
        actor=w.user("officer_a"), case=case, interviewee="张三", issued_on=D(2026, 3, 3), appointed_at=t(D(2026, 3, 4), 9, 30), place="芝罘区应急管理局询问室", bring="身份证、安全培训记录"
    )
    assert n.document is not None and n.seq == 1
    text = text_of(n.document)
    assert "张三" in text and "2026年3月4日9时30分" in text and "芝罘区应急管理局询问室" in text and "安全培训记录" in text
    rec = evidence.interview_record(
        actor=w.user("officer_a"), case=case, started_at=t(D(2026, 3, 4), 9, 30), ended_at=t(D(2026, 3, 4), 10, 45), place="询问室",
        name="张三", id_number="", employer="烟台示例化工有限公司", position="车间主任", content="问：你单位的隐患是否消除？\n答：尚未消除。", signer="张三", notice=n,
    )  # fmt: skip
    assert [o["name"] for o in rec.officers] == ["officer_a", "officer_a2"]
    assert all(o["certificate_no"] for o in rec.officers)
    text = text_of(rec.document)
    assert "尚未消除" in text and "2026年3月4日9时30分至10时45分" in text
    for o in rec.officers:
        assert o["certificate_no"] in text
    st = steps(case, "case.interview")
    assert len(st) == 1 and st[0].document_id == rec.document_id and st[0].on == D(2026, 3, 4)
    assert steps(case, "case.interview_notice")[0].document_id == n.document_id
    assert rec.document.subject_type == "cases.case" and rec.document.subject_id == str(case.pk) and rec.document.source == f"case:{case.pk}:interview_record:1"


def test_interview_refused_with_one_officer_only(cases_world: Any, case: Any, later: Any) -> None:
    w = cases_world
    CaseOfficer.objects.filter(case=case, staff=w.user("officer_a2").staff).update(active=False)
    with pytest.raises(DomainError) as e:
        evidence.interview_record(actor=w.user("officer_a"), case=case, started_at=t(D(2026, 3, 4), 9), ended_at=t(D(2026, 3, 4), 10), place="询问室", name="张三", content="问答", signer="张三")
    assert e.value.code == "officers_too_few" and "第四十二条" in e.value.article
    assert not CaseStep.objects.filter(case=case, action="case.interview").exists()


def test_interview_refuses_an_expired_certificate_on_the_day(cases_world: Any, case: Any, later: Any) -> None:
    from anjian.org.models import Certificate

    w = cases_world
    Certificate.objects.filter(staff=w.user("officer_a2").staff).update(valid_to=D(2026, 3, 3))
    with pytest.raises(ValidationFailed) as e:
        evidence.interview_record(actor=w.user("officer_a"), case=case, started_at=t(D(2026, 3, 4), 9), ended_at=t(D(2026, 3, 4), 10), place="询问室", name="张三", content="问答", signer="张三")
    assert e.value.code == "officers_invalid"


def test_interview_refuses_future_times_no_signature_and_a_bad_id_number(cases_world: Any, case: Any, later: Any) -> None:
    w = cases_world
    base = dict(actor=w.user("officer_a"), case=case, place="询问室", name="张三", content="问答")
    with pytest.raises(ValidationFailed) as e:
        evidence.interview_record(**base, started_at=t(D(2026, 3, 4), 16), ended_at=t(D(2026, 3, 4), 18), signer="张三")
    assert "ended_at" in e.value.fields
    with pytest.raises(ValidationFailed) as e:
        evidence.interview_record(**base, started_at=t(D(2026, 3, 4), 10), ended_at=t(D(2026, 3, 4), 9), signer="张三")
    assert "ended_at" in e.value.fields
    with pytest.raises(ValidationFailed) as e:
        evidence.interview_record(**base, started_at=t(D(2026, 3, 4), 9), ended_at=t(D(2026, 3, 4), 10))
    assert "signer" in e.value.fields
    with pytest.raises(ValidationFailed) as e:
        evidence.interview_record(**base, started_at=t(D(2026, 3, 4), 9), ended_at=t(D(2026, 3, 4), 10), signer="张三", id_number="370602199001011234")
    assert "id_number" in e.value.fields
    rec = evidence.interview_record(**base, started_at=t(D(2026, 3, 4), 9), ended_at=t(D(2026, 3, 4), 10), refusal_note="被询问人拒绝签字，见证人王五在场。")
    assert "拒绝签字" in text_of(rec.document)


def test_acts_before_filing_are_refused(cases_world: Any, case: Any, later: Any) -> None:
    w = cases_world
    with pytest.raises(ValidationFailed) as e:
        evidence.sample_record(actor=w.user("officer_a"), case=case, sampled_on=D(2026, 3, 1), place="仓库", items=[{"name": "粉尘样品", "quantity": "2", "unit": "袋"}], signer="李四")
    assert "立案日期" in e.value.message
    with pytest.raises(ValidationFailed):
        evidence.survey_record(actor=w.user("officer_a"), case=case, started_at=t(D(2026, 3, 1), 9), ended_at=t(D(2026, 3, 1), 10), place="车间", participants="李四", findings="f", signer="李四")
    with pytest.raises(ValidationFailed) as e:
        evidence.sample_record(actor=w.user("officer_a"), case=case, sampled_on=D(2026, 3, 5), place="仓库", items=[{"name": "粉尘样品", "quantity": "2"}], signer="李四")
    assert "不能晚于今天" in e.value.message


def test_only_the_case_team_records_evidence(cases_world: Any, case: Any, later: Any) -> None:
    from tests.conftest import _person

    w = cases_world
    outsider = _person({}, "officer_a3", w.agency_a, ["officer"])
    with pytest.raises(PermissionRefused) as e:
        evidence.sample_record(actor=outsider, case=case, sampled_on=D(2026, 3, 4), place="仓库", items=[{"name": "粉尘样品", "quantity": "2"}], signer="李四")
    assert e.value.code == "not_case_officer"
    with pytest.raises(Exception) as e2:
        evidence.sample_record(actor=w.user("officer_b"), case=case, sampled_on=D(2026, 3, 4), place="仓库", items=[{"name": "粉尘样品", "quantity": "2"}], signer="李四")
    assert type(e2.value).__name__ == "NotFound"
    # The head of the enforcement team is part of the team.
    s = evidence.sample_record(actor=w.user("depthead_a"), case=case, sampled_on=D(2026, 3, 4), place="仓库", items=[{"name": "粉尘样品", "quantity": "2", "unit": "袋"}], signer="李四")
    assert s.seq == 1


# --- survey and sampling ---------------------------------------------------------------------------------------
def test_survey_and_sampling_documents_carry_the_facts(cases_world: Any, case: Any, later: Any) -> None:
    w = cases_world
    sv = evidence.survey_record(
        actor=w.user("officer_a"), case=case, started_at=t(D(2026, 3, 3), 14), ended_at=t(D(2026, 3, 3), 15, 20), place="二号车间",
        participants="李四（安全主管）", witness="王五（村委会）", findings="除尘器泄爆口朝向人员通道。", signer="李四",
    )  # fmt: skip
    text = text_of(sv.document)
    assert "二号车间" in text and "王五（村委会）" in text and "除尘器泄爆口朝向人员通道" in text and "烟台示例化工有限公司" in text
    smp = evidence.sample_record(
        actor=w.user("officer_a2"), case=case, sampled_on=D(2026, 3, 4), place="原料库", items=[{"name": "铝粉", "spec": "200目", "quantity": "0.500", "unit": "千克"}], signer="李四"
    )
    text = text_of(smp.document)
    assert "铝粉" in text and "200目" in text and "0.5千克" in text and "原料库" in text and "2026年3月4日" in text
    assert steps(case, "case.sample")[0].document_id == smp.document_id
    with pytest.raises(ValidationFailed):
        evidence.sample_record(actor=w.user("officer_a"), case=case, sampled_on=D(2026, 3, 4), place="原料库", items=[{"name": "铝粉", "quantity": "-1"}], signer="李四")
    with pytest.raises(ValidationFailed):
        evidence.sample_record(actor=w.user("officer_a"), case=case, sampled_on=D(2026, 3, 4), place="原料库", items=[], signer="李四")


# --- preservation ----------------------------------------------------------------------------------------------
ITEMS = [{"name": "安全生产台账", "quantity": "3", "unit": "本"}]


def _preserve(w: Any, case: Any, on: dt.date = FILED) -> Preservation:
    p = evidence.preservation_request(actor=w.user("officer_a"), case=case, requested_on=on, reason="台账可能被涂改、销毁，以后难以取得", place="企业档案室", items=ITEMS)
    return evidence.preservation_approve(actor=w.user("leader_a"), preservation=p, approved=True, approved_on=on)


def test_preservation_approved_by_the_head_with_seven_working_days_stored(cases_world: Any, case: Any, later: Any) -> None:
    w = cases_world
    p = _preserve(w, case)
    assert p.status == PreservationStatus.PRESERVED and p.approver == w.user("leader_a").staff
    row = CaseDeadline.objects.get(case=case, code="evidence_preservation_decision:1", active=True)
    # 7 working days after Monday 2026-03-02 (§56, §85): 3/3, 3/4, 3/5, 3/6, 3/9, 3/10, 3/11.
    assert row.due == D(2026, 3, 11) == p.due
    assert "第五十六条" in row.article and row.calendar_version
    text = text_of(p.notice_document)
    assert "安全生产台账" in text and "2026年3月11日" in text and "不得销毁或者转移" in text
    step = steps(case, "case.preservation_approve")[0]
    assert step.document_id == p.notice_document_id and step.deadline_due == D(2026, 3, 11)
    done = evidence.preservation_decide(actor=w.user("leader_a"), preservation=p, outcome="appraisal", decided_on=D(2026, 3, 4), detail="送烟台市产品质量检验所检验")
    assert done.status == PreservationStatus.DECIDED and not done.decided_late
    text = text_of(done.decision_document)
    assert "送交检测、检验、检疫或者技术鉴定" in text and "烟台市产品质量检验所" in text and p.notice_document.number in text
    row.refresh_from_db()
    assert row.met_on == D(2026, 3, 4)
    assert steps(case, "case.preservation_decide")[0].deadline_met is True


def test_a_late_preservation_decision_is_refused_except_returning_the_items(cases_world: Any, case: Any, clock: Any) -> None:
    w = cases_world
    p = _preserve(w, case)
    at(clock, D(2026, 3, 12))
    with pytest.raises(DomainError) as e:
        evidence.preservation_decide(actor=w.user("leader_a"), preservation=p, outcome="confiscate", decided_on=D(2026, 3, 12), detail="没收")
    assert e.value.code == "preservation_lapsed" and "第五十六条" in e.value.article
    done = evidence.preservation_decide(actor=w.user("leader_a"), preservation=p, outcome="return", decided_on=D(2026, 3, 12))
    assert done.decided_late is True
    assert "超过七个工作日" in text_of(done.decision_document)
    assert steps(case, "case.preservation_decide")[0].deadline_met is False


def test_preservation_cannot_be_approved_by_its_requester_or_a_non_head(cases_world: Any, case: Any, later: Any) -> None:
    w = cases_world
    # The head asks; the same person may not approve (职责分离).
    p = evidence.preservation_request(actor=w.user("leader_a"), case=case, requested_on=D(2026, 3, 3), reason="证据可能灭失", place="仓库", items=ITEMS)
    with pytest.raises(PermissionRefused) as e:
        evidence.preservation_approve(actor=w.user("leader_a"), preservation=p, approved=True, approved_on=D(2026, 3, 3))
    assert e.value.code == "self_approval"
    with pytest.raises(PermissionRefused):
        evidence.preservation_approve(actor=w.user("depthead_a"), preservation=p, approved=True, approved_on=D(2026, 3, 3))
    p.refresh_from_db()
    assert p.status == PreservationStatus.PENDING
    q = evidence.preservation_request(actor=w.user("officer_a"), case=case, requested_on=D(2026, 3, 3), reason="证据可能灭失", place="仓库", items=ITEMS)
    refused = evidence.preservation_approve(actor=w.user("leader_a"), preservation=q, approved=False, approved_on=D(2026, 3, 3), opinion="理由不足")
    assert refused.status == PreservationStatus.REFUSED and refused.notice_document is None
    with pytest.raises(DomainError):
        evidence.preservation_decide(actor=w.user("leader_a"), preservation=refused, outcome="return", decided_on=D(2026, 3, 4))


# --- files -----------------------------------------------------------------------------------------------------
def test_evidence_files_are_checked_by_content(cases_world: Any, case: Any, later: Any) -> None:
    w = cases_world
    ev = evidence.evidence_file_add(actor=w.user("officer_a"), case=case, fh=io.BytesIO(PNG), name="现场.png", kind="photo", description="隐患现场照片", source="现场拍摄", collected_on=D(2026, 3, 2))
    assert ev.content_type == "image/png" and len(ev.sha256) == 64 and ev.collector == w.user("officer_a").staff
    assert steps(case, "case.evidence_file")
    with pytest.raises(ValidationFailed) as e:
        evidence.evidence_file_add(actor=w.user("officer_a"), case=case, fh=io.BytesIO(EXE), name="photo.jpg", kind="photo", description="d", source="s", collected_on=D(2026, 3, 2))
    assert "file" in e.value.fields
    with pytest.raises(ValidationFailed):
        evidence.evidence_file_add(actor=w.user("officer_a"), case=case, fh=io.BytesIO(PNG), name="x.png", kind="photo", description="d", source="s", collected_on=D(2026, 2, 24))
    assert EvidenceFile.objects.filter(case=case).count() == 1


# --- API -------------------------------------------------------------------------------------------------------
def api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_api_lists_and_creates_every_kind(cases_world: Any, case: Any, later: Any) -> None:
    w = cases_world
    off, boss = api(w.user("officer_a")), api(w.user("leader_a"))
    base = f"/api/v1/cases/{case.pk}"
    r = off.post(f"{base}/interviews/notices/", {"interviewee": "张三", "issued_on": "2026-03-03", "appointed_at": "2026-03-05T09:00:00+08:00", "place": "询问室"}, format="json")
    assert r.status_code == 201, r.content
    notice_id = r.json()["id"]
    body = {"started_at": "2026-03-04T09:00:00+08:00", "ended_at": "2026-03-04T10:00:00+08:00", "place": "询问室", "name": "张三", "content": "问答", "signer": "张三", "notice": notice_id}
    r = off.post(f"{base}/interviews/", body, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["document_number"] and len(r.json()["officers"]) == 2
    r = off.post(f"{base}/interviews/", {**body, "started_at": "2026-03-05T09:00:00+08:00", "ended_at": "2026-03-05T10:00:00+08:00"}, format="json")
    assert r.status_code == 422 and r.json()["fields"]
    r = off.post(f"{base}/surveys/", {"started_at": "2026-03-04T11:00:00+08:00", "ended_at": "2026-03-04T12:00:00+08:00", "place": "车间", "participants": "李四", "findings": "f", "refusal_note": "拒签"}, format="json")
    assert r.status_code == 201, r.content
    r = off.post(f"{base}/samples/", {"sampled_on": "2026-03-04", "place": "库房", "items": [{"name": "铝粉", "quantity": "1", "unit": "千克"}], "signer": "李四"}, format="json")
    assert r.status_code == 201, r.content
    r = off.post(f"{base}/preservations/", {"requested_on": "2026-03-04", "reason": "可能灭失", "place": "库房", "items": ITEMS}, format="json")
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    r = off.post(f"{base}/preservations/{pid}/approve/", {"approved": True, "approved_on": "2026-03-04"}, format="json")
    assert r.status_code == 403
    r = boss.post(f"{base}/preservations/{pid}/approve/", {"approved": True, "approved_on": "2026-03-04"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["due"] == "2026-03-13" and r.json()["notice_number"]
    r = boss.post(f"{base}/preservations/{pid}/decide/", {"outcome": "return", "decided_on": "2026-03-04"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "decided"
    r = off.post(f"{base}/evidence/", {"file": SimpleUploadedFile("a.png", PNG, "image/png"), "kind": "photo", "description": "照片", "source": "现场拍摄", "collected_on": "2026-03-03"}, format="multipart")
    assert r.status_code == 201, r.content
    r = off.post(f"{base}/evidence/", {"file": SimpleUploadedFile("a.jpg", EXE, "image/jpeg"), "kind": "photo", "description": "照片", "source": "现场拍摄", "collected_on": "2026-03-03"}, format="multipart")
    assert r.status_code == 422 and "file" in r.json()["fields"]
    for path, n in (("interviews", 1), ("interviews/notices", 1), ("surveys", 1), ("samples", 1), ("preservations", 1), ("evidence", 1)):
        r = off.get(f"{base}/{path}/")
        assert r.status_code == 200 and len(r.json()) == n, path
    # Every act is on the case's timeline with its document.
    timeline = {st["action"]: st for st in off.get(f"{base}/").json()["steps"]}
    for action in ("case.interview_notice", "case.interview", "case.survey", "case.sample", "case.preservation_approve", "case.preservation_decide"):
        assert timeline[action]["document"], action
    assert {"case.preservation_request", "case.evidence_file"} <= set(timeline)
    # Another district: 404 for reads and writes alike.
    other = api(w.user("officer_b"))
    assert other.get(f"{base}/interviews/").status_code == 404
    assert other.post(f"{base}/samples/", {"sampled_on": "2026-03-04", "place": "x", "items": ITEMS, "signer": "x"}, format="json").status_code == 404
    assert other.post(f"{base}/preservations/{pid}/decide/", {"outcome": "return", "decided_on": "2026-03-04"}, format="json").status_code == 404
    assert off.post(f"{base}/preservations/987654321/decide/", {"outcome": "return", "decided_on": "2026-03-04"}, format="json").status_code == 404


def test_api_lists_run_a_constant_number_of_queries(cases_world: Any, case: Any, later: Any) -> None:
    w = cases_world
    off = api(w.user("officer_a"))
    base = f"/api/v1/cases/{case.pk}"

    def counts() -> dict[str, int]:
        out = {}
        for path in ("interviews", "surveys", "samples", "preservations", "evidence"):
            with CaptureQueriesContext(connection) as q:
                assert off.get(f"{base}/{path}/").status_code == 200
            out[path] = len(q.captured_queries)
        return out

    evidence.sample_record(actor=w.user("officer_a"), case=case, sampled_on=D(2026, 3, 4), place="库房", items=ITEMS, signer="李四")
    _preserve(w, case, D(2026, 3, 3))
    evidence.evidence_file_add(actor=w.user("officer_a"), case=case, fh=io.BytesIO(PNG), name="a.png", kind="photo", description="d", source="s", collected_on=D(2026, 3, 2))
    small = counts()
    for i in range(3):
        evidence.sample_record(actor=w.user("officer_a"), case=case, sampled_on=D(2026, 3, 4), place=f"库房{i}", items=ITEMS, signer="李四")
        _preserve(w, case, D(2026, 3, 3))
        evidence.evidence_file_add(actor=w.user("officer_a"), case=case, fh=io.BytesIO(PNG), name=f"{i}.png", kind="photo", description="d", source="s", collected_on=D(2026, 3, 2))
        evidence.interview_record(actor=w.user("officer_a"), case=case, started_at=t(D(2026, 3, 4), 9), ended_at=t(D(2026, 3, 4), 10), place="询问室", name=f"证人{i}", content="问答", signer="证人")
        evidence.survey_record(actor=w.user("officer_a"), case=case, started_at=t(D(2026, 3, 4), 9), ended_at=t(D(2026, 3, 4), 10), place="车间", participants="李四", findings="f", signer="李四")
    assert counts() == small
    assert max(small.values()) <= 6


# --- pages -----------------------------------------------------------------------------------------------------
def page(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_page_renders_for_the_team_and_404_for_another_district(cases_world: Any, case: Any, later: Any) -> None:
    w = cases_world
    p = _preserve(w, case)
    url = f"/cases/{case.pk}/evidence/"
    r = page(w.user("officer_a")).get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert "制作询问笔录" in html and "安全生产台账" in html and p.notice_document.number in html and f"/documents/{p.notice_document_id}/download/" in html
    assert page(w.user("officer_b")).get(url).status_code == 404
    assert page(w.user("officer_b")).post(f"/cases/{case.pk}/evidence/sample/", {}).status_code == 404
    # The leader sees the decision form.
    assert "作出处理决定" in page(w.user("leader_a")).get(url).content.decode()


def test_page_forms_record_evidence_and_show_refusals(cases_world: Any, case: Any, later: Any) -> None:
    w = cases_world
    c = page(w.user("officer_a"))
    r = c.post(f"/cases/{case.pk}/evidence/sample/", {"sp-sampled_on": "2026-03-04", "sp-place": "库房", "sp-items": "铝粉｜200目｜1｜千克\n", "sp-signer": "李四"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert case.samples.count() == 1
    r = c.post(f"/cases/{case.pk}/evidence/sample/", {"sp-sampled_on": "2026-03-01", "sp-place": "库房", "sp-items": "铝粉｜｜1｜千克", "sp-signer": "李四"})
    assert r.status_code == 200 and "立案日期" in r.content.decode()
    r = c.post(
        f"/cases/{case.pk}/evidence/interview/",
        {"iv-started_at": "2026-03-04T09:00", "iv-ended_at": "2026-03-04T10:00", "iv-place": "询问室", "iv-name": "张三", "iv-content": "问答", "iv-signer": "张三"},
    )
    assert r.status_code == 302
    r = c.post(f"/cases/{case.pk}/evidence/file/", {"ef-file": SimpleUploadedFile("x.jpg", EXE, "image/jpeg"), "ef-kind": "photo", "ef-description": "d", "ef-source": "s", "ef-collected_on": "2026-03-03"})
    assert r.status_code == 200 and not EvidenceFile.objects.filter(case=case).exists()
    r = c.post(f"/cases/{case.pk}/evidence/preservation/", {"pr-requested_on": "2026-03-04", "pr-reason": "可能灭失", "pr-place": "库房", "pr-items": "台账｜｜2｜本"})
    assert r.status_code == 302
    pres = case.preservations.get()
    r = c.post(f"/cases/{case.pk}/evidence/preservation/{pres.pk}/approve/", {f"pa{pres.pk}-approved": "1", f"pa{pres.pk}-approved_on": "2026-03-04"})
    assert r.status_code == 403
    r = page(w.user("leader_a")).post(f"/cases/{case.pk}/evidence/preservation/{pres.pk}/approve/", {f"pa{pres.pk}-approved": "1", f"pa{pres.pk}-approved_on": "2026-03-04"})
    assert r.status_code == 302
    pres.refresh_from_db()
    assert pres.status == PreservationStatus.PRESERVED


def test_recusal_page_request_and_head_decision(cases_world: Any, case: Any, later: Any) -> None:
    w = cases_world
    staff = w.user("officer_a2").staff
    r = page(w.user("officer_a")).post(f"/cases/{case.pk}/evidence/recusal/", {"rc-staff": str(staff.pk), "rc-requested_on": "2026-03-03", "rc-applicant": "当事人", "rc-reason": "系当事人近亲属"})
    assert r.status_code == 302
    rec = case.recusals.get()
    html = page(w.user("leader_a")).get(f"/cases/{case.pk}/evidence/").content.decode()
    assert "系当事人近亲属" in html and "登记决定" in html
    r = page(w.user("leader_a")).post(f"/cases/{case.pk}/evidence/recusal/{rec.pk}/decide/", {f"rd{rec.pk}-granted": "1", f"rd{rec.pk}-decided_on": "2026-03-04"})
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.granted is True
    assert not CaseOfficer.objects.filter(case=case, staff=staff, active=True).exists()
