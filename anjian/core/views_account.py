"""我的账号: change password (with the policy), and my sessions (end the others) — issue 10, item 2."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from anjian.core import accounts, audit, idempotency, otp, tokens
from anjian.core.auth import LoginForm
from anjian.core.errors import ValidationFailed
from anjian.core.models import ApiToken, UserSession
from anjian.core.scoping import scope_for


class ChinesePasswordChangeForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确，请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password1"].help_text = accounts.policy_text()
        self.fields["new_password2"].label = "再次输入新密码"

    def clean_new_password1(self) -> str:
        new = self.cleaned_data.get("new_password1") or ""
        if new and self.user.check_password(new):
            from django.core.exceptions import ValidationError

            raise ValidationError("新密码不能与原密码相同。", code="password_unchanged")
        return new


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = ChinesePasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()  # set_password → the policy's password_changed hook restarts the expiry clock
            audit.record_about(
                actor=user, action="auth.password_changed", object_type="auth.user", object_id=user.pk, object_repr=f"登录名：{user.get_username()}",
                jurisdiction_id=scope_for(user).jurisdiction_id, note="本人修改密码",
            )  # fmt: skip
        update_session_auth_hash(request, user)  # this session stays signed in; the others end (their hash no longer matches)
        request.session[accounts.PASSWORD_EXPIRED] = False
        messages.success(request, "密码已修改。使用原密码的其他会话已失效。")
        return redirect("account")
    expired = bool(request.session.get(accounts.PASSWORD_EXPIRED))
    return render(request, "account/password.html", {"form": form, "expired": expired, "max_age": accounts.max_age_days()})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    rows = accounts.sessions_of(request.user)
    return render(
        request,
        "account/index.html",
        {
            "sessions": rows,
            "current_key": request.session.session_key,
            "policy": accounts.policy_text(),
            "idle_minutes": accounts.idle_seconds() // 60,
            "max_sessions": accounts.max_sessions(),
            "max_age": accounts.max_age_days(),
            "otp_device": otp.device_of(request.user),
            "otp_required": otp.is_required(request.user),
            "otp_left": otp.recovery_codes_left(request.user),
            "tokens": tokens.tokens_of(request.user),
            "token_max_days": tokens.max_days(),
            "now": timezone.now(),
            "form_key": idempotency.new_key(),
        },
    )


@login_required
@require_POST
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    n = accounts.end_other_sessions(request=request)
    messages.success(request, f"已退出其他{n}个会话。" if n else "没有其他会话。")
    return redirect("account")


# -- the second factor (core/otp.py) -----------------------------------------------------------------


def _safe_next(request: HttpRequest) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@login_required
def login_otp(request: HttpRequest) -> HttpResponse:
    """The second step of the sign-in: a code from the authenticator app, or a recovery code."""
    if request.session.get(otp.STATE) != otp.VERIFY:
        return redirect(_safe_next(request))
    if otp.device_of(request.user) is None:  # reset by the security administrator meanwhile
        request.session[otp.STATE] = otp.state_for(request.user)
        return redirect(_safe_next(request))
    error = ""
    if request.method == "POST":
        try:
            kind = otp.verify(request=request, code=request.POST.get("code", ""))
        except otp.Locked as e:
            return render(request, "registration/login.html", {"form": LoginForm(request), "otp_locked": str(e), "failure_limit": settings.AXES_FAILURE_LIMIT}, status=429)
        except ValidationFailed as e:
            error = e.message
        else:
            # A new session key once both factors are in; "my sessions" follows it.
            previous = request.session.session_key
            request.session.cycle_key()
            UserSession.objects.filter(session_key=previous).update(session_key=request.session.session_key or "")
            if kind == "recovery":
                left = otp.recovery_codes_left(request.user)
                messages.warning(request, f"已使用一个恢复码，剩余{left}个。恢复码用完前请联系安全管理员重置动态口令，或在“我的账号”中查看。")
            return redirect(_safe_next(request))
    return render(request, "registration/login_otp.html", {"error": error, "next": _safe_next(request)}, status=422 if error else 200)


@login_required
def account_otp(request: HttpRequest) -> HttpResponse:
    """Enrolment: the key (as text and QR code), confirmed with a code; then the recovery codes once."""
    device = otp.device_of(request.user)
    if device is not None:
        return render(request, "account/otp.html", {"enrolled": True, "left": otp.recovery_codes_left(request.user)})
    pending = otp.pending_device(request.user)
    error = ""
    if request.method == "POST":
        try:
            codes = otp.confirm(user=request.user, code=request.POST.get("code", ""))
        except ValidationFailed as e:
            error = e.message
        else:
            request.session[otp.STATE] = otp.OK
            return render(request, "account/otp.html", {"enrolled": True, "codes": codes, "left": len(codes)})
    uri = otp.provisioning_uri(pending, request.user)
    context = {
        "enrolled": False,
        "secret": otp.secret_base32(pending),
        "qr": otp.qr_data_uri(uri),
        "required": request.session.get(otp.STATE) == otp.ENROL,
        "error": error,
    }
    return render(request, "account/otp.html", context, status=422 if error else 200)


# -- my API tokens (core/tokens.py) ------------------------------------------------------------------


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    made: dict[str, str] = {}

    def do() -> ApiToken:
        row, made["key"] = tokens.create(actor=request.user, name=request.POST.get("name", ""), days=request.POST.get("days", ""))
        return row

    try:
        row, created = idempotency.once(actor=request.user, operation="api_token.create", key=request.POST.get(idempotency.FORM_FIELD), model=ApiToken, do=do)
    except ValidationFailed as e:
        messages.error(request, e.message)
        return redirect("account")
    if not created:  # a double submit: the key was shown to the first request only
        messages.info(request, f"令牌“{row.name}”已创建；密钥只在创建时显示一次。")
        return redirect("account")
    key = made["key"]
    # Shown once: this response is the only place the key appears (no-store, like every page).
    return render(request, "account/token_created.html", {"token": row, "key": key})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    row = tokens.revoke(actor=request.user, token_id=pk)
    messages.success(request, f"令牌“{row.name}”已撤销。")
    return redirect("account")
