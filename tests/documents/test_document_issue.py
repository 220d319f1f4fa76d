"""document_issue: facts first, then number, render, store and audit in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from anjian.core.audit import events_for
from anjian.core.errors import PermissionRefused, ValidationFailed
from anjian.documents.models import DocumentCounter, IssuedDocument
from anjian.documents.rendering import document_text
from tests.documents.conftest import sample_context

pytestmark = pytest.mark.django_db

KINDS = ["inspection_record", "rectification_order", "onsite_measure_decision", "reinspection_opinion"]


def _counter_last(world) -> int | None:
    row = DocumentCounter.objects.filter(agency_id=world.agency_a.pk, series="责改", year=2026).first()
    return row.last if row else None


@pytest.mark.parametrize("kind", KINDS)
def test_it_issues_each_kind_with_number_file_hash_and_audit(world, issue, kind):
    doc = issue(kind)
    assert doc.pk and doc.seq == 1 and doc.number.startswith("芝应急") and doc.number.endswith("〔2026〕1号")
    assert doc.agency_id == world.agency_a.pk and doc.agency_name == "烟台市芝罘区应急管理局" and doc.doc_abbr == "芝应急"
    assert doc.jurisdiction == world.district_a
    assert doc.template_version == "2026.2" and doc.issued_on == dt.date(2026, 11, 28)
    data = doc.file.read()
    assert hashlib.sha256(data).hexdigest() == doc.sha256 and doc.size == len(data)
    assert doc.file.name.startswith("documents/2026/") and doc.file.name.endswith(".docx")
    (event,) = events_for(doc)
    assert event.action == "document.issue" and event.after["number"] == doc.number and event.after["sha256"] == doc.sha256
    assert event.jurisdiction_id == world.district_a.pk


def test_rendered_document_carries_agency_number_chinese_date_and_findings(world, issue):
    doc = issue("inspection_record")
    text = document_text(doc.file.read())
    assert "烟台市芝罘区应急管理局" in text
    assert "芝应急检记〔2026〕1号" in text
    assert "二〇二六年十一月二十八日" in text
    assert "危险化学品仓库可燃气体报警器失效" in text and "一号车间东侧" in text
    assert "2026年11月28日9时05分至11时30分" in text
    assert "张伟" in text and "37060200456" in text
    assert "{{" not in text and "{%" not in text


def test_rectification_order_states_the_deadline_legal_text_and_remedies(world, issue):
    text = document_text(issue("rectification_order").file.read())
    assert "于2026年12月10日前整改完毕" in text
    assert "第一百零二条" in text
    assert "可以依法在六十日内向烟台市芝罘区人民政府申请行政复议" in text
    assert "在六个月内依法向烟台市芝罘区人民法院提起行政诉讼" in text
    assert "《中华人民共和国安全生产法》第四十二条第二款" in text  # a problem's own legal basis


def test_the_stored_context_is_the_json_of_the_facts(world, issue):
    doc = issue("rectification_order")
    assert doc.context["deadline"] == "2026-12-10" and doc.context["problems"][1]["text"] == "安全出口堵塞"
    # The default legal basis of the on-site measure is stored with the facts it was rendered from.
    measure = issue("onsite_measure_decision")
    assert measure.context["legal_basis"] == "《中华人民共和国安全生产法》第六十五条第一款第三项"


def test_missing_facts_name_each_fact_in_chinese_and_consume_no_number(world, issue):
    issue()  # the counter exists and stands at 1
    ctx = sample_context("rectification_order")
    del ctx["deadline"]
    ctx["officers"] = ctx["officers"][:1]
    ctx["problems"][0]["basis"] = " "
    with pytest.raises(ValidationFailed) as exc:
        issue(context=ctx)
    err = exc.value
    assert err.code == "document_facts_missing"
    assert "不能签发《责令限期整改指令书》" in err.message
    assert "整改期限" in err.message
    assert "执法人员" in err.message and "至少须2项" in err.message
    assert "存在的问题第1项的违反的规定" in err.message
    assert "行政处罚法》第四十二条" in err.article
    assert set(err.fields) >= {"deadline", "officers", "problems.0.basis"}
    assert IssuedDocument.objects.count() == 1
    assert _counter_last(world) == 1
    assert issue().seq == 2


def test_missing_facts_before_any_number_leave_no_counter(world, issue):
    with pytest.raises(ValidationFailed) as exc:
        issue(context={})
    assert exc.value.code == "document_facts_missing"
    assert not DocumentCounter.objects.exists() and not IssuedDocument.objects.exists()


def test_inspection_record_needs_signature_or_refusal_and_an_explicit_findings_list(world, issue):
    ctx = sample_context("inspection_record")
    del ctx["party_signer"]
    del ctx["findings"]
    with pytest.raises(ValidationFailed) as exc:
        issue("inspection_record", context=ctx)
    assert "被检查单位负责人签名或拒绝签字的记录" in exc.value.message
    assert "检查发现的问题" in exc.value.message
    assert "安全生产法》第六十八条" in exc.value.article
    ctx.update(findings=[], refusal_note="现场负责人王强拒绝在记录上签字。")
    text = document_text(issue("inspection_record", context=ctx).file.read())
    assert "本次检查未发现安全生产违法行为和事故隐患" in text
    assert "被检查单位负责人拒绝签字" in text and "第六十八条" in text and "王强拒绝在记录上签字" in text


def test_contradicting_facts_are_refused(world, issue):
    ctx = {**sample_context("rectification_order"), "deadline": dt.date(2026, 11, 28)}
    with pytest.raises(ValidationFailed) as exc:
        issue(context=ctx)
    assert exc.value.code == "document_facts_invalid" and "整改期限须晚于检查日期" in exc.value.message
    ctx = {**sample_context("rectification_order"), "deadline": "十二月十日"}
    with pytest.raises(ValidationFailed) as exc:
        issue(context=ctx)
    assert exc.value.code == "document_facts_invalid" and "整改期限须为日期" in exc.value.message
    ctx = sample_context("inspection_record")
    ctx["ended_at"] = "2026-11-28T08:00:00+08:00"
    with pytest.raises(ValidationFailed, match="检查结束时间须晚于开始时间"):
        issue("inspection_record", context=ctx)
    ctx = sample_context("reinspection_opinion")
    ctx["results"][0]["rectified"] = "是"
    with pytest.raises(ValidationFailed, match="是否已整改须为"):
        issue("reinspection_opinion", context=ctx)
    assert not IssuedDocument.objects.exists() and not DocumentCounter.objects.exists()


def test_reserved_names_are_refused(world, issue):
    with pytest.raises(ValidationFailed, match="系统保留的名称"):
        issue(context={**sample_context("rectification_order"), "number": "假文号"})


def test_a_future_issue_date_is_refused(world, issue):
    with pytest.raises(ValidationFailed) as exc:
        issue(issued_on=dt.date(2027, 1, 5))
    assert "签发日期不能晚于今天" in exc.value.fields["issued_on"][0]


def test_another_agency_cannot_issue_in_our_name(world, issue):
    with pytest.raises(PermissionRefused, match="各机关以自己的名义执法"):
        issue(actor=world.user("officer_b"))
    with pytest.raises(PermissionRefused):
        issue(actor=world.user("outsider"))
    # The city bureau acts in its own name, not in a district's.
    with pytest.raises(PermissionRefused):
        issue(actor=world.user("officer_city"))
    assert not DocumentCounter.objects.exists()


def test_unknown_kind_is_refused_in_chinese(world, issue):
    with pytest.raises(ValidationFailed, match="未知的文书种类"):
        issue("no_such_kind", context={})


def test_text_with_markup_characters_and_line_breaks_renders_safely(world, issue):
    ctx = sample_context("inspection_record")
    ctx["findings"] = [{"text": "压力表<1.6MPa & 未检定\"超期\""}]
    ctx["handling"] = "一、停止使用该压力容器;\n二、立即更换压力表。"
    text = document_text(issue("inspection_record", context=ctx).file.read())
    assert "压力表<1.6MPa & 未检定\"超期\"" in text
    assert "一、停止使用该压力容器;\n二、立即更换压力表。" in text


def test_reinspection_opinion_shows_each_result_and_warns_only_when_something_is_left(world, issue):
    text = document_text(issue("reinspection_opinion").file.read())
    assert "1\t危险化学品仓库可燃气体报警器失效\t合格\t已更换并检定" in text
    assert "2\t安全出口堵塞\t不合格\t东侧安全出口仍堆放物料（自本意见书送达之日起7日内整改完毕）" in text
    assert "作出芝应急责改〔2026〕1号《责令限期整改指令书》" in text
    assert "逾期未整改或者整改不符合要求的" in text
    ctx = sample_context("reinspection_opinion")
    for r in ctx["results"]:
        r["rectified"] = True
        r.pop("period_text", None)
    ctx["conclusion"] = "经复查，本次复查的2项隐患均已整改合格，予以销号。"
    assert "逾期未整改或者整改不符合要求的" not in document_text(issue("reinspection_opinion", context=ctx).file.read())


def test_reinspection_opinion_cannot_say_all_passed_when_one_failed(world, issue):
    ctx = sample_context("reinspection_opinion")
    ctx["conclusion"] = "经复查，所列隐患均已整改合格，予以销号。"
    with pytest.raises(ValidationFailed) as exc:
        issue("reinspection_opinion", context=ctx)
    assert exc.value.code == "document_facts_invalid" and "conclusion" in exc.value.fields


def test_rectification_order_states_each_problems_own_period(world, issue):
    ctx = sample_context("rectification_order")
    del ctx["deadline"]
    ctx["problems"][0]["period_text"] = "自本指令书送达之日起15日内"
    with pytest.raises(ValidationFailed) as exc:  # one row without its period, and no period for all
        issue(context=ctx)
    assert "deadline" in exc.value.fields
    ctx["problems"][1]["period_text"] = "自本指令书送达之日起60日内"
    text = document_text(issue(context=ctx).file.read())
    assert "危险化学品仓库可燃气体报警器失效\t《中华人民共和国安全生产法》第三十六条第一款\t自本指令书送达之日起15日内" in text
    assert "安全出口堵塞\t《中华人民共和国安全生产法》第四十二条第二款\t自本指令书送达之日起60日内" in text
    assert "现责令你单位对上述问题分别在上表所列期限内整改完毕" in text


def test_document_list_is_scoped_and_narrowed_to_a_subject(world, issue):
    from anjian.documents.selectors import document_list

    a1 = issue(subject_id=7)
    a2 = issue("onsite_measure_decision", subject_id=8)
    b1 = issue(actor=world.user("officer_b"), agency=world.agency_b, subject_id=7)
    assert set(document_list(world.user("officer_a"))) == {a1, a2}
    assert list(document_list(world.user("officer_a"), subject_type="tests.subject", subject_id=7)) == [a1]
    assert set(document_list(world.user("leader_city"))) == {a1, a2, b1}
    assert not document_list(world.user("outsider")).exists()


def test_rectification_period_may_run_from_service_instead_of_a_date(world, issue):
    ctx = sample_context("rectification_order")
    del ctx["deadline"]
    ctx["deadline_text"] = "自本指令书送达之日起15日内"
    text = document_text(issue(context=ctx).file.read())
    assert "现责令你单位对上述问题自本指令书送达之日起15日内整改完毕" in text


def test_onsite_measure_decision_states_the_facts_when_given(world, issue):
    ctx = {**sample_context("onsite_measure_decision"), "reason": "速冻间氨管道泄漏,现场氨浓度超标"}
    text = document_text(issue("onsite_measure_decision", context=ctx).file.read())
    assert "无法保证安全的事实：速冻间氨管道泄漏,现场氨浓度超标" in text
    assert "无法保证安全的事实" not in document_text(issue("onsite_measure_decision").file.read())
