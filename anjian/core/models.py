"""Cross-cutting data: administrative divisions, jurisdictions, the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db import models
from django.db.models import Q

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
        raise TypeError("审计记录只能追加,不能修改。")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("审计记录只能追加,不能删除。")


class AuditEvent(models.Model):
    """Append-only security audit (ARCHITECTURE.md; STYLE.md principle 4).

    Written only by ``anjian.core.audit.record`` from services. Row history of business records
    is django-simple-history's job; this is who did what, from where, when.
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
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
            raise TypeError("审计记录只能追加,不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("审计记录只能追加,不能删除。")


class CalendarYear(models.Model):
    """A year whose official holiday schedule (State Council notice) is loaded.

    A computation that reaches a year not listed here is provisional (weekends only), and no step
    may rely on the provisional end of a window that protects the party (LEGAL.md §1).
    """

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    source = models.CharField("来源", max_length=200, help_text="如:国务院办公厅关于2027年部分节假日安排的通知(国办发明电〔2026〕×号)")
    loaded_at = models.DateTimeField("载入时间", auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "已载入节假日安排的年度"
        verbose_name_plural = "已载入节假日安排的年度"

    def __str__(self) -> str:
        return str(self.year)


class WorkCalendarDay(models.Model):
    """An exception day of the working-day calendar: a statutory holiday or a make-up working day."""

    date = models.DateField("日期", primary_key=True)
    kind = models.CharField("类别", max_length=16, choices=[("holiday", "法定节假日"), ("makeup_workday", "调休上班日")])
    name = models.CharField("名称", max_length=32, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class RuleOverride(models.Model):
    """An approved confirmation or replacement of a configurable (CFG) legal value.

    Scope is a division code (370000 province, 370600 city, 370602 district): the rule applies to
    agencies whose jurisdiction lies in it. Audited; shown wherever the rule is shown.
    """

    rule_code = models.CharField("规则代码", max_length=64)
    scope = models.CharField("适用范围(区划代码)", max_length=16)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    value = models.DecimalField("取值", max_digits=14, decimal_places=2, null=True, blank=True, help_text="留空表示确认系统默认值")
    unit = models.CharField("期间单位", max_length=16, blank=True)
    source_document = models.CharField("依据文件(文号)", max_length=200)
    approver = models.CharField("批准人", max_length=64)
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["rule_code", "scope", "-effective_from"]
        verbose_name = "法定规则覆盖(本地配置)"
        verbose_name_plural = "法定规则覆盖(本地配置)"
        constraints = [
            models.CheckConstraint(name="override_has_source", condition=~Q(source_document=""), violation_error_message="规则覆盖必须填写依据文件。"),
            models.CheckConstraint(name="override_range", condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")), violation_error_message="失效日期不能早于生效日期。"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_code}@{self.scope} {self.effective_from}"


class LegalReviewCatalogueEntry(models.Model):
    """An entry of a bureau's own legal-review catalogue (法制审核目录, 行政处罚法 §58 ¶1(4)).

    Scope is a division code like RuleOverride's. A decision that includes one of ``kinds`` or a
    fine at or above the threshold for the party's kind needs legal review.
    """

    scope = models.CharField("适用范围(区划代码)", max_length=16)
    code = models.CharField("编号", max_length=32)
    name = models.CharField("情形", max_length=200)
    kinds = models.JSONField("处罚种类", default=list, blank=True, help_text="如 [\"order_stop\", \"licence_revocation\"]")
    fine_individual = models.DecimalField("个人罚款达到(元)", max_digits=14, decimal_places=2, null=True, blank=True)
    fine_organisation = models.DecimalField("单位罚款达到(元)", max_digits=14, decimal_places=2, null=True, blank=True)
    source_document = models.CharField("依据文件(文号)", max_length=200)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)

    class Meta:
        ordering = ["scope", "code"]
        verbose_name = "法制审核目录条目"
        verbose_name_plural = "法制审核目录"
        constraints = [
            models.CheckConstraint(name="review_entry_has_source", condition=~Q(source_document=""), violation_error_message="须填写依据文件。"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.code} {self.name}"


class CollectiveDiscussionConfig(models.Model):
    """A bureau's rule for collective discussion (集体讨论, 行政处罚法 §57 ¶2; CFG)."""

    scope = models.CharField("适用范围(区划代码)", max_length=16)
    complex_cases = models.BooleanField("情节复杂的案件", default=True)
    serious_heavier = models.BooleanField("重大违法行为给予较重处罚", default=True)
    kinds = models.JSONField("另须集体讨论的处罚种类", default=list, blank=True)
    fine_individual = models.DecimalField("个人罚款达到(元)", max_digits=14, decimal_places=2, null=True, blank=True)
    fine_organisation = models.DecimalField("单位罚款达到(元)", max_digits=14, decimal_places=2, null=True, blank=True)
    source_document = models.CharField("依据文件(文号)", max_length=200)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)

    class Meta:
        ordering = ["scope", "-effective_from"]
        verbose_name = "集体讨论规则"
        verbose_name_plural = "集体讨论规则"
        constraints = [
            models.CheckConstraint(name="collective_has_source", condition=~Q(source_document=""), violation_error_message="须填写依据文件。"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.effective_from}"


class LoginLock(AccessAttempt):
    """django-axes' count of failed logins, under a Chinese name for the admin page 登录锁定
    (core/auth_admin.py). No table of its own."""

    class Meta:
        proxy = True
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录锁定"
