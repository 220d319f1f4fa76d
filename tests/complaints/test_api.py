"""The API mirrors the services: a journey through /api/v1/complaints/, 4xx with Chinese field
messages for malformed ids, bad dates and overflowing numbers (never a 500), and a list whose
query count does not grow with its rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from anjian.complaints import services
from tests.complaints.conftest import START, register

D = START.date().isoformat()


def _api(world: Any, name: str) -> APIClient:
    c = APIClient()
    c.force_authenticate(world.user(name))
    return c


def test_journey_through_the_api(cw: Any) -> None:
    office, handler, leader = _api(cw, "office_a"), _api(cw, "officer_a2"), _api(cw, "leader_a")
    r = office.post("/api/v1/complaints/", {
        "kind": "complaint", "channel": "phone", "grounds": ["defence", "procedure"], "summary": "反映陈述申辩后加重处罚", "content": "告知书拟罚二万元，申辩后决定罚三万元。",
        "received_on": D, "submitter_name": "钱七", "submitter_phone": "13900001111",
    }, format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    pk, code = body["id"], body["tracking_code"]
    assert services.submission_by_code(code).pk == pk and body["submitter_phone"] == "139****1111"
    assert body["clocks"][0]["due"] == "2026-03-17" and "第二十二条" in body["clocks"][0]["article"]
    assert office.post(f"/api/v1/complaints/{pk}/accept/", {"accepted_on": D}, format="json").status_code == 200
    r = office.post(f"/api/v1/complaints/{pk}/assign/", {"handler_id": cw.user("officer_a2").staff.pk, "department_ids": [cw.dept_a.pk], "assigned_on": D}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "investigating"
    for g in ("defence", "procedure"):
        assert handler.post(f"/api/v1/complaints/{pk}/findings/", {"ground": g, "substantiated": False, "note": "案卷显示决定金额未高于告知金额", "recorded_on": D}, format="json").status_code == 200
    r = handler.post(f"/api/v1/complaints/{pk}/draft/", {"result_text": "不属实", "public_reply": "经核查案卷，决定金额与告知金额一致。", "drafted_on": D}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "drafted"
    r = handler.post(f"/api/v1/complaints/{pk}/approve/", {"approved": True, "decided_on": D}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "role_refused"
    assert leader.post(f"/api/v1/complaints/{pk}/approve/", {"approved": True, "decided_on": D}, format="json").status_code == 200
    r = office.post(f"/api/v1/complaints/{pk}/reply/", {"replied_on": D}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "replied"
    r = office.post(f"/api/v1/complaints/{pk}/reply/", {"replied_on": D}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "bad_state"


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("accept", {"accepted_on": "2026-02-30"}, "accepted_on"),
        ("accept", {"accepted_on": "yesterday"}, "accepted_on"),
        ("assign", {"handler_id": "99999999999999999999999", "department_ids": [1], "assigned_on": D}, "handler_id"),
        ("assign", {"handler_id": "abc", "department_ids": ["-1"], "assigned_on": D}, "handler_id"),
        ("decline", {"reason": "whatever", "note": "x", "decided_on": D}, "reason"),
    ],
)
def test_malformed_bodies_are_4xx_with_chinese_field_messages(cw: Any, path: str, data: dict[str, Any], field: str) -> None:
    sub, _ = register(cw)
    r = _api(cw, "office_a").post(f"/api/v1/complaints/{sub.pk}/{path}/", data, format="json")
    assert r.status_code in (400, 422), r.content
    msgs = r.json()["fields"][field]
    assert msgs and all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in msgs)


@pytest.mark.parametrize("bad", ["abc", "99999999999999999999", "-1", "0"])
def test_malformed_ids_are_404(cw: Any, bad: str) -> None:
    c = _api(cw, "office_a")
    assert c.get(f"/api/v1/complaints/{bad}/").status_code == 404
    assert c.post(f"/api/v1/complaints/{bad}/accept/", {"accepted_on": D}, format="json").status_code == 404


def test_bad_list_filters_are_400(cw: Any) -> None:
    r = _api(cw, "office_a").get("/api/v1/complaints/", {"kind": "nonsense"})
    assert r.status_code == 422 and "kind" in r.json()["fields"]


def test_list_query_count_does_not_grow(cw: Any) -> None:
    c = _api(cw, "office_a")
    register(cw)
    with CaptureQueriesContext(connection) as one:
        assert c.get("/api/v1/complaints/").status_code == 200
    for _ in range(10):
        register(cw, kind="report", grounds=["unlicensed"])
    with CaptureQueriesContext(connection) as many:
        r = c.get("/api/v1/complaints/")
    assert r.status_code == 200 and r.json()["count"] == 11
    assert len(many) <= len(one)
