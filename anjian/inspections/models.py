"""Checklists, inspections, their items, findings and evidence.

A published checklist never changes: an edit is a new version, and an inspection copies the
items it uses (``InspectionItem``), so a published change applies to new inspections only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from anjian.core.models import Jurisdiction
from anjian.core.scoping import ScopedQuerySet
from anjian.enterprises.models import Enterprise, Site
from anjian.inspections.choices import (
    EvidenceKind,
    InspectionStatus,
    InspectionType,
    ItemResult,
    PartySignature,
    TemplateKind,
    TemplateStatus,
)
from anjian.org.models import Agency, Certificate, Staff


class ChecklistTemplate(models.Model):
    """A versioned checklist. ``sectors``/``features`` say to which units it applies (empty = all)."""

    code = models.CharField("编码", max_length=64)
    version = models.PositiveIntegerField("版本", default=1)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=16, choices=TemplateKind.choices)
    status = models.CharField("状态", max_length=16, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT)
    sectors = models.JSONField("适用行业", default=list, blank=True)
    features = models.JSONField("适用领域特征", default=list, blank=True)
    source = models.CharField("依据", max_length=200, blank=True)
    owner_agency = models.ForeignKey(Agency, verbose_name="制定机关", null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="空 = 系统内置")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["kind", "code", "-version"]
        verbose_name = "检查表"
        verbose_name_plural = "检查表"
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="checklist_code_version"),
            # One published version of a code at a time (a publish retires the previous one).
            models.UniqueConstraint(fields=["code"], condition=Q(status="published"), name="checklist_one_published"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, verbose_name="检查表", on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField("序号")
    text = models.CharField("检查内容", max_length=500)
    legal_basis = models.CharField("依据条款", max_length=300, blank=True)
    criterion_id = models.CharField("重大隐患判定标准条目", max_length=64, blank=True)
    violation_id = models.CharField("对应违法行为", max_length=64, blank=True)

    class Meta:
        ordering = ["template", "order"]
        verbose_name = "检查项"
        verbose_name_plural = "检查项"
        constraints = [models.UniqueConstraint(fields=["template", "order"], name="checklistitem_order")]

    def __str__(self) -> str:
        return self.text[:40]


class InspectionQuerySet(ScopedQuerySet["Inspection"]):
    pass


class Inspection(models.Model):
    """One visit to one unit by at least two officers (XZCF §42, §55; AQSCF §67)."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey(Agency, verbose_name="检查机关", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Enterprise, verbose_name="被检查单位", on_delete=models.PROTECT, related_name="inspections")
    site = models.ForeignKey(Site, verbose_name="检查场所", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    type = models.CharField("检查类型", max_length=16, choices=InspectionType.choices)
    status = models.CharField("状态", max_length=16, choices=InspectionStatus.choices, default=InspectionStatus.DRAFT)
    inspected_on = models.DateField("检查日期")
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    place = models.CharField("检查地点", max_length=200)
    templates = models.ManyToManyField(ChecklistTemplate, verbose_name="使用的检查表", blank=True, related_name="+")
    party_representative = models.CharField("被检查单位现场负责人", max_length=32, blank=True)
    party_title = models.CharField("职务", max_length=32, blank=True)
    party_signature = models.CharField("签字情况", max_length=16, choices=PartySignature.choices, default=PartySignature.PENDING)
    refusal_note = models.CharField("拒签情况记录", max_length=300, blank=True, help_text="拒绝签字的，检查人员应当记录（安全生产法第六十八条）")
    summary = models.TextField("检查情况", blank=True)
    onsite_handling = models.TextField("现场处理情况", blank=True)
    certificate_check = models.JSONField("执法证件核验结果", default=list, blank=True)
    # A joint inspection (联合检查) is recorded as such: its documents may then name the officers of
    # every participating agency; otherwise a document names only the issuing agency's officers.
    joint = models.BooleanField("联合检查", default=False)
    joint_agencies = models.ManyToManyField(Agency, verbose_name="参加联合检查的机关", blank=True, related_name="+")
    # The annual plan's item this inspection carries out (issue 13 item 7): set when the inspection
    # is started from the plan (same unit, an approved plan of the inspecting bureau); empty for an
    # inspection outside any plan (complaint, accident, transfer, re-inspection).
    plan_item = models.ForeignKey("planning.PlanItem", verbose_name="年度计划检查事项", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField("幂等键", max_length=64, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = "监督检查"
        verbose_name_plural = "监督检查"
        indexes = [
            # Lists by jurisdiction and date; the per-enterprise timeline.
            models.Index(fields=["jurisdiction", "-inspected_on"], name="insp_jur_date_idx"),
            models.Index(fields=["enterprise", "-inspected_on"], name="insp_ent_date_idx"),
            # The statistics' rollups: completed inspections by date (stats.rollups).
            models.Index(fields=["inspected_on"], condition=Q(status="completed"), name="insp_done_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} {self.get_type_display()} {self.inspected_on}"


class InspectionOfficer(models.Model):
    """An officer on the inspection, with the certificate shown and the check result stored."""

    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="officers")
    staff = models.ForeignKey(Staff, verbose_name="执法人员", on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey(Certificate, verbose_name="执法证", on_delete=models.PROTECT, related_name="+")
    certificate_number = models.CharField("执法证号", max_length=32)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["inspection", "order"]
        verbose_name = "检查人员"
        verbose_name_plural = "检查人员"
        constraints = [models.UniqueConstraint(fields=["inspection", "staff"], name="inspofficer_unique")]

    def __str__(self) -> str:
        return f"{self.staff.name}({self.certificate_number})"


class InspectionExpert(models.Model):
    """Experts and auxiliary staff who join (专家诊断); they never count as officers."""

    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="experts")
    staff = models.ForeignKey(Staff, verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    role_note = models.CharField("参与方式", max_length=64, blank=True)

    class Meta:
        verbose_name = "参检专家/辅助人员"
        verbose_name_plural = "参检专家/辅助人员"
        constraints = [models.UniqueConstraint(fields=["inspection", "staff"], name="inspexpert_unique")]

    def __str__(self) -> str:
        return self.staff.name


class InspectionItem(models.Model):
    """A checklist item as copied into one inspection, with its result."""

    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="items")
    source_item = models.ForeignKey(ChecklistItem, verbose_name="来源检查项", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    order = models.PositiveIntegerField("序号")
    text = models.CharField("检查内容", max_length=500)
    legal_basis = models.CharField("依据条款", max_length=300, blank=True)
    criterion_id = models.CharField("重大隐患判定标准条目", max_length=64, blank=True)
    violation_id = models.CharField("对应违法行为", max_length=64, blank=True)
    result = models.CharField("结果", max_length=16, choices=ItemResult.choices, default=ItemResult.UNCHECKED)
    note = models.CharField("情况说明", max_length=500, blank=True)

    class Meta:
        ordering = ["inspection", "order"]
        verbose_name = "检查记录项"
        verbose_name_plural = "检查记录项"
        constraints = [models.UniqueConstraint(fields=["inspection", "order"], name="inspitem_order")]

    def __str__(self) -> str:
        return self.text[:40]


class Finding(models.Model):
    """A non-compliant item: it may lead to hazards, an order to correct, a transfer or a case."""

    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="findings")
    item = models.OneToOneField(InspectionItem, verbose_name="检查项", null=True, blank=True, on_delete=models.PROTECT, related_name="finding")
    enterprise = models.ForeignKey(Enterprise, verbose_name="单位", on_delete=models.PROTECT, related_name="findings")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    description = models.CharField("问题描述", max_length=500)
    legal_basis = models.CharField("依据条款", max_length=300, blank=True)
    criterion_id = models.CharField("重大隐患判定标准条目", max_length=64, blank=True)
    violation_id = models.CharField("对应违法行为", max_length=64, blank=True)
    order_to_correct = models.BooleanField("责令改正", default=False, help_text="不涉及实物整改的问题（如培训记录缺失）")
    found_on = models.DateField("发现日期")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = "检查发现的问题"
        verbose_name_plural = "检查发现的问题"
        indexes = [models.Index(fields=["enterprise", "criterion_id", "found_on"], name="finding_repeat_idx")]

    def __str__(self) -> str:
        return self.description[:40]


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}"


class Evidence(models.Model):
    """A photo, recording or scan; type checked by content, size-limited, SHA-256 stored."""

    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(InspectionItem, verbose_name="检查项", null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence")
    kind = models.CharField("类别", max_length=8, choices=EvidenceKind.choices)
    file = models.FileField("文件", upload_to=evidence_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("内容类型", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["inspection", "uploaded_at", "id"]
        verbose_name = "证据材料"
        verbose_name_plural = "证据材料"

    def __str__(self) -> str:
        return self.original_name


class ChunkedUpload(models.Model):
    """A large recording (执法记录仪 video) sent in pieces; becomes Evidence when complete."""

    id = models.UUIDField(primary_key=True)
    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="uploads")
    item = models.ForeignKey(InspectionItem, verbose_name="检查项", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField("类别", max_length=8, choices=EvidenceKind.choices)
    name = models.CharField("文件名", max_length=200)
    total_size = models.PositiveBigIntegerField("总大小（字节）")
    received = models.PositiveBigIntegerField("已接收（字节）", default=0)
    evidence = models.OneToOneField(Evidence, verbose_name="证据", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("开始时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "分块上传"
        verbose_name_plural = "分块上传"

    def __str__(self) -> str:
        return f"{self.name} {self.received}/{self.total_size}"
