"""Account security (issue 10, items 2 and 4): the password policy, expiry at 90 days, the idle
timeout and the absolute lifetime, at most N sessions, and the page 我的账号."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from anjian.core import accounts
from anjian.core.models import AccountSecurity, AuditEvent, UserSession
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "Xin-mima-2026"


def login(username: str, password: str = PASSWORD) -> Client:
    c = Client()
    r = c.post("/login/", {"username": username, "password": password})
    assert r.status_code == 302, r.content[:300]
    return c


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "密码至少8位。"),
        ("abcdefgh12", "至少3类（现有2类）"),
        ("officer_a-2026X", "密码不得包含登录名。"),
    ],
)
def test_the_policy_refuses_weak_passwords(world: Any, password: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        accounts.PasswordPolicyValidator().validate(password, world.user("officer_a"))
    assert any(message in m for m in exc.value.messages)


def test_the_policy_accepts_three_classes(world: Any) -> None:
    accounts.PasswordPolicyValidator().validate("abcd-2026x", world.user("officer_a"))


def test_setting_a_password_starts_the_expiry_clock(world: Any) -> None:
    u = world.user("officer_a")
    u.set_password(NEW)
    u.save()
    assert (timezone.now() - AccountSecurity.objects.get(user=u).password_changed_at).total_seconds() < 60


def test_an_expired_password_must_be_changed_first(world: Any, time_machine: Any) -> None:
    u = world.user("officer_a")
    AccountSecurity.objects.update_or_create(user=u, defaults={"password_changed_at": timezone.now() - dt.timedelta(days=91)})
    c = login("officer_a")
    r = c.get("/enterprises/")
    assert r.status_code == 302 and r["Location"] == "/account/password/"
    api = c.get("/api/v1/enterprises/")
    assert api.status_code == 403 and api.json()["code"] == "password_expired"
    page = c.get("/account/password/")
    assert "密码已使用超过90天" in page.content.decode()
    r = c.post("/account/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert r.status_code == 302
    assert c.get("/enterprises/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.password_changed", object_id=str(u.pk)).exists()


def test_password_change_form_messages(world: Any) -> None:
    c = login("officer_a")
    r = c.post("/account/password/", {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW})
    assert "原密码不正确" in r.content.decode()
    r = c.post("/account/password/", {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert "新密码不能与原密码相同" in r.content.decode()
    r = c.post("/account/password/", {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"})
    assert "密码至少8位" in r.content.decode()


def test_changing_the_password_ends_the_other_sessions(world: Any) -> None:
    other = login("officer_a")
    me = login("officer_a")
    me.post("/account/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert me.get("/enterprises/").status_code == 200
    assert other.get("/enterprises/").status_code == 302  # its session hash no longer matches


def test_idle_timeout(world: Any, time_machine: Any) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    c = login("officer_a")
    assert c.get("/enterprises/").status_code == 200
    time_machine.shift(dt.timedelta(minutes=29))
    assert c.get("/enterprises/").status_code == 200  # activity restarts the idle clock
    time_machine.shift(dt.timedelta(minutes=31))
    r = c.get("/enterprises/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    assert c.get("/api/v1/enterprises/").status_code in (401, 403)
    assert AuditEvent.objects.filter(action="auth.session_ended", after__reason="idle").exists()


def test_absolute_lifetime(world: Any, settings: Any, time_machine: Any) -> None:
    settings.SESSION_COOKIE_AGE = 5400  # 90 minutes
    time_machine.move_to(timezone.now(), tick=False)
    c = login("officer_a")
    for _ in range(3):
        time_machine.shift(dt.timedelta(minutes=25))
        assert c.get("/enterprises/").status_code == 200
    time_machine.shift(dt.timedelta(minutes=25))  # 100 minutes after login, active all along
    r = c.get("/enterprises/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_at_most_n_sessions(world: Any, settings: Any, time_machine: Any) -> None:
    settings.MAX_SESSIONS = 2
    time_machine.move_to(timezone.now(), tick=False)
    first = login("officer_a")
    time_machine.shift(dt.timedelta(seconds=5))
    second = login("officer_a")
    time_machine.shift(dt.timedelta(seconds=5))
    third = login("officer_a")
    assert UserSession.objects.filter(user=world.user("officer_a")).count() == 2
    assert first.get("/enterprises/").status_code == 302
    assert second.get("/enterprises/").status_code == 200 and third.get("/enterprises/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.session_ended", after__reason="max_sessions").count() == 1


def test_my_sessions_page_and_ending_the_others(world: Any) -> None:
    other = login("officer_a")
    me = login("officer_a")
    page = me.get("/account/").content.decode()
    assert "我的会话" in page and "当前会话" in page and page.count("<tr>") >= 3
    r = me.post("/account/sessions/end-others/")
    assert r.status_code == 302
    assert other.get("/enterprises/").status_code == 302
    assert me.get("/enterprises/").status_code == 200
    assert UserSession.objects.filter(user=world.user("officer_a")).count() == 1


def test_logout_removes_the_session_row(world: Any) -> None:
    c = login("officer_a")
    assert UserSession.objects.filter(user=world.user("officer_a")).count() == 1
    c.post("/logout/")
    assert UserSession.objects.filter(user=world.user("officer_a")).count() == 0


def test_account_pages_need_login() -> None:
    c = Client()
    for url in ("/account/", "/account/password/"):
        r = c.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/login/")
    assert get_user_model().objects.count() == 0
