"""The documents of the first half of the procedure (立案 to the hearing), filled from the case.

On the frozen clock of tests/cases (Monday 2026-03-02): each transition issues its document in
its own transaction and records it on its CaseStep; the texts carry the party, the amounts in
figures and capitals, the windows as the law engine computes them and the articles; a double
submit issues one document; the API endpoints are scoped.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from anjian.cases import filing, services
from anjian.cases.models import CaseStep
from anjian.core.errors import DomainError, ValidationFailed
from anjian.documents.models import IssuedDocument
from anjian.documents.rendering import document_text
from anjian.documents.selectors import date_of_service
from tests.cases.conftest import START, at, filed_case, open_case
from tests.documents.text_checks import chinese_text_problems

D = dt.date


@pytest.fixture(autouse=True)
def _media(settings_media):
    return settings_media


def text_of(doc: IssuedDocument) -> str:
    with doc.file.open("rb") as fh:
        text = document_text(fh.read())
    assert chinese_text_problems(text) == [], doc.kind
    return text


def case_docs(case, kind: str | None = None):
    qs = IssuedDocument.objects.filter(subject_type="cases.case", subject_id=str(case.pk))
    return qs.filter(kind=kind) if kind else qs


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_filing_issues_the_approval_form_once(cases_world, ent_a):
    w = cases_world
    c = open_case(w, ent_a)
    services.case_file(actor=w.user("depthead_a"), case=c, filed_on=START.date())
    step = CaseStep.objects.get(case=c, action="case.file")
    doc = step.document
    assert doc is not None and doc.kind == "case_filing_approval" and doc.issued_on == START.date()
    text = text_of(doc)
    for fact in (
        "立案审批表",
        ent_a.name,
        "未消除事故隐患案",
        "日常巡查发现",
        "现场发现隐患未消除",
        "未采取措施消除事故隐患",
        "《中华人民共和国安全生产法》第一百零二条",
        "至2028年2月20日）被发现，未超过追责时效",  # §36: two years from the act of 2026-02-20
        "第二十二条",
        "三年内无同类违法记录（初次违法）",
        "二〇二六年三月二日",
        w.user("depthead_a").staff.name,
        doc.number,
    ):
        assert fact in text, fact
    with pytest.raises(DomainError) as exc:  # a double submit: the state refuses before any document
        services.case_file(actor=w.user("depthead_a"), case=c, filed_on=START.date())
    assert exc.value.code == "bad_state"
    assert case_docs(c).count() == 1


def test_reports_notice_and_waiver_form_without_a_hearing(cases_world, ent_a):
    w = cases_world
    off = w.user("officer_a")
    c = filed_case(w, ent_a, amount=Decimal("15000.00"))
    with pytest.raises(ValidationFailed):
        filing.investigation_report_issue(actor=off, case=c, evidence="  ")
    report, created = filing.investigation_report_issue(actor=off, case=c, evidence="现场检查记录1份、现场照片3张，证明隐患逾期未消除")
    assert created and report.kind == "investigation_report"
    again, created = filing.investigation_report_issue(actor=off, case=c, evidence="另一份证据")
    assert again.pk == report.pk and not created  # the same proposal: the report already issued
    text = text_of(report)
    for fact in (ent_a.name, "1.5万元", "壹万伍仟元整", "5万元以下", "第一百零二条", "现场照片3张", "隐患逾期未消除，情节一般", "二〇二六年三月二日"):
        assert fact in text, fact
    approval, created = filing.handling_approval_issue(actor=off, case=c)
    assert created and "现场照片3张" in text_of(approval)  # the evidence of the report, not retyped
    assert CaseStep.objects.filter(case=c, action="case.document", document__in=[report, approval]).count() == 2

    n = services.notice_issue(actor=off, case=c, issued_on=START.date())
    assert n.document is not None and n.document.kind == "penalty_notice"
    assert CaseStep.objects.get(case=c, action="case.notice").document_id == n.document_id
    text = text_of(n.document)
    for fact in (
        "行政处罚告知书",
        f"{ent_a.name}：",
        "罚款人民币1.5万元（大写：壹万伍仟元整）",
        "《中华人民共和国安全生产法》第一百零二条",
        "第四十四条、第四十五条",
        "自收到本告知书之日起三个工作日内",
        "陈述申辩期限至二〇二六年三月五日届满",  # 3 working days after Monday 3/2
        "不得因你单位陈述、申辩而给予更重的处罚",
        c.officer_rows.filter(active=True).first().certificate_number,  # the officers of the case
        "（签收）",
    ):
        assert fact in text, fact
    assert "要求举行听证" not in text  # 1.5万元 is below the unit's hearing threshold
    with pytest.raises(DomainError):  # a double submit of the notice
        services.notice_issue(actor=off, case=c, issued_on=START.date())
    assert case_docs(c, "penalty_notice").count() == 1
    with pytest.raises(DomainError) as exc:
        filing.hearing_right_notice_issue(actor=off, case=c)
    assert exc.value.code == "hearing_not_offered"

    form, created = filing.waiver_form_issue(actor=off, case=c)
    assert created
    text = text_of(form)
    assert n.document.number in text and "放弃陈述、申辩权利" in text and "二〇二六年三月二日" in text and "听证" not in text
    assert filing.waiver_form_issue(actor=off, case=c) == (form, False)


def test_hearing_documents_from_the_notice_to_the_report(cases_world, ent_a, clock):
    w = cases_world
    off = w.user("officer_a")
    c = filed_case(w, ent_a, amount=Decimal("60000.00"), violation="P21")
    n = services.notice_issue(actor=off, case=c, issued_on=START.date())
    assert n.hearing_offered
    text = text_of(n.document)
    for fact in ("罚款人民币6万元（大写：陆万元整）", "第六十三条、第六十四条", "自收到本告知书之日起五个工作日内", "申请听证期限至二〇二六年三月九日届满"):
        assert fact in text, fact
    services.notice_served(actor=off, case=c, method="direct", event_date=START.date(), recipient="李四")
    n.document.refresh_from_db()
    assert date_of_service(n.document) == START.date()  # the proof of service is on the notice itself
    separate, _ = filing.hearing_right_notice_issue(actor=off, case=c)
    text = text_of(separate)
    assert n.document.number in text and "上述告知书于二〇二六年三月二日送达，申请听证期限至二〇二六年三月九日届满" in text

    at(clock, D(2026, 3, 4))
    services.hearing_request(actor=off, case=c, requested_on=D(2026, 3, 4))
    s = services.defence_record(actor=off, case=c, received_on=D(2026, 3, 4), kind="defence", form="oral", content="隐患已于次日整改完毕，请求从轻处罚")
    step = CaseStep.objects.get(case=c, action="case.defence")
    assert step.document is not None and step.document.kind == "defence_record"
    assert "隐患已于次日整改完毕" in text_of(step.document) and n.document.number in text_of(step.document)
    services.defence_record(actor=off, case=c, received_on=D(2026, 3, 4), kind="statement", form="written", content="书面陈述")
    assert case_docs(c, "defence_record").count() == 1  # a written statement is its own record
    assert s.pk

    at(clock, D(2026, 3, 12))
    chair = w.user("supervisor_a").staff
    kw = {"hearing_date": D(2026, 3, 24), "notice_served_on": D(2026, 3, 12), "place": "局三楼会议室", "chair": chair, "public": False, "not_public_reason": "涉及商业秘密"}
    services.hearing_notice(actor=off, case=c, **kw)
    with pytest.raises(DomainError) as exc:  # a double submit
        services.hearing_notice(actor=off, case=c, **kw)
    assert exc.value.code == "hearing_already_noticed"
    notices = case_docs(c, "hearing_meeting_notice")
    assert notices.count() == 1
    text = text_of(notices.get())
    for fact in ("听证会通知书", "二〇二六年三月二十四日", "局三楼会议室", chair.name, "不公开举行（涉及商业秘密）", "于二〇二六年三月四日提出的听证申请"):
        assert fact in text, fact
    assert CaseStep.objects.get(case=c, action="case.hearing_notice").document_id == notices.get().pk

    at(clock, D(2026, 3, 24))
    with pytest.raises(ValidationFailed) as exc:
        services.hearing_held(actor=off, case=c, held_on=D(2026, 3, 24), outcome="held", summary="当事人到场陈述意见")
    assert "opinion" in exc.value.fields
    services.hearing_held(actor=off, case=c, held_on=D(2026, 3, 24), outcome="held", summary="当事人到场申辩隐患已整改", opinion="事实清楚，建议维持拟处罚意见")
    record = CaseStep.objects.get(case=c, action="case.hearing_held").document
    assert record is not None and record.kind == "hearing_record"
    assert "当事人到场申辩隐患已整改" in text_of(record) and chair.name in text_of(record)
    report = case_docs(c, "hearing_report").get()
    text = text_of(report)
    for fact in ("听证会报告书", "听证结果：已举行", "事实清楚，建议维持拟处罚意见", "罚款人民币6万元（大写：陆万元整）", "二〇二六年三月二十四日", "第六十五条"):
        assert fact in text, fact
    assert CaseStep.objects.filter(case=c, action="case.document", document=report).exists()


def test_the_api_issues_lists_and_scopes_the_documents(cases_world, ent_a, django_assert_max_num_queries):
    w = cases_world
    c = filed_case(w, ent_a, amount=Decimal("15000.00"))
    client = api(w.user("officer_a"))
    r = client.post(f"/api/v1/cases/{c.pk}/investigation-report/", {"evidence": ""}, format="json")
    assert r.status_code in (400, 422) and "evidence" in r.json()["fields"]
    r = client.post(f"/api/v1/cases/{c.pk}/investigation-report/", {"evidence": "现场检查记录"}, format="json")
    assert r.status_code == 201, r.content
    first = r.json()
    assert first["kind"] == "investigation_report" and first["kind_name"] == "调查报告" and first["number"]
    r = client.post(f"/api/v1/cases/{c.pk}/investigation-report/", {"evidence": "现场检查记录"}, format="json")
    assert r.status_code == 200 and r.json()["id"] == first["id"]
    assert client.post(f"/api/v1/cases/{c.pk}/handling-approval/", {}, format="json").status_code == 201
    r = client.post(f"/api/v1/cases/{c.pk}/waiver-form/", {}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "bad_state"  # no notice yet
    services.notice_issue(actor=w.user("officer_a"), case=c, issued_on=START.date())
    assert client.post(f"/api/v1/cases/{c.pk}/waiver-form/", {}, format="json").status_code == 201
    assert client.post(f"/api/v1/cases/{c.pk}/hearing-right-notice/", {}, format="json").status_code == 409

    with django_assert_max_num_queries(8):
        r = client.get(f"/api/v1/cases/{c.pk}/documents/")
    assert r.status_code == 200
    rows = r.json()
    assert [d["kind"] for d in rows] == ["case_filing_approval", "investigation_report", "case_handling_approval", "penalty_notice", "waiver_statement"]
    assert all(d["download_url"] == f"/documents/{d['id']}/download/" for d in rows)
    page = Client()  # the download view is a page (session login)
    page.force_login(w.user("officer_a"))
    assert page.get(rows[3]["download_url"]).status_code == 200

    other = api(w.user("officer_b"))
    for path in ("investigation-report", "handling-approval", "waiver-form", "hearing-right-notice"):
        assert other.post(f"/api/v1/cases/{c.pk}/{path}/", {"evidence": "x"}, format="json").status_code == 404, path
    assert other.get(f"/api/v1/cases/{c.pk}/documents/").status_code == 404
    assert case_docs(c).count() == 5
