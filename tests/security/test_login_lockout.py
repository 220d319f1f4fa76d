"""Login brute force (issue 8, item 9): 5 failures lock for 30 minutes, per user and per source.

The attack: 40 wrong passwords in a row on /login/ or /admin/login/ met no lockout and no delay.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from anjian.core.models import AuditEvent
from tests.conftest import PASSWORD

LOGIN = "/login/"
ADMIN_LOGIN = "/admin/login/"


def attempt(client: Client, username: str, password: str, *, path: str = LOGIN, ip: str = "10.20.30.40") -> Any:
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def actions(**filters: Any) -> list[str]:
    return list(AuditEvent.objects.filter(action__startswith="auth.", **filters).order_by("id").values_list("action", flat=True))


def test_five_failures_lock_and_the_right_password_is_then_refused(world: Any, client: Client) -> None:
    for _ in range(4):
        r = attempt(client, "officer_a", "wrong-password")
        assert r.status_code == 200 and "用户名或密码错误" in r.content.decode()
    r = attempt(client, "officer_a", "wrong-password")
    assert r.status_code == 429
    page = r.content.decode()
    assert "登录失败次数过多（连续5次）" in page and "锁定30分钟" in page and "联系安全管理员解锁" in page

    r = attempt(client, "officer_a", PASSWORD)
    assert r.status_code == 429 and "锁定" in r.content.decode()
    assert not signed_in(client)

    user = world.user("officer_a")
    assert actions() == ["auth.login_failed"] * 5 + ["auth.lockout", "auth.login_locked"]
    lock = AuditEvent.objects.get(action="auth.lockout")
    assert lock.object_id == str(user.pk) and lock.source_ip == "10.20.30.40" and lock.after["minutes"] == 30
    # the bureau's administrator sees its own staff's sign-ins (AuditEventAdmin filters by jurisdiction)
    assert lock.jurisdiction_id == world.district_a.pk


def test_the_lock_is_per_source_too(world: Any, client: Client) -> None:
    """Five wrong passwords for five different names from one address lock that address."""
    for name in ["officer_a", "officer_b", "leader_a", "nobody-1", "nobody-2"]:
        attempt(client, name, "wrong-password", ip="10.9.9.9")
    r = attempt(client, "officer_a2", PASSWORD, ip="10.9.9.9")
    assert r.status_code == 429 and not signed_in(client)
    # the same colleague from another address is not affected
    r = attempt(client, "officer_a2", PASSWORD, ip="10.9.9.10")
    assert r.status_code == 302 and signed_in(client)


def test_the_lock_is_per_user_across_sources(world: Any, client: Client) -> None:
    for i in range(5):
        attempt(client, "officer_a", "wrong-password", ip=f"10.1.1.{i + 1}")
    r = attempt(client, "officer_a", PASSWORD, ip="10.1.1.99")
    assert r.status_code == 429 and not signed_in(client)


def test_admin_login_counts_and_locks_too(world: Any, client: Client) -> None:
    world.user("admin_a").is_staff = True
    world.user("admin_a").save(update_fields=["is_staff"])
    for _ in range(5):
        attempt(client, "admin_a", "wrong-password", path=ADMIN_LOGIN)
    r = attempt(client, "admin_a", PASSWORD, path=ADMIN_LOGIN)
    assert r.status_code == 429 and "锁定" in r.content.decode() and not signed_in(client)
    # and the lock holds on the other login page
    assert attempt(client, "admin_a", PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(action="auth.login_failed", note=ADMIN_LOGIN).count() == 5


def test_the_lock_ends_after_30_minutes(world: Any, client: Client) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            attempt(client, "officer_a", "wrong-password")
        assert attempt(client, "officer_a", PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert attempt(client, "officer_a", PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        r = attempt(client, "officer_a", PASSWORD)
        assert r.status_code == 302 and signed_in(client)


def test_refused_attempts_during_the_lock_do_not_extend_it(world: Any, client: Client) -> None:
    """An attacker retrying cannot keep a colleague locked out for ever."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            attempt(client, "officer_a", "wrong-password")
    with time_machine.travel(start + dt.timedelta(minutes=25), tick=False):
        assert attempt(client, "officer_a", "wrong-password").status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        assert attempt(client, "officer_a", PASSWORD).status_code == 302


def test_an_administrator_unlocks_and_the_unlock_is_audited(world: Any, client: Client, capsys: Any) -> None:
    for _ in range(5):
        attempt(client, "officer_a", "wrong-password")
    assert attempt(client, "officer_a", PASSWORD).status_code == 429

    with pytest.raises(CommandError, match="原因"):
        call_command("unlock", "officer_a")
    call_command("unlock")  # lists the counts
    assert "officer_a" in capsys.readouterr().out

    call_command("unlock", "officer_a", "--ip", "10.20.30.40", "--reason", "已电话核实为本人")
    assert "已解除" in capsys.readouterr().out
    r = attempt(client, "officer_a", PASSWORD)
    assert r.status_code == 302 and signed_in(client)

    ev = AuditEvent.objects.get(action="auth.unlock")
    assert ev.note == "已电话核实为本人" and ev.object_id == str(world.user("officer_a").pk)
    assert ev.actor_name.startswith("命令行（")
    assert ev.after["removed"] >= 1 and ev.before["attempts"][0]["username"] == "officer_a"


def test_login_and_logout_are_audited_with_source_and_request_id(world: Any, client: Client) -> None:
    r = client.post(LOGIN, {"username": "officer_a", "password": PASSWORD}, REMOTE_ADDR="10.5.5.5", HTTP_X_REQUEST_ID="trace-0001-abcd")
    assert r.status_code == 302
    ev = AuditEvent.objects.get(action="auth.login")
    assert ev.actor == world.user("officer_a") and ev.source_ip == "10.5.5.5" and ev.request_id == "trace-0001-abcd"
    r = client.post("/logout/", REMOTE_ADDR="10.5.5.5")
    assert r.status_code == 302
    ev = AuditEvent.objects.get(action="auth.logout")
    assert ev.actor == world.user("officer_a")


def test_a_failure_for_an_unknown_name_is_audited_without_a_user(world: Any, client: Client) -> None:
    attempt(client, "no-such-user", "whatever")
    ev = AuditEvent.objects.get(action="auth.login_failed")
    assert ev.object_id == "" and ev.actor is None and "no-such-user" in ev.object_repr and ev.jurisdiction_id is None


def test_every_auth_action_has_a_chinese_label() -> None:
    from anjian.core.audit import ACTIONS

    labels = {k: v for k, v in ACTIONS.items() if k.startswith("auth.")}
    assert set(labels) == {
        "auth.login", "auth.logout", "auth.login_failed", "auth.lockout", "auth.login_locked", "auth.unlock", "auth.session_ended", "auth.password_changed",
        "auth.otp_enrolled", "auth.otp_failed", "auth.otp_locked", "auth.otp_recovery_used", "auth.otp_reset", "auth.token_created", "auth.token_revoked",
    }  # fmt: skip
    assert all("," not in v and "(" not in v for v in labels.values())


# -- the admin page 登录锁定 -----------------------------------------------------------------------


def staff(world: Any, name: str) -> Any:
    user = world.user(name)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_a_bureau_security_administrator_unlocks_its_own_staff(world: Any, client: Client) -> None:
    """三员分立: the security administrator unlocks, on its own page, within its bureau only."""
    from axes.models import AccessAttempt

    from tests.conftest import _person

    for _ in range(5):
        attempt(client, "officer_a", "wrong-password", ip="10.7.7.7")
    for _ in range(5):
        attempt(client, "officer_b", "wrong-password", ip="10.8.8.8")
    security = Client()
    security.force_login(_person({}, "security_a", world.agency_a, ["security_admin"], cert=False))
    page = security.get("/security/")
    assert page.status_code == 200
    listed = page.content.decode()
    assert "officer_a" in listed and "officer_b" not in listed  # another bureau's staff are not shown

    # the other bureau's user cannot be unlocked by naming it
    r = security.post("/security/unlock/", {"username": "officer_b", "reason": "已核实"}, follow=True)
    assert "不属于本机关管辖" in r.content.decode()
    assert AccessAttempt.objects.filter(username="officer_b").exists()
    # a reason is required
    r = security.post("/security/unlock/", {"username": "officer_a", "reason": ""}, follow=True)
    assert "原因" in r.content.decode() and AccessAttempt.objects.filter(username="officer_a").exists()

    r = security.post("/security/unlock/", {"username": "officer_a", "reason": "已电话核实为本人"})
    assert r.status_code == 302
    assert not AccessAttempt.objects.filter(username="officer_a").exists()
    assert attempt(client, "officer_a", PASSWORD, ip="10.7.7.9").status_code == 302
    ev = AuditEvent.objects.get(action="auth.unlock")
    assert ev.actor.username == "security_a" and ev.jurisdiction_id == world.district_a.pk and ev.note == "已电话核实为本人"


def test_the_system_administrator_no_longer_unlocks(world: Any, client: Client) -> None:
    """三员分立: neither the admin page 登录锁定 nor the security page is the system administrator's."""
    for _ in range(5):
        attempt(client, "officer_a", "wrong-password", ip="10.7.7.7")
    admin_client = Client()
    admin_client.force_login(staff(world, "admin_a"))
    assert admin_client.get("/admin/core/loginlock/").status_code == 403
    assert admin_client.get("/security/").status_code == 403
    assert admin_client.post("/security/unlock/", {"username": "officer_a", "reason": "x"}).status_code == 403
    assert attempt(client, "officer_a", PASSWORD, ip="10.7.7.9").status_code == 429


def test_an_officer_has_no_lockout_admin(world: Any, client: Client) -> None:
    client.force_login(staff(world, "officer_a"))
    assert client.get("/admin/core/loginlock/").status_code == 403
