"""An officer's complaint record (issue 12 item 4): the outcomes naming them, the corrections of
their cases and the complaints naming them with the finding per ground, without the submitter's
identity; only the owning bureau's office and leaders (and the city's) read it, never the officer
themselves nor another officer; every reading is audited; on org's staff page as a panel."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from anjian.cases import services as cases
from anjian.cases.models import CaseOfficer
from anjian.complaints import officers, services
from anjian.core.models import AuditEvent
from tests.complaints.conftest import START, register, to_investigating
from tests.complaints.test_figures import make

D = START.date()


@pytest.fixture
def record(cw: Any, ent_a: Any) -> Any:
    """officer_a named in a complaint: uncivil substantiated (apology, accountability), defence not;
    a correction of a case officer_a worked on."""
    case = cases.case_open(actor=cw.user("officer_a2"), source="other", source_reason="日常巡查发现", enterprise=ent_a, title="芝罘示例案", facts="事实", discovered_on=D)
    CaseOfficer.objects.create(case=case, staff=cw.user("officer_a").staff, checked_on=D, valid=True, check_result="有效")
    sub, _ = register(cw, officers=["officer_a"], grounds=["defence", "uncivil"], case_id=case.pk)
    sub = to_investigating(cw, sub, handler="officer_a2")
    h = cw.user("officer_a2")
    services.finding_record(actor=h, submission=sub, ground="defence", substantiated=False, note="决定金额未高于告知金额", recorded_on=D)
    services.finding_record(actor=h, submission=sub, ground="uncivil", substantiated=True, note="执法记录仪显示态度生硬", recorded_on=D)
    me = cw.user("officer_a").staff.pk
    services.outcome_record(actor=h, submission=sub, kind="apology", ground="uncivil", officer_id=me, note="已当面赔礼道歉", done_on=D)
    services.outcome_record(actor=h, submission=sub, kind="accountability", ground="uncivil", officer_id=me, note="移送过错责任追究", done_on=D)
    services.outcome_record(actor=h, submission=sub, kind="correction", ground="uncivil", case_id=case.pk, note="案件重新审查", done_on=D)
    cw.sub, cw.case = sub, case
    return cw


def test_the_record_for_the_office_and_the_leaders(record: Any) -> None:
    me = record.user("officer_a").staff
    for name in ("office_a", "leader_a", "leader_city"):
        r = officers.officer_record(record.user(name), me.pk)
        assert r.summary() == {"named": 1, "accountability": 1, "apology": 1, "corrections": 1, "substantiated": 1}
        assert [(g["code"], g["substantiated"]) for g in r.complaints[0].grounds] == [("defence", False), ("uncivil", True)]
    lines = {ln.staff_id: ln for ln in officers.officer_lines(record.user("office_a"))}
    assert (lines[me.pk].named, lines[me.pk].apology, lines[me.pk].accountability, lines[me.pk].corrections) == (1, 1, 1, 1)
    c = Client()
    c.force_login(record.user("office_a"))
    before = AuditEvent.objects.filter(action="complaint.officer_record").count()
    page = c.get(f"/complaints/officers/{me.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and "移送行政执法过错责任追究" in body and "执法人员解释并赔礼道歉" in body and "芝罘示例案" in body
    assert "不文明执法：" in body and "属实" in body
    # never the submitter's identity, masked or not
    assert "王小明" not in body and "王**" not in body and "13812345678" not in body and "138****5678" not in body
    ev = AuditEvent.objects.filter(action="complaint.officer_record").latest("id")
    assert AuditEvent.objects.filter(action="complaint.officer_record").count() == before + 1
    assert ev.object_id == str(me.pk) and ev.actor_id == record.user("office_a").pk
    listed = c.get("/complaints/officers/")
    assert listed.status_code == 200 and me.name in listed.content.decode()


# reader → status of the record page (officer_a's record)
MATRIX = {
    "office_a": 200,
    "leader_a": 200,
    "leader_city": 200,
    "officer_a": 404,  # the officer themselves
    "officer_a2": 403,  # another officer (even the handler of the complaint)
    "depthead_a": 403,  # a department head
    "supervisor_a": 403,
    "legal_a": 403,
    "admin_a": 403,
    "officer_b": 403,
}


@pytest.mark.parametrize(("name", "status"), list(MATRIX.items()))
def test_who_may_read_the_record(record: Any, name: str, status: int) -> None:
    me = record.user("officer_a").staff.pk
    c = Client()
    c.force_login(record.user(name))
    r = c.get(f"/complaints/officers/{me}/")
    assert r.status_code == status
    if status != 200:
        assert "移送过错责任追究" not in r.content.decode() and "赔礼道歉" not in r.content.decode()
        assert c.get("/complaints/officers/").status_code == 403
    api = APIClient()
    api.force_authenticate(record.user(name))
    j = api.get(f"/api/v1/complaints/officers/{me}/record/")
    assert j.status_code == status
    if status == 200:
        assert j.json()["summary"]["apology"] == 1 and "submitter" not in j.content.decode()


def test_a_named_officer_with_the_office_role_cannot_read_their_own_record(record: Any) -> None:
    """The office's own member named in a complaint: their record is 404 and they are not listed."""
    from anjian.org.models import Staff

    office = record.user("office_a")
    sub = make(record, officers=("office_a",))
    assert officers.officer_lines(record.user("leader_a"))  # the leader sees the office member's line
    c = Client()
    c.force_login(office)
    assert c.get(f"/complaints/officers/{office.staff.pk}/").status_code == 404
    assert office.staff.pk not in {ln.staff_id for ln in officers.officer_lines(office)}
    assert Staff.objects.filter(pk=office.staff.pk).exists() and sub.pk


def test_other_district_and_malformed_ids(record: Any, ent_b: Any) -> None:
    me = record.user("officer_a").staff.pk
    # district B's complaint naming B's officer: not in district A's scope
    b_sub = make(record, district="b", officers=("officer_b",))
    c = Client()
    c.force_login(record.user("office_a"))
    assert c.get(f"/complaints/officers/{record.user('officer_b').staff.pk}/").status_code == 404
    assert record.user("officer_b").staff.pk not in {ln.staff_id for ln in officers.officer_lines(record.user("office_a"))}
    assert b_sub.pk
    for bad in ("abc", "-1", "9" * 20, "0"):
        api = APIClient()
        api.force_authenticate(record.user("office_a"))
        assert api.get(f"/api/v1/complaints/officers/{bad}/record/").status_code == 404, bad
    assert c.get("/complaints/officers/99999999999999999999/").status_code == 404
    assert c.get(f"/complaints/officers/{record.user('officer_a2').staff.pk}/").status_code == 404  # nothing on their record
    assert c.post(f"/complaints/officers/{me}/").status_code == 405


def test_panel_on_the_staff_page(record: Any) -> None:
    me = record.user("officer_a").staff.pk
    c = Client()
    c.force_login(record.user("office_a"))
    body = c.get(f"/org/staff/{me}/").content.decode()
    assert 'data-testid="complaint-record-panel"' in body and f"/complaints/officers/{me}/" in body and "赔礼道歉" in body
    # the panel's counts are not a reading of the record: no audit row
    assert not AuditEvent.objects.filter(action="complaint.officer_record").exists()
    # the office member's own staff page shows no panel of their own record
    office = record.user("office_a")
    make(record, officers=("office_a",))
    page = c.get(f"/org/staff/{office.staff.pk}/")
    assert page.status_code == 200 and 'data-testid="complaint-record-panel"' not in page.content.decode()


def test_list_queries_do_not_grow(record: Any, django_assert_max_num_queries: Any) -> None:
    for name in ("officer_a2", "depthead_a", "supervisor_a"):
        make(record, officers=(name,))
    user = record.user("office_a")
    officers.officer_lines(user)  # warm the scope
    with django_assert_max_num_queries(5):
        assert len(officers.officer_lines(user)) == 4
