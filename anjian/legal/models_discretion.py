"""Local discretion standards (裁量基准, 行政处罚法第三十四条; LEGAL.md §4 "Discretion"; issue 9 item 5).

Kept like ``RuleOverride``: a scope (jurisdiction code: the district's own, the city's), the source
document and its number, the issuing agency, dates in force, who entered it and who approved it
(another person, core.duties). Only an approved standard applies; a district's standard applies to
its cases, else the city's, else the engine's default thirds (``anjian.legal.discretion.cuts_for``).
Imported by ``legal.models``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class DiscretionStatus(models.TextChoices):
    PENDING = "pending", "待批准"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"


class DiscretionStandard(models.Model):
    scope = models.CharField("适用范围（区划代码）", max_length=16)
    name = models.CharField("名称", max_length=200)
    source_document = models.CharField("依据文件（文号）", max_length=200)
    issuing_agency = models.CharField("制定机关", max_length=100)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=DiscretionStatus.choices, default=DiscretionStatus.PENDING)
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    approval_opinion = models.CharField("审批意见", max_length=300, blank=True)

    class Meta:
        ordering = ["scope", "-effective_from", "-id"]
        verbose_name = "裁量基准"
        verbose_name_plural = "裁量基准"
        constraints = [
            models.CheckConstraint(name="discretion_has_source", condition=~Q(source_document=""), violation_error_message="裁量基准必须填写依据文件。"),
            models.CheckConstraint(
                name="discretion_dates", condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")), violation_error_message="失效日期不能早于生效日期。"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.source_document}）"

    @property
    def citation(self) -> str:
        """As the case shows it: 《名称》（文号，制定机关）."""
        return f"《{self.name}》（{self.source_document}，{self.issuing_agency}）"


class DiscretionCut(models.Model):
    """The band cuts of one violation (and subject, circumstance) under a standard, in yuan."""

    standard = models.ForeignKey(DiscretionStandard, verbose_name="裁量基准", on_delete=models.CASCADE, related_name="cuts")
    violation_id = models.CharField("违法行为编号", max_length=16)
    subject = models.CharField("处罚对象", max_length=24, default="unit")
    circumstance = models.CharField("违法情形", max_length=24, default="base")
    lenient_to = models.DecimalField("从轻档上限（元）", max_digits=14, decimal_places=2)
    heavy_from = models.DecimalField("从重档下限（元）", max_digits=14, decimal_places=2)
    note = models.CharField("情节说明", max_length=500, blank=True)

    class Meta:
        ordering = ["standard", "violation_id", "subject", "circumstance"]
        verbose_name = "裁量档次分界"
        verbose_name_plural = "裁量档次分界"
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "violation_id", "subject", "circumstance"], name="discretion_cut_unique", violation_error_message="同一违法行为、处罚对象和情形只能设置一次。"
            ),
            models.CheckConstraint(name="discretion_cut_order", condition=Q(heavy_from__gt=F("lenient_to")), violation_error_message="从重档下限须高于从轻档上限。"),
        ]
        indexes = [models.Index(fields=["violation_id", "subject", "circumstance"], name="discretion_cut_idx")]

    def __str__(self) -> str:
        return f"{self.violation_id} {self.lenient_to}/{self.heavy_from}"
