"""The second factor (issue 10, item 4; 等保 level 3: two factors for administrators).

A user's authenticator app holds a TOTP key (RFC 6238: 30-second steps, 6 digits; django-otp's
``oath.TOTP`` computes the codes). The sign-in is two steps: the password form signs the user in
as before, and until a code from the app (or a recovery code) is typed at ``/login/otp/`` the
session may reach nothing but that page, the enrolment page and the logout
(``SessionSecurityMiddleware`` → ``check``). The session remembers the outcome (``STATE``), so the
check costs no query per request.

- Who must have one: the roles in ``OTP_REQUIRED_FOR`` (env ``ANJIAN_OTP_REQUIRED_FOR``: a list of
  roles, ``all`` or ``none``); unset, the three administrators, leaders and legal reviewers in
  production mode and nobody otherwise. A required user without a device is sent to enrolment
  before anything else. A user who enrolled is asked for a code at every login in any case.
  The requirement is read at login: a role granted during a session applies from the next login.
- Recovery codes: 10, shown once at enrolment, stored as an HMAC, each usable once.
- Guessing: ``OTP_FAILURE_LIMIT`` (5) wrong codes in a row lock the second factor for the
  password lockout's time (``AXES_COOLOFF_TIME``) and end the session; the security administrator's
  unlock lifts it early.
- Reset: the security administrator of the user's bureau removes the device and the codes
  (``reset``); the user enrols again at the next login.
- API requests with a personal token skip it: a token is created only by a session that passed it.

Audited: ``auth.otp_enrolled``, ``auth.otp_failed``, ``auth.otp_locked``, ``auth.otp_recovery_used``,
``auth.otp_reset``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import io
import secrets
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.oath import TOTP
from django_otp.util import random_hex

from anjian.core import admins, audit
from anjian.core.errors import PermissionRefused, ValidationFailed
from anjian.core.models import OtpDevice, RecoveryCode
from anjian.core.scoping import scope_for

audit.ACTIONS.update(
    {
        "auth.otp_enrolled": "启用动态口令（第二因素）",
        "auth.otp_failed": "动态口令错误",
        "auth.otp_locked": "动态口令错误次数过多，锁定",
        "auth.otp_recovery_used": "使用恢复码登录",
        "auth.otp_reset": "重置第二因素",
    }
)

STATE = "_anjian_otp"
OK, VERIFY, ENROL = "ok", "verify", "enrol"
RECOVERY_CODES = 10
ISSUER = "安监执法"
DEFAULT_REQUIRED = (*admins.ADMIN_ROLES, "leader", "legal_reviewer")
ALLOWED_PATHS = ("/login/otp/", "/account/otp/", "/logout/", "/static/", "/healthz")
TOLERANCE = 1  # one step either side: a phone clock off by up to 30 seconds


def required_roles() -> tuple[str, ...]:
    configured = getattr(settings, "OTP_REQUIRED_FOR", None)
    if configured is None:
        return DEFAULT_REQUIRED if admins.production() else ()
    return tuple(configured)


def is_required(user: Any) -> bool:
    roles = required_roles()
    if not roles or not getattr(user, "pk", None):
        return False
    if "all" in roles:
        return True
    if user.is_superuser and set(roles) & set(admins.ADMIN_ROLES):
        return True
    return scope_for(user).has_role(*roles)


def device_of(user: Any) -> OtpDevice | None:
    return OtpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def state_for(user: Any) -> str:
    if device_of(user) is not None:
        return VERIFY
    return ENROL if is_required(user) else OK


def failure_limit() -> int:
    return int(getattr(settings, "OTP_FAILURE_LIMIT", 5))


def _about(user: Any) -> dict[str, Any]:
    return {"object_type": "auth.user", "object_id": user.pk, "object_repr": f"登录名：{user.get_username()}", "jurisdiction_id": scope_for(user).jurisdiction_id}


def totp(device: OtpDevice) -> TOTP:
    return TOTP(bytes.fromhex(device.key), step=30, digits=6)


def current_code(device: OtpDevice) -> str:
    """The code the authenticator shows now (the tests type it)."""
    return f"{totp(device).token():06d}"


# -- enrolment ---------------------------------------------------------------------------------------


def pending_device(user: Any) -> OtpDevice:
    """The user's device, created unconfirmed (with a new key) when there is none."""
    device, _ = OtpDevice.objects.get_or_create(user=user, defaults={"key": random_hex(20), "created_at": timezone.now()})
    return device


def secret_base32(device: OtpDevice) -> str:
    return base64.b32encode(bytes.fromhex(device.key)).decode().rstrip("=")


def provisioning_uri(device: OtpDevice, user: Any) -> str:
    label = quote(f"{ISSUER}:{user.get_username()}")
    return f"otpauth://totp/{label}?secret={secret_base32(device)}&issuer={quote(ISSUER)}&digits=6&period=30"


def qr_data_uri(text: str) -> str:
    """The QR code as an inline SVG ``data:`` URI (no external service; CSP allows img data:)."""
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def _code_hash(user: Any, code: str) -> str:
    normal = code.replace("-", "").replace(" ", "").lower()
    return salted_hmac("anjian.otp.recovery", f"{user.pk}:{normal}", algorithm="sha256").hexdigest()


def _new_recovery_codes(user: Any) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = ["".join(secrets.choice(alphabet) for _ in range(5)) + "-" + "".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(RECOVERY_CODES)]
    now = timezone.now()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_code_hash(user, c), created_at=now) for c in codes])
    return codes


def _clean_code(code: str) -> str:
    return (code or "").strip().replace(" ", "")


def confirm(*, user: Any, code: str) -> list[str]:
    """Enrolment's last step: a code from the app confirms the device; returns the recovery codes."""
    code = _clean_code(code)
    with transaction.atomic():
        device = OtpDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            raise ValidationFailed("请先打开启用页面获取密钥。", fields={"code": "请先打开启用页面获取密钥。"})
        if device.confirmed_at is not None:
            raise ValidationFailed("动态口令已启用。如需更换，请联系安全管理员重置。", fields={"code": "动态口令已启用。"})
        t = totp(device)
        if not (code.isdigit() and len(code) == 6 and t.verify(int(code), tolerance=TOLERANCE)):
            raise ValidationFailed("动态口令不正确，请输入认证应用上当前显示的6位数字。", fields={"code": "动态口令不正确。"})
        device.confirmed_at = timezone.now()
        device.last_t = t.t()
        device.failures = 0
        device.save(update_fields=["confirmed_at", "last_t", "failures"])
        codes = _new_recovery_codes(user)
        audit.record_about(actor=user, action="auth.otp_enrolled", after={"recovery_codes": RECOVERY_CODES}, note="本人启用动态口令，生成恢复码10个。", **_about(user))
    return codes


# -- the second step of the sign-in ------------------------------------------------------------------


class Locked(Exception):
    pass


def verify(*, request: HttpRequest, code: str) -> str:
    """Checks a code (from the app, or a recovery code) for the signed-in user of ``request``.

    Returns "totp" or "recovery"; raises ValidationFailed for a wrong code and ``Locked`` (after
    logging the user out) once the limit of wrong codes is reached.
    """
    user = request.user
    code = _clean_code(code)
    now = timezone.now()
    with transaction.atomic():
        device = OtpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
        if device is None:
            raise ValidationFailed("尚未启用动态口令。", fields={"code": "尚未启用动态口令。"})
        if device.locked_until is not None and device.locked_until > now:
            locked = True
        else:
            locked = False
            kind = _match(user, device, code, now)
            if kind:
                device.failures = 0
                device.locked_until = None
                device.save(update_fields=["failures", "locked_until", "last_t"])
                if kind == "recovery":
                    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
                    audit.record_about(actor=user, action="auth.otp_recovery_used", after={"left": left}, note=f"使用恢复码登录，剩余{left}个。", **_about(user))
                request.session[STATE] = OK
                return kind
            device.failures += 1
            locked = device.failures >= failure_limit()
            if locked:
                device.locked_until = now + settings.AXES_COOLOFF_TIME
            device.save(update_fields=["failures", "locked_until"])
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if locked:
        audit.record_about(
            actor=user,
            action="auth.otp_locked",
            after={"failures": device.failures, "until": device.locked_until.isoformat() if device.locked_until else None},
            note=f"动态口令连续错误{failure_limit()}次，锁定{minutes}分钟。",
            **_about(user),
        )
        logout(request)
        raise Locked(f"动态口令连续错误{failure_limit()}次，已锁定{minutes}分钟。请稍后再试，或联系安全管理员解除锁定。")
    audit.record_about(actor=user, action="auth.otp_failed", after={"failures": device.failures}, note=f"动态口令错误（连续第{device.failures}次）。", **_about(user))
    left = failure_limit() - device.failures
    raise ValidationFailed(f"动态口令不正确，还可尝试{left}次。", fields={"code": "动态口令不正确。"})


def _match(user: Any, device: OtpDevice, code: str, now: dt.datetime) -> str:
    if code.isdigit() and len(code) == 6:
        t = totp(device)
        if t.verify(int(code), tolerance=TOLERANCE, min_t=device.last_t + 1):
            device.last_t = t.t()
            return "totp"
        return ""
    if not 8 <= len(code) <= 12:
        return ""
    digest = _code_hash(user, code)
    row = RecoveryCode.objects.select_for_update().filter(user=user, code_hash=digest, used_at__isnull=True).first()
    if row is None or not hmac.compare_digest(row.code_hash, digest):
        return ""
    row.used_at = now
    row.save(update_fields=["used_at"])
    return "recovery"


def recovery_codes_left(user: Any) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# -- reset and unlock (the security administrator) ---------------------------------------------------


def target_for(actor: Any, username: str) -> Any:
    """The user named ``username`` if ``actor`` is a security administrator of the user's bureau.

    404-like refusal (ValidationFailed naming nothing) for a user outside the jurisdiction."""
    if not admins.is_security_admin(actor):
        raise PermissionRefused("只有安全管理员可以进行此操作。")
    User = get_user_model()
    user = User._default_manager.filter(**{User.USERNAME_FIELD: (username or "").strip()}).first()
    if user is None or not in_jurisdiction(actor, user):
        raise ValidationFailed("没有找到该用户，或该用户不属于本机关管辖。", fields={"username": "没有找到该用户，或该用户不属于本机关管辖。"})
    return user


def in_jurisdiction(actor: Any, user: Any) -> bool:
    if actor.is_superuser and not admins.production():
        return True
    return scope_for(user).jurisdiction_id in scope_for(actor).agency_jurisdiction_ids


def reset(*, actor: Any, username: str, reason: str) -> Any:
    """The security administrator removes a user's second factor (lost phone); audited."""
    if not (reason or "").strip():
        raise ValidationFailed("请写明重置原因。", fields={"reason": "重置第二因素须写明原因（例如手机遗失，已核实为本人）。"})
    user = target_for(actor, username)
    with transaction.atomic():
        had = OtpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
        OtpDevice.objects.filter(user=user).delete()
        codes = RecoveryCode.objects.filter(user=user).delete()[0]
        audit.record_about(actor=actor, action="auth.otp_reset", before={"device": had, "recovery_codes": codes}, after={"device": False}, note=reason.strip(), **_about(user))
    return user


def clear_lock(user: Any) -> None:
    OtpDevice.objects.filter(user=user).update(failures=0, locked_until=None)


# -- the check on every request (called by SessionSecurityMiddleware) --------------------------------


def on_login(request: HttpRequest, user: Any) -> None:
    request.session[STATE] = state_for(user)


def pending(request: HttpRequest) -> str:
    """VERIFY or ENROL while the session has not passed the second factor, else ""."""
    s = request.session
    state = s.get(STATE)
    if state is None:  # a session from before the second factor existed
        state = s[STATE] = state_for(request.user)
    if state == OK or request.path.startswith(ALLOWED_PATHS):
        return ""
    return str(state)
