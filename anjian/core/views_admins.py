"""The pages of the separated administrators (三员分立, issue 10, items 3 and 5).

- ``/security/`` 账号安全管理, the security administrator's: the login-failure counts of the staff
  of its own bureau(s), the audited unlock, and the audited reset of a second factor. The system
  administrator no longer sees these (core/auth_admin.py); the server operator keeps ``anjian unlock``.
- ``/audit/`` 审计日志, the audit administrator's: search the trail of its own jurisdiction(s)
  (date range, action, actor, object, jurisdiction), paged with a constant number of queries, and
  verify the HMAC chain (core/audit_chain.py), synchronously: the walk reads the rows in chunks of
  10,000 and takes a few seconds per million events.

Both answer 403 to everybody else. In development a superuser may use both; in production mode a
superuser cannot sign in at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from anjian.core import admins, audit, audit_chain, otp
from anjian.core.auth import login_unlock
from anjian.core.errors import DomainError
from anjian.core.models import AuditEvent, Jurisdiction, OtpDevice
from anjian.core.scoping import scope_for

audit.ACTIONS.update({"audit.verify": "校验审计链"})

PAGE_SIZE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("您无权访问该页面。")


# -- 账号安全管理 ------------------------------------------------------------------------------------


def _own_usernames(actor: Any, usernames: set[str]) -> set[str]:
    if actor.is_superuser and not admins.production():
        return usernames
    User = get_user_model()
    users = User._default_manager.filter(**{f"{User.USERNAME_FIELD}__in": sorted(usernames)})
    return {u.get_username() for u in users if otp.in_jurisdiction(actor, u)}


@login_required
def security(request: HttpRequest) -> HttpResponse:
    _require(admins.is_security_admin(request.user))
    attempts = list(AccessAttempt.objects.exclude(username__isnull=True).exclude(username="").order_by("-attempt_time")[:500])
    own = _own_usernames(request.user, {a.username for a in attempts if a.username})
    cutoff = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = [
        {
            "username": a.username,
            "ip": a.ip_address,
            "failures": a.failures_since_start,
            "at": a.attempt_time,
            "locked": a.failures_since_start >= settings.AXES_FAILURE_LIMIT and a.attempt_time >= cutoff,
        }
        for a in attempts
        if a.username in own
    ]
    locked_devices = [d for d in OtpDevice.objects.select_related("user").filter(locked_until__gt=timezone.now()) if otp.in_jurisdiction(request.user, d.user)]
    return render(request, "security/index.html", {"attempts": rows, "otp_locked": locked_devices, "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)})


@login_required
@require_POST
def security_unlock(request: HttpRequest) -> HttpResponse:
    _require(admins.is_security_admin(request.user))
    username = request.POST.get("username", "").strip()
    try:
        otp.target_for(request.user, username)  # within the jurisdiction, or refused naming nothing
        removed = login_unlock(actor=request.user, username=username, reason=request.POST.get("reason", ""))
    except DomainError as e:
        messages.error(request, e.message + "".join(v[0] for v in e.fields.values() if v and v[0] != e.message))
    else:
        messages.success(request, f"已解除用户名{username}的登录锁定（清除{removed}条失败记录），已记入审计。")
    return redirect("security")


@login_required
@require_POST
def security_otp_reset(request: HttpRequest) -> HttpResponse:
    _require(admins.is_security_admin(request.user))
    try:
        user = otp.reset(actor=request.user, username=request.POST.get("username", ""), reason=request.POST.get("reason", ""))
    except DomainError as e:
        messages.error(request, e.message + "".join(v[0] for v in e.fields.values() if v and v[0] != e.message))
    else:
        messages.success(request, f"已重置{user.get_username()}的动态口令，该用户下次登录时须重新启用（如其角色要求）。已记入审计。")
    return redirect("security")


# -- 审计日志 ----------------------------------------------------------------------------------------


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def _events(request: HttpRequest, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    user = request.user
    qs: QuerySet[AuditEvent] = AuditEvent.objects.all()
    if not (user.is_superuser and not admins.production()):
        qs = audit.visible(qs, scope_for(user))
    tz = timezone.get_current_timezone()
    if filters["date_from"]:
        qs = qs.filter(at__gte=dt.datetime.combine(filters["date_from"], dt.time.min, tzinfo=tz))
    if filters["date_to"]:
        qs = qs.filter(at__lt=dt.datetime.combine(filters["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    if filters["action"]:
        qs = qs.filter(action=filters["action"])
    if filters["actor"]:
        qs = qs.filter(actor_name__icontains=filters["actor"])
    if filters["object"]:
        q = filters["object"]
        qs = qs.filter(Q(object_repr__icontains=q) | Q(object_id=q) | Q(object_type=q))
    if filters["jurisdiction"] is not None:
        qs = qs.filter(jurisdiction_id=filters["jurisdiction"])
    return qs.select_related("jurisdiction").order_by("-at", "-id")


def _jurisdictions(request: HttpRequest) -> list[Jurisdiction]:
    user = request.user
    if user.is_superuser and not admins.production():
        return list(Jurisdiction.objects.order_by("code"))
    return list(Jurisdiction.objects.filter(id__in=sorted(scope_for(user).agency_jurisdiction_ids)).order_by("code"))


@login_required
def audit_log(request: HttpRequest, verification: audit_chain.Verification | None = None) -> HttpResponse:
    _require(admins.is_audit_admin(request.user))
    g = request.GET
    places = _jurisdictions(request)
    place_ids = {j.pk for j in places}
    problems: list[str] = []
    filters: dict[str, Any] = {
        "date_from": _date(g.get("date_from", "")),
        "date_to": _date(g.get("date_to", "")),
        "action": "",
        "actor": g.get("actor", "").strip()[:100],
        "object": g.get("object", "").strip()[:100],
        "jurisdiction": None,
    }
    for name in ("date_from", "date_to"):
        if g.get(name, "").strip() and filters[name] is None:
            problems.append("日期格式应为“年-月-日”，例如2026-01-31。")
    if g.get("action") in audit.ACTIONS:
        filters["action"] = g["action"]
    raw_place = g.get("jurisdiction", "").strip()
    if raw_place:
        try:
            filters["jurisdiction"] = int(raw_place) if int(raw_place) in place_ids else -1
        except ValueError:
            filters["jurisdiction"] = -1
    page = Paginator(_events(request, filters), PAGE_SIZE).get_page(g.get("page"))
    for event in page:
        event.label = audit.ACTIONS.get(event.action, event.action)  # type: ignore[attr-defined]
    query = g.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "actions": sorted(audit.ACTIONS.items()),
        "places": places,
        "f": {k: (v.isoformat() if isinstance(v, dt.date) else ("" if v is None else v)) for k, v in filters.items()},
        "problems": sorted(set(problems)),
        "query": query.urlencode(),
        "verification": verification,
        "anchor": audit_chain.read_anchor(),
    }
    return render(request, "audit/index.html", context)


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    _require(admins.is_audit_admin(request.user))
    result = audit_chain.verify()
    audit.record_about(
        actor=request.user, action="audit.verify", object_type="core.auditevent", object_id="", object_repr="审计链",
        jurisdiction_id=scope_for(request.user).jurisdiction_id,
        after={"ok": result.ok, "checked": result.checked, "unsealed": result.unsealed, "first_problem": result.problems[0] if result.problems else ""},
        note="校验通过。" if result.ok else result.problems[0],
    )  # fmt: skip
    request.method = "GET"
    return audit_log(request, verification=result)
