"""Confidentiality and access: the submitter's identity is shown in full only to the owning bureau's
office and the assigned handler, each reveal audited; everyone else sees it masked; an officer
named in a complaint cannot open it (404 like a missing record); other roles see only what they
handle; other districts see nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from anjian.complaints import selectors
from anjian.core.models import AuditEvent
from tests.complaints.conftest import register, to_investigating

PHONE, PHONE_MASKED = "13812345678", "138****5678"


@pytest.fixture
def sub(cw: Any) -> Any:
    s, _ = register(cw, officers=["officer_a"])
    return to_investigating(cw, s, handler="officer_a2")


# user → (may open the page, sees the reveal form for the identity)
MATRIX = {
    "office_a": (True, True),
    "officer_a2": (True, True),  # the assigned handler
    "leader_a": (True, False),
    "depthead_a": (True, False),
    "officer_a": (False, False),  # named in the complaint
    "supervisor_a": (False, False),  # neither a wide role nor the handler
    "legal_a": (False, False),
    "admin_a": (False, False),
    "officer_b": (False, False),  # another district
    "leader_city": (True, False),  # the city reads the districts' records, masked
}


@pytest.mark.parametrize(("name", "expected"), list(MATRIX.items()))
def test_confidentiality_matrix_on_the_page(cw: Any, sub: Any, name: str, expected: tuple[bool, bool]) -> None:
    may_open, may_reveal = expected
    client = Client()
    client.force_login(cw.user(name))
    r = client.get(f"/complaints/{sub.pk}/")
    if not may_open:
        assert r.status_code in (403, 404), r.status_code
        assert "王小明" not in r.content.decode() and "反映执法人员" not in r.content.decode()
        listed = client.get("/complaints/")
        assert "反映执法人员检查时未出示执法证件" not in listed.content.decode()
        return
    body = r.content.decode()
    assert r.status_code == 200
    assert PHONE not in body and PHONE_MASKED in body and "王小明" not in body and "王**" in body
    assert ('name="target" value="submission"' in body) is may_reveal
    assert selectors.may_see_identity(cw.user(name), sub) is may_reveal


@pytest.mark.parametrize(("name", "expected"), list(MATRIX.items()))
def test_confidentiality_matrix_on_the_api(cw: Any, sub: Any, name: str, expected: tuple[bool, bool]) -> None:
    may_open, may_reveal = expected
    client = APIClient()
    client.force_authenticate(cw.user(name))
    r = client.get(f"/api/v1/complaints/{sub.pk}/")
    assert r.status_code == (200 if may_open else 404)
    if may_open:
        assert r.json()["submitter_phone"] == PHONE_MASKED and r.json()["submitter_name"] == "王**"
    before = AuditEvent.objects.filter(action="pii.reveal").count()
    rv = client.post("/api/v1/pii/reveal/", {"target": "submission", "id": sub.pk, "field": "submitter_phone", "reason": "电话联系投诉人核实情况"}, format="json")
    if may_reveal:
        assert rv.status_code == 200 and rv.json()["value"] == PHONE
        ev = AuditEvent.objects.filter(action="pii.reveal").latest("id")
        assert ev.note == "电话联系投诉人核实情况" and ev.object_id == str(sub.pk) and ev.actor_id == cw.user(name).pk
    else:
        assert rv.status_code == (403 if may_open else 404)
        assert AuditEvent.objects.filter(action="pii.reveal").count() == before


def test_the_named_officer_cannot_act_on_it_or_handle_it(cw: Any, sub: Any) -> None:
    from anjian.complaints import services
    from anjian.core.errors import DomainError, NotFound

    with pytest.raises(NotFound):
        services.finding_record(actor=cw.user("officer_a"), submission=sub, ground="uncivil", substantiated=False, note="x", recorded_on=sub.received_on)
    with pytest.raises(DomainError) as exc:
        services.submission_assign(actor=cw.user("office_a"), submission=sub, handler_id=cw.user("officer_a").staff.pk, department_ids=[cw.dept_a.pk], assigned_on=sub.received_on)
    assert exc.value.code == "named_officer_handler"
    # the named officer does not appear among the handlers offered by the page
    client = Client()
    client.force_login(cw.user("office_a"))
    page = client.get(f"/complaints/{sub.pk}/assign/").content.decode()
    assert f'value="{cw.user("officer_a2").staff.pk}"' in page and f'value="{cw.user("officer_a").staff.pk}"' not in page


def test_the_city_reads_but_does_not_act(cw: Any, sub: Any) -> None:
    from anjian.complaints import services
    from anjian.core.errors import PermissionRefused

    with pytest.raises(PermissionRefused) as exc:
        services.extension_request(actor=cw.user("leader_city"), submission=sub, reason="x", requested_on=sub.received_on)
    assert exc.value.code == "not_owner"


def test_the_audit_and_the_page_history_show_no_identity(cw: Any, sub: Any) -> None:
    client = Client()
    client.force_login(cw.user("leader_a"))
    body = client.get(f"/complaints/{sub.pk}/").content.decode()
    assert "登记投诉举报" in body and "受理投诉举报" in body and "交办投诉举报" in body
    for e in AuditEvent.objects.filter(object_type="complaints.submission"):
        assert PHONE not in str(e.after) and "11010519491231002X" not in str(e.after)


def test_the_reply_document_is_read_only_by_who_may_read_the_submission(cw: Any) -> None:
    from anjian.complaints import services
    from tests.complaints.conftest import START, to_approved

    s, _ = register(cw, officers=["officer_a"])
    s = to_approved(cw, s)
    services.submission_reply(actor=cw.user("office_a"), submission=s, replied_on=START.date())
    s.refresh_from_db()
    url = f"/documents/{s.reply_document_id}/download/"
    for name, ok in (("office_a", True), ("leader_a", True), ("officer_a", False), ("supervisor_a", False), ("officer_b", False)):
        c = Client()
        c.force_login(cw.user(name))
        assert c.get(url).status_code == (200 if ok else 404), name
