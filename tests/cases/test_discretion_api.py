"""The discretion standards over the API (issue 9: every step has both a screen and the API): the same
services, visibility and refusals as the pages."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from anjian.legal.models import DiscretionStandard
from tests.cases.test_discretion import CUT, SRC_A, dw  # noqa: F401

pytestmark = pytest.mark.django_db


def _api(w: Any, name: str) -> APIClient:
    c = APIClient()
    c.force_authenticate(w.user(name))
    return c


BODY = {"scope": "370602", "name": "芝罘区安全生产行政处罚裁量基准", "source_document": SRC_A, "effective_from": "2026-01-01", "cuts": [CUT]}


def test_enter_and_approve_over_the_api(dw: Any) -> None:  # noqa: F811
    w = dw
    r = _api(w, "legal_a").post("/api/v1/discretion-standards/", BODY, format="json")
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    assert r.json()["status"] == "pending" and r.json()["cuts"][0]["lenient_to"] == "10000.00"
    same = _api(w, "legal_a").post(f"/api/v1/discretion-standards/{sid}/approve/", {"opinion": "同意"}, format="json")
    assert same.status_code == 403  # the one who entered it cannot approve it
    ok = _api(w, "admin_a").post(f"/api/v1/discretion-standards/{sid}/approve/", {"opinion": "同意"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    assert any(s["id"] == sid for s in _api(w, "officer_a").get("/api/v1/discretion-standards/").json()["results"])


def test_bad_input_and_scope(dw: Any) -> None:  # noqa: F811
    w = dw
    bad = _api(w, "legal_a").post("/api/v1/discretion-standards/", {**BODY, "cuts": [{**CUT, "lenient_to": "100.005"}]}, format="json")
    assert bad.status_code == 400 and "两位小数" in bad.content.decode()
    outside = _api(w, "legal_a").post("/api/v1/discretion-standards/", {**BODY, "cuts": [{**CUT, "heavy_from": "60000"}]}, format="json")
    assert outside.status_code in (400, 422) and DiscretionStandard.objects.count() == 0
    r = _api(w, "legal_a").post("/api/v1/discretion-standards/", BODY, format="json")
    sid = r.json()["id"]
    # 福山区 does not see 芝罘区's standard, nor can it act on it.
    b = _api(w, "legal_b")
    assert b.get(f"/api/v1/discretion-standards/{sid}/").status_code == 404
    assert b.post(f"/api/v1/discretion-standards/{sid}/approve/", {}, format="json").status_code == 404
    assert all(s["id"] != sid for s in b.get("/api/v1/discretion-standards/").json()["results"])
    for bad_id in ("x", "99999999999999999999999", "0"):
        assert b.get(f"/api/v1/discretion-standards/{bad_id}/").status_code == 404
