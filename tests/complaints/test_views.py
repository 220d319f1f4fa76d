"""The staff pages: registering shows the tracking code once, the submission page offers only the
steps the user may take now, the step forms call the services and show refusals with the rule,
the list is scoped, paged and costs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from anjian.complaints import services
from anjian.complaints.models import Submission
from tests.complaints.conftest import START, at, register, to_approved, to_investigating


def _client(world: Any, name: str) -> Client:
    c = Client()
    c.force_login(world.user(name))
    return c


def _steps(body: str) -> set[str]:
    return set(re.findall(r'data-testid="step-([a-z-]+)"', body))


def test_register_page_shows_the_code_once(cw: Any) -> None:
    c = _client(cw, "office_a")
    assert c.get("/complaints/new/").status_code == 200
    r = c.post("/complaints/new/", {
        "kind": "complaint", "channel": "visit", "received_on": START.date().isoformat(), "grounds": ["money"], "summary": "反映执法人员索要财物",
        "content": "检查后暗示送礼。", "submitter_name": "赵六", "submitter_phone": "0535-6123456", "officer_ids": [str(cw.user("officer_a").staff.pk)],
    })  # fmt: skip
    body = r.content.decode()
    assert r.status_code == 200, body[:3000]
    code = re.search(r'data-testid="tracking-code">([A-Z0-9-]+)<', body)
    assert code and services.submission_by_code(code.group(1)) == Submission.objects.get()
    assert c.get(f"/complaints/{Submission.objects.get().pk}/").content.decode().count(code.group(1)) == 0


def test_register_page_refuses_bad_input_with_field_messages(cw: Any) -> None:
    c = _client(cw, "office_a")
    r = c.post("/complaints/new/", {"kind": "complaint", "channel": "visit", "received_on": "2026-13-45", "grounds": ["money"], "summary": "x", "content": "y", "anonymous": "on"})
    assert r.status_code == 200 and "请填写正确的日期。" in r.content.decode()
    r = c.post("/complaints/new/", {"kind": "complaint", "channel": "visit", "received_on": "2026-03-02", "grounds": ["money"], "summary": "x", "content": "y", "enterprise_id": "99999999999999999999999"})
    assert r.status_code == 200 and "enterprise_id" in r.content.decode()
    assert Submission.objects.count() == 0
    assert _client(cw, "officer_a").get("/complaints/new/").status_code == 403


def test_buttons_follow_state_role_and_the_other_person(cw: Any, clock: Any) -> None:
    sub, _ = register(cw)
    assert _steps(_client(cw, "office_a").get(f"/complaints/{sub.pk}/").content.decode()) == {"accept", "decline"}
    assert _steps(_client(cw, "leader_a").get(f"/complaints/{sub.pk}/").content.decode()) == set()
    sub = to_investigating(cw, sub)
    assert _steps(_client(cw, "officer_a2").get(f"/complaints/{sub.pk}/").content.decode()) == {"finding", "extension"}
    for g in sub.grounds:
        services.finding_record(actor=cw.user("officer_a2"), submission=sub, ground=g, substantiated=False, note="不属实", recorded_on=START.date())
    assert "draft" in _steps(_client(cw, "officer_a2").get(f"/complaints/{sub.pk}/").content.decode())
    services.result_draft(actor=cw.user("office_a"), submission=sub, result_text="不属实", public_reply="经调查不属实。", drafted_on=START.date())
    assert _steps(_client(cw, "leader_a").get(f"/complaints/{sub.pk}/").content.decode()) == {"approve"}
    # the step page refuses a step the user cannot take now
    r = _client(cw, "office_a").get(f"/complaints/{sub.pk}/approve/")
    assert r.status_code == 403


def test_step_forms_call_the_services_and_show_the_rule(cw: Any, clock: Any) -> None:
    sub, _ = register(cw)
    at(clock, dt.date(2026, 3, 20))
    c = _client(cw, "office_a")  # after moving the clock: the idle timeout would end an older session
    r = c.post(f"/complaints/{sub.pk}/accept/", {"accepted_on": "2026-03-20"})
    body = r.content.decode()
    assert r.status_code == 409 and "信访工作条例" in body and "第二十二条" in body and "2026年3月17日" in body
    r = c.post(f"/complaints/{sub.pk}/accept/", {"accepted_on": "2026-03-20", "late_reason": "来信经转递"})
    assert r.status_code == 302
    sub.refresh_from_db()
    assert sub.status == "accepted"
    page = c.get(f"/complaints/{sub.pk}/").content.decode()
    assert "信访事项办理期限：2026年5月19日" in page and "信访工作条例第三十四条" in page


def test_reply_page_issues_the_document_once(cw: Any) -> None:
    sub, _ = register(cw)
    sub = to_approved(cw, sub)
    c = _client(cw, "office_a")
    r = c.post(f"/complaints/{sub.pk}/reply/", {"replied_on": START.date().isoformat()})
    assert r.status_code == 302
    again = c.post(f"/complaints/{sub.pk}/reply/", {"replied_on": START.date().isoformat()})
    assert again.status_code == 403  # the step is no longer offered
    page = c.get(f"/complaints/{sub.pk}/").content.decode()
    assert "下载答复意见书（芝应急诉答〔2026〕1号）" in page


def test_list_is_scoped_paged_and_its_queries_do_not_grow(cw: Any) -> None:
    c = _client(cw, "office_a")
    register(cw)
    with CaptureQueriesContext(connection) as one:
        assert c.get("/complaints/").status_code == 200
    for _ in range(12):
        register(cw, kind="report", grounds=["hidden_hazard"])
    with CaptureQueriesContext(connection) as many:
        r = c.get("/complaints/?kind=report")
    assert r.status_code == 200 and "共 <strong>12</strong> 件" in r.content.decode()
    assert len(many) <= len(one)
    assert "includes/pager.html" in [t.name for t in r.templates]
    assert "共 <strong>0</strong> 件" in _client(cw, "depthead_b").get("/complaints/").content.decode()  # nothing of district A


def test_nav_entry_for_the_roles_that_use_it(cw: Any) -> None:
    assert 'data-testid="nav-complaints"' in _client(cw, "office_a").get("/complaints/").content.decode()
    assert 'data-testid="nav-complaints"' not in _client(cw, "admin_a").get("/").content.decode()
