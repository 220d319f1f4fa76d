"""我的账号: change password (with the policy), and my sessions (end the others) — issue 10, item 2."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from anjian.core import accounts, audit


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
                jurisdiction_id=None, note="本人修改密码",
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
        },
    )


@login_required
@require_POST
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    n = accounts.end_other_sessions(request=request)
    messages.success(request, f"已退出其他{n}个会话。" if n else "没有其他会话。")
    return redirect("account")
