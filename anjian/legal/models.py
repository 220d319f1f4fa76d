"""The Django side of the legal engine's configuration (issue 8): the official working-day
calendar, rule overrides, the legal-review catalogue and the collective-discussion rules.

These tables were created by ``core`` and keep their names (``core_…``): the models moved here
in state only (``legal/migrations/0001_initial.py``), so no row was copied or lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class CalendarYear(models.Model):
    """A year whose official holiday schedule (State Council notice) is loaded.

    A computation that reaches a year not listed here is provisional (weekends only), and no step
    may rely on the provisional end of a window that protects the party (LEGAL.md §1).
    """

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    source = models.CharField("来源", max_length=200, help_text="如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）")
    loaded_at = models.DateTimeField("载入时间", auto_now=True)
    version = models.PositiveSmallIntegerField("版本", default=1, help_text="每次更正加一；此前各版本见“节假日安排历史版本”。")

    class Meta:
        db_table = "core_calendaryear"
        ordering = ["year"]
        verbose_name = "已载入节假日安排的年度"
        verbose_name_plural = "已载入节假日安排的年度"

    def __str__(self) -> str:
        return str(self.year)


class CalendarYearRevision(models.Model):
    """A replaced version of a loaded year (issue 8 High 2): kept whole when a correction replaces it.

    An official year is never overwritten silently: ``services.calendar_year_correct`` stores the
    version it replaces here, with the correction's source document and who made it.
    """

    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveSmallIntegerField("版本")
    source = models.CharField("原依据文件", max_length=200)
    loaded_at = models.DateTimeField("原载入时间")
    days = models.JSONField("原例外日", default=list, help_text="[日期，类别，名称] 的列表")
    replaced_at = models.DateTimeField("被更正时间", auto_now_add=True)
    correction_source = models.CharField("更正依据文件", max_length=200)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="更正人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = "节假日安排历史版本"
        verbose_name_plural = "节假日安排历史版本"
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="calendar_revision_unique")]

    def __str__(self) -> str:
        return f"{self.year}年第{self.version}版"


class WorkCalendarDay(models.Model):
    """An exception day of the working-day calendar: a statutory holiday or a make-up working day."""

    date = models.DateField("日期", primary_key=True)
    kind = models.CharField("类别", max_length=16, choices=[("holiday", "法定节假日"), ("makeup_workday", "调休上班日")])
    name = models.CharField("名称", max_length=32, blank=True)

    class Meta:
        db_table = "core_workcalendarday"
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
    scope = models.CharField("适用范围（区划代码）", max_length=16)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    value = models.DecimalField("取值", max_digits=14, decimal_places=2, null=True, blank=True, help_text="留空表示确认系统默认值")
    unit = models.CharField("期间单位", max_length=16, blank=True)
    source_document = models.CharField("依据文件（文号）", max_length=200)
    approver = models.CharField("批准人", max_length=64)
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        db_table = "core_ruleoverride"
        ordering = ["rule_code", "scope", "-effective_from"]
        verbose_name = "法定规则覆盖（本地配置）"
        verbose_name_plural = "法定规则覆盖（本地配置）"
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

    scope = models.CharField("适用范围（区划代码）", max_length=16)
    code = models.CharField("编号", max_length=32)
    name = models.CharField("情形", max_length=200)
    kinds = models.JSONField("处罚种类", default=list, blank=True, help_text="如 [\"order_stop\", \"licence_revocation\"]")
    fine_individual = models.DecimalField("个人罚款达到（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    fine_organisation = models.DecimalField("单位罚款达到（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    source_document = models.CharField("依据文件（文号）", max_length=200)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)

    class Meta:
        db_table = "core_legalreviewcatalogueentry"
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

    scope = models.CharField("适用范围（区划代码）", max_length=16)
    complex_cases = models.BooleanField("情节复杂的案件", default=True)
    serious_heavier = models.BooleanField("重大违法行为给予较重处罚", default=True)
    kinds = models.JSONField("另须集体讨论的处罚种类", default=list, blank=True)
    fine_individual = models.DecimalField("个人罚款达到（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    fine_organisation = models.DecimalField("单位罚款达到（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    source_document = models.CharField("依据文件（文号）", max_length=200)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)

    class Meta:
        db_table = "core_collectivediscussionconfig"
        ordering = ["scope", "-effective_from"]
        verbose_name = "集体讨论规则"
        verbose_name_plural = "集体讨论规则"
        constraints = [
            models.CheckConstraint(name="collective_has_source", condition=~Q(source_document=""), violation_error_message="须填写依据文件。"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.effective_from}"


from anjian.legal.models_discretion import DiscretionCut as DiscretionCut  # noqa: E402  (裁量基准)
from anjian.legal.models_discretion import DiscretionStandard as DiscretionStandard  # noqa: E402
from anjian.legal.models_discretion import DiscretionStatus as DiscretionStatus  # noqa: E402
