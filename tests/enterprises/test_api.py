"""The ledger API through HTTP, as integrators use it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from anjian.core.models import AuditEvent
from anjian.enterprises import services
from anjian.enterprises.models import Enterprise, PlannedSubject
from tests.conftest import make_uscc


def client_for(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_list_is_scoped_and_searchable(world, ent_a, ent_b):
    c = client_for(world.user("officer_a"))
    r = c.get("/api/v1/enterprises/")
    assert r.status_code == 200
    assert [e["id"] for e in r.json()["results"]] == [ent_a.pk]
    r = c.get("/api/v1/enterprises/", {"q": "化工"})
    assert r.json()["count"] == 1
    r = c.get("/api/v1/enterprises/", {"q": "机械"})  # exists, but in district B
    assert r.json()["count"] == 0
    city = client_for(world.user("officer_city")).get("/api/v1/enterprises/", {"q": "示例"})
    assert {e["id"] for e in city.json()["results"]} == {ent_a.pk, ent_b.pk}


def test_filters(world, ent_a):
    c = client_for(world.user("officer_a"))
    assert c.get("/api/v1/enterprises/", {"sector": "hazchem"}).json()["count"] == 1
    assert c.get("/api/v1/enterprises/", {"sector": "hazchem.production"}).json()["count"] == 1
    assert c.get("/api/v1/enterprises/", {"sector": "mine"}).json()["count"] == 0
    assert c.get("/api/v1/enterprises/", {"feature": "confined_space"}).json()["count"] == 1
    assert c.get("/api/v1/enterprises/", {"status": "closed"}).json()["count"] == 0
    assert c.get("/api/v1/enterprises/", {"jurisdiction": world.district_a.pk}).json()["count"] == 1


def test_create_update_and_error_shape(world):
    c = client_for(world.user("officer_a"))
    r = c.post("/api/v1/enterprises/", {"name": "芝罘示例冶金有限公司", "uscc": make_uscc(77), "sectors": ["industry.metallurgy"], "features": ["metal_smelting"]}, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["jurisdiction"] == world.district_a.pk
    r = c.patch(f"/api/v1/enterprises/{pk}/", {"employees": 55}, format="json")
    assert r.status_code == 200 and r.json()["employees"] == 55
    ev = AuditEvent.objects.filter(object_id=str(pk), action="enterprise.update").get()
    assert ev.after == {"employees": 55} and ev.before == {"employees": None}
    # a malformed credit code: a field error in the one error shape, with a Chinese message; it is
    # checked with the other fields (400 like every shape error), so all errors come at once
    r = c.patch(f"/api/v1/enterprises/{pk}/", {"uscc": "91370602ABCDEFGHIJ"}, format="json")
    assert r.status_code == 400
    body = r.json()
    assert set(body) >= {"code", "message", "fields"} and "uscc" in body["fields"] and "统一社会信用代码" in body["fields"]["uscc"][0]
    assert Enterprise.objects.get(pk=pk).employees == 55


def test_missing_name_is_a_field_error(world):
    r = client_for(world.user("officer_a")).post("/api/v1/enterprises/", {"uscc": make_uscc(78)}, format="json")
    assert r.status_code == 400
    assert r.json()["fields"]["name"] == ["请填写单位名称。"]
    assert not Enterprise.objects.exists()


def test_unknown_jurisdiction(world):
    r = client_for(world.user("officer_a")).post("/api/v1/enterprises/", {"name": "甲", "uscc": make_uscc(79), "jurisdiction": 99999}, format="json")
    assert r.status_code == 400
    assert "辖区不存在" in r.json()["fields"]["jurisdiction"][0]


def test_city_reads_but_cannot_change_district_record(world, ent_a):
    c = client_for(world.user("leader_city"))
    assert c.get(f"/api/v1/enterprises/{ent_a.pk}/").status_code == 200
    r = c.patch(f"/api/v1/enterprises/{ent_a.pk}/", {"employees": 1}, format="json")
    assert r.status_code == 403
    assert "只能查看" in r.json()["message"]
    assert Enterprise.objects.get(pk=ent_a.pk).employees == 120


def test_other_district_gets_404(world, ent_a):
    c = client_for(world.user("officer_b"))
    assert c.get(f"/api/v1/enterprises/{ent_a.pk}/").status_code == 404
    assert c.patch(f"/api/v1/enterprises/{ent_a.pk}/", {"employees": 1}, format="json").status_code == 404
    assert c.delete(f"/api/v1/enterprises/{ent_a.pk}/").status_code == 404


def test_status_change_requires_reason(world, ent_a):
    c = client_for(world.user("officer_a"))
    r = c.post(f"/api/v1/enterprises/{ent_a.pk}/status/", {"status": "suspended", "effective_date": "2026-11-01", "reason": ""}, format="json")
    assert r.status_code == 422 and "原因" in r.json()["fields"]["reason"][0]
    r = c.post(f"/api/v1/enterprises/{ent_a.pk}/status/", {"status": "suspended", "effective_date": "2026-11-01", "reason": "设备检修"}, format="json")
    assert r.status_code == 200 and r.json()["declared_status"] == "suspended" and r.json()["operating_status"] == "suspended"


def test_planned_subject_overlap_names_the_holder(world, ent_a):
    c = client_for(world.user("depthead_a"))
    r = c.post(f"/api/v1/enterprises/{ent_a.pk}/planned-subjects/", {"agency": world.agency_a.pk, "valid_from": "2026-01-01", "valid_to": "2026-12-31"}, format="json")
    assert r.status_code == 201
    assert Enterprise.objects.get(pk=ent_a.pk).supervision_level == "district"
    r = client_for(world.user("leader_city")).post(f"/api/v1/enterprises/{ent_a.pk}/planned-subjects/", {"agency": world.agency_city.pk, "valid_from": "2026-06-01"}, format="json")
    assert r.status_code == 422
    assert "烟台市芝罘区应急管理局" in r.json()["message"]
    assert PlannedSubject.objects.count() == 1


def test_transfer(world, ent_a):
    r = client_for(world.user("depthead_a")).post(f"/api/v1/enterprises/{ent_a.pk}/transfer/", {"to_jurisdiction": world.district_b.pk, "effective_date": "2026-11-01", "reason": "注册地迁移"}, format="json")
    assert r.status_code == 200, r.content
    ent = Enterprise.objects.get(pk=ent_a.pk)
    assert ent.jurisdiction == world.district_b and ent.owner_agency == world.agency_b
    assert client_for(world.user("officer_a")).get(f"/api/v1/enterprises/{ent_a.pk}/").status_code == 404
    assert client_for(world.user("officer_b")).get(f"/api/v1/enterprises/{ent_a.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="enterprise.transfer", object_id=str(ent_a.pk)).exists()


def test_transfer_needs_a_reason_and_a_role(world, ent_a):
    r = client_for(world.user("officer_a")).post(f"/api/v1/enterprises/{ent_a.pk}/transfer/", {"to_jurisdiction": world.district_b.pk, "effective_date": "2026-11-01", "reason": "x"}, format="json")
    assert r.status_code == 403
    r = client_for(world.user("depthead_a")).post(f"/api/v1/enterprises/{ent_a.pk}/transfer/", {"to_jurisdiction": world.district_b.pk, "effective_date": "2026-11-01"}, format="json")
    assert r.status_code == 422


def test_children_crud_and_bad_id_number(world, ent_a):
    c = client_for(world.user("officer_a"))
    r = c.post(f"/api/v1/enterprises/{ent_a.pk}/key-people/", {"role": "principal", "name": "王五", "id_number": "370602199001011234"}, format="json")
    # the ID number is checked with the other fields (a shape error, 400), so every error comes at once
    assert r.status_code == 400 and "身份证号" in r.json()["fields"]["id_number"][0]
    r = c.post(f"/api/v1/enterprises/{ent_a.pk}/licences/", {"kind": "safety_production", "number": "(鲁)WH安许证字〔2024〕060001", "issuer": "山东省应急管理厅", "valid_from": "2024-01-01", "valid_to": "2023-01-01"}, format="json")
    assert r.status_code == 422 and "valid_to" in r.json()["fields"]
    r = c.post(f"/api/v1/enterprises/{ent_a.pk}/sites/", {"name": "一厂区", "address": "芝罘区示例路1号", "is_primary": True}, format="json")
    assert r.status_code == 201
    sid = r.json()["id"]
    r = c.patch(f"/api/v1/enterprises/{ent_a.pk}/sites/{sid}/", {"street": "幸福街道"}, format="json")
    assert r.status_code == 200 and r.json()["street"] == "幸福街道"
    assert c.delete(f"/api/v1/enterprises/{ent_a.pk}/sites/{sid}/").status_code == 204
    actions = list(AuditEvent.objects.filter(object_id=str(ent_a.pk)).values_list("action", flat=True))
    assert {"site.create", "site.update", "site.delete"} <= set(actions)
    audit = c.get(f"/api/v1/enterprises/{ent_a.pk}/audit/").json()
    assert audit[0]["action"] == "site.delete"


def test_ending_a_planned_subject(world, ent_a):
    ps = services.planned_subject_assign(actor=world.user("depthead_a"), enterprise=ent_a, agency=world.agency_a, valid_from=dt.date(2026, 1, 1))
    url = f"/api/v1/enterprises/{ent_a.pk}/planned-subjects/{ps.pk}/end/"
    r = client_for(world.user("officer_a")).post(url, {"valid_to": "2026-06-30"}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "role_refused"
    r = client_for(world.user("depthead_a")).post(url, {}, format="json")
    assert r.status_code == 400 and r.json()["fields"]["valid_to"] == ["请填写截止日期。"]
    r = client_for(world.user("depthead_a")).post(url, {"valid_to": "2025-12-31"}, format="json")
    assert r.status_code == 422 and "valid_to" in r.json()["fields"]
    r = client_for(world.user("depthead_a")).post(url, {"valid_to": "2026-06-30"}, format="json")
    assert r.status_code == 200 and r.json()["valid_to"] == "2026-06-30"
    r = client_for(world.user("depthead_a")).post(url, {"valid_to": "2026-09-30"}, format="json")
    assert r.status_code == 422 and "只能提前结束" in r.json()["fields"]["valid_to"][0]
    assert client_for(world.user("depthead_b")).post(url, {"valid_to": "2026-05-01"}, format="json").status_code == 404
    assert client_for(world.user("depthead_a")).post(f"/api/v1/enterprises/{ent_a.pk}/planned-subjects/999999/end/", {"valid_to": "2026-05-01"}, format="json").status_code == 404
    ent_a.refresh_from_db()
    assert (ent_a.subject_agency_id, ent_a.supervision_level) == (None, "none")  # ended before today


def test_delete_only_without_history(world, ent_a):
    services.enterprise_set_status(actor=world.user("officer_a"), enterprise=ent_a, status="suspended", effective_date=dt.date(2026, 11, 1), reason="检修")
    r = client_for(world.user("depthead_a")).delete(f"/api/v1/enterprises/{ent_a.pk}/")
    assert r.status_code == 409 and r.json()["code"] == "has_history"
    assert Enterprise.objects.filter(pk=ent_a.pk).exists()


def test_list_query_count_is_constant(world):
    actor = world.user("officer_a")
    c = client_for(actor)

    def count(page_size: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = c.get("/api/v1/enterprises/", {"page_size": page_size})
        assert r.status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        services.enterprise_create(actor=actor, jurisdiction=world.district_a, name=f"企业{i}", uscc=make_uscc(100 + i), sectors=["industry.light"], features=["dust_explosion"])
    small = count(2)
    for i in range(3, 40):
        services.enterprise_create(actor=actor, jurisdiction=world.district_a, name=f"企业{i}", uscc=make_uscc(100 + i), sectors=["industry.light", "industry.textile"])
    assert count(40) == small


@pytest.mark.parametrize("param", ["jurisdiction", "subject"])
def test_a_malformed_id_filter_is_a_400_on_the_field(world, param):
    r = client_for(world.user("officer_a")).get("/api/v1/enterprises/", {param: "abc"})
    assert r.status_code == 400 and r.json()["fields"][param] == ["应为有效的记录编号（正整数）。"]


def test_outsider_sees_nothing(world, ent_a):
    c = client_for(world.user("outsider"))
    assert c.get("/api/v1/enterprises/").json()["count"] == 0
    assert c.get(f"/api/v1/enterprises/{ent_a.pk}/").status_code == 404
    assert c.get("/api/v1/agencies/").json()["count"] == 0


def test_anonymous_is_refused(world):
    r = APIClient().get("/api/v1/enterprises/")
    assert r.status_code in (401, 403)
    assert r.json()["message"]


def test_token_authentication(world, ent_a):
    from anjian.core import tokens

    _, key = tokens.create(actor=world.user("officer_a"), name="测试", days=30)
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert c.get("/api/v1/enterprises/").json()["count"] == 1


def test_org_endpoints_are_scoped(world):
    a = client_for(world.user("officer_a"))
    assert [x["name"] for x in a.get("/api/v1/agencies/").json()["results"]] == ["烟台市芝罘区应急管理局"]
    city = client_for(world.user("officer_city")).get("/api/v1/agencies/").json()
    assert city["count"] == 4
    staff = a.get("/api/v1/staff/").json()
    names = {s["name"] for s in staff["results"]}
    assert "officer_a" in names and "officer_b" not in names
    deps = a.get("/api/v1/departments/").json()
    assert deps["count"] == 1


def test_schema_and_docs_need_login(world, client):
    assert client.get("/api/schema/").status_code == 302
    client.force_login(world.user("officer_a"))
    assert client.get("/api/schema/").status_code == 200
    r = client.get("/api/docs/")
    assert r.status_code == 200 and b"cdn" not in r.content.lower()


@pytest.mark.parametrize(
    "persona,read,write",
    [
        ("officer_a", 200, 200),
        ("officer_a2", 200, 200),
        ("supervisor_a", 200, 200),
        ("depthead_a", 200, 200),
        ("legal_a", 200, 403),
        ("leader_a", 200, 403),
        ("office_a", 200, 403),
        ("admin_a", 404, 404),  # 三员分立: the system administrator reads no business record
        ("expert_a", 200, 403),
        ("officer_b", 404, 404),
        ("depthead_b", 404, 404),
        ("officer_zone", 404, 404),
        ("officer_city", 200, 403),
        ("leader_city", 200, 403),
        ("outsider", 404, 404),
    ],
)
def test_permission_matrix(world, ent_a, persona, read, write):
    """Read and write of a district-A record for every persona."""
    c = client_for(world.user(persona))
    assert c.get(f"/api/v1/enterprises/{ent_a.pk}/").status_code == read
    r = c.patch(f"/api/v1/enterprises/{ent_a.pk}/", {"contact_name": "张三"}, format="json")
    assert r.status_code == write
    r = c.post(f"/api/v1/enterprises/{ent_a.pk}/sites/", {"name": "场所", "address": "地址"}, format="json")
    assert r.status_code == (201 if write == 200 else write)
    changed = Enterprise.objects.get(pk=ent_a.pk).contact_name == "张三"
    assert changed is (write == 200)


def test_group_filter_follows_sector_changes(world, ent_a):
    c = client_for(world.user("officer_a"))
    assert c.get("/api/v1/enterprises/", {"sector": "hazchem"}).json()["count"] == 1
    assert c.patch(f"/api/v1/enterprises/{ent_a.pk}/", {"sectors": ["mine.tailings"]}, format="json").status_code == 200
    assert c.get("/api/v1/enterprises/", {"sector": "hazchem"}).json()["count"] == 0
    assert c.get("/api/v1/enterprises/", {"sector": "mine"}).json()["count"] == 1
    assert c.get("/api/v1/enterprises/", {"sector": "mine.tailings"}).json()["count"] == 1
