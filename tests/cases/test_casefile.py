"""The case file (issue 9 items 10 and 11): the documents in the order of LEGAL.md §8 with the
cover and the index, the zip download, the case-file review's veto items (closing refused while one
fails), the case file page and API, and the daily reminders to the handlers."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.cases import casefile, services
from anjian.cases.models import Case, CaseDeadline, CaseOfficer, CaseStep, Hearing, Notice
from anjian.cases.models_casefile import DocumentPages, Reminder
from anjian.core.errors import DomainError
from anjian.documents import registry
from anjian.documents.models import IssuedDocument
from anjian.documents.rendering import document_text
from tests.cases.conftest import START, at, filed_case, noticed_case
from tests.conftest import make_uscc

D = dt.date
pytestmark = pytest.mark.usefixtures("settings_media")


def api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def executed_case(w: Any, ent: Any, clock: Any, **kw: Any) -> Case:
    """Notice served 3/2, decided 3/6 after the defence window, served and paid the same day."""
    c = noticed_case(w, ent, **kw)
    at(clock, D(2026, 3, 6))
    services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    services.decision_served(actor=w.user("officer_a"), case=c, method="direct", event_date=D(2026, 3, 6), recipient="李四")
    services.payment_record(actor=w.user("officer_a"), case=c, paid_on=D(2026, 3, 6), amount=Decimal("20000.00"), receipt_no=f"R-{c.pk}")
    c.refresh_from_db()
    return c


def crafted_document(w: Any, case: Case, kind: str, title: str, on: dt.date, n: int) -> IssuedDocument:
    """A case document of a kind another stage issues (registered or not here): the file's order
    depends only on the kind code."""
    data = f"{title}{n}".encode()
    from anjian.documents.rendering import sha256_hex

    doc = IssuedDocument(
        kind=kind, title=title, year=on.year, seq=n, number=f"芝应急测〔{on.year}〕{n}号", agency_id=case.owner_agency_id, agency_name=case.owner_agency.name,
        doc_abbr="芝应急", jurisdiction=case.jurisdiction, subject_type="cases.case", subject_id=str(case.pk), source=f"case:{case.pk}:{kind}:{n}", context={},
        sha256=sha256_hex(data), size=len(data), template_version="test", issued_on=on, issued_at=timezone.now(), issued_by=w.user("officer_a"),
    )  # fmt: skip
    doc.file.save(f"test-{kind}-{n}.docx", ContentFile(data), save=False)
    doc.save()
    return doc


def codes(items: list[casefile.VetoItem], status: str) -> set[str]:
    return {i.code for i in items if i.status == status}


# --- the file, its order, cover and index ------------------------------------------------------------------
def test_a_full_journey_gets_its_file_in_the_official_order(cases_world, ent_a, clock):
    w = cases_world
    c = executed_case(w, ent_a, clock)
    # Documents the other stages issue, created out of order: the file follows LEGAL.md §8.
    # (the filing approval, the notice and the decision are issued by the services themselves)
    crafted_document(w, c, "unknown_later_kind", "某新文书", D(2026, 3, 3), 90)
    crafted_document(w, c, "collective_discussion_record", "集体讨论记录", D(2026, 3, 5), 94)
    c = services.case_close(actor=w.user("depthead_a"), case=c, closed_on=D(2026, 3, 6))
    closing = IssuedDocument.objects.get(kind="closing_approval", subject_type="cases.case", subject_id=str(c.pk))
    assert CaseStep.objects.get(case=c, action="case.close").document_id == closing.pk
    text = document_text(closing.file.open("rb").read())
    assert "结案审批表" in text and ent_a.name in text and "20000" in text.replace(",", "") or "2万" in text
    cf = casefile.build_file(c)
    assert [r["kind"] for r in cf.rows] == [
        "penalty_decision_unit", "case_filing_approval", "penalty_notice", "collective_discussion_record", "service_record", "service_record",
        "closing_approval", "payment_receipt", "unknown_later_kind",
    ]  # fmt: skip  (the two proofs of service: the notice's and the decision's)
    assert [r["seq"] for r in cf.rows] == list(range(1, 10))
    receipt = next(r for r in cf.rows if r["kind"] == "payment_receipt")
    assert receipt["number"] == f"R-{c.pk}" and receipt["date"] == D(2026, 3, 6)
    # The cover and the index as documents.
    cover = document_text(casefile.render_unnumbered("case_file_cover", casefile.cover_context(cf), c))
    assert "行政处罚案卷" in cover and ent_a.name in cover and "2026年3月2日" in cover and "2026年3月6日" in cover and "保管期限：永久" in cover
    index = document_text(casefile.render_unnumbered("case_file_index", casefile.index_context(cf), c))
    lines = index.splitlines()
    assert lines[:2] == [c.owner_agency.name, "卷内目录"] and f"当事人：{ent_a.name}" in lines
    assert index.index("卷内目录\t") < index.index("行政处罚决定书\t") < index.index("立案审批表") < index.index("结案审批表") < index.index("某新文书")


def test_page_counts_are_blank_with_a_note_without_libreoffice(cases_world, ent_a, clock, monkeypatch):
    w = cases_world
    c = executed_case(w, ent_a, clock)
    d = IssuedDocument.objects.get(subject_type="cases.case", subject_id=str(c.pk), kind="penalty_decision_unit")
    monkeypatch.setattr(casefile, "pdf_available", lambda: False)
    cf = casefile.build_file(c, with_veto=False)
    assert all(r["pages"] == "" for r in cf.rows) and cf.pages_note == casefile.PAGES_NOTE_NO_PDF and cf.page_total is None
    # With LibreOffice, counted pages (stored per file content) become page ranges.
    monkeypatch.setattr(casefile, "pdf_available", lambda: True)
    DocumentPages.objects.create(document=d, sha256=d.sha256, pages=3)
    cf = casefile.build_file(c, with_veto=False)
    # The decision is counted; the other documents of the case are not yet: no total, a note says so.
    assert cf.rows[0]["pages"] == "1–3" and cf.pages_note == casefile.PAGES_NOTE_PENDING and cf.page_total is None
    for other in IssuedDocument.objects.filter(subject_type="cases.case", subject_id=str(c.pk)).exclude(pk=d.pk):
        DocumentPages.objects.create(document=other, sha256=other.sha256, pages=1)
    cf = casefile.build_file(c, with_veto=False)
    assert cf.pages_note == casefile.PAGES_NOTE_NO_FILE  # all counted; the receipt has no file
    assert cf.page_total == 3 + IssuedDocument.objects.filter(subject_type="cases.case", subject_id=str(c.pk)).count() - 1
    # A count for an older content of the file does not count.
    DocumentPages.objects.filter(document=d).update(sha256="0" * 64)
    assert casefile.build_file(c, with_veto=False).rows[0]["pages"] == ""


def test_pdf_page_count_reads_the_page_objects():
    pdf = b"%PDF-1.4\n1 0 obj<</Type /Pages /Count 2>>endobj 2 0 obj<</Type /Page>>endobj 3 0 obj<</Type/Page/Parent 1 0 R>>endobj"
    assert casefile.pdf_page_count(pdf) == 2
    assert casefile.pdf_page_count(b"not a pdf") is None


def test_zip_download_has_the_index_first_and_the_documents_in_order(cases_world, ent_a, clock):
    w = cases_world
    c = executed_case(w, ent_a, clock)
    mine = IssuedDocument.objects.filter(subject_type="cases.case", subject_id=str(c.pk))
    notice, decision, tampered = (mine.get(kind=k) for k in ("penalty_notice", "penalty_decision_unit", "case_filing_approval"))
    IssuedDocument.objects.filter(pk=tampered.pk).update(sha256="f" * 64)
    r = api(w.user("officer_a")).get(f"/api/v1/cases/{c.pk}/case-file/download/")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(r.content))
    names = z.namelist()
    assert names[0] == "000-卷内目录.docx" and names[1] == "001-案卷首页.docx"
    docs = [n for n in names[2:] if n.endswith(".docx")]
    assert docs[0].endswith(decision.download_name) and docs[1].endswith(notice.download_name)
    assert z.read(docs[0]) == decision.file.open("rb").read()
    assert not any(tampered.download_name in n for n in names)  # changed on disk: left out and named
    assert "立案审批表" in z.read("缺失文件说明.txt").decode()
    assert "卷内目录" in document_text(z.read(names[0]))
    # The page does the same; another bureau gets 404.
    from django.test import Client

    page = Client()
    page.force_login(w.user("officer_a"))
    assert page.get(f"/cases/{c.pk}/case-file/download/").status_code == 200
    assert api(w.user("officer_b")).get(f"/api/v1/cases/{c.pk}/case-file/download/").status_code == 404


# --- the veto check --------------------------------------------------------------------------------------------
def test_a_clean_case_passes_and_reports_what_it_cannot_check(cases_world, ent_a, clock):
    w = cases_world
    c = executed_case(w, ent_a, clock)
    items = casefile.veto_check(c)
    assert casefile.failed_items(items) == []
    assert {"enforcement_body", "officers_two", "officer_qualification", "characterisation", "law_applied", "notice_served", "defence_window", "decision_deadline", "not_above_notice", "decision_served"} <= codes(items, "passed")
    # Judgements the records cannot make are never passed silently.
    assert {"referral", "evidence", "facts"} <= codes(items, "unchecked")
    if not {"penalty_decision_unit", "penalty_notice"} & {k.code for k in registry.kinds()}:
        assert {"decision_document", "notice_document"} <= codes(items, "unchecked")
    assert all(i.article for i in items) and all("§" not in i.article for i in items)
    assert {i.veto for i in items} >= {"执法主体不合法", "执法人员不具备执法资格", "应当移送而未移送", "证据不足", "事实不清", "定性错误", "适用法律错误", "程序违法", "执法人员少于两人"}


def _fewer_officers(c: Case) -> None:
    CaseOfficer.objects.filter(case=c, active=True).order_by("-order").first().delete()


def _invalid_certificate(c: Case) -> None:
    CaseOfficer.objects.filter(case=c, active=True).order_by("order").update(valid=False, check_result="执法证已过有效期")


def _notice_not_served(c: Case) -> None:
    Notice.objects.filter(case=c).update(served_on=None)


def _decided_in_the_defence_window(c: Case) -> None:
    Case.objects.filter(pk=c.pk).update(decided_on=D(2026, 3, 4))


def _hearing_not_held(c: Case) -> None:
    n = Notice.objects.get(case=c)
    Hearing.objects.create(case=c, notice=n, requested_on=D(2026, 3, 3), recorded_by=c.opened_by)


def _late_decision(c: Case) -> None:
    CaseDeadline.objects.filter(case=c, code="decision_deadline", active=True).update(due=D(2026, 3, 5))


def _above_notice(c: Case) -> None:
    v = c.violations.get()
    type(v).objects.filter(pk=v.pk).update(proposed_amount=Decimal("30000.00"))
    Case.objects.filter(pk=c.pk).update(fine_total=Decimal("30000.00"))


def _not_served(c: Case) -> None:
    Case.objects.filter(pk=c.pk).update(decision_served_on=None)


def _no_facts(c: Case) -> None:
    Case.objects.filter(pk=c.pk).update(facts="")


def _other_agency_document(c: Case) -> None:
    IssuedDocument.objects.filter(subject_type="cases.case", subject_id=str(c.pk)).update(agency_id=c.owner_agency_id + 1000)


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (_fewer_officers, "officers_two"),
        (_invalid_certificate, "officer_qualification"),
        (_notice_not_served, "notice_served"),
        (_decided_in_the_defence_window, "defence_window"),
        (_hearing_not_held, "hearing"),
        (_late_decision, "decision_deadline"),
        (_above_notice, "not_above_notice"),
        (_not_served, "decision_served"),
        (_no_facts, "facts"),
        (_other_agency_document, "enforcement_body"),
    ],
)
def test_each_failing_item_is_found(cases_world, ent_a, clock, mutate, code):
    w = cases_world
    c = executed_case(w, ent_a, clock)
    mutate(c)
    c = Case.objects.select_related("owner_agency", "enterprise", "jurisdiction").get(pk=c.pk)
    items = casefile.veto_check(c)
    failed = casefile.failed_items(items)
    assert code in {i.code for i in failed}, [i.as_dict() for i in items]
    item = next(i for i in failed if i.code == code)
    assert "第" in item.article and item.message
    # Closing is refused with the full list, and nothing is written.
    with pytest.raises(DomainError) as exc:
        services.case_close(actor=w.user("depthead_a"), case=c, closed_on=D(2026, 3, 6))
    assert exc.value.code == "case_file_veto" and exc.value.http_status == 409
    assert f"veto.{code}" in exc.value.fields and set(exc.value.fields) == {f"veto.{i.code}" for i in failed}
    assert Case.objects.get(pk=c.pk).status == "executed"
    assert not IssuedDocument.objects.filter(kind="closing_approval").exists()


def test_legal_review_and_collective_discussion_missing_where_required(cases_world, ent_a, clock, monkeypatch):
    w = cases_world
    c = executed_case(w, ent_a, clock)
    need = SimpleNamespace(required=True, reasons=[SimpleNamespace(text="案情疑难复杂", article="《中华人民共和国行政处罚法》第五十八条")])
    monkeypatch.setattr(services, "legal_review_requirement", lambda case, on: need)
    monkeypatch.setattr(services, "collective_requirement", lambda case, on: need)
    failed = {i.code for i in casefile.failed_items(casefile.veto_check(c))}
    assert {"legal_review", "collective"} <= failed


def test_key_documents_are_required_once_their_kinds_exist(cases_world, ent_a, clock, monkeypatch):
    w = cases_world
    c = executed_case(w, ent_a, clock)
    fake = SimpleNamespace(code="penalty_decision_unit")
    notice_kind = SimpleNamespace(code="penalty_notice")
    monkeypatch.setattr(registry, "kinds", lambda: [fake, notice_kind])
    key_docs = IssuedDocument.objects.filter(subject_type="cases.case", subject_id=str(c.pk), kind__in=["penalty_decision_unit", "penalty_notice"])
    assert key_docs.count() == 2  # issued by the services
    decision_doc, notice_ids = c.decision_document_id, list(Notice.objects.filter(case=c).values_list("pk", "document_id"))
    key_docs.update(status="voided", void_reason="测试：视为未签发", voided_at=timezone.now())  # as if never issued
    Case.objects.filter(pk=c.pk).update(decision_document=None)
    Notice.objects.filter(case=c).update(document=None)
    c = Case.objects.get(pk=c.pk)
    failed = {i.code for i in casefile.failed_items(casefile.veto_check(c))}
    assert {"decision_document", "notice_document"} <= failed
    key_docs.update(status="issued", void_reason="", voided_at=None)
    Case.objects.filter(pk=c.pk).update(decision_document=decision_doc)
    for pk, doc in notice_ids:
        Notice.objects.filter(pk=pk).update(document=doc)
    c = Case.objects.get(pk=c.pk)
    items = casefile.veto_check(c)
    assert {"decision_document", "notice_document"} <= codes(items, "passed")


def test_a_case_without_a_decision_marks_the_decision_items_not_applicable(cases_world, ent_a, clock):
    w = cases_world
    c = filed_case(w, ent_a)
    c = services.case_no_penalty(actor=w.user("leader_a"), case=c, on=START.date(), ground="minor_corrected", reason="轻微并及时改正，无危害后果")
    items = casefile.veto_check(c)
    assert casefile.failed_items(items) == []
    assert {"notice_served", "defence_window", "hearing", "decision_served", "decision_document", "law_applied"} <= codes(items, "not_applicable")
    c = services.case_close(actor=w.user("depthead_a"), case=c, closed_on=START.date())
    closing = IssuedDocument.objects.get(kind="closing_approval", subject_id=str(c.pk))
    assert "不予行政处罚" in document_text(closing.file.open("rb").read())


def test_case_close_through_the_api_refused_with_the_list_then_allowed(cases_world, ent_a, clock):
    w = cases_world
    c = executed_case(w, ent_a, clock)
    row = CaseOfficer.objects.filter(case=c, active=True).order_by("order").first()
    CaseOfficer.objects.filter(pk=row.pk).update(valid=False, check_result="执法证已暂扣")
    head = api(w.user("depthead_a"))
    r = head.post(f"/api/v1/cases/{c.pk}/close/", {"closed_on": "2026-03-06"}, format="json")
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "case_file_veto" and "veto.officer_qualification" in body["fields"] and "veto.officers_two" in body["fields"]
    assert "执法证已暂扣" in body["fields"]["veto.officer_qualification"][0]
    CaseOfficer.objects.filter(pk=row.pk).update(valid=True, check_result="有效")
    r = head.post(f"/api/v1/cases/{c.pk}/close/", {"closed_on": "2026-03-06"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "closed"


# --- the API and the page ------------------------------------------------------------------------------------------
def _ent(world: Any, n: int) -> Any:
    from anjian.enterprises import services as ent_services

    return ent_services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name=f"案卷示例企业{n}有限公司", uscc=make_uscc(400 + n), sectors=["industry.machinery"])


def test_api_file_index_and_veto_results_with_a_constant_query_count(cases_world, ent_a, clock):
    w = cases_world
    c = executed_case(w, ent_a, clock)
    officer = api(w.user("officer_a"))
    with CaptureQueriesContext(connection) as small:
        r = officer.get(f"/api/v1/cases/{c.pk}/case-file/")
    assert r.status_code == 200
    body = r.json()
    assert body["retention"] == "永久" and body["may_close"] is True and body["veto_failed"] == 0
    assert [row["kind"] for row in body["rows"]][:1] == ["penalty_decision_unit"]  # LEGAL.md §8: the decision first
    assert {v["code"] for v in body["veto"]} >= {"officers_two", "notice_served", "referral"}
    for i in range(2, 12):
        crafted_document(w, c, "interview_record", "询问笔录", D(2026, 3, 3), i)
    with CaptureQueriesContext(connection) as big:
        r = officer.get(f"/api/v1/cases/{c.pk}/case-file/")
    assert len(r.json()["rows"]) == len(body["rows"]) + 10
    assert len(big.captured_queries) == len(small.captured_queries)
    # Out of scope, missing, overflowing: 404.
    assert api(w.user("officer_b")).get(f"/api/v1/cases/{c.pk}/case-file/").status_code == 404
    assert officer.get("/api/v1/cases/99999999/case-file/").status_code == 404
    assert officer.get(f"/api/v1/cases/{'9' * 20}/case-file/").status_code == 404
    # The case file's path (case-file/) leaves cases/<id>/file/ to the filing action (立案) of the API and the pages.
    assert officer.post(f"/api/v1/cases/{c.pk}/case-file/", {}, format="json").status_code == 405
    r = api(w.user("depthead_a")).post(f"/api/v1/cases/{c.pk}/file/", {"filed_on": "2026-03-02"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "bad_state"


def test_case_file_page(cases_world, ent_a, clock, monkeypatch):
    from django.test import Client

    w = cases_world
    c = executed_case(w, ent_a, clock)
    page = Client()
    page.force_login(w.user("officer_a"))
    r = page.get(f"/cases/{c.pk}/case-file/")
    html = r.content.decode()
    assert r.status_code == 200 and "卷内目录" in html and "案卷评查否决项" in html and 'data-testid="veto-clean"' in html
    assert f"/cases/{c.pk}/case-file/download/" in html
    CaseOfficer.objects.filter(case=c).update(valid=False, check_result="无效")
    assert 'data-testid="veto-failed"' in page.get(f"/cases/{c.pk}/case-file/").content.decode()
    from anjian.cases import views_casefile

    monkeypatch.setattr(views_casefile, "pdf_available", lambda: False)
    r = page.post(f"/cases/{c.pk}/case-file/pages/", follow=True)
    assert r.status_code == 200 and "LibreOffice" in r.content.decode()
    other = Client()
    other.force_login(w.user("officer_b"))
    assert other.get(f"/cases/{c.pk}/case-file/").status_code == 404


def test_count_pages_stores_the_count_per_document(cases_world, ent_a, clock, monkeypatch):
    w = cases_world
    c = executed_case(w, ent_a, clock)
    d = IssuedDocument.objects.get(subject_type="cases.case", subject_id=str(c.pk), kind="penalty_notice")
    monkeypatch.setattr(casefile, "pdf_available", lambda: True)
    monkeypatch.setattr(casefile, "convert_to_pdf", lambda data: b"<</Type /Page>> <</Type /Page>>")
    assert casefile.count_pages(c) == IssuedDocument.objects.filter(subject_type="cases.case", subject_id=str(c.pk)).count()
    assert DocumentPages.objects.get(document=d).pages == 2
    assert casefile.count_pages(c) == 0  # counted once per content


# --- the daily reminders --------------------------------------------------------------------------------------------
def test_reminders_are_idempotent_scoped_to_the_handlers_and_constant_in_queries(cases_world, ent_a, clock):
    w = cases_world
    soon = noticed_case(w, ent_a)  # next step: the decision, due in 90 days
    CaseDeadline.objects.filter(case=soon, code="decision_deadline", active=True).update(due=D(2026, 3, 5))
    Case.objects.filter(pk=soon.pk).update(next_due=D(2026, 3, 5))  # Thursday: 3 working days after Monday 3/2
    late = filed_case(w, _ent(w, 1))
    Case.objects.filter(pk=late.pk).update(next_due=D(2026, 2, 27))
    far = filed_case(w, _ent(w, 2))
    Case.objects.filter(pk=far.pk).update(next_due=D(2026, 3, 6))  # 4 working days ahead: not yet
    n = casefile.case_reminders(today=D(2026, 3, 2))
    assert n == 4  # two officers on each of the two cases
    assert casefile.case_reminders(today=D(2026, 3, 2)) == 0  # the same day: nothing new
    assert Reminder.objects.count() == 4
    assert not Reminder.objects.filter(case=far).exists()
    r = Reminder.objects.filter(case=late).first()
    assert r.overdue and "逾期3日" in r.message and "调查取证并告知拟处罚决定" in r.message
    assert not Reminder.objects.get(case=soon, staff=w.user("officer_a").staff).overdue
    # Only the handlers: the department head of the bureau gets none and sees none.
    assert casefile.unread_reminders(w.user("depthead_a")) == []
    mine = casefile.unread_reminders(w.user("officer_a"))
    assert [x.case_id for x in mine] == [late.pk, soon.pk]  # the most urgent first
    # The next day, the same cases are reminded again (once), and the one now 3 working days ahead.
    assert casefile.case_reminders(today=D(2026, 3, 3)) == 6
    # Constant queries whatever the number of cases.
    with CaptureQueriesContext(connection) as small:
        casefile.case_reminders(today=D(2026, 3, 4))
    for i in range(3, 8):
        x = filed_case(w, _ent(w, i))
        Case.objects.filter(pk=x.pk).update(next_due=D(2026, 3, 4))
    with CaptureQueriesContext(connection) as big:
        assert casefile.case_reminders(today=D(2026, 3, 5)) == 16
    assert len(big.captured_queries) == len(small.captured_queries)
    # Marking read is per person.
    assert casefile.reminders_mark_read(actor=w.user("officer_a")) > 0
    assert casefile.unread_reminders(w.user("officer_a")) == []
    assert casefile.unread_reminders(w.user("officer_a2")) != []


def test_reminder_command_and_include(cases_world, ent_a, clock):
    from django.template import Context, Template
    from django.test import RequestFactory

    w = cases_world
    c = noticed_case(w, ent_a)
    Case.objects.filter(pk=c.pk).update(next_due=D(2026, 3, 3))
    out = io.StringIO()
    call_command("case_reminders", "--today", "2026-03-02", stdout=out)
    assert "新生成办案提醒2条" in out.getvalue()
    call_command("case_reminders", "--today", "2026-03-02", stdout=out)
    assert Reminder.objects.count() == 2
    request = RequestFactory().get("/cases/")
    request.user = w.user("officer_a")
    html = Template("{% load casefile %}{% case_reminders %}").render(Context({"request": request}))
    assert "办案提醒（1）" in html and f"/cases/{c.pk}/case-file/" in html
    from django.test import Client

    page = Client()
    page.force_login(w.user("officer_a"))
    assert page.post("/cases/reminders/read/", {"next": "/cases/"}).status_code == 302
    assert casefile.unread_reminders(w.user("officer_a")) == []


def test_documents_of_the_source_inspection_are_in_the_file(cases_world, inspection, clock):
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
    record = crafted_document(w, c, "inspection_record", "现场检查记录", D(2026, 3, 2), 1)
    IssuedDocument.objects.filter(pk=record.pk).update(subject_type="inspections.inspection", subject_id=str(inspection.pk))
    other = crafted_document(w, c, "inspection_record", "现场检查记录", D(2026, 3, 2), 2)
    IssuedDocument.objects.filter(pk=other.pk).update(subject_type="inspections.inspection", subject_id=str(inspection.pk + 1000))
    notice = crafted_document(w, c, "penalty_notice", "行政处罚告知书", D(2026, 3, 2), 3)
    docs = casefile.case_documents(Case.objects.get(pk=c.pk))
    assert {d.pk for d in docs} == {record.pk, notice.pk}
    rows = casefile.build_file(Case.objects.get(pk=c.pk), with_veto=False).rows
    assert [r["kind"] for r in rows] == ["inspection_record", "penalty_notice"]  # 现场检查记录 before 告知书 (LEGAL.md §8)


def test_the_printed_bundle_follows_the_file_order(cases_world, ent_a, clock, monkeypatch):
    """The case tells documents which documents belong to it and in what order (issue 14 item 6):
    the decision before the filing approval and the notice (LEGAL.md §8), another district 404."""
    from anjian.documents import printing

    monkeypatch.setattr(printing, "pdf_available", lambda: True)  # the job is asked for; its PDF is the task's
    c = executed_case(cases_world, ent_a, clock)
    resp = api(cases_world.user("officer_a")).post("/api/v1/print-jobs/bundle/", {"subject_type": "cases.case", "subject_id": str(c.pk)}, format="json")
    assert resp.status_code == 202, resp.content
    kinds = [IssuedDocument.objects.get(pk=e["document"]).kind for e in resp.json()["entries"]]
    assert kinds.index("penalty_decision_unit") < kinds.index("case_filing_approval") < kinds.index("penalty_notice")
    assert "case_file_index" not in kinds  # the bundle makes its own index, with page numbers
    other = api(cases_world.user("officer_b")).post("/api/v1/print-jobs/bundle/", {"subject_type": "cases.case", "subject_id": str(c.pk)}, format="json")
    assert other.status_code == 404
