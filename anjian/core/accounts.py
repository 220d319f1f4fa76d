"""Account security (issue 10, item 4; 等保 level 3 identification and authentication):

- the password policy (``PasswordPolicyValidator``): at least ``ANJIAN_PASSWORD_MIN_LENGTH`` (8)
  characters from at least ``ANJIAN_PASSWORD_MIN_CLASSES`` (3) of the four classes (upper case,
  lower case, digits, symbols), not containing the login name;
- expiry: a password older than ``ANJIAN_PASSWORD_MAX_AGE_DAYS`` (90; 0 = never) must be changed
  before anything else (``SessionSecurityMiddleware``);
- sessions: a new session key on every login (Django's ``login`` cycles it), an idle timeout
  (``ANJIAN_SESSION_IDLE_MINUTES``, 30), an absolute lifetime (``SESSION_COOKIE_AGE``, 8 hours) and
  at most ``ANJIAN_MAX_SESSIONS`` (3) sessions per user: a further login ends the oldest;
- "my sessions": every session of a user is listed (``UserSession``) and the others can be ended.

The idle and absolute clocks live in the session itself (it is read on every request anyway), so
the check costs no query; ``UserSession.last_seen`` is refreshed at most once a minute.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

from anjian.core import audit, otp
from anjian.core.models import AccountSecurity, UserSession
from anjian.core.scoping import scope_for

audit.ACTIONS.update(
    {
        "auth.session_ended": "会话结束（超时、超过并发数或由本人退出）",
        "auth.password_changed": "修改密码",
    }
)

LOGIN_AT = "_anjian_login_at"
SEEN_AT = "_anjian_seen_at"
PASSWORD_EXPIRED = "_anjian_password_expired"
SEEN_REFRESH_SECONDS = 60
CLASSES = (
    (re.compile(r"[A-Z]"), "大写字母"),
    (re.compile(r"[a-z]"), "小写字母"),
    (re.compile(r"[0-9]"), "数字"),
    (re.compile(r"[^A-Za-z0-9]"), "符号"),
)


def min_length() -> int:
    return int(getattr(settings, "PASSWORD_MIN_LENGTH", 8))


def min_classes() -> int:
    return int(getattr(settings, "PASSWORD_MIN_CLASSES", 3))


def max_age_days() -> int:
    return int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90))


def idle_seconds() -> int:
    return int(getattr(settings, "SESSION_IDLE_MINUTES", 30)) * 60


def max_sessions() -> int:
    return int(getattr(settings, "MAX_SESSIONS", 3))


def policy_text() -> str:
    return f"密码至少{min_length()}位，须包含大写字母、小写字母、数字、符号中的至少{min_classes()}类，且不得包含登录名。"


class PasswordPolicyValidator:
    """The bureau's password policy; its ``password_changed`` hook starts the expiry clock."""

    def validate(self, password: str, user: Any = None) -> None:
        problems = []
        if len(password) < min_length():
            problems.append(f"密码至少{min_length()}位。")
        found = [label for rx, label in CLASSES if rx.search(password)]
        if len(found) < min_classes():
            problems.append(f"密码须包含大写字母、小写字母、数字、符号中的至少{min_classes()}类（现有{len(found)}类）。")
        name = (user.get_username() if user is not None and hasattr(user, "get_username") else "") or ""
        if name and len(name) >= 3 and name.lower() in password.lower():
            problems.append("密码不得包含登录名。")
        if problems:
            raise ValidationError(problems, code="password_policy")

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None and getattr(user, "pk", None):
            AccountSecurity.objects.update_or_create(user=user, defaults={"password_changed_at": timezone.now()})

    def get_help_text(self) -> str:
        return policy_text()


def password_expired(user: Any, now: dt.datetime | None = None) -> bool:
    days = max_age_days()
    if days <= 0 or not getattr(user, "pk", None):
        return False
    now = now or timezone.now()
    # A user without a record (created before this check existed) starts the clock now.
    sec, _ = AccountSecurity.objects.get_or_create(user=user, defaults={"password_changed_at": now})
    return sec.password_changed_at + dt.timedelta(days=days) <= now


def _store() -> type[SessionBase]:
    return import_module(settings.SESSION_ENGINE).SessionStore  # type: ignore[no-any-return]


def end_session(row: UserSession) -> None:
    _store()(session_key=row.session_key).delete()
    row.delete()


@receiver(user_logged_in, dispatch_uid="anjian.accounts.login")
def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = timezone.now()
    request.session[LOGIN_AT] = now.timestamp()
    request.session[SEEN_AT] = now.timestamp()
    request.session[PASSWORD_EXPIRED] = password_expired(user, now)
    otp.on_login(request, user)
    if not request.session.session_key:
        request.session.save()
    key = request.session.session_key or ""
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={"user": user, "created_at": now, "last_seen": now, "ip": _ip(request), "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200]},
    )
    # At most N sessions: the oldest end (and say so in the audit).
    rows = list(UserSession.objects.filter(user=user).order_by("-created_at", "-id"))
    for old in rows[max_sessions() :]:
        end_session(old)
        audit.record_about(
            actor=user, action="auth.session_ended", object_type="auth.user", object_id=user.pk, object_repr=f"登录名：{user.get_username()}",
            jurisdiction_id=scope_for(user).jurisdiction_id, after={"reason": "max_sessions", "limit": max_sessions(), "session_started": old.created_at.isoformat()},
            note=f"同一账号同时在线不超过{max_sessions()}个会话，最早的会话已退出。",
        )  # fmt: skip


@receiver(user_logged_out, dispatch_uid="anjian.accounts.logout")
def on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and getattr(request, "session", None) is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


def _ip(request: HttpRequest) -> str | None:
    from anjian.core import context

    return context.current().source_ip or request.META.get("REMOTE_ADDR") or None


ALLOWED_WHILE_EXPIRED = ("/account/password/", "/logout/", "/static/", "/healthz")


class SessionSecurityMiddleware:
    """Idle timeout, absolute lifetime and password expiry for signed-in users (after auth)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            refused = self._check(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        s = request.session
        now = timezone.now().timestamp()
        login_at, seen_at = s.get(LOGIN_AT), s.get(SEEN_AT)
        if login_at is None or seen_at is None:  # a session from before this check: start its clocks
            s[LOGIN_AT], s[SEEN_AT] = now, now
            return None
        reason = ""
        if now - float(seen_at) > idle_seconds():
            reason = f"超过{idle_seconds() // 60}分钟未操作，已自动退出，请重新登录。"
        elif now - float(login_at) > settings.SESSION_COOKIE_AGE:
            reason = f"登录已超过{settings.SESSION_COOKIE_AGE // 3600}小时，请重新登录。"
        if reason:
            user = request.user
            audit.record_about(
                actor=user, action="auth.session_ended", object_type="auth.user", object_id=user.pk, object_repr=f"登录名：{user.get_username()}",
                jurisdiction_id=scope_for(user).jurisdiction_id, after={"reason": "idle" if "未操作" in reason else "lifetime"}, note=reason,
            )  # fmt: skip
            logout(request)
            return self._refuse(request, reason, code="session_expired", status=401, to="login")
        if now - float(seen_at) > SEEN_REFRESH_SECONDS:
            s[SEEN_AT] = now
            if s.session_key:
                UserSession.objects.filter(session_key=s.session_key).update(last_seen=timezone.now())
        # The second factor before anything else (even the password change): core/otp.py.
        step = otp.pending(request)
        if step == otp.ENROL:
            return self._refuse(request, "您的角色须使用动态口令（第二因素），请先启用。", code="otp_enrol_required", status=403, to="account-otp")
        if step:
            return self._refuse(request, "请输入动态口令完成登录。", code="otp_required", status=403, to="login-otp", keep_next=True)
        if s.get(PASSWORD_EXPIRED) and not request.path.startswith(ALLOWED_WHILE_EXPIRED):
            return self._refuse(request, f"密码已使用超过{max_age_days()}天，请先修改密码。", code="password_expired", status=403, to="account-password")
        return None

    @staticmethod
    def _refuse(request: HttpRequest, message: str, *, code: str, status: int, to: str, keep_next: bool = False) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"code": code, "message": message, "fields": {}}, status=status, json_dumps_params={"ensure_ascii": False})
        if keep_next and request.method == "GET" and request.path != "/":
            from urllib.parse import urlencode

            from django.urls import reverse

            return HttpResponseRedirect(reverse(to) + "?" + urlencode({"next": request.get_full_path()}))
        from django.contrib import messages

        if hasattr(request, "_messages"):
            messages.warning(request, message)
        return redirect(to)


def sessions_of(user: Any) -> list[UserSession]:
    return list(UserSession.objects.filter(user=user).order_by("-last_seen", "-id"))


def end_other_sessions(*, request: HttpRequest) -> int:
    user = request.user
    rows = UserSession.objects.filter(user=user).exclude(session_key=request.session.session_key or "")
    n = 0
    for row in list(rows):
        end_session(row)
        n += 1
    audit.record_about(
        actor=user, action="auth.session_ended", object_type="auth.user", object_id=user.pk, object_repr=f"登录名：{user.get_username()}",  # type: ignore[union-attr]
        jurisdiction_id=scope_for(user).jurisdiction_id, after={"reason": "user", "ended": n}, note=f"用户退出其他{n}个会话。",
    )  # fmt: skip
    return n


def users_with_expired_passwords() -> Any:
    days = max_age_days()
    cutoff = timezone.now() - dt.timedelta(days=days)
    return get_user_model().objects.filter(security__password_changed_at__lte=cutoff)
