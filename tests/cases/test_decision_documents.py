"""The documents of the decision stage on a frozen clock (issue 9, item 9): the decision states what
行政处罚法 §59 requires — the party, facts and evidence, the provisions and the penalty clause, the
defence and its review, each fine in figures and capitals, the 15-day payment (§67) at the named
place, the 3% surcharge (§72), the configured reconsideration body and court — and is refused
rather than issued with blanks; the summary decision, the referral and the collective discussion
record likewise. Each is issued once, in the transition's transaction, and sits on its CaseStep."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from anjian.cases import services
from anjian.cases.models import Case, CaseStep
from anjian.core.errors import DomainError, ValidationFailed
from anjian.documents.models import IssuedDocument
from anjian.documents.rendering import document_text
from anjian.enterprises.models import Enterprise
from anjian.org.models import Agency, Membership
from tests.cases.conftest import START, at, filed_case, noticed_case
from tests.documents.text_checks import chinese_text_problems
from tests.inspections.conftest import officers

D = dt.date


@pytest.fixture(autouse=True)
def _media(settings_media: Any) -> None:
    pass


def _text(doc: IssuedDocument) -> str:
    doc.file.open("rb")
    try:
        text = document_text(doc.file.read())
    finally:
        doc.file.close()
    assert chinese_text_problems(text) == [], chinese_text_problems(text)
    return text


def _id_number(prefix: str = "37060219800101123") -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return prefix + "10X98765432"[sum(int(c) * w for c, w in zip(prefix, weights, strict=True)) % 11]


def test_the_decision_states_what_article_59_requires_and_sits_on_its_step(cases_world: Any, ent_a: Any, clock: Any) -> None:
    w = cases_world
    c = noticed_case(w, ent_a)
    v = c.violations.get()
    at(clock, D(2026, 3, 4))
    st = services.defence_record(actor=w.user("officer_a"), case=c, received_on=D(2026, 3, 4), kind="defence", form="written", content="已着手整改，请求从轻")
    services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal("15000.00"), "reasons": "当事人已着手整改，从轻"}])
    services.defence_review(actor=w.user("officer_a"), statement=st, review="当事人已着手整改，予以采纳，从轻处罚")
    at(clock, D(2026, 3, 6))
    c = services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    doc = c.decision_document
    assert doc is not None and doc.kind == "penalty_decision_unit" and doc.number == "芝应急罚〔2026〕1号"
    assert (doc.subject_type, doc.subject_id, doc.source) == ("cases.case", str(c.pk), f"case:{c.pk}:penalty_decision")
    step = CaseStep.objects.get(case=c, action="case.decide")
    assert step.document_id == doc.pk and doc.number in step.summary
    text = _text(doc)
    for fact in [
        # §59 ¶1(1): the party
        "当事人：烟台示例化工有限公司",
        f"统一社会信用代码：{ent_a.uscc}",
        "住所（地址）：烟台市芝罘区示例路8号",
        "法定代表人（负责人）：李四",
        # (2) the facts and the evidence; the notice, the defence and its review (§44, §45)
        "现场发现隐患未消除。",
        "当事人申辩（2026年3月4日，书面材料）",
        "本机关于2026年3月2日向你单位送达了《行政处罚告知书》",
        "你单位于2026年3月4日以书面材料形式提出申辩：已着手整改，请求从轻。经复核，当事人已着手整改，予以采纳，从轻处罚。",
        # (3) the provisions and the penalty clause, the penalty in figures and in capitals
        "依据《中华人民共和国安全生产法》第一百零二条的规定，考虑到当事人已着手整改，从轻，决定处罚款人民币15000.00元（大写：壹万伍仟元整）。",
        "以上罚款合计人民币15000.00元（大写：人民币壹万伍仟元整）。",
        # (4) how and by when: 15 days from service (§67) at the named place; the surcharge (§72)
        "你单位应当自收到本决定书之日起十五日内，到山东省非税收入电子缴款平台或者代收银行营业网点（凭缴款码缴纳）缴纳罚款。",
        "每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额。",
        "第七十二条第一款第一项",
        # (5) the remedies the agency configured, with their time limits
        "可以依法在六十日内向烟台市芝罘区人民政府申请行政复议，或者在六个月内依法向烟台市芝罘区人民法院提起行政诉讼。",
        # (6) the agency, the date in Chinese numerals, the seal
        "烟台市芝罘区应急管理局（印章）",
        "二〇二六年三月六日",
    ]:
        assert fact in text, fact


def test_a_double_submit_issues_no_second_decision(cases_world: Any, ent_a: Any, clock: Any) -> None:
    w = cases_world
    c = noticed_case(w, ent_a)
    at(clock, D(2026, 3, 6))
    services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    with pytest.raises(DomainError) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    assert exc.value.code == "bad_state"
    assert IssuedDocument.objects.filter(kind__startswith="penalty_decision").count() == 1


def test_the_service_of_the_decision_is_recorded_on_the_decision_itself(cases_world: Any, ent_a: Any, clock: Any) -> None:
    from anjian.documents.selectors import date_of_service

    w = cases_world
    c = noticed_case(w, ent_a)
    at(clock, D(2026, 3, 9))
    services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    c = services.decision_served(actor=w.user("officer_a"), case=c, method="direct", event_date=D(2026, 3, 9), recipient="李四")
    assert c.decision_document is not None
    assert date_of_service(c.decision_document) == D(2026, 3, 9) == c.decision_served_on  # the clocks ran from the recorded service


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        ({"review_body": ""}, "agency_remedies_missing", "尚未设置行政复议机关"),
        ({"court": ""}, "agency_remedies_missing", "尚未设置行政诉讼管辖法院"),
        ({"payment_place": ""}, "agency_payment_missing", "罚款缴纳银行或电子缴款渠道"),
    ],
)
def test_an_agency_without_remedies_or_payment_place_cannot_decide(cases_world: Any, ent_a: Any, clock: Any, change: dict[str, str], code: str, words: str) -> None:
    w = cases_world
    c = noticed_case(w, ent_a)
    Agency.objects.filter(pk=w.agency_a.pk).update(**change)
    at(clock, D(2026, 3, 6))
    with pytest.raises(ValidationFailed) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    assert exc.value.code == code and words in exc.value.message and "管理后台" in exc.value.message
    assert exc.value.http_status == 422
    c = Case.objects.get(pk=c.pk)
    assert (c.status, c.decided_on, c.decision_document_id) == ("notice_served", None, None)
    assert not IssuedDocument.objects.filter(kind__startswith="penalty_decision").exists()
    assert not CaseStep.objects.filter(case=c, action="case.decide").exists()


def test_a_party_not_fully_identified_refuses_the_decision(cases_world: Any, ent_a: Any, clock: Any) -> None:
    w = cases_world
    c = noticed_case(w, ent_a)
    Enterprise.objects.filter(pk=ent_a.pk).update(legal_representative="", principal="")
    at(clock, D(2026, 3, 6))
    with pytest.raises(ValidationFailed) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    assert exc.value.code == "document_facts_missing" and "法定代表人（负责人）" in exc.value.message and "第五十九条" in exc.value.article
    assert Case.objects.get(pk=c.pk).status == "notice_served"


def test_the_api_refuses_the_decision_with_422_naming_the_setting(cases_world: Any, ent_a: Any, clock: Any) -> None:
    from rest_framework.test import APIClient

    w = cases_world
    c = noticed_case(w, ent_a)
    Agency.objects.filter(pk=w.agency_a.pk).update(court="")
    at(clock, D(2026, 3, 6))
    client = APIClient()
    client.force_authenticate(w.user("leader_a"))
    r = client.post(f"/api/v1/cases/{c.pk}/decide/", {"decided_on": "2026-03-06"}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "agency_remedies_missing" and "court" in r.json()["fields"]
    Agency.objects.filter(pk=w.agency_a.pk).update(court="烟台市芝罘区人民法院")
    assert client.post(f"/api/v1/cases/{c.pk}/decide/", {"decided_on": "2026-03-06"}, format="json").status_code == 200


def test_a_person_without_an_address_cannot_be_decided_against(cases_world: Any, ent_a: Any, clock: Any) -> None:
    """行政处罚法第五十九条第一款第一项: the decision states the party's address."""
    w = cases_world
    c = services.case_open(
        actor=w.user("officer_a"), source="other", source_reason="事故调查", enterprise=ent_a, person_name="王五", person_id_number=_id_number(),
        title="主要负责人未履行安全生产管理职责案", facts="王五作为主要负责人未组织制定安全生产规章制度", discovered_on=D(2026, 2, 25),
    )  # fmt: skip
    services.case_violation_add(actor=w.user("officer_a"), case=c, violation_id="P4", act_date=D(2026, 2, 20), subject="principal")
    services.case_file(actor=w.user("depthead_a"), case=c, filed_on=START.date())
    services.case_assign_officers(actor=w.user("officer_a"), case=c, staff_ids=officers(w))
    v = c.violations.get()
    services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal("20000.00"), "reasons": "情节一般"}])
    services.notice_issue(actor=w.user("officer_a"), case=c, issued_on=START.date())
    services.notice_served(actor=w.user("officer_a"), case=c, method="direct", event_date=START.date(), recipient="王五")
    at(clock, D(2026, 3, 16))
    with pytest.raises(ValidationFailed) as exc:
        services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 16))
    assert "住址" in str(exc.value.fields) and Case.objects.get(pk=c.pk).status == "notice_served"


def test_a_person_is_named_by_id_number_and_unit(cases_world: Any, ent_a: Any, clock: Any) -> None:
    w = cases_world
    number = _id_number()
    c = services.case_open(
        actor=w.user("officer_a"), source="other", source_reason="事故调查", enterprise=ent_a, person_name="王五", person_id_number=number,
        person_address="烟台市芝罘区南大街1号", title="主要负责人未履行安全生产管理职责案", facts="王五作为主要负责人未组织制定安全生产规章制度", discovered_on=D(2026, 2, 25),
    )  # fmt: skip
    services.case_violation_add(actor=w.user("officer_a"), case=c, violation_id="P4", act_date=D(2026, 2, 20), subject="principal")
    services.case_file(actor=w.user("depthead_a"), case=c, filed_on=START.date())
    services.case_assign_officers(actor=w.user("officer_a"), case=c, staff_ids=officers(w))
    v = c.violations.get()
    services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal("20000.00"), "reasons": "情节一般"}])
    services.notice_issue(actor=w.user("officer_a"), case=c, issued_on=START.date())
    services.notice_served(actor=w.user("officer_a"), case=c, method="direct", event_date=START.date(), recipient="王五")
    at(clock, D(2026, 3, 16))  # after the hearing-request window too, should one have been offered
    c = services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 16))
    doc = c.decision_document
    assert doc is not None and doc.kind == "penalty_decision_person"
    text = _text(doc)
    for fact in [
        "当事人：王五",
        f"身份证号码：{number}",
        "住址：烟台市芝罘区南大街1号",
        "工作单位及职务：烟台示例化工有限公司",
        "你应当自收到本决定书之日起十五日内",
        "罚款人民币20000.00元（大写：贰万元整）",
        "第九十四条",
    ]:
        assert fact in text, fact


def test_the_onsite_decision_names_officers_certificates_and_onsite_collection(cases_world: Any, ent_a: Any) -> None:
    w = cases_world
    kw = dict(
        title="未设置安全警示标志",
        facts="现场未设置警示标志",
        violation_id="P9",
        act_date=START.date(),
        decided_on=START.date(),
        officer_ids=officers(w),
        reasons="情节轻微，当场改正",
        enterprise=ent_a,
        recipient="李四",
    )
    c = services.case_summary_decide(actor=w.user("officer_a"), amount=Decimal("100.00"), collected_receipt_no="PJ-1", onsite_statement="无异议", **kw)
    doc = c.decision_document
    assert doc is not None and doc.kind == "penalty_decision_onsite"
    assert CaseStep.objects.get(case=c, action="case.summary").document_id == doc.pk
    text = _text(doc)
    certs = [r.certificate_number for r in c.officer_rows.all()]
    assert len(certs) == 2 and all(f"执法证号：{n}" in text for n in certs)
    for fact in [
        "当事人：烟台示例化工有限公司",
        "现场未设置警示标志。",
        "决定处罚款人民币100.00元（大写：壹佰元整）。",
        "当事人陈述、申辩情况：无异议。",
        "第六十八条的规定，罚款已由执法人员当场收缴（依法给予一百元以下罚款），并出具专用票据（票据号：PJ-1）。",
        "向烟台市芝罘区人民政府申请行政复议",
        "当事人（签收）：李四",
        "报烟台市芝罘区应急管理局备案",
        "二〇二六年三月二日",
    ]:
        assert fact in text, fact
    assert "十五日内" not in text  # paid on the spot: no payment window to state


def test_the_onsite_decision_without_collection_states_the_payment_window(cases_world: Any, ent_a: Any) -> None:
    w = cases_world
    c = services.case_summary_decide(
        actor=w.user("officer_a"), title="警示标志", facts="未设置警示标志", violation_id="P9", act_date=START.date(), decided_on=START.date(),
        officer_ids=officers(w), reasons="情节轻微", enterprise=ent_a, recipient="李四", amount=Decimal("2000.00"), warning=True,
    )  # fmt: skip
    assert c.decision_document is not None
    text = _text(c.decision_document)
    assert "决定给予警告，并处罚款人民币2000.00元（大写：贰仟元整）。" in text
    assert "当事人应当自收到本决定书之日起十五日内，到山东省非税收入电子缴款平台" in text and "百分之三" in text


def test_the_referral_goes_to_the_named_authority_with_facts_reason_and_materials(cases_world: Any, ent_a: Any, clock: Any) -> None:
    w = cases_world
    c = filed_case(w, ent_a)
    c = services.case_refer(actor=w.user("leader_a"), case=c, on=START.date(), referred_to="烟台市公安局芝罘分局", reason="拒不执行停产停业整顿决定，涉嫌重大责任事故罪")
    step = CaseStep.objects.get(case=c, action="case.refer")
    doc = IssuedDocument.objects.get(kind="case_referral")
    assert step.document_id == doc.pk and doc.number in step.summary
    text = _text(doc)
    for fact in [
        "烟台市公安局芝罘分局：",
        "本机关办理的未消除事故隐患案（当事人：烟台示例化工有限公司），于2026年3月2日立案",
        "现场发现隐患未消除。",
        "本机关认为：拒不执行停产停业整顿决定，涉嫌重大责任事故罪。",
        "第二十七条第一款",
    ]:
        assert fact in text, fact


def test_the_collective_discussion_record_lists_attendees_with_posts(cases_world: Any, ent_a: Any, clock: Any) -> None:
    w = cases_world
    c = noticed_case(w, ent_a)
    Membership.objects.filter(staff=w.user("depthead_a").staff).update(title="执法大队大队长")
    at(clock, D(2026, 3, 5))
    d = services.collective_discussion_record(
        actor=w.user("leader_a"), case=c, held_on=D(2026, 3, 5), attendee_ids=[w.user("leader_a").staff.pk, w.user("depthead_a").staff.pk], conclusion="同意承办人员意见，罚款二万元"
    )  # fmt: skip
    step = CaseStep.objects.get(case=c, action="case.collective")
    doc = IssuedDocument.objects.get(kind="collective_discussion_record")
    assert step.document_id == doc.pk and doc.source == f"case:{c.pk}:collective_discussion_record:{d.pk}"
    text = _text(doc)
    leader, head = w.user("leader_a").staff.name, w.user("depthead_a").staff.name
    for fact in [
        "讨论时间：2026年3月5日",
        f"{leader}\t机关负责人",
        f"{head}\t执法大队大队长",
        "（1）未采取措施消除事故隐患：处罚款人民币20000.00元（大写：贰万元整）",
        "讨论结论：同意承办人员意见，罚款二万元。",
        "减轻处罚：不涉及减轻处罚。",
        f"参加人员：{leader}（机关负责人）",
    ]:
        assert fact in text, fact
