"""三员分立 (issue 10, items 3 and 5): the superuser in production mode, the audit administrator's
page (who may read it, what it shows, its query count, the chain verification) and the exports'
audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from anjian.core import audit
from anjian.core.models import AuditEvent
from tests.conftest import PASSWORD, _person


@pytest.fixture
def auditors(world: Any) -> dict[str, Any]:
    return {
        "audit_a": _person({}, "audit_a", world.agency_a, ["audit_admin"], cert=False),
        "audit_city": _person({}, "audit_city", world.agency_city, ["audit_admin"], cert=False),
        "security_a": _person({}, "security_a", world.agency_a, ["security_admin"], cert=False),
    }


def test_a_superuser_is_refused_in_production_mode(world: Any, client: Client, django_user_model: Any) -> None:
    django_user_model.objects.create_superuser(username="root", password=PASSWORD, email="r@example.invalid")
    with override_settings(ANJIAN_PRODUCTION=True):
        r = client.post("/login/", {"username": "root", "password": PASSWORD})
        assert r.status_code == 200 and "生产模式下不允许超级管理员账号登录" in r.content.decode()
        assert "_auth_user_id" not in client.session
        r = client.post("/admin/login/", {"username": "root", "password": PASSWORD, "next": "/admin/"})
        assert "_auth_user_id" not in client.session
        ev = AuditEvent.objects.filter(action="auth.login_failed").first()
        assert ev is not None and "生产模式" in ev.note and ev.object_repr == "登录名：root"
        # an ordinary user still signs in
        assert client.post("/login/", {"username": "officer_a", "password": PASSWORD}).status_code == 302
    # in development the superuser signs in
    c = Client()
    assert c.post("/login/", {"username": "root", "password": PASSWORD}).status_code == 302


def test_the_deploy_check_warns_about_production_mode(world: Any, capsys: Any) -> None:
    from anjian.core.checks import production_mode

    assert [w.id for w in production_mode()] == ["anjian.W010"]
    with override_settings(ANJIAN_PRODUCTION=True, OTP_REQUIRED_FOR=[]):
        from django.contrib.auth import get_user_model

        get_user_model().objects.create_superuser(username="root", password=PASSWORD, email="r@example.invalid")
        assert [w.id for w in production_mode()] == ["anjian.W011", "anjian.W012"]


@pytest.mark.parametrize(("who", "status"), [("audit_a", 200), ("audit_city", 200), ("admin_a", 403), ("officer_a", 403), ("security_a", 403), ("leader_a", 403)])
def test_only_the_audit_administrator_reads_the_audit(world: Any, auditors: dict[str, Any], client: Client, who: str, status: int) -> None:
    user = auditors.get(who) or world.user(who)
    if who == "admin_a":
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client.force_login(user)
    assert client.get("/audit/").status_code == status
    assert client.post("/audit/verify/").status_code == status
    if who == "admin_a":
        assert client.get("/admin/core/auditevent/").status_code == 403


def test_the_audit_page_shows_own_jurisdiction_only_and_searches(world: Any, auditors: dict[str, Any], client: Client) -> None:
    officer_a, officer_b = world.user("officer_a"), world.user("officer_b")
    audit.record_about(actor=officer_a, action="auth.password_changed", object_type="auth.user", object_id=officer_a.pk, object_repr="芝罘事件甲", jurisdiction_id=world.district_a.pk)
    audit.record_about(actor=officer_b, action="auth.password_changed", object_type="auth.user", object_id=officer_b.pk, object_repr="福山事件乙", jurisdiction_id=world.district_b.pk)
    client.force_login(auditors["audit_a"])
    body = client.get("/audit/").content.decode()
    assert "芝罘事件甲" in body and "福山事件乙" not in body
    # naming the other district's jurisdiction shows nothing of it
    body = client.get("/audit/", {"jurisdiction": world.district_b.pk}).content.decode()
    assert "福山事件乙" not in body and "芝罘事件甲" not in body
    body = client.get("/audit/", {"object": "芝罘", "action": "auth.password_changed", "actor": "officer_a", "date_from": "2000-01-01", "date_to": "2999-12-31"}).content.decode()
    assert "芝罘事件甲" in body
    body = client.get("/audit/", {"action": "auth.login"}).content.decode()
    assert "芝罘事件甲" not in body
    # malformed filters are a hint, never a 500
    for bad in ({"date_from": "2026-13-45"}, {"jurisdiction": "x"}, {"jurisdiction": "99999999999999999999"}, {"page": "abc"}, {"action": "nope"}):
        r = client.get("/audit/", bad)
        assert r.status_code == 200, bad


def test_account_events_carry_the_users_jurisdiction(world: Any, auditors: dict[str, Any], client: Client) -> None:
    """A password change or an ended session is read by the user's own bureau's audit administrator
    only (it was written without a jurisdiction, so every bureau's saw it)."""
    client.force_login(world.user("officer_b"))
    client.post("/account/sessions/end-others/")
    ev = AuditEvent.objects.get(action="auth.session_ended")
    assert ev.jurisdiction_id == world.district_b.pk
    reader = Client()
    reader.force_login(auditors["audit_a"])
    assert "officer_b" not in reader.get("/audit/", {"action": "auth.session_ended"}).content.decode()


def test_the_audit_list_runs_a_constant_number_of_queries(world: Any, auditors: dict[str, Any], client: Client, django_assert_max_num_queries: Any) -> None:
    client.force_login(auditors["audit_a"])
    client.get("/audit/")
    officer = world.user("officer_a")
    for i in range(120):
        audit.record_about(actor=officer, action="auth.password_changed", object_type="auth.user", object_id=i, object_repr=f"事件{i}", jurisdiction_id=world.district_a.pk)
    with django_assert_max_num_queries(12):
        r = client.get("/audit/")
    assert r.status_code == 200 and "第1页，共3页" in r.content.decode()
    with django_assert_max_num_queries(12):
        assert client.get("/audit/", {"page": 2, "object": "事件"}).status_code == 200


def test_the_chain_is_verified_from_the_page(world: Any, auditors: dict[str, Any], client: Client) -> None:
    officer = world.user("officer_a")
    for i in range(3):
        audit.record_about(actor=officer, action="auth.password_changed", object_type="auth.user", object_id=i, object_repr=f"事件{i}", jurisdiction_id=world.district_a.pk)
    call_command("audit", "seal")
    client.force_login(auditors["audit_a"])
    r = client.post("/audit/verify/")
    assert r.status_code == 200 and "校验通过" in r.content.decode()
    assert AuditEvent.objects.filter(action="audit.verify", actor=auditors["audit_a"]).exists()
    # a row changed behind the application's back is named
    victim = AuditEvent.objects.filter(action="auth.password_changed").order_by("chain_seq").first()
    from tests.core.test_audit_chain import TABLE, _raw

    _raw(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["改过", victim.pk])
    r = client.post("/audit/verify/")
    body = r.content.decode()
    assert "校验未通过" in body and f"记录{victim.pk}" in body


@pytest.mark.parametrize("who", ["admin_a", "security_a", "audit_a", "audit_city"])
def test_the_separated_administrators_read_no_business_record(world: Any, auditors: dict[str, Any], ent_a: Any, client: Client, who: str) -> None:
    """三员分立: the system, security and audit administrators run the system, the people and the
    audit; a person holding only such a role reads no ledger row, inspection, hazard, case or
    document of the bureau, in the pages, the API and the navigation."""
    client.force_login(auditors.get(who) or world.user(who))
    assert client.get(f"/enterprises/{ent_a.pk}/").status_code == 404
    assert client.get(f"/api/v1/enterprises/{ent_a.pk}/").status_code == 404
    listed = client.get("/enterprises/", {"q": ent_a.name[:4]})
    assert listed.status_code == 200 and ent_a.name not in listed.content.decode()
    assert client.get("/api/v1/enterprises/").json()["count"] == 0
    for api in ("/api/v1/inspections/", "/api/v1/hazards/", "/api/v1/cases/"):
        body = client.get(api).json()
        assert body.get("count", len(body.get("results", []))) == 0, api
    page = client.get("/account/").content.decode()
    assert "企业台账" not in page and "隐患治理" not in page and 'data-testid="nav-stats"' not in page


def test_an_administrator_who_also_holds_a_business_role_reads_through_that_role(world: Any, ent_a: Any, client: Client) -> None:
    """The office's director may also be the system administrator (one of the three, not two of
    them): the office role reads the ledger; the administrator role adds no ledger write."""
    user = _person({}, "office_admin_a", world.agency_a, ["office", "admin"], cert=False)
    client.force_login(user)
    assert client.get(f"/enterprises/{ent_a.pk}/").status_code == 200
    assert 'href="/stats/indicators/" data-testid="nav-stats"' in client.get("/account/").content.decode()
    edit = client.post(f"/enterprises/{ent_a.pk}/edit/", {"name": ent_a.name, "uscc": ent_a.uscc, "standardization_level": "none", "contact_name": "改名"})
    assert edit.status_code == 403
