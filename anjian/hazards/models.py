"""Hazards and their lifecycle, measures, restart reviews, transfers, institutional measures.

Measures and transfers live here rather than in ``inspections`` (ARCHITECTURE.md lists them
there) because both point at hazards, and ``inspections`` sits below ``hazards`` in the layer
order; see docs/architecture.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from anjian.core.models import Jurisdiction
from anjian.core.scoping import ScopedQuerySet
from anjian.documents.models import IssuedDocument
from anjian.enterprises.models import Enterprise, Site
from anjian.hazards.choices import (
    ApprovalStatus,
    ExtensionStatus,
    HazardSource,
    HazardStatus,
    MeasureKind,
    MeasureScope,
    MeasureStatus,
    MeasureType,
    ReinspectionResult,
    Severity,
    TransferStatus,
)
from anjian.inspections.models import Finding, Inspection
from anjian.org.models import Agency, Department, Staff


class Hazard(models.Model):
    """A hidden hazard (事故隐患): something physical to fix, driven to a verified close (销号)."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey(Agency, verbose_name="管理机关", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Enterprise, verbose_name="单位", on_delete=models.PROTECT, related_name="hazards")
    site = models.ForeignKey(Site, verbose_name="场所", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=16, choices=HazardSource.choices)
    inspection = models.ForeignKey(Inspection, verbose_name="发现于检查", null=True, blank=True, on_delete=models.PROTECT, related_name="hazards")
    findings = models.ManyToManyField(Finding, verbose_name="对应问题", blank=True, related_name="hazards")
    description = models.CharField("隐患描述", max_length=500)
    location = models.CharField("隐患部位", max_length=200)
    legal_basis = models.CharField("依据条款", max_length=300, blank=True)
    severity = models.CharField("隐患级别", max_length=8, choices=Severity.choices)
    criterion_id = models.CharField("判定标准条目", max_length=64, blank=True)
    major_reason = models.CharField("认定理由", max_length=500, blank=True, help_text="判定标准匹配由执法人员确认；未匹配而升级为重大隐患须说明理由")
    set_aside_reason = models.CharField("不予认定重大隐患的理由", max_length=500, blank=True)
    set_aside_by = models.ForeignKey(Staff, verbose_name="不予认定审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=16, choices=HazardStatus.choices, default=HazardStatus.OPEN)
    found_on = models.DateField("发现日期")
    period_days = models.PositiveIntegerField("整改期限（日）", help_text="自整改指令书送达之日起计算")
    order_document = models.ForeignKey(IssuedDocument, verbose_name="整改指令书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    served_on = models.DateField("指令书送达日期", null=True, blank=True)
    deadline = models.DateField("整改期限届满日", null=True, blank=True, help_text="送达后按法定期限规则计算并保存：已告知当事人的日期是事实")
    deadline_provisional = models.BooleanField("期限为临时计算", default=False)
    deadline_rule = models.CharField("期限计算依据", max_length=200, blank=True)
    deadline_from_service = models.BooleanField(
        "期限自送达日按规则计算", default=True,
        help_text="整改期限由送达日期与整改期限日数按期间规则计算；经批准延期的期限为批准的日期，日历更正不影响。",
    )  # fmt: skip
    overdue_since = models.DateField("逾期日期", null=True, blank=True)
    case_flag = models.BooleanField("建议立案", default=False, help_text="逾期未整改，依安全生产法第一百零二条建议立案查处")
    supervised = models.BooleanField("挂牌督办", default=False)
    supervised_by = models.CharField("督办机关", max_length=100, blank=True)
    supervised_on = models.DateField("督办日期", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    # The date of the earliest rectification report (kept by hazard_report_rectified): the
    # statistics count hazards by it (stats.indicators, 期内发现且已报整改完成) and read it by date.
    first_reported_on = models.DateField("首次报告整改完成日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = "事故隐患"
        verbose_name_plural = "事故隐患"
        indexes = [
            # The daily overdue sweep: WHERE status IN (rectifying) AND deadline < today AND overdue_since IS NULL.
            models.Index(fields=["status", "deadline"], name="hazard_sweep_idx"),
            models.Index(fields=["jurisdiction", "status", "-found_on"], name="hazard_list_idx"),
            models.Index(fields=["enterprise", "status"], name="hazard_ent_idx"),
            # The workbench's 逾期未整改 and 整改期限将至 entries and the lists they link to
            # (hazard_list overdue=1 / due=N): WHERE <the entry's condition> AND jurisdiction_id IN …
            # ORDER BY deadline, id — counted and listed from these indexes alone. A district reads
            # its own range; the city's first rows come in deadline order from the second one.
            models.Index(
                fields=["jurisdiction", "deadline", "id"], condition=models.Q(overdue_since__isnull=False) & ~models.Q(status="closed"), name="hazard_overdue_idx"
            ),
            models.Index(
                fields=["deadline", "id"], include=["jurisdiction"], condition=models.Q(overdue_since__isnull=False) & ~models.Q(status="closed"), name="hazard_overdue_city_idx"
            ),
            models.Index(
                fields=["jurisdiction", "deadline", "id"], condition=models.Q(status="rectifying", overdue_since__isnull=True), name="hazard_due_idx"
            ),
            # The statistics' rollups read hazards by each of their dates (stats.rollups: a refresh
            # recomputes the days since the last one; the earliest date of a family).
            models.Index(fields=["found_on"], name="hazard_found_idx"),
            models.Index(fields=["closed_on"], condition=models.Q(closed_on__isnull=False), name="hazard_closed_idx"),
            models.Index(fields=["served_on"], condition=models.Q(served_on__isnull=False), name="hazard_served_idx"),
            models.Index(fields=["overdue_since"], condition=models.Q(overdue_since__isnull=False), name="hazard_overdue_since_idx"),
            models.Index(fields=["first_reported_on"], condition=models.Q(first_reported_on__isnull=False), name="hazard_reported_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}：{self.description[:30]}"


class HazardEvent(models.Model):
    """Every status change of a hazard, with who and why (healthchecks' Flip)."""

    hazard = models.ForeignKey(Hazard, verbose_name="隐患", on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16)
    on = models.DateField("日期")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=500, blank=True)
    at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["hazard", "at", "id"]
        verbose_name = "隐患状态记录"
        verbose_name_plural = "隐患状态记录"

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status}"


class RectificationReport(models.Model):
    """The unit's report that the hazard is fixed (entered by an officer until the portal exists)."""

    hazard = models.ForeignKey(Hazard, verbose_name="隐患", on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField("报告日期")
    description = models.TextField("整改情况")
    evidence = models.FileField("整改材料", upload_to="rectification/%Y/", blank=True)
    evidence_sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["hazard", "-reported_on"]
        verbose_name = "整改报告"
        verbose_name_plural = "整改报告"

    def __str__(self) -> str:
        return f"{self.hazard} {self.reported_on}"


class DeadlineExtension(models.Model):
    """A reasoned request to extend a rectification deadline and its decision (LEGAL.md §3)."""

    hazard = models.ForeignKey(Hazard, verbose_name="隐患", on_delete=models.CASCADE, related_name="extensions")
    requested_on = models.DateField("申请日期")
    requested_until = models.DateField("申请延期至")
    reason = models.TextField("申请理由")
    status = models.CharField("状态", max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decided_by = models.ForeignKey(Staff, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_note = models.CharField("审批意见", max_length=500, blank=True)
    previous_deadline = models.DateField("原期限")
    # Who recorded the party's request: never its approver (separation of duties, core.duties).
    # Empty only on requests recorded before this was kept.
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["hazard", "-requested_on"]
        verbose_name = "整改延期申请"
        verbose_name_plural = "整改延期申请"

    def __str__(self) -> str:
        return f"{self.hazard} 延期至 {self.requested_until}"


class SetAsideRequest(models.Model):
    """A request to treat a finding that matches a sourced major-hazard criterion as a general
    hazard (不予认定重大事故隐患). The named leader or expert approves or refuses it in the system;
    until approved the hazard stays major (LEGAL.md §5: a matched item makes a hazard major)."""

    hazard = models.ForeignKey(Hazard, verbose_name="隐患", on_delete=models.CASCADE, related_name="set_asides")
    criterion_id = models.CharField("判定标准条目", max_length=64)
    reason = models.CharField("不予认定的理由", max_length=500)
    period_days = models.PositiveIntegerField("认定为一般隐患后的整改期限（日）", null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    approver = models.ForeignKey(Staff, verbose_name="审核人（局领导或专家）", on_delete=models.PROTECT, related_name="set_aside_requests")
    status = models.CharField("状态", max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    decided_by = models.ForeignKey(Staff, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        ordering = ["hazard", "-requested_at", "-id"]
        verbose_name = "不予认定重大隐患申请"
        verbose_name_plural = "不予认定重大隐患申请"
        constraints = [
            # One open request per hazard: a second one waits for the first decision.
            models.UniqueConstraint(fields=["hazard"], condition=models.Q(status="pending"), name="setaside_one_pending", violation_error_message="该隐患已有待审核的不予认定申请。"),
        ]
        # The approver's list of pending requests.
        indexes = [models.Index(fields=["approver", "status"], name="setaside_approver_idx")]

    def __str__(self) -> str:
        return f"{self.hazard} 不予认定申请"


class Reinspection(models.Model):
    """A hazard's re-inspection: an Inspection of type 复查 with its result for this hazard."""

    hazard = models.ForeignKey(Hazard, verbose_name="隐患", on_delete=models.CASCADE, related_name="reinspections")
    inspection = models.ForeignKey(Inspection, verbose_name="复查", on_delete=models.PROTECT, related_name="reinspections")
    result = models.CharField("复查结论", max_length=8, choices=ReinspectionResult.choices, blank=True)
    opinion = models.TextField("复查意见", blank=True)
    new_period_days = models.PositiveIntegerField("重新整改期限（日）", null=True, blank=True)
    opinion_document = models.ForeignKey(IssuedDocument, verbose_name="整改复查意见书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("复查日期", null=True, blank=True)

    class Meta:
        ordering = ["hazard", "-id"]
        verbose_name = "整改复查"
        verbose_name_plural = "整改复查"
        constraints = [models.UniqueConstraint(fields=["hazard", "inspection"], name="reinspection_unique")]

    def __str__(self) -> str:
        return f"{self.hazard} 复查"


class Measure(models.Model):
    """A suspension, stop of equipment or withdrawal: kind, scope, legal basis, documents, end."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey(Agency, verbose_name="决定机关", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Enterprise, verbose_name="单位", on_delete=models.PROTECT, related_name="measures")
    hazard = models.ForeignKey(Hazard, verbose_name="重大事故隐患", null=True, blank=True, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField("性质", max_length=8, choices=MeasureKind.choices, default=MeasureKind.ONSITE)
    measure_type = models.CharField("措施", max_length=16, choices=MeasureType.choices)
    scope = models.CharField("范围", max_length=16, choices=MeasureScope.choices)
    site = models.ForeignKey(Site, verbose_name="场所", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scope_detail = models.CharField("区域/设备说明", max_length=300, blank=True)
    legal_basis = models.CharField("法律依据", max_length=200)
    reason = models.TextField("决定理由（现场事实）")
    decided_on = models.DateField("决定日期")
    decision_document = models.ForeignKey(IssuedDocument, verbose_name="现场处理措施决定书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=8, choices=MeasureStatus.choices, default=MeasureStatus.ACTIVE)
    ended_on = models.DateField("解除日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    # When the decision was recorded (the timeline orders a day's events by time); empty on older rows.
    created_at = models.DateTimeField("录入时间", auto_now_add=True, null=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = "措施"
        verbose_name_plural = "措施"
        indexes = [
            models.Index(fields=["enterprise", "status"], name="measure_ent_idx"),
            models.Index(fields=["decided_on"], name="measure_decided_idx"),  # the rollups (on-site measures by decision date)
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_type_display()}（{self.get_scope_display()}）"


class RestartReview(models.Model):
    """The unit's application to resume and the agency's review (LEGAL.md §3: within 10 days, CFG)."""

    measure = models.ForeignKey(Measure, verbose_name="措施", on_delete=models.CASCADE, related_name="restart_reviews")
    applied_on = models.DateField("申请日期")
    application = models.TextField("申请内容")
    reviewed_on = models.DateField("审查日期", null=True, blank=True)
    approved = models.BooleanField("批准恢复", null=True)
    approver = models.ForeignKey(Staff, verbose_name="审批人（机关负责人）", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField("审查意见", blank=True)
    # Who recorded the unit's application: never its approver (separation of duties, core.duties).
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["measure", "-applied_on", "-id"]
        verbose_name = "恢复生产审查"
        verbose_name_plural = "恢复生产审查"

    def __str__(self) -> str:
        return f"{self.measure} 复产申请 {self.applied_on}"


class Transfer(models.Model):
    """移交: a supervision department hands a violation or hazard to the enforcement team (局队合一)."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Enterprise, verbose_name="单位", on_delete=models.PROTECT, related_name="transfers")
    from_department = models.ForeignKey(Department, verbose_name="移交科室", on_delete=models.PROTECT, related_name="+")
    to_department = models.ForeignKey(Department, verbose_name="接收执法队伍", on_delete=models.PROTECT, related_name="+")
    findings = models.ManyToManyField(Finding, verbose_name="移交的问题", blank=True, related_name="transfers")
    hazards = models.ManyToManyField(Hazard, verbose_name="移交的隐患", blank=True, related_name="transfers")
    facts = models.TextField("违法事实")
    suggested_basis = models.CharField("建议适用条款", max_length=300, blank=True)
    status = models.CharField("状态", max_length=16, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    sent_at = models.DateTimeField("移交时间", auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="移交人", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    return_reason = models.CharField("退回理由", max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = "移交"
        verbose_name_plural = "移交"

    def __str__(self) -> str:
        return f"{self.enterprise} 移交"


class InstitutionalMeasure(models.Model):
    """The second of the two lists (两个清单): institutional measures the unit must put in place."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey(Agency, verbose_name="管理机关", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Enterprise, verbose_name="单位", on_delete=models.CASCADE, related_name="institutional_measures")
    hazard = models.ForeignKey(Hazard, verbose_name="相关隐患", null=True, blank=True, on_delete=models.SET_NULL, related_name="institutional_measures")
    title = models.CharField("制度措施", max_length=200)
    description = models.TextField("内容", blank=True)
    due_on = models.DateField("完成期限", null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "done_on", "due_on", "id"]
        verbose_name = "制度措施"
        verbose_name_plural = "制度措施"

    def __str__(self) -> str:
        return self.title
