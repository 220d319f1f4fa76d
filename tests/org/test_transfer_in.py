"""A person moving to another bureau (调入, issue 10 item 1): the old bureau ends its membership,
the new bureau names the person by their 执法证 number and name; the record, the certificates
and the login move with them, and the old bureau no longer changes them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from anjian.core.models import AuditEvent
from anjian.core.scoping import forget_scope, scope_for
from anjian.org import services
from anjian.org.models import Certificate, Membership
from anjian.org.selectors import today

pytestmark = pytest.mark.django_db


def _login(world: Any, name: str) -> Client:
    c = Client()
    c.force_login(world.user(name))
    return c


def _form_key(c: Client, url: str) -> str:
    return c.get(url).content.decode().split('name="form_key" value="')[1].split('"')[0]


def test_transfer_in_needs_the_old_membership_ended_first_and_changes_nothing_until_then(org: Any) -> None:
    person = org.user("officer_a").staff
    cert = Certificate.objects.get(staff=person)
    c = _login(org, "office_b")
    start = today() - dt.timedelta(days=3)
    before = Membership.objects.filter(staff=person).count()
    r = c.post(
        "/org/staff/transfer-in/", {"certificate_number": cert.number, "name": person.name, "valid_from": start.isoformat(), "form_key": _form_key(c, "/org/staff/transfer-in/")}
    )
    body = r.content.decode()
    assert r.status_code == 200
    assert f"该人员在{org.agency_a.name}的任职（长期）与调入日期重叠" in body and "先登记任职结束" in body
    assert Membership.objects.filter(staff=person).count() == before
    assert not AuditEvent.objects.filter(action="staff.transfer_in").exists()


def test_a_person_moves_with_certificates_and_login_and_the_old_bureau_only_reads(org: Any, ent_a: Any) -> None:
    person = org.user("officer_a").staff
    cert = Certificate.objects.get(staff=person)
    start = today() - dt.timedelta(days=3)
    old = Membership.objects.get(staff=person, agency=org.agency_a, valid_to__isnull=True)
    services.membership_end(actor=org.user("office_a"), membership=old, valid_to=start - dt.timedelta(days=1))

    c = _login(org, "office_b")
    url = "/org/staff/transfer-in/"
    # the same answer for a wrong name and an unknown number
    wrong = c.post(url, {"certificate_number": cert.number, "name": "张冒名", "valid_from": start.isoformat(), "form_key": _form_key(c, url)})
    unknown = c.post(url, {"certificate_number": "37999999999", "name": person.name, "valid_from": start.isoformat(), "form_key": _form_key(c, url)})
    for r in (wrong, unknown):
        assert r.status_code == 200 and services.TRANSFER_NOT_FOUND in r.content.decode()
    key = _form_key(c, url)
    data = {"certificate_number": cert.number, "name": person.name, "title": "执法队员", "valid_from": start.isoformat(), "form_key": key}
    r1 = c.post(url, data)
    r2 = c.post(url, data)  # a double submit
    assert r1.status_code == r2.status_code == 302 and r1["Location"] == f"/org/staff/{person.pk}/"
    new = Membership.objects.get(staff=person, agency=org.agency_b)
    assert (new.valid_from, new.title, new.roles) == (start, "执法队员", [])
    assert AuditEvent.objects.filter(action="staff.transfer_in", object_id=str(person.pk)).count() == 1
    # the new bureau lists and manages the person, certificate and all
    listed = c.get("/org/staff/").content.decode()
    assert f'href="/org/staff/{person.pk}/"' in listed
    assert c.get(f"/org/staff/{person.pk}/").status_code == 200
    assert c.post(f"/org/staff/{person.pk}/certificates/{cert.pk}/events/new/", {"kind": "annual_review", "date": today().isoformat(), "note": ""}).status_code == 302
    # the old bureau reads its history but no longer changes the record
    a = _login(org, "office_a")
    assert f'href="/org/staff/{person.pk}/"' not in a.get("/org/staff/").content.decode()
    refused = a.post(f"/org/staff/{person.pk}/certificates/{cert.pk}/events/new/", {"kind": "suspended", "date": today().isoformat(), "note": "调查"})
    assert refused.status_code == 403 and f"该人员已调往{org.agency_b.name}" in refused.content.decode()
    assert not cert.events.filter(kind="suspended").exists()
    detail = a.get(f"/org/staff/{person.pk}/").content.decode()
    assert f"该人员已调往{org.agency_b.name}" in detail
    assert 'data-testid="staff-edit"' not in detail and "登记事件" not in detail and "登记执法证" not in detail
    assert 'data-testid="staff-edit"' in c.get(f"/org/staff/{person.pk}/").content.decode()
    # the login follows: the person now works for district B and reads none of district A's records
    user = org.user("officer_a")
    forget_scope(user)
    assert scope_for(user).agency_id == org.agency_b.pk and scope_for(user).roles == frozenset()
    officer = Client()
    officer.force_login(user)
    assert officer.get(f"/enterprises/{ent_a.pk}/").status_code == 404
    # roles in the new bureau come from its security administrator only
    refused_grant = c.post(f"/org/staff/{person.pk}/memberships/{new.pk}/roles/", {"roles": ["officer"]})
    assert refused_grant.status_code == 403
    assert list(Membership.objects.get(pk=new.pk).roles) == []


def test_the_api_transfers_in_once_and_explains_bad_input(org: Any) -> None:
    person = org.user("officer_a").staff
    cert = Certificate.objects.get(staff=person)
    start = today() - dt.timedelta(days=3)
    services.membership_end(actor=org.user("office_a"), membership=Membership.objects.get(staff=person, valid_to__isnull=True), valid_to=start - dt.timedelta(days=1))
    api = APIClient()
    api.force_authenticate(org.user("office_b"))
    bad = api.post("/api/v1/staff/transfer-in/", {"certificate_number": "", "valid_from": "2026-13-01", "department": "abc"}, format="json")
    assert bad.status_code == 400 and {"certificate_number", "name", "valid_from", "department"} <= set(bad.json()["fields"] if "fields" in bad.json() else bad.json())
    officer = APIClient()
    officer.force_authenticate(org.user("officer_b"))
    assert officer.post("/api/v1/staff/transfer-in/", {"certificate_number": cert.number, "name": person.name, "valid_from": start.isoformat()}, format="json").status_code == 403
    payload = {"certificate_number": cert.number, "name": person.name, "valid_from": start.isoformat()}
    r1 = api.post("/api/v1/staff/transfer-in/", payload, format="json", headers={"Idempotency-Key": "transfer-in-0001"})
    r2 = api.post("/api/v1/staff/transfer-in/", payload, format="json", headers={"Idempotency-Key": "transfer-in-0001"})
    assert r1.status_code == 201 and r2.status_code == 200
    assert Membership.objects.filter(staff=person, agency=org.agency_b).count() == 1
    again = api.post("/api/v1/staff/transfer-in/", payload, format="json")
    assert again.status_code == 422 and "已有任职" in again.content.decode()
