"""Publication of penalty decisions (安全生产法 §78, 行政处罚法 §48, 企业信息公示暂行条例 §6), the
public page, and the serious-dishonesty list (应急管理部令第11号)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from anjian.cases import publication as pub
from anjian.cases import services
from anjian.cases.models import CaseDeadline
from anjian.cases.models_publication import Publication
from anjian.core.errors import ValidationFailed
from tests.cases.conftest import at, noticed_case

D = dt.date
ID_NUMBER = "11010519491231002X"  # a valid GB 11643 number (check digit X)
MOBILE = "13812345678"


DECIDED_ON = D(2026, 3, 6)


def decided(w: Any, ent: Any, clock: Any, *, day: dt.date = DECIDED_ON, facts: str = "") -> Any:
    c = noticed_case(w, ent)
    if facts:
        type(c).objects.filter(pk=c.pk).update(facts=facts)
        c.refresh_from_db()
    at(clock, day)
    return services.decision_make(actor=w.user("leader_a"), case=c, decided_on=day)


def released(w: Any, ent: Any, clock: Any, **kw: Any) -> Publication:
    c = decided(w, ent, clock, **kw)
    p = Publication.objects.get(case=c)
    pub.publication_prepare(actor=w.user("officer_a"), publication=p, on=c.decided_on)
    return pub.publication_release(actor=w.user("depthead_a"), publication=p, on=c.decided_on)


# --- the queue and its clocks ------------------------------------------------------------------------------
def test_a_decision_against_a_unit_is_queued_with_its_seven_working_day_clock(cases_world, ent_a, clock):
    c = decided(cases_world, ent_a, clock)
    p = Publication.objects.get(case=c)
    assert p.status == "queued" and p.party_name == ent_a.name and p.uscc == ent_a.uscc
    row = CaseDeadline.objects.get(case=c, code="publication", active=True)
    # 7 working days after Friday 2026-03-06: 3/9–3/13, 3/16, 3/17.
    assert row.due == D(2026, 3, 17) == p.due_on and "第七十八条" in row.article
    assert row.calendar_version and row.rule_version.startswith("publication@") and not row.provisional
    credit = CaseDeadline.objects.get(case=c, code="credit_publicity", active=True)
    assert credit.due == p.credit_due_on == D(2026, 4, 3) and "企业信息公示暂行条例第六条" in credit.article  # 20 WD, Qingming 4/4–4/6 after
    assert c.steps.filter(action="publication.queue").exists()


def test_a_decision_against_a_person_is_not_queued(cases_world, ent_a, clock):
    from anjian.cases.models import Case

    c = decided(cases_world, ent_a, clock)
    Publication.objects.filter(case=c).delete()
    Case.objects.filter(pk=c.pk).update(party_type="person", person_name="张三")
    c.refresh_from_db()
    assert pub.publication_queue(actor=cases_world.user("leader_a"), case=c) is None
    assert not Publication.objects.filter(case=c).exists()


def test_queueing_twice_keeps_one_row(cases_world, ent_a, clock):
    c = decided(cases_world, ent_a, clock)
    first = Publication.objects.get(case=c)
    assert pub.publication_queue(actor=cases_world.user("leader_a"), case=c) == first
    assert Publication.objects.filter(case=c).count() == 1


# --- redaction ---------------------------------------------------------------------------------------------
def test_the_published_text_has_no_identity_or_phone_number_nor_individuals_names(cases_world, ent_a, clock):
    facts = f"该单位法定代表人李四（身份证号{ID_NUMBER}，电话{MOBILE}，座机0535-6612345）未组织消除事故隐患。"
    c = decided(cases_world, ent_a, clock, facts=facts)
    text = Publication.objects.get(case=c).text
    assert ID_NUMBER not in text and MOBILE not in text and "6612345" not in text and "李四" not in text
    assert "李某" in text and pub.ID_MASK in text and pub.PHONE_MASK in text
    assert ent_a.name in text and ent_a.uscc in text and "烟台市芝罘区应急管理局" in text and "2026年3月6日" in text
    assert "罚款2万元" in text


def test_redact_keeps_the_credit_code_and_leaves_an_invalid_id_alone():
    uscc = "913706020000000001"
    out = pub.redact(f"代码{uscc}，身份证{ID_NUMBER}，编号123456789012345678，手机+86 138-1234-5678，电话：6612345", keep=[uscc])
    assert uscc in out and ID_NUMBER not in out and "123456789012345678" in out and "138-1234-5678" not in out and "6612345" not in out
    assert pub.redact("欧阳小明到场", names=["欧阳小明", "", "王"]) == "欧阳某到场"
    assert pub.personal_data_left(f"号{ID_NUMBER}", keep=[]) == [ID_NUMBER]


def test_an_edited_text_with_a_number_is_refused_and_names_are_masked(cases_world, ent_a, clock):
    c = decided(cases_world, ent_a, clock)
    p = Publication.objects.get(case=c)
    with pytest.raises(ValidationFailed) as exc:
        pub.publication_prepare(actor=cases_world.user("officer_a"), publication=p, on=c.decided_on, text=f"手工文本，联系{MOBILE}")
    assert "text" in exc.value.fields
    assert Publication.objects.get(pk=p.pk).status == "queued"
    done = pub.publication_prepare(actor=cases_world.user("officer_a"), publication=p, on=c.decided_on, text=f"{ent_a.name}（{ent_a.uscc}），法定代表人李四。")
    assert done.status == "prepared" and "李四" not in done.text and "李某" in done.text and ent_a.uscc in done.text
