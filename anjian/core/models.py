"""Cross-cutting data: administrative divisions, jurisdictions, the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from anjian.core.choices import DivisionLevel, JurisdictionKind


class Division(models.Model):
    """An administrative division (GB/T 2260 code), loaded by ``anjian refdata load``."""

    code = models.CharField("区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("级别", max_length=16, choices=DivisionLevel.choices)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return f"{self.name}({self.code})"


class JurisdictionQuerySet(models.QuerySet["Jurisdiction"]):
    def valid_on(self, day: dt.date) -> JurisdictionQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Jurisdiction(models.Model):
    """A district, or a functional zone with its own bureau, or the city as a whole.

    Every business row carries the jurisdiction it belongs to (ARCHITECTURE.md rule 4); the city
    jurisdiction is the parent of its districts and zones, so a city bureau reads them all.
    """

    code = models.CharField("辖区编码", max_length=32, unique=True)
    name = models.CharField("辖区名称", max_length=64)
    kind = models.CharField("类型", max_length=16, choices=JurisdictionKind.choices)
    parent = models.ForeignKey("self", verbose_name="上级辖区", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    divisions = models.ManyToManyField(Division, verbose_name="覆盖的行政区划", blank=True, related_name="jurisdictions")
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "辖区"
        verbose_name_plural = "辖区"
        constraints = [
            models.CheckConstraint(
                name="jurisdiction_valid_range",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                violation_error_message="失效日期不能早于生效日期。",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("审计记录只能追加，不能修改。")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("审计记录只能追加，不能删除。")


class AuditEvent(models.Model):
    """Append-only security audit (ARCHITECTURE.md; STYLE.md principle 4).

    Written only by ``anjian.core.audit.record`` from services. Row history of business records
    is django-simple-history's job; this is who did what, from where, when.
    """

    # Set when the event is built (not on insert), so that its HMAC covers it (core/audit_chain.py).
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField("操作人姓名", max_length=64, blank=True)
    action = models.CharField("操作代码", max_length=64)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    source_ip = models.GenericIPAddressField("来源IP", null=True, blank=True)
    # Tamper evidence (core/audit_chain.py): the HMAC of the row's content, written with the row;
    # its place in the chain and the chain's HMAC, written once by the sealer.
    row_mac = models.CharField("内容校验码", max_length=64, blank=True, editable=False)
    chain_seq = models.BigIntegerField("链序号", null=True, blank=True, unique=True, editable=False)
    chain_mac = models.CharField("链校验码", max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        indexes = [
            # The audit tab of an object's page: WHERE object_type=… AND object_id=… ORDER BY at DESC.
            models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("审计记录只能追加，不能修改。")
        if not self.row_mac:
            from anjian.core.audit_chain import sign

            sign(self)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("审计记录只能追加，不能删除。")


class LoginLock(AccessAttempt):
    """django-axes' count of failed logins, under a Chinese name for the admin page 登录锁定
    (core/auth_admin.py). No table of its own."""

    class Meta:
        proxy = True
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录锁定"


class IdempotencyKey(models.Model):
    """A create or issue request already done, by its client's key (the ``Idempotency-Key`` header
    of the API, or the one-time key of a rendered form): a replay returns the first result
    instead of doing it twice (``anjian.core.idempotency``)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.CASCADE, related_name="+")
    operation = models.CharField("操作", max_length=64)
    key = models.CharField("幂等键", max_length=64)
    object_type = models.CharField("结果对象类型", max_length=64, blank=True)
    object_id = models.CharField("结果对象编号", max_length=64, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "幂等键"
        verbose_name_plural = "幂等键"
        constraints = [
            models.UniqueConstraint(fields=["actor", "operation", "key"], name="idempotencykey_unique", violation_error_message="幂等键已使用。"),
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.key}"


class AccountSecurity(models.Model):
    """When a user's password was last set: the expiry clock (core/accounts.py)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, primary_key=True, related_name="security")
    password_changed_at = models.DateTimeField("密码设置时间")

    class Meta:
        verbose_name = "账号安全信息"
        verbose_name_plural = "账号安全信息"

    def __str__(self) -> str:
        return f"{self.user_id} {self.password_changed_at:%Y-%m-%d}"


class UserSession(models.Model):
    """One signed-in session of a user (the page "我的会话", the limit on concurrent sessions)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField("会话标识", max_length=40, unique=True)
    created_at = models.DateTimeField("登录时间")
    last_seen = models.DateTimeField("最近活动时间")
    ip = models.GenericIPAddressField("来源IP", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=200, blank=True)

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"
        indexes = [models.Index(fields=["user", "created_at"], name="usersession_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class OtpDevice(models.Model):
    """A user's TOTP authenticator (RFC 6238, 30 s, 6 digits; core/otp.py). Unconfirmed until the
    user types a code from it; ``last_t`` refuses a code used twice; ``failures`` and
    ``locked_until`` limit the guessing of codes."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="anjian_otp_device")  # not "otp_device": django-otp's login signal reads that name
    key = models.CharField("密钥（十六进制）", max_length=80)
    created_at = models.DateTimeField("创建时间")
    confirmed_at = models.DateTimeField("启用时间", null=True, blank=True)
    last_t = models.BigIntegerField("最近使用的时间步", default=-1)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = "动态口令设备"
        verbose_name_plural = "动态口令设备"

    def __str__(self) -> str:
        return f"{self.user_id} {'已启用' if self.confirmed_at else '未启用'}"


class RecoveryCode(models.Model):
    """One recovery code of a user's second factor: stored as an HMAC only, usable once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField("恢复码摘要", max_length=64)
    created_at = models.DateTimeField("生成时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "恢复码"
        verbose_name_plural = "恢复码"
        indexes = [models.Index(fields=["user", "code_hash"], name="recoverycode_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {'已使用' if self.used_at else '未使用'}"


class ApiToken(models.Model):
    """A personal API token (我的API令牌; core/tokens.py): the key is shown once and stored as its
    SHA-256 only; it expires, and its owner may revoke it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=100)
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    prefix = models.CharField("令牌前缀", max_length=12)
    created_at = models.DateTimeField("创建时间")
    expires_at = models.DateTimeField("到期时间")
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API令牌"
        verbose_name_plural = "API令牌"

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"
