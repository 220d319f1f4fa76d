"""Sign-in hardening (issue 8, item 9): lockout after repeated failures, and the audit of sign-ins.

django-axes counts failed logins (settings ``AXES_*``: 5 failures lock for 30 minutes, per user
name and per source address). This module holds our side of it:

- ``LockoutBackend``: axes' check before the password backend, for every login made through a web
  request (``/login/``, ``/admin/login/``). The API signs in with a session or a token, never with a
  password, so it has no password login of its own to guard.
- the audit: login, logout, a failed login, a lockout and a login refused while locked are
  AuditEvents (``auth.*``), written from Django's auth signals and axes' ``user_locked_out``;
- ``lockout_response``: the login page with the lockout message in Chinese (HTTP 429);
- ``login_unlock``: an administrator lifts a lock early (``anjian unlock``), audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from anjian.core import admins, audit, audit_chain
from anjian.core.errors import ValidationFailed
from anjian.core.middleware import client_ip
from anjian.core.scoping import scope_for

audit.ACTIONS.update(
    {
        "auth.login": "登录",
        "auth.logout": "退出登录",
        "auth.login_failed": "登录失败",
        "auth.lockout": "登录失败次数过多，账号锁定",
        "auth.login_locked": "锁定期间尝试登录，已拒绝",
        "auth.unlock": "解除登录锁定",
    }
)

USER_TYPE = "auth.user"


def lockout_minutes() -> int:
    cool_off = settings.AXES_COOLOFF_TIME
    return int(cool_off.total_seconds() // 60) if isinstance(cool_off, dt.timedelta) else 0


class LockoutBackend(AxesStandaloneBackend):
    """axes' lockout check, first in AUTHENTICATION_BACKENDS; it authenticates nobody itself.

    A call without a request is code signing a user in (the test client's ``login``, a shell), not
    someone at a login form: nothing to count, so it passes to the password backend. Every login
    page and Django's admin login pass the request.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        try:
            super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            # Told apart from the failure that sets the lock (see the receivers below).
            request.anjian_refused_locked = True  # type: ignore[attr-defined]
            raise
        return None


def client_ip_for_axes(request: HttpRequest) -> str | None:
    """The same source address the audit trail records (X-Forwarded-For only behind the proxy)."""
    return client_ip(request)


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None) -> HttpResponse:
    """The login page again, saying why and for how long, with 429 Too Many Requests."""
    context = {
        "form": LoginForm(request),
        "locked_out": True,
        "lockout_minutes": lockout_minutes(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "next": request.POST.get("next", "") if request.method == "POST" else "",
    }
    return render(request, "registration/login.html", context, status=429)


class PasswordBackend(ModelBackend):
    """Django's password backend, except that in production mode (``ANJIAN_PRODUCTION=1``) a
    superuser is refused even with the right password (三员分立: every power goes through one of
    the three administrator roles). The refusal is a failed login in the audit trail and in axes'
    count; the login form says why (``LoginForm``)."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and user.is_superuser and admins.production():
            if request is not None:
                request.anjian_superuser_refused = True  # type: ignore[attr-defined]
            raise PermissionDenied(SUPERUSER_REFUSED)
        return user


SUPERUSER_REFUSED = "生产模式下不允许超级管理员账号登录。请使用系统管理员、安全管理员或审计管理员的个人账号登录。"


class LoginForm(AuthenticationForm):
    """The login form; it names the refusal of a superuser in production mode."""

    superuser_refused = False

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "anjian_superuser_refused", False):
                self.superuser_refused = True
                raise ValidationError(SUPERUSER_REFUSED, code="superuser_refused") from None
            raise


# -- the audit of sign-ins ---------------------------------------------------------------------------


def _user_named(username: str | None) -> Any:
    if not username:
        return None
    User = get_user_model()
    return User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()


def _jurisdiction_of(user: Any) -> int | None:
    """A bureau's administrator reads the sign-ins of its own staff (AuditEventAdmin's scope)."""
    return scope_for(user).jurisdiction_id if user is not None else None


def _record(*, action: str, user: Any, attempted: str, actor: Any, note: str = "", after: dict[str, Any] | None = None) -> None:
    event = audit.build_event(
        actor=actor,
        action=action,
        object_type=USER_TYPE,
        object_id=user.pk if user is not None else "",
        object_repr=f"登录名：{attempted}"[:200],
        jurisdiction_id=_jurisdiction_of(user),
        after=after,
        note=note,
    )
    event.save(force_insert=True)
    audit_chain.seal_soon()


@receiver(user_logged_in, dispatch_uid="anjian.auth.login")
def audit_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    _record(action="auth.login", user=user, attempted=user.get_username(), actor=user, note=request.path if request is not None else "")


@receiver(user_logged_out, dispatch_uid="anjian.auth.logout")
def audit_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:  # a logout without a session
        return
    _record(action="auth.logout", user=user, attempted=user.get_username(), actor=user)


def _record_failure(request: HttpRequest, attempted: str) -> None:
    if getattr(request, "anjian_failure_recorded", False):
        return
    request.anjian_failure_recorded = True  # type: ignore[attr-defined]
    action = "auth.login_locked" if getattr(request, "anjian_refused_locked", False) else "auth.login_failed"
    note = request.path
    if getattr(request, "anjian_superuser_refused", False):
        note = f"{request.path} {SUPERUSER_REFUSED}"
    _record(action=action, user=_user_named(attempted), attempted=attempted, actor=None, note=note)


@receiver(user_login_failed, dispatch_uid="anjian.auth.login_failed")
def audit_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is None:
        return  # code calling authenticate() directly, not a login form
    _record_failure(request, str(credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username") or ""))


@receiver(user_locked_out, dispatch_uid="anjian.auth.lockout")
def audit_lockout(sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any) -> None:
    # axes sends this from its own user_login_failed receiver, which runs before ours: the failure
    # that sets the lock is written first, so the trail reads in order.
    _record_failure(request, username or "")
    # axes says "locked out" again for every attempt during the lock; only the failure that set it
    # is the lockout (the refused attempts are auth.login_locked).
    if getattr(request, "anjian_refused_locked", False):
        return
    _record(
        action="auth.lockout", user=_user_named(username), attempted=username or "", actor=None,
        after={"failures": settings.AXES_FAILURE_LIMIT, "minutes": lockout_minutes(), "ip_address": ip_address},
    )  # fmt: skip


# -- unlocking --------------------------------------------------------------------------------------


def login_unlock(*, actor: Any, username: str = "", ip_address: str = "", reason: str, actor_name: str = "") -> int:
    """Lift the lockout of a user name and/or a source address before its 30 minutes are over.

    Deletes the failure counts axes keeps for them and records ``auth.unlock`` with the numbers
    removed. ``actor`` is the administrator (None for the server's command line, named by
    ``actor_name``). Returns how many counts were removed.
    """
    username = username.strip()
    ip_address = ip_address.strip()
    if not username and not ip_address:
        raise ValidationFailed("请指定要解锁的用户名或来源IP。", fields={"username": "用户名与来源IP至少填写一项。"})
    if not reason.strip():
        raise ValidationFailed("请写明解锁原因。", fields={"reason": "解锁须写明原因（例如已核实为本人）。"})
    match = Q()
    if username:
        match |= Q(username=username)
    if ip_address:
        match |= Q(ip_address=ip_address)
    with transaction.atomic():
        attempts = AccessAttempt.objects.select_for_update().filter(match)
        found = [{"username": a.username, "ip_address": a.ip_address, "failures": a.failures_since_start} for a in attempts]
        removed = len(found)
        attempts.delete()
        user = _user_named(username)
        if user is not None:
            from anjian.core import otp

            otp.clear_lock(user)
        event = audit.build_event(
            actor=actor,
            action="auth.unlock",
            object_type=USER_TYPE,
            object_id=user.pk if user is not None else "",
            object_repr=f"登录名：{username}" if username else f"来源IP：{ip_address}",
            jurisdiction_id=_jurisdiction_of(user),
            before={"attempts": found},
            after={"username": username, "ip_address": ip_address, "removed": removed},
            note=reason.strip(),
            name=actor_name or None,
        )
        event.save(force_insert=True)
    audit_chain.seal_soon()
    return removed
