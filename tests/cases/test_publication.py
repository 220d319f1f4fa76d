"""Publication of penalty decisions (安全生产法 §78, 行政处罚法 §48, 企业信息公示暂行条例 §6), the
public page, and the serious-dishonesty list (应急管理部令第11号)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from anjian.cases import dishonesty, services
from anjian.cases import publication as pub
from anjian.cases.models import CaseDeadline
from anjian.cases.models_publication import Publication
from anjian.core.errors import DomainError, PermissionRefused, ValidationFailed
from tests.cases.conftest import START, at, noticed_case

D = dt.date
ID_NUMBER = "11010519491231002X"  # a valid GB 11643 number (check digit X)
MOBILE = "13812345678"


DECIDED_ON = D(2026, 3, 6)


_acts = itertools.count()


def decided(w: Any, ent: Any, clock: Any, *, day: dt.date = DECIDED_ON, facts: str = "") -> Any:
    """A case decided on ``day``; each call is another act (one act is fined once, 行政处罚法 §29)."""
    c = noticed_case(w, ent, act_date=D(2026, 2, 20) - dt.timedelta(days=next(_acts) % 300))
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
    from anjian.core.models import AuditEvent

    assert AuditEvent.objects.filter(object_type="cases.publication", object_id=str(p.pk), action="publication.queue").exists()
    assert not c.steps.filter(action__startswith="publication.").exists()  # the decision's step covers it


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


# --- release by another person ----------------------------------------------------------------------------------
def test_release_needs_a_text_and_another_person(cases_world, ent_a, clock):
    w = cases_world
    c = decided(w, ent_a, clock)
    p = Publication.objects.get(case=c)
    with pytest.raises(DomainError) as exc:  # nothing prepared yet
        pub.publication_release(actor=w.user("depthead_a"), publication=p, on=c.decided_on)
    assert exc.value.code == "bad_state"
    pub.publication_prepare(actor=w.user("depthead_a"), publication=p, on=c.decided_on)
    with pytest.raises(PermissionRefused) as exc:
        pub.publication_release(actor=w.user("depthead_a"), publication=p, on=c.decided_on)
    assert exc.value.code == "self_approval"
    with pytest.raises(PermissionRefused):  # an officer may prepare, not release
        pub.publication_release(actor=w.user("officer_a"), publication=p, on=c.decided_on)
    at(clock, D(2026, 3, 18))  # one day after the 7th working day
    done = pub.publication_release(actor=w.user("leader_a"), publication=p, on=D(2026, 3, 18))
    assert done.status == "released" and done.released_on == D(2026, 3, 18)
    row = CaseDeadline.objects.get(case=c, code="publication", active=True)
    assert row.met_on == D(2026, 3, 18)
    step = c.steps.get(action="publication.release")
    assert step.deadline_met is False and "超过" in step.summary


def test_another_bureau_cannot_release(cases_world, ent_a, clock):
    w = cases_world
    c = decided(w, ent_a, clock)
    p = Publication.objects.get(case=c)
    pub.publication_prepare(actor=w.user("officer_a"), publication=p, on=c.decided_on)
    with pytest.raises(DomainError):
        pub.publication_release(actor=w.user("depthead_b"), publication=p, on=c.decided_on)
    with pytest.raises(PermissionRefused):  # the city reads but does not act for the district
        pub.publication_release(actor=w.user("leader_city"), publication=p, on=c.decided_on)


# --- withdrawal and credit clocks ---------------------------------------------------------------------------------
def test_withdrawal_within_three_working_days_of_the_change(cases_world, ent_a, clock):
    w = cases_world
    p = released(w, ent_a, clock)
    c = p.case
    at(clock, D(2026, 4, 2))
    with pytest.raises(ValidationFailed):
        pub.publication_decision_changed(actor=w.user("depthead_a"), case=c, changed_on=D(2026, 4, 2), reason=" ")
    pub.publication_decision_changed(actor=w.user("depthead_a"), case=c, changed_on=D(2026, 4, 2), reason="行政复议决定撤销原处罚决定")
    p.refresh_from_db()
    # 3 working days after Thursday 4/2: 4/3, then Qingming 4/4–4/6, 4/7, 4/8.
    assert p.withdrawal_due_on == D(2026, 4, 8)
    row = CaseDeadline.objects.get(case=c, code="publication_withdrawal", active=True)
    assert row.due == D(2026, 4, 8) and "第四十八条" in row.article and row.calendar_version
    assert list(pub.publications_to_withdraw(user=w.user("officer_a"))) == [p]
    at(clock, D(2026, 4, 7))
    with pytest.raises(PermissionRefused):
        pub.publication_withdraw(actor=w.user("officer_a"), case=c, reason="复议撤销", on=D(2026, 4, 7))
    pub.publication_withdraw(actor=w.user("leader_a"), case=c, reason="复议撤销", on=D(2026, 4, 7))
    p.refresh_from_db()
    assert p.status == "withdrawn" and p.withdrawn_on == D(2026, 4, 7)
    assert c.steps.get(action="publication.withdraw").deadline_met is True
    assert list(pub.publications_to_withdraw(user=w.user("officer_a"))) == []
    with pytest.raises(DomainError):
        pub.publication_withdraw(actor=w.user("leader_a"), case=c, reason="再次", on=D(2026, 4, 7))


def test_withdrawal_without_a_recorded_change_starts_the_clock_on_the_given_day(cases_world, ent_a, clock):
    w = cases_world
    p = released(w, ent_a, clock)
    at(clock, D(2026, 3, 20))
    pub.publication_withdraw(actor=w.user("depthead_a"), case=p.case, reason="自行纠错", on=D(2026, 3, 20), changed_on=D(2026, 3, 13))
    p.refresh_from_db()
    assert p.decision_changed_on == D(2026, 3, 13) and p.withdrawal_due_on == D(2026, 3, 18)
    assert p.case.steps.get(action="publication.withdraw").deadline_met is False  # late, and said so


def test_credit_publicity_report(cases_world, ent_a, clock):
    w = cases_world
    c = decided(w, ent_a, clock)
    p = Publication.objects.get(case=c)
    at(clock, D(2026, 3, 20))
    with pytest.raises(PermissionRefused):
        pub.publication_credit_report(actor=w.user("leader_a"), publication=p, reported_on=D(2026, 3, 20))
    pub.publication_credit_report(actor=w.user("office_a"), publication=p, reported_on=D(2026, 3, 20), reference="GS-2026-001")
    p.refresh_from_db()
    assert p.credit_reported_on == D(2026, 3, 20) and p.credit_reference == "GS-2026-001"
    assert CaseDeadline.objects.get(case=c, code="credit_publicity", active=True).met_on == D(2026, 3, 20)
    assert c.steps.get(action="publication.credit").deadline_met is True
    with pytest.raises(DomainError):
        pub.publication_credit_report(actor=w.user("office_a"), publication=p, reported_on=D(2026, 3, 20))


# --- the public page ------------------------------------------------------------------------------------------------
def test_the_public_page_needs_no_login_and_shows_only_released_rows(cases_world, ent_a, ent_b, clock):
    w = cases_world
    p = released(w, ent_a, clock)
    queued = decided(w, ent_a, clock)  # a second decision, not released
    assert Publication.objects.get(case=queued).status == "queued"
    url = reverse("public-penalties")
    r = Client().get(url)
    assert r.status_code == 200
    body = r.content.decode()
    assert body.count('data-testid="public-row"') == 1 and ent_a.name in body and ent_a.uscc in body
    assert "csrfmiddlewaretoken" not in body and "X-CSRFToken" not in body
    assert f"/cases/{p.case_id}/" not in body and f"publications/{p.pk}" not in body
    assert r["Cache-Control"].replace(" ", "") in ("public,max-age=300", "max-age=300,public")
    assert "http://" not in body and "https://" not in body  # no outside hosts
    assert Client().post(url).status_code == 405


def test_the_public_page_searches_and_hides_withdrawn_rows(cases_world, ent_a, clock):
    w = cases_world
    p = released(w, ent_a, clock)
    url = reverse("public-penalties")
    anon = Client()

    def rows(**q: str) -> int:
        return anon.get(url, q).content.decode().count('data-testid="public-row"')

    assert rows(q="示例化工") == 1 and rows(q="不存在的公司") == 0
    assert rows(uscc=ent_a.uscc) == 1 and rows(uscc="91370602MA0000000X") == 0
    assert rows(date_from="2026-03-06", date_to="2026-03-06") == 1 and rows(date_from="2026-03-07") == 0
    assert rows(district="芝罘区") == 1 and rows(district="福山区") == 0
    assert rows(date_from="not-a-date", page="abc") == 1  # a tampered query is ignored, not a 500
    at(clock, D(2026, 3, 20))
    pub.publication_withdraw(actor=w.user("leader_a"), case=p.case, reason="复议撤销", on=D(2026, 3, 20))
    assert rows() == 0


def test_the_public_page_query_count_does_not_grow(cases_world, ent_a, clock, django_assert_max_num_queries):
    w = cases_world
    released(w, ent_a, clock)
    released(w, ent_a, clock)
    with django_assert_max_num_queries(4):
        r = Client().get(reverse("public-penalties"))
    assert r.content.decode().count('data-testid="public-row"') == 2


# --- bureau pages and API ---------------------------------------------------------------------------------------------
def test_queue_page_shows_actions_by_role(cases_world, ent_a, clock):
    w = cases_world
    c = decided(w, ent_a, clock)
    p = Publication.objects.get(case=c)
    officer = Client()
    officer.force_login(w.user("officer_a"))
    r = officer.get(reverse("cases:publication-detail", args=[p.pk]))
    assert r.status_code == 200 and 'data-testid="form-prepare"' in r.content.decode() and 'data-testid="form-release"' not in r.content.decode()
    r = officer.post(reverse("cases:publication-act", args=[p.pk, "prepare"]), {"on": "2026-03-06", "text": ""})
    assert r.status_code == 302
    r = officer.get(reverse("cases:publication-detail", args=[p.pk]))
    assert 'data-testid="form-release"' not in r.content.decode()  # the preparer does not release
    head = Client()
    head.force_login(w.user("depthead_a"))
    assert 'data-testid="form-release"' in head.get(reverse("cases:publication-detail", args=[p.pk])).content.decode()
    r = head.post(reverse("cases:publication-act", args=[p.pk, "release"]), {"on": "2026-03-06"})
    assert r.status_code == 302 and Publication.objects.get(pk=p.pk).status == "released"
    r = officer.get(reverse("cases:publication-queue"))
    assert r.status_code == 200 and ent_a.name in r.content.decode()
    assert officer.post(reverse("cases:publication-act", args=[p.pk, "nope"]), {}).status_code == 404
    r = officer.post(reverse("cases:publication-act", args=[p.pk, "withdraw"]), {"on": "2026-03-06", "reason": "x"})
    assert r.status_code == 403 and Publication.objects.get(pk=p.pk).status == "released"


def test_api_queue_query_count_and_scope(cases_world, ent_a, ent_b, clock, django_assert_max_num_queries):
    w = cases_world
    for _ in range(3):
        decided(w, ent_a, clock)
    api = APIClient()
    api.force_authenticate(w.user("officer_a"))
    with django_assert_max_num_queries(6):
        r = api.get("/api/v1/publications/")
    assert r.status_code == 200 and r.json()["count"] == 3
    pk = r.json()["results"][0]["id"]
    other = APIClient()
    other.force_authenticate(w.user("officer_b"))
    assert other.get(f"/api/v1/publications/{pk}/").status_code == 404
    assert other.post(f"/api/v1/publications/{pk}/prepare/", {"on": "2026-03-06"}, format="json").status_code == 404
    r = api.post(f"/api/v1/publications/{pk}/prepare/", {"on": "2026-03-06"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "prepared"
    r = api.post(f"/api/v1/publications/{pk}/release/", {"on": "2026-03-06"}, format="json")
    assert r.status_code == 403 and r.json()["code"] in ("self_approval", "role_refused")
    assert api.get("/api/v1/publications/99999999999999999999/").status_code == 404


# --- the serious-dishonesty list ---------------------------------------------------------------------------------------
def _accident_case(w: Any, ent: Any, clock: Any, *, deaths: int) -> Any:
    from anjian.cases.models import Case

    c = decided(w, ent, clock)
    a = services.accident_record(actor=w.user("officer_a"), enterprise=ent, occurred_on=D(2026, 2, 20), deaths=deaths, serious_injuries=0, direct_loss=Decimal("100000.00"), narrative="爆炸")
    Case.objects.filter(pk=c.pk).update(source="accident", accident=a)
    c.refresh_from_db()
    return c


def test_a_verified_ground_proposes_and_the_head_decides(cases_world, ent_a, clock):
    w = cases_world
    c = _accident_case(w, ent_a, clock, deaths=10)  # 10 deaths: a major accident (事故条例 §3)
    [p] = dishonesty_candidates(w)
    assert p.listed and p.condition.code == "accident_major"
    e = dishonesty.dishonesty_propose(actor=w.user("officer_a"), enterprise=ent_a, condition="accident_major", on=c.decided_on)
    assert e.status == "proposed" and e.refs
    with pytest.raises(DomainError) as exc:
        dishonesty.dishonesty_propose(actor=w.user("officer_a"), enterprise=ent_a, condition="accident_major", on=c.decided_on)
    assert exc.value.code == "duplicate"
    with pytest.raises(PermissionRefused):  # not the head
        dishonesty.dishonesty_decide(actor=w.user("depthead_a"), entry=e, approve=True, on=c.decided_on)
    e = dishonesty.dishonesty_decide(actor=w.user("leader_a"), entry=e, approve=True, on=c.decided_on, note="同意")
    assert e.status == "decided" and e.decided_by == w.user("leader_a").staff
    e = dishonesty.dishonesty_notify(actor=w.user("officer_a"), entry=e, on=c.decided_on)
    dishonesty.dishonesty_statement(actor=w.user("officer_a"), entry=e, objection="无异议", review="维持")
    e = dishonesty.dishonesty_publish(actor=w.user("depthead_a"), entry=e, on=c.decided_on)
    assert e.status == "published" and e.ends_on == D(2029, 3, 6) and e.early_removal_from == D(2027, 3, 6)
    with pytest.raises(DomainError) as exc:
        dishonesty.dishonesty_remove(actor=w.user("depthead_a"), entry=e, on=c.decided_on, reason="", early=True, repair_reference="修复")
    assert exc.value.code == "removal_refused"


def test_the_proposer_may_not_decide(cases_world, ent_a, clock):
    w = cases_world
    c = _accident_case(w, ent_a, clock, deaths=10)
    from anjian.core.scoping import forget_scope
    from anjian.org.models import RoleGrant

    RoleGrant.objects.create(membership=w.user("leader_a").staff.memberships.get(), role="officer")
    forget_scope(w.user("leader_a"))
    e = dishonesty.dishonesty_propose(actor=w.user("leader_a"), enterprise=ent_a, condition="accident_major", on=c.decided_on)
    with pytest.raises(PermissionRefused) as exc:
        dishonesty.dishonesty_decide(actor=w.user("leader_a"), entry=e, approve=True, on=c.decided_on)
    assert exc.value.code == "self_approval"


def test_a_text_pending_ground_never_lists_and_says_why(cases_world, ent_a, clock):
    w = cases_world
    c = decided(w, ent_a, clock)
    with pytest.raises(DomainError) as exc:
        dishonesty.dishonesty_propose(actor=w.user("officer_a"), enterprise=ent_a, condition="penalty_ground_2", on=c.decided_on, case=c)
    assert exc.value.code == "not_listed" and "条文尚未取得" in exc.value.message
    with pytest.raises(DomainError) as exc:  # a ground the records do not show, without a case
        dishonesty.dishonesty_propose(actor=w.user("officer_a"), enterprise=ent_a, condition="unlicensed_operation", on=c.decided_on)
    assert exc.value.code == "no_ground"
    e = dishonesty.dishonesty_propose(actor=w.user("officer_a"), enterprise=ent_a, condition="unlicensed_operation", on=c.decided_on, case=c)
    assert e.status == "proposed"
    from anjian.cases.models_publication import DishonestyEntry

    assert not DishonestyEntry.objects.filter(condition="penalty_ground_2").exists()


def test_a_general_accident_is_not_a_candidate(cases_world, ent_a, clock):
    w = cases_world
    _accident_case(w, ent_a, clock, deaths=1)
    assert dishonesty_candidates(w) == []


def test_export_has_the_list_and_no_formula(cases_world, ent_a, clock):
    from anjian.enterprises.models import Enterprise

    w = cases_world
    c = _accident_case(w, ent_a, clock, deaths=10)
    Enterprise.objects.filter(pk=ent_a.pk).update(name='=HYPERLINK("http://evil.example","点击")')
    e = dishonesty.dishonesty_propose(actor=w.user("officer_a"), enterprise=ent_a, condition="accident_major", on=c.decided_on)
    e = dishonesty.dishonesty_decide(actor=w.user("leader_a"), entry=e, approve=True, on=c.decided_on)
    e = dishonesty.dishonesty_notify(actor=w.user("officer_a"), entry=e, on=c.decided_on)
    dishonesty.dishonesty_publish(actor=w.user("leader_a"), entry=e, on=c.decided_on)
    client = Client()
    client.force_login(w.user("officer_a"))
    r = client.get(reverse("cases:dishonesty-export"))
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb.active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "单位名称" and len(values) == 2
    cell = ws.cell(row=2, column=1)
    assert cell.value == '=HYPERLINK("http://evil.example","点击")' and cell.data_type == "s" and cell.quotePrefix
    api = APIClient()
    api.force_authenticate(w.user("officer_b"))
    r = api.get("/api/v1/dishonesty/export/")
    assert r.status_code == 200 and len(list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows())) == 1  # B sees none of A's


def test_dishonesty_pages_and_api(cases_world, ent_a, clock, django_assert_max_num_queries):
    w = cases_world
    c = _accident_case(w, ent_a, clock, deaths=10)
    client = Client()
    client.force_login(w.user("officer_a"))
    r = client.get(reverse("cases:dishonesty-list"))
    assert r.status_code == 200 and "符合列入条件" in r.content.decode()
    r = client.post(reverse("cases:dishonesty-list"), {"enterprise": ent_a.pk, "condition": "penalty_ground_3", "on": "2026-03-06", "case": c.pk})
    assert r.status_code == 409 and "条文尚未取得" in r.content.decode()
    r = client.post(reverse("cases:dishonesty-list"), {"enterprise": ent_a.pk, "condition": "accident_major", "on": "2026-03-06"})
    assert r.status_code == 302
    api = APIClient()
    api.force_authenticate(w.user("officer_a"))
    with django_assert_max_num_queries(6):
        r = api.get("/api/v1/dishonesty/")
    assert r.status_code == 200 and r.json()["count"] == 1
    pk = r.json()["results"][0]["id"]
    r = api.get("/api/v1/dishonesty/candidates/")
    assert r.status_code == 200 and r.json()[0]["listed"] is True
    r = api.post(f"/api/v1/dishonesty/{pk}/decide/", {"approve": True, "on": "2026-03-06"}, format="json")
    assert r.status_code == 403
    leader = APIClient()
    leader.force_authenticate(w.user("leader_a"))
    r = leader.post(f"/api/v1/dishonesty/{pk}/decide/", {"approve": False, "on": "2026-03-06", "note": "情节不符"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "refused"
    r = api.post("/api/v1/dishonesty/", {"enterprise": ent_a.pk, "condition": "accident_major", "on": "2026-03-06"}, format="json")
    assert r.status_code == 201  # refused before: may be proposed again
    other = APIClient()
    other.force_authenticate(w.user("officer_b"))
    assert other.post("/api/v1/dishonesty/", {"enterprise": ent_a.pk, "condition": "accident_major", "on": "2026-03-06"}, format="json").status_code == 404
    assert other.get(f"/api/v1/dishonesty/{pk}/").status_code == 404


def dishonesty_candidates(w: Any) -> list[Any]:
    return dishonesty.candidates(user=w.user("officer_a"), on=START.date() + dt.timedelta(days=10))


def test_a_summary_decision_against_a_unit_is_queued_too(cases_world, ent_a):
    from tests.inspections.conftest import officers

    w = cases_world
    c = services.case_summary_decide(
        actor=w.user("officer_a"), title="未设置安全警示标志", facts="现场未设置警示标志，联系电话13912345678", violation_id="P9", act_date=START.date(),
        decided_on=START.date(), officer_ids=officers(w), reasons="情节轻微，当场改正", enterprise=ent_a, recipient="李四", amount=Decimal("1000.00"),
    )  # fmt: skip
    p = Publication.objects.get(case=c)
    assert p.due_on == D(2026, 3, 11) and "13912345678" not in p.text and "罚款1000元" in p.text  # 7 WD after Monday 3/2


def test_bureau_pages_query_counts(cases_world, ent_a, clock, django_assert_max_num_queries):
    w = cases_world
    for _ in range(3):
        _accident_case(w, ent_a, clock, deaths=10)
    client = Client()
    client.force_login(w.user("depthead_a"))
    client.get(reverse("cases:publication-queue"))  # warm the session
    with django_assert_max_num_queries(14):
        r = client.get(reverse("cases:publication-queue"))
    assert r.status_code == 200 and r.content.decode().count(ent_a.name) >= 3
    with django_assert_max_num_queries(14):
        r = client.get(reverse("cases:dishonesty-list"))
    assert r.status_code == 200
