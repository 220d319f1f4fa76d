"""我的API令牌 (issue 10, item 2): personal API tokens that expire and can be revoked.

A token is ``ajt_`` and 40 random URL-safe characters; the database keeps its SHA-256 only, so the
key is shown once, at creation. Every token has an expiry (at most ``ANJIAN_API_TOKEN_MAX_DAYS``,
180 days). ``TokenAuthentication`` reads ``Authorization: Token <key>`` (or ``Bearer``) and refuses
an unknown, expired or revoked token with 401 and a Chinese message.

A token is created only from the account page, by a session that has passed the second factor
(core/otp.py), so an API request made with a token skips the interactive second factor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework import authentication, exceptions

from anjian.core import audit
from anjian.core.errors import NotFound, ValidationFailed
from anjian.core.models import ApiToken
from anjian.core.scoping import scope_for

audit.ACTIONS.update(
    {
        "auth.token_created": "创建API令牌",
        "auth.token_revoked": "撤销API令牌",
    }
)

PREFIX = "ajt_"
KEY_MAX_LENGTH = 64
LAST_USED_REFRESH = dt.timedelta(minutes=1)


def max_days() -> int:
    return int(getattr(settings, "API_TOKEN_MAX_DAYS", 180))


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _about(user: Any) -> dict[str, Any]:
    # The user's own bureau: its audit administrator reads the event (core/views_audit.py).
    return {"object_type": "auth.user", "object_id": user.pk, "object_repr": f"登录名：{user.get_username()}", "jurisdiction_id": scope_for(user).jurisdiction_id}


def create(*, actor: Any, name: str, days: int | str | None) -> tuple[ApiToken, str]:
    """A new token of ``actor``; returns the row and the key (the only time the key is known)."""
    name = (name or "").strip()
    fields: dict[str, str] = {}
    if not name:
        fields["name"] = "请填写令牌名称（例如用途或客户端名称）。"
    elif len(name) > 100:
        fields["name"] = "名称不超过100个字符。"
    try:
        n = int(str(days).strip()) if days not in (None, "") else 0
    except (TypeError, ValueError):
        n = 0
    if not 1 <= n <= max_days():
        fields["days"] = f"有效期须为1至{max_days()}天。"
    if fields:
        raise ValidationFailed("API令牌未创建：" + "".join(fields.values()), fields=fields)
    key = PREFIX + secrets.token_urlsafe(30)
    now = timezone.now()
    with transaction.atomic():
        row = ApiToken.objects.create(user=actor, name=name, key_hash=digest(key), prefix=key[: len(PREFIX) + 4], created_at=now, expires_at=now + dt.timedelta(days=n))
        audit.record_about(
            actor=actor,
            action="auth.token_created",
            after={"token": row.pk, "name": name, "expires_at": row.expires_at.isoformat()},
            note=f"令牌“{name}”，有效期{n}天。",
            **_about(actor),
        )
    return row, key


def tokens_of(user: Any) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id"))


def revoke(*, actor: Any, token_id: Any) -> ApiToken:
    try:
        pk = int(str(token_id))
    except (TypeError, ValueError):
        raise NotFound("令牌不存在。") from None
    if not 0 < pk < 2**63:
        raise NotFound("令牌不存在。")
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().filter(pk=pk, user=actor).first()
        if row is None:
            raise NotFound("令牌不存在。")
        if row.revoked_at is None:  # a second click changes nothing
            row.revoked_at = timezone.now()
            row.save(update_fields=["revoked_at"])
            audit.record_about(actor=actor, action="auth.token_revoked", after={"token": row.pk, "name": row.name}, note=f"撤销令牌“{row.name}”。", **_about(actor))
    return row


def active_user_for(key: str) -> tuple[Any, str]:
    """(user, "") for a usable key, else (None, the reason in Chinese)."""
    key = key.strip()
    if not key or len(key) > KEY_MAX_LENGTH:
        return None, "API令牌无效。"
    row = ApiToken.objects.select_related("user").filter(key_hash=digest(key)).first()
    if row is None or not row.user.is_active:
        return None, "API令牌无效。"
    now = timezone.now()
    if row.revoked_at is not None:
        return None, "API令牌已撤销，请在“我的账号”中创建新的令牌。"
    if row.expires_at <= now:
        return None, "API令牌已过期，请在“我的账号”中创建新的令牌。"
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_REFRESH:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user, ""


def key_from_header(header: str) -> str | None:
    kind, _, key = (header or "").partition(" ")
    if kind.lower() not in ("token", "bearer"):
        return None
    return key.strip()


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>``: our ApiToken (replaces DRF's authtoken)."""

    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken | None] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        key = key_from_header(header)
        if key is None:
            return None
        user, reason = active_user_for(key)
        if user is None:
            refused = exceptions.AuthenticationFailed(reason, code="token_refused")
            refused.anjian_token_refused = True  # type: ignore[attr-defined]
            raise refused
        return user, None

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


try:  # the API reference names the token scheme (drf-spectacular finds extensions by subclassing)
    from drf_spectacular.extensions import OpenApiAuthenticationExtension

    class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
        target_class = "anjian.core.tokens.TokenAuthentication"
        name = "tokenAuth"

        def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
            return {"type": "apiKey", "in": "header", "name": "Authorization", "description": "个人API令牌（“我的账号”中创建）：`Token <密钥>`"}
except ImportError:  # pragma: no cover
    pass
