"""Issue 8 item 11: a malformed or out-of-range id in a filter or body is a 400 (API) or an
ignored filter (pages), never a 500 (the driver raised OverflowError / ValueError on it)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import PASSWORD

BIG = "99999999999999999999"  # 20 digits: beyond a 64-bit id
BAD = ["abc", BIG, "-1", "0", "1.5", "１２"]

API_FILTERS = [
    ("/api/v1/enterprises/", "jurisdiction"),
    ("/api/v1/enterprises/", "subject"),
    ("/api/v1/inspections/", "enterprise"),
    ("/api/v1/hazards/", "enterprise"),
]
PAGE_FILTERS = [
    ("/enterprises/", "jurisdiction"),
    ("/enterprises/", "subject"),
    ("/enterprises/export.xlsx", "jurisdiction"),
    ("/enterprises/export.xlsx", "subject"),
    ("/inspections/", "enterprise"),
    ("/inspections/findings/", "enterprise"),
    ("/hazards/", "enterprise"),
]


@pytest.fixture
def officer(client: Any, world: Any) -> Any:
    client.login(username="officer_a", password=PASSWORD)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(("url", "key"), API_FILTERS)
def test_it_refuses_a_bad_id_filter_on_the_api_with_the_field(officer: Any, url: str, key: str) -> None:
    for value in BAD:
        r = officer.get(url, {key: value})
        assert r.status_code == 400, (url, key, value, r.content[:200])
        body = r.json()
        assert body["code"] == "invalid"
        assert body["fields"][key] == ["应为有效的记录编号（正整数）。"]


@pytest.mark.parametrize(("url", "key"), API_FILTERS)
def test_it_still_filters_by_a_good_id_on_the_api(officer: Any, ent_a: Any, url: str, key: str) -> None:
    value = ent_a.jurisdiction_id if key == "jurisdiction" else (ent_a.owner_agency_id if key == "subject" else ent_a.pk)
    assert officer.get(url, {key: value}).status_code == 200


@pytest.mark.parametrize(("url", "key"), PAGE_FILTERS)
def test_it_ignores_a_bad_id_filter_on_the_pages(officer: Any, ent_a: Any, url: str, key: str) -> None:
    for value in BAD:
        r = officer.get(url, {key: value})
        assert r.status_code == 200, (url, key, value, r.content[:200])


def _inspection_body(ent: Any, world: Any, **extra: Any) -> dict[str, Any]:
    from anjian.org.models import Staff

    officers = [Staff.objects.get(user=world.user(u)).pk for u in ("officer_a", "officer_a2")]
    body = {"enterprise": ent.pk, "type": "planned", "inspected_on": "2026-06-15", "started_at": "2026-06-15T09:00:00+08:00", "place": "厂区", "officer_ids": officers}
    body.update(extra)
    return body


@pytest.mark.parametrize("field", ["officer_ids", "expert_ids", "template_ids"])
def test_it_refuses_a_20_digit_staff_or_template_id_on_the_inspections_api(officer: Any, world: Any, ent_a: Any, field: str) -> None:
    body = _inspection_body(ent_a, world, **{field: [int(BIG)]})
    r = officer.post("/api/v1/inspections/", json.dumps(body), content_type="application/json")
    assert r.status_code == 400, r.content[:300]
    assert field in r.json()["fields"]


def test_it_refuses_20_digit_ids_in_the_hazards_api_bodies(officer: Any, world: Any) -> None:
    for url, body in [
        ("/api/v1/hazards/order/", {"hazards": [int(BIG)], "issued_on": "2026-06-15"}),
        ("/api/v1/hazards/serve/", {"document": int(BIG), "method": "direct", "event_date": "2026-06-15", "recipient": "张三"}),
        ("/api/v1/hazards/reinspect/", {"hazards": [1], "inspected_on": "2026-06-15", "started_at": "2026-06-15T09:00:00+08:00", "place": "x", "officer_ids": [int(BIG)]}),
    ]:
        r = officer.post(url, json.dumps(body), content_type="application/json")
        assert r.status_code == 400, (url, r.content[:300])


def test_it_refuses_a_bad_item_id_on_evidence_upload_start(officer: Any, world: Any, ent_a: Any) -> None:
    r = officer.post("/api/v1/inspections/", json.dumps(_inspection_body(ent_a, world)), content_type="application/json")
    assert r.status_code == 201, r.content[:300]
    insp = r.json()
    r = officer.post(f"/api/v1/inspections/{insp['id']}/uploads/", json.dumps({"kind": "video", "name": "a.mp4", "total_size": 10, "item": "abc"}), content_type="application/json")
    assert r.status_code == 400
    assert "item" in r.json()["fields"]


def test_a_json_body_nested_5000_levels_deep_is_a_400(officer: Any) -> None:
    deep = "[" * 5000 + "]" * 5000
    for url in ("/api/v1/inspections/", "/api/v1/enterprises/", "/api/v1/hazards/order/"):
        r = officer.post(url, deep, content_type="application/json")
        assert r.status_code == 400, (url, r.content[:200])
        body = r.json()
        assert body["code"] == "parse_error"
        assert "嵌套" in body["message"]
        assert set(body) >= {"code", "message", "fields"}


# --- the pages' forms ---------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["officers", "experts"])
def test_the_inspection_form_refuses_a_20_digit_staff_id_on_the_field(officer: Any, world: Any, ent_a: Any, field: str, checklist: Any) -> None:
    import uuid

    from django.utils import timezone

    data = {
        "idempotency_key": str(uuid.uuid4()), "type": "planned", "inspected_on": timezone.localdate().isoformat(), "started_time": "08:30", "place": "厂区",
        "officers": [str(world.user(n).staff.pk) for n in ("officer_a", "officer_a2")],
    }  # fmt: skip
    data[field] = [*data.get(field, []), BIG]
    r = officer.post(f"/inspections/new/{ent_a.pk}/", data)
    assert r.status_code == 200, r.status_code  # the form again, with the field's error
    assert "不是可用的选项" in r.content.decode() or "有效" in r.content.decode()


def test_a_malformed_reinspection_id_on_the_opinion_form_is_a_404(officer: Any, world: Any, inspection: Any) -> None:
    from anjian.hazards import services

    h = services.hazard_create(
        actor=world.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection, findings=[],
        description="配电箱未接地", location="配电室", severity="general", found_on=inspection.inspected_on, period_days=10,
    )  # fmt: skip
    for value in ("abc", BIG):
        assert officer.post(f"/hazards/{h.pk}/opinion/", {"reinspection": value}).status_code == 404
