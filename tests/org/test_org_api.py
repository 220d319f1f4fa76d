"""The organisation's write API (issue 10 item 1): field errors in Chinese (400), another bureau's
ids 404, a wrong role 403 (a role change by anyone but the security administrator)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework.test import APIClient

from anjian.core.models import AuditEvent
from anjian.org.models import Agency, Certificate, CertificateEvent, Department, Membership, Staff


def api(world: Any, name: str) -> APIClient:
    c = APIClient()
    c.force_authenticate(world.user(name))
    return c


def test_office_registers_staff_membership_certificate_and_events(org: Any) -> None:
    c = api(org, "office_a")
    dep = Department.objects.get(agency=org.agency_a)
    r = c.post("/api/v1/staff/", {"name": "孙七", "department": dep.pk, "title": "执法队员", "valid_from": "2024-03-01"}, format="json", headers={"Idempotency-Key": "staff-key-0001"})
    assert r.status_code == 201, r.content
    again = c.post("/api/v1/staff/", {"name": "孙七", "department": dep.pk, "title": "执法队员", "valid_from": "2024-03-01"}, format="json", headers={"Idempotency-Key": "staff-key-0001"})
    assert again.status_code == 200 and again.json()["id"] == r.json()["id"]
    assert Staff.objects.filter(name="孙七").count() == 1
    sid = r.json()["id"]
    assert r.json()["memberships"][0]["roles"] == []
    r = c.post(f"/api/v1/staff/{sid}/certificates/", {"number": "37020099", "issuer": "山东省人民政府", "valid_from": "2024-03-01", "valid_to": "2029-02-28"}, format="json")
    assert r.status_code == 201, r.content
    cid = r.json()["certificates"][0]["id"]
    r = c.post(f"/api/v1/staff/{sid}/certificates/{cid}/events/", {"kind": "annual_review", "date": "2025-03-01", "note": "2024年度审验合格"}, format="json")
    assert r.status_code == 201
    assert [e["kind"] for e in r.json()["certificates"][0]["events"]] == ["issued", "annual_review"]
    r = c.post(f"/api/v1/staff/{sid}/legal-qualification/", {"legal_qualification_no": "A2019370602001"}, format="json")
    assert r.status_code == 200 and r.json()["legal_qualification_no"] == "A2019370602001"
    mid = Membership.objects.get(staff_id=sid).pk
    r = c.post(f"/api/v1/staff/{sid}/memberships/{mid}/end/", {"valid_to": "2025-12-31"}, format="json")
    assert r.status_code == 200 and r.json()["memberships"][0]["valid_to"] == "2025-12-31"
    r = c.post(f"/api/v1/staff/{sid}/memberships/", {"title": "科员", "valid_from": "2026-01-01"}, format="json")
    assert r.status_code == 201 and len(r.json()["memberships"]) == 2
    assert {"staff.create", "membership.create", "certificate.create", "certificate.event", "staff.legal_qualification", "membership.end"} <= set(AuditEvent.objects.values_list("action", flat=True))


def test_field_errors_are_chinese_400(org: Any) -> None:
    c = api(org, "office_a")
    r = c.post("/api/v1/staff/", {"kind": "wizard", "valid_from": "2024-13-01", "department": "abc"}, format="json")
    assert r.status_code == 400
    body = r.json()
    assert set(body["fields"]) >= {"name", "kind", "valid_from", "department"}
    assert body["fields"]["valid_from"] == ["日期格式应为YYYY-MM-DD。"]
    assert "不是有效的人员类别" in body["fields"]["kind"][0]
    sid = org.user("officer_a2").staff.pk
    r = c.post(f"/api/v1/staff/{sid}/certificates/", {"number": "X1", "issuer": "省政府", "valid_from": "2026-01-01", "valid_to": "2025-01-01"}, format="json")
    assert r.status_code == 400 and r.json()["fields"]["valid_to"] == ["有效期止不能早于有效期起。"]
    assert not Certificate.objects.filter(number="X1").exists()
    # another bureau's department in the body: a field error, never a write
    other = Department.objects.get(agency=org.agency_b)
    r = c.post("/api/v1/staff/", {"name": "甲", "valid_from": "2024-01-01", "department": other.pk}, format="json")
    assert r.status_code == 400 and "不属于本机关" in r.json()["fields"]["department"][0]
    assert not Staff.objects.filter(name="甲").exists()


def test_overlapping_membership_refused(org: Any) -> None:
    c = api(org, "office_a")
    sid = org.user("officer_a").staff.pk
    n = Membership.objects.filter(staff_id=sid).count()
    r = c.post(f"/api/v1/staff/{sid}/memberships/", {"valid_from": "2025-01-01"}, format="json")
    assert r.status_code == 422
    assert r.json()["message"] == "该人员在此期间已有任职，请先结束原任职。"
    assert Membership.objects.filter(staff_id=sid).count() == n


def test_role_change_only_by_security_admin(org: Any) -> None:
    staff = org.user("supervisor_a").staff
    m = Membership.objects.get(staff=staff)
    url = f"/api/v1/staff/{staff.pk}/memberships/{m.pk}/roles/"
    for who in ("office_a", "officer_a", "admin_a", "leader_a"):
        r = api(org, who).post(url, {"roles": ["supervisor", "officer"]}, format="json")
        assert r.status_code == 403, who
        assert "三员分立" in r.json()["message"]
    # a membership with roles from the office is refused too
    r = api(org, "office_a").post(f"/api/v1/staff/{staff.pk}/memberships/", {"valid_from": "2030-01-01", "roles": ["officer"]}, format="json")
    assert r.status_code == 403
    assert Membership.objects.filter(staff=staff).count() == 1 and m.roles == ["supervisor"]
    assert not AuditEvent.objects.filter(action="membership.roles").exists()
    sec = api(org, "security_admin_a")
    r = sec.post(url, {"roles": ["supervisor", "officer"], "on": dt.date.today().isoformat()}, format="json")
    assert r.status_code == 200, r.content
    assert sorted(r.json()["memberships"][0]["roles"]) == ["officer", "supervisor"]
    newest = Membership.objects.filter(staff=staff).order_by("-valid_from").first()
    assert newest is not None and newest.pk != m.pk
    r = sec.post(f"/api/v1/staff/{staff.pk}/memberships/{newest.pk}/roles/", {"roles": ["admin", "security_admin"]}, format="json")
    assert r.status_code == 422 and "三员分立" in r.json()["message"]
    r = sec.post(url, {"roles": ["root"]}, format="json")
    assert r.status_code == 400


def test_other_bureau_ids_are_404_and_roles_403(org: Any) -> None:
    a_staff = org.user("officer_a").staff
    m = Membership.objects.get(staff=a_staff)
    cert = Certificate.objects.get(staff=a_staff)
    dep = Department.objects.get(agency=org.agency_a)
    c = api(org, "office_b")
    for url, body in (
        (f"/api/v1/staff/{a_staff.pk}/certificates/", {"number": "Z1", "issuer": "省政府", "valid_from": "2024-01-01", "valid_to": "2026-01-01"}),
        (f"/api/v1/staff/{a_staff.pk}/certificates/{cert.pk}/events/", {"kind": "revoked", "date": "2025-01-01", "note": "x"}),
        (f"/api/v1/staff/{a_staff.pk}/memberships/", {"valid_from": "2030-01-01"}),
        (f"/api/v1/staff/{a_staff.pk}/memberships/{m.pk}/end/", {"valid_to": "2025-01-01"}),
        (f"/api/v1/staff/{a_staff.pk}/legal-qualification/", {"legal_qualification_no": "A1234"}),
    ):
        assert c.post(url, body, format="json").status_code == 404, url
    assert c.patch(f"/api/v1/departments/{dep.pk}/", {"name": "改名"}, format="json").status_code == 404
    assert c.patch(f"/api/v1/agencies/{org.agency_a.pk}/", {"phone": "1"}, format="json").status_code == 404
    # the city reads district A but does not manage it
    city = api(org, "office_city")
    assert city.patch(f"/api/v1/agencies/{org.agency_a.pk}/", {"phone": "1"}, format="json").status_code == 404
    assert city.post(f"/api/v1/staff/{a_staff.pk}/legal-qualification/", {"legal_qualification_no": "A1234"}, format="json").status_code == 404
    # an officer of the bureau itself: 403
    assert api(org, "officer_a").post(f"/api/v1/staff/{a_staff.pk}/legal-qualification/", {"legal_qualification_no": "A1234"}, format="json").status_code == 403
    assert api(org, "officer_a").post("/api/v1/departments/", {"name": "x", "kind": "other"}, format="json").status_code == 403
    assert CertificateEvent.objects.filter(certificate=cert).count() == 1
    assert Department.objects.get(pk=dep.pk).name == dep.name


def test_agency_and_departments_and_heads(org: Any) -> None:
    c = api(org, "security_admin_a")
    r = c.patch(f"/api/v1/agencies/{org.agency_a.pk}/", {"address": "芝罘区南大街1号", "doc_abbr": "芝应急"}, format="json")
    assert r.status_code == 200 and r.json()["address"] == "芝罘区南大街1号"
    assert AuditEvent.objects.get(action="agency.update").after == {"address": "芝罘区南大街1号"}
    r = c.patch(f"/api/v1/agencies/{org.agency_a.pk}/", {"court": ""}, format="json")
    assert r.status_code == 400
    assert Agency.objects.get(pk=org.agency_a.pk).court == "烟台市芝罘区人民法院"
    r = c.post("/api/v1/departments/", {"name": "法规科", "kind": "legal"}, format="json")
    assert r.status_code == 201
    r = c.patch(f"/api/v1/departments/{r.json()['id']}/", {"kind": "enforcement", "setup": "external"}, format="json")
    assert r.status_code == 200 and r.json()["setup"] == "external"
    r = c.post("/api/v1/departments/", {"name": "法规科", "kind": "legal"}, format="json")
    assert r.status_code == 422 and r.json()["fields"]["name"] == ["本机关已有同名科室。"]
    leader = org.user("leader_a").staff
    r = c.post(f"/api/v1/agencies/{org.agency_a.pk}/heads/", {"kind": "principal_head", "staff": leader.pk, "valid_from": "2024-01-01"}, format="json")
    assert r.status_code == 201
    r = c.post(f"/api/v1/agencies/{org.agency_a.pk}/heads/", {"kind": "principal_head", "staff": org.user("officer_b").staff.pk, "valid_from": "2025-01-01"}, format="json")
    assert r.status_code == 400 and "现职人员" in r.json()["fields"]["staff"][0]


def test_staff_details_api(org: Any) -> None:
    s = org.user("officer_a").staff
    c = api(org, "security_admin_a")
    r = c.post(f"/api/v1/staff/{s.pk}/details/", {"name": "李明", "phone": "13805351234"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["name"] == "李明" and r.json()["phone"] == "13805351234"
    r = c.post(f"/api/v1/staff/{s.pk}/details/", {"name": "", "gender": "X"}, format="json")
    assert r.status_code == 400 and {"name", "gender"} <= set(r.json()["fields"])
    assert api(org, "office_b").post(f"/api/v1/staff/{s.pk}/details/", {"name": "王五"}, format="json").status_code == 404
    assert api(org, "officer_a").post(f"/api/v1/staff/{s.pk}/details/", {"name": "王五"}, format="json").status_code == 403
    assert Staff.objects.get(pk=s.pk).name == "李明"
    assert AuditEvent.objects.filter(action="staff.update", object_id=str(s.pk)).count() == 1
