"""The inspection and hazard API through HTTP, including offline sync."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.hazards.models import Hazard
from anjian.inspections.models import Inspection
from tests.inspections.conftest import officers


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def _sync_payload(world, ent, key="draft-1", results=None, complete=None):
    return {
        "enterprise": ent.pk, "type": "planned", "inspected_on": str(timezone.localdate()), "started_at": timezone.now().isoformat(),
        "place": "罐区", "officer_ids": officers(world), "idempotency_key": key,
        "results": results or [{"order": 1, "result": "noncompliant", "note": "未考核"}, {"order": 2, "result": "compliant"}],
        "complete": complete,
    }


def test_offline_sync_is_idempotent(world, ent_a, checklist, calendar):
    c = api(world.user("officer_a"))
    r1 = c.post("/api/v1/inspections/sync/", _sync_payload(world, ent_a), format="json")
    assert r1.status_code == 200, r1.content
    r2 = c.post("/api/v1/inspections/sync/", _sync_payload(world, ent_a, results=[{"order": 3, "result": "na"}]), format="json")
    assert r2.json()["id"] == r1.json()["id"]
    assert Inspection.objects.count() == 1
    results = {i["order"]: i["result"] for i in r2.json()["items"]}
    assert results == {1: "noncompliant", 2: "compliant", 3: "na"}
    assert len(r2.json()["findings"]) == 1
    done = c.post("/api/v1/inspections/sync/", _sync_payload(world, ent_a, results=[{"order": 3, "result": "na"}], complete={"ended_at": timezone.now().isoformat(), "party_representative": "张三", "party_signature": "signed"}), format="json")
    assert done.json()["status"] == "completed"


def test_sync_without_key_or_with_bad_officers(world, ent_a, checklist, calendar):
    c = api(world.user("officer_a"))
    p = _sync_payload(world, ent_a, key="")
    assert c.post("/api/v1/inspections/sync/", p, format="json").status_code == 422
    p = _sync_payload(world, ent_a, key="k2")
    p["officer_ids"] = officers(world, "officer_a")
    r = c.post("/api/v1/inspections/sync/", p, format="json")
    assert r.status_code == 422 and "不得少于两人" in r.json()["message"] and r.json()["article"]
    assert not Inspection.objects.exists()


def test_hazard_loop_over_http(world, inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = api(world.user("officer_a"))
    r = c.post("/api/v1/hazards/", {"enterprise": inspection.enterprise_id, "source": "inspection", "inspection": inspection.pk, "description": "液氨罐区未设紧急切断", "location": "罐区",
                                   "severity": "major", "major_reason": "现场确认", "found_on": str(inspection.inspected_on)}, format="json")
    assert r.status_code == 201, r.content
    hid = r.json()["id"]
    r = c.post("/api/v1/hazards/order/", {"hazards": [hid], "issued_on": str(inspection.inspected_on)}, format="json")
    assert r.status_code == 201 and r.json()["number"].startswith("芝应急责改〔")
    doc = r.json()["document"]
    r = c.post("/api/v1/hazards/serve/", {"document": doc, "method": "refusal", "event_date": str(inspection.inspected_on), "recipient": "张三"}, format="json")
    assert r.status_code == 422 and "witness" in r.json()["fields"]
    r = c.post("/api/v1/hazards/serve/", {"document": doc, "method": "direct", "event_date": str(inspection.inspected_on), "recipient": "张三"}, format="json")
    assert r.status_code == 200 and r.json()[0]["status"] == "rectifying" and r.json()[0]["deadline"]
    r = c.post(f"/api/v1/hazards/{hid}/close/")
    assert r.status_code == 409 and r.json()["code"] == "close_without_reinspection"
    r = c.get(f"/api/v1/hazards/{hid}/suggestion/")
    assert "第六十五条" in r.json()["why"]


def test_hazard_reads_and_writes_are_scoped(world, inspection):
    h = Hazard.objects.create(jurisdiction_id=inspection.jurisdiction_id, owner_agency=world.agency_a, enterprise=inspection.enterprise, source="other", description="x", location="y", severity="general", found_on=inspection.inspected_on, period_days=15, created_by=world.user("officer_a"))
    assert api(world.user("officer_b")).get(f"/api/v1/hazards/{h.pk}/").status_code == 404
    city = api(world.user("leader_city"))
    assert city.get(f"/api/v1/hazards/{h.pk}/").status_code == 200
    r = city.post(f"/api/v1/hazards/{h.pk}/supervise/", {"by": "市安委会", "on": str(timezone.localdate())}, format="json")
    assert r.status_code == 403
    assert api(world.user("outsider")).get("/api/v1/hazards/").json()["count"] == 0


@pytest.mark.parametrize("url", ["/api/v1/hazards/", "/api/v1/inspections/", "/api/v1/transfers/", "/api/v1/measures/"])
def test_list_query_counts_do_not_grow(world, inspection, url):
    c = api(world.user("officer_a"))
    for i in range(3):
        Hazard.objects.create(jurisdiction_id=inspection.jurisdiction_id, owner_agency=world.agency_a, enterprise=inspection.enterprise, source="other", description=f"x{i}", location="y", severity="general", found_on=inspection.inspected_on, period_days=15, created_by=world.user("officer_a"))
    with CaptureQueriesContext(connection) as small:
        assert c.get(url, {"page_size": 2}).status_code == 200
    for i in range(20):
        Hazard.objects.create(jurisdiction_id=inspection.jurisdiction_id, owner_agency=world.agency_a, enterprise=inspection.enterprise, source="other", description=f"y{i}", location="y", severity="general", found_on=inspection.inspected_on - dt.timedelta(days=i), period_days=15, created_by=world.user("officer_a"))
    with CaptureQueriesContext(connection) as big:
        assert c.get(url, {"page_size": 50}).status_code == 200
    assert len(big.captured_queries) == len(small.captured_queries)


def test_supervise_checks_its_input(world, inspection):
    h = Hazard.objects.create(jurisdiction_id=inspection.jurisdiction_id, owner_agency=world.agency_a, enterprise=inspection.enterprise, source="other", description="x", location="y", severity="major", major_reason="测试", found_on=inspection.inspected_on, period_days=60, created_by=world.user("officer_a"))
    c = api(world.user("leader_a"))
    url = f"/api/v1/hazards/{h.pk}/supervise/"
    r = c.post(url, {"by": "区安委会"}, format="json")
    assert r.status_code == 400 and r.json()["fields"]["on"] == ["请填写督办日期。"]
    r = c.post(url, {"by": "区安委会", "on": "2026-13-01"}, format="json")
    assert r.status_code == 400 and "on" in r.json()["fields"]
    h.refresh_from_db()
    assert not h.supervised
    r = c.post(url, {"by": "", "on": "2026-11-20"}, format="json")
    assert r.status_code == 422 and r.json()["fields"]["by"]
    r = c.post(url, {"by": "区安委会", "on": "2026-11-20"}, format="json")
    assert r.status_code == 200 and r.json()["supervised"] is True
    h.refresh_from_db()
    assert (h.supervised_by, str(h.supervised_on)) == ("区安委会", "2026-11-20")
