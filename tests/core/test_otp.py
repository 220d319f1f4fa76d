"""The second factor (issue 10, item 4): enrolment, the second step of the login, recovery codes,
the requirement by role, the limit on wrong codes and the security administrator's reset."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from anjian.core import otp
from anjian.core.models import AuditEvent, OtpDevice, RecoveryCode
from tests.conftest import PASSWORD, _person


def login(client: Client, username: str) -> Any:
    return client.post("/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")


def enrol(client: Client) -> list[str]:
    page = client.get("/account/otp/")
    assert page.status_code == 200 and 'data-testid="otp-qr"' in page.content.decode() and "data:image/svg+xml;base64," in page.content.decode()
    user_id = int(client.session["_auth_user_id"])
    device = OtpDevice.objects.get(user_id=user_id)
    assert device.confirmed_at is None and otp.secret_base32(device) in page.content.decode()
    wrong = client.post("/account/otp/", {"code": "000000" if otp.current_code(device) != "000000" else "111111"})
    assert wrong.status_code == 422 and "动态口令不正确" in wrong.content.decode()
    done = client.post("/account/otp/", {"code": otp.current_code(device)})
    assert done.status_code == 200
    body = done.content.decode()
    codes = [c for c in body.split('data-testid="recovery-codes">', 1)[1].split("</ul>", 1)[0].replace("<li class=\"col\">", "").split("</li>") if c.strip()]
    return [c.strip() for c in codes]


def test_enrol_then_every_login_asks_for_a_code(world: Any, client: Client) -> None:
    assert login(client, "officer_a").status_code == 302
    codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    officer = world.user("officer_a")
    # stored hashed, never in clear
    stored = set(RecoveryCode.objects.filter(user=officer).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    assert AuditEvent.objects.filter(action="auth.otp_enrolled", object_id=str(officer.pk), jurisdiction_id=world.district_a.pk).exists()
    # the codes are shown once: the page no longer shows them
    assert "recovery-codes" not in client.get("/account/otp/").content.decode()

    client.post("/logout/")
    assert login(client, "officer_a").status_code == 302
    r = client.get("/enterprises/")
    assert r.status_code == 302 and r["Location"] == "/login/otp/?next=%2Fenterprises%2F"
    assert client.get("/api/v1/enterprises/").status_code == 403  # the session API too
    assert client.get("/account/").status_code == 302
    bad = client.post("/login/otp/", {"code": "12345", "next": "/enterprises/"})
    assert bad.status_code == 422 and "还可尝试4次" in bad.content.decode()
    assert AuditEvent.objects.filter(action="auth.otp_failed", object_id=str(officer.pk)).count() == 1
    device = OtpDevice.objects.get(user=officer)
    device.last_t = -1  # the enrolment used the current step; a new login may use the next
    device.save()
    code = otp.current_code(device)
    ok = client.post("/login/otp/", {"code": code, "next": "/enterprises/"})
    assert ok.status_code == 302 and ok["Location"] == "/enterprises/"
    assert client.get("/enterprises/").status_code == 200
    # a new session key after the second factor, and "my sessions" still knows the session
    from anjian.core.models import UserSession

    assert UserSession.objects.filter(session_key=client.session.session_key, user=officer).exists()
    # the same code cannot be used twice (replay)
    client.post("/logout/")
    login(client, "officer_a")
    assert client.post("/login/otp/", {"code": code}).status_code == 422


def test_a_recovery_code_works_once(world: Any, client: Client) -> None:
    login(client, "officer_a")
    codes = enrol(client)
    client.post("/logout/")
    login(client, "officer_a")
    r = client.post("/login/otp/", {"code": codes[0].upper(), "next": "/"})
    assert r.status_code == 302
    ev = AuditEvent.objects.get(action="auth.otp_recovery_used")
    assert ev.after == {"left": 9}
    client.post("/logout/")
    login(client, "officer_a")
    assert client.post("/login/otp/", {"code": codes[0]}).status_code == 422
    assert client.get("/").status_code == 302  # still not through
    assert client.post("/login/otp/", {"code": codes[1]}).status_code == 302


def test_wrong_codes_lock_the_second_factor(world: Any, client: Client) -> None:
    login(client, "officer_a")
    enrol(client)
    client.post("/logout/")
    login(client, "officer_a")
    for _ in range(4):
        assert client.post("/login/otp/", {"code": "abcdefgh"}).status_code == 422
    r = client.post("/login/otp/", {"code": "abcdefgh"})
    assert r.status_code == 429 and "已锁定30分钟" in r.content.decode()
    assert "_auth_user_id" not in client.session  # signed out
    assert AuditEvent.objects.filter(action="auth.otp_locked").count() == 1
    # even the right code is refused while locked
    login(client, "officer_a")
    device = OtpDevice.objects.get(user=world.user("officer_a"))
    device.last_t = -1
    device.save(update_fields=["last_t"])
    r = client.post("/login/otp/", {"code": otp.current_code(device)})
    assert r.status_code == 429
    # the security administrator's unlock lifts it
    security = Client()
    security.force_login(_person({}, "security_a", world.agency_a, ["security_admin"], cert=False))
    assert security.post("/security/unlock/", {"username": "officer_a", "reason": "已核实为本人"}).status_code == 302
    login(client, "officer_a")
    assert client.post("/login/otp/", {"code": otp.current_code(device)}).status_code == 302


@override_settings(OTP_REQUIRED_FOR=["admin", "security_admin", "audit_admin", "leader", "legal_reviewer"])
def test_a_required_role_is_sent_to_enrolment_before_anything_else(world: Any, client: Client) -> None:
    assert login(client, "leader_a").status_code == 302
    r = client.get("/enterprises/")
    assert r.status_code == 302 and r["Location"] == "/account/otp/"
    assert client.get("/account/password/").status_code == 302  # even the password change waits
    assert client.get("/api/v1/enterprises/").json()["code"] == "otp_enrol_required"
    page = client.get("/account/otp/")
    assert page.status_code == 200 and "您的角色须使用动态口令" in page.content.decode()
    device = OtpDevice.objects.get(user=world.user("leader_a"))
    assert client.post("/account/otp/", {"code": otp.current_code(device)}).status_code == 200
    assert client.get("/enterprises/").status_code == 200
    # an officer is not required
    other = Client()
    login(other, "officer_a")
    assert other.get("/enterprises/").status_code == 200


@override_settings(OTP_REQUIRED_FOR=["all"])
def test_all_means_everybody(world: Any, client: Client) -> None:
    login(client, "officer_a")
    assert client.get("/enterprises/")["Location"] == "/account/otp/"


@pytest.mark.parametrize(("production", "required"), [(False, False), (True, True)])
def test_the_default_requirement_applies_in_production_only(world: Any, production: bool, required: bool) -> None:
    with override_settings(OTP_REQUIRED_FOR=None, ANJIAN_PRODUCTION=production):
        assert otp.is_required(world.user("leader_a")) is required
        assert otp.is_required(world.user("legal_a")) is required
        assert otp.is_required(world.user("admin_a")) is required
        assert otp.is_required(world.user("officer_a")) is False


def test_the_security_administrator_resets_within_its_bureau(world: Any, client: Client) -> None:
    login(client, "officer_a")
    enrol(client)
    OtpDevice.objects.create(user=world.user("officer_b"), key="00" * 20, created_at=OtpDevice.objects.get().created_at, confirmed_at=OtpDevice.objects.get().created_at)
    security = Client()
    security.force_login(_person({}, "security_a", world.agency_a, ["security_admin"], cert=False))
    r = security.post("/security/otp-reset/", {"username": "officer_b", "reason": "手机遗失"}, follow=True)
    assert "不属于本机关管辖" in r.content.decode()
    assert OtpDevice.objects.filter(user=world.user("officer_b")).exists()
    r = security.post("/security/otp-reset/", {"username": "officer_a", "reason": ""}, follow=True)
    assert "原因" in r.content.decode() and OtpDevice.objects.filter(user=world.user("officer_a")).exists()
    assert security.post("/security/otp-reset/", {"username": "officer_a", "reason": "手机遗失，已当面核实"}).status_code == 302
    assert not OtpDevice.objects.filter(user=world.user("officer_a")).exists()
    assert not RecoveryCode.objects.filter(user=world.user("officer_a")).exists()
    ev = AuditEvent.objects.get(action="auth.otp_reset")
    assert ev.actor.username == "security_a" and ev.note == "手机遗失，已当面核实" and ev.jurisdiction_id == world.district_a.pk
    # others may not
    for name in ("admin_a", "leader_a", "officer_a"):
        c = Client()
        c.force_login(world.user(name))
        assert c.post("/security/otp-reset/", {"username": "officer_b", "reason": "x"}).status_code == 403
    # the user signs in with the password only again
    client.post("/logout/")
    login(client, "officer_a")
    assert client.get("/enterprises/").status_code == 200
