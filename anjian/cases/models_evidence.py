"""Penalty-case models: evidence (imported by cases.models).

The acts of investigation (行政处罚法 §54–§56): interviews (询问通知书, 询问笔录), site surveys
(勘验笔录), sampling (抽样取证凭证), evidence preservation (先行登记保存, its approval by the agency
head and its decision within seven working days) and the files and photos collected. Each row is
written by ``anjian.cases.evidence`` together with the document it records and a ``CaseStep``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from anjian.core import audit
from anjian.core.crypto import BlindIndexField, EncryptedCharField
from anjian.documents.models import IssuedDocument
from anjian.org.models import Staff

# The timeline labels of the evidence acts (cases.services._step reads audit.ACTIONS); registered
# here because cases.models imports this module at start-up, before any service runs.
audit.ACTIONS.update(
    {
        "case.interview_notice": "制作询问通知书",
        "case.interview": "询问并制作询问笔录",
        "case.survey": "现场勘验并制作勘验笔录",
        "case.sample": "抽样取证",
        "case.preservation_request": "申请先行登记保存证据",
        "case.preservation_approve": "审批先行登记保存证据",
        "case.preservation_decide": "先行登记保存证据处理决定",
        "case.evidence_file": "登记证据材料",
    }
)


class PreservationStatus(models.TextChoices):
    PENDING = "pending", "待机关负责人审批"
    REFUSED = "refused", "不予批准"
    PRESERVED = "preserved", "已先行登记保存"
    DECIDED = "decided", "已作出处理决定"


class PreservationOutcome(models.TextChoices):
    """The handling of preserved evidence (先行登记保存证据处理决定书, legacy national form)."""

    RETURN = "return", "解除先行登记保存，退还当事人"
    APPRAISAL = "appraisal", "送交检测、检验、检疫或者技术鉴定"
    CONFISCATE = "confiscate", "依法予以没收（在行政处罚决定中作出）"
    TRANSFER = "transfer", "移送有关部门处理"
    SEIZE = "seize", "依法采取查封、扣押措施"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", "照片"
    AUDIO = "audio", "录音"
    VIDEO = "video", "视频"
    SCAN = "scan", "书证扫描件（图片或PDF）"


def _officers_field() -> models.JSONField:
    return models.JSONField("执法人员（姓名、执法证号及当日核验结果）", default=list)


class InterviewNotice(models.Model):
    """询问通知书: who is asked to come, when, where, and what to bring (行政处罚法 §55)."""

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="interview_notices")
    seq = models.PositiveSmallIntegerField("序号")
    interviewee = models.CharField("被询问人（单位或个人）", max_length=100)
    issued_on = models.DateField("制作日期")
    appointed_at = models.DateTimeField("接受询问时间")
    place = models.CharField("接受询问地点", max_length=200)
    bring = models.TextField("需携带的材料", blank=True)
    document = models.ForeignKey(IssuedDocument, verbose_name="询问通知书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="制作人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "seq", "id"]
        verbose_name = "询问通知书"
        verbose_name_plural = "询问通知书"
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="interviewnotice_seq_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} 询问通知 {self.interviewee}"


class InterviewRecord(models.Model):
    """询问笔录: time span, place, ≥2 interviewers with certificates valid that day, the
    interviewee's identity, the questions and answers, signature or the note of refusal."""

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="interview_records")
    seq = models.PositiveSmallIntegerField("序号")
    notice = models.ForeignKey(InterviewNotice, verbose_name="询问通知书", null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    started_at = models.DateTimeField("询问开始时间")
    ended_at = models.DateTimeField("询问结束时间")
    place = models.CharField("询问地点", max_length=200)
    officers = _officers_field()
    recorder = models.CharField("记录人", max_length=64, blank=True)
    name = models.CharField("被询问人姓名", max_length=64)
    id_number = EncryptedCharField("身份证号码", kind="id", plain_max_length=18, blind_index="id_number_bidx")
    id_number_bidx = BlindIndexField("身份证号码检索码", source="id_number", db_index=True)
    employer = models.CharField("工作单位", max_length=100, blank=True)
    position = models.CharField("职务", max_length=64, blank=True)
    phone = EncryptedCharField("联系电话", kind="phone", plain_max_length=32)
    address = models.CharField("住址", max_length=200, blank=True)
    content = models.TextField("询问内容（问答）")
    signer = models.CharField("被询问人签名", max_length=64, blank=True)
    refusal_note = models.TextField("拒绝签字的记录", blank=True)
    document = models.ForeignKey(IssuedDocument, verbose_name="询问笔录", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "seq", "id"]
        verbose_name = "询问笔录"
        verbose_name_plural = "询问笔录"
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="interviewrecord_seq_unique"),
            models.CheckConstraint(name="interviewrecord_span", condition=Q(ended_at__gt=models.F("started_at")), violation_error_message="询问结束时间须晚于开始时间。"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} 询问笔录 {self.name}"


class SurveyRecord(models.Model):
    """勘验笔录: time, place, the officers, who took part for the party, the witness, what was found."""

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="survey_records")
    seq = models.PositiveSmallIntegerField("序号")
    started_at = models.DateTimeField("勘验开始时间")
    ended_at = models.DateTimeField("勘验结束时间")
    place = models.CharField("勘验场所", max_length=200)
    officers = _officers_field()
    participants = models.CharField("当事人或其代理人（参与勘验）", max_length=200)
    witness = models.CharField("见证人", max_length=100, blank=True)
    findings = models.TextField("勘验情况")
    signer = models.CharField("当事人签名", max_length=64, blank=True)
    refusal_note = models.TextField("拒绝签字的记录", blank=True)
    document = models.ForeignKey(IssuedDocument, verbose_name="勘验笔录", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "seq", "id"]
        verbose_name = "勘验笔录"
        verbose_name_plural = "勘验笔录"
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="surveyrecord_seq_unique"),
            models.CheckConstraint(name="surveyrecord_span", condition=Q(ended_at__gt=models.F("started_at")), violation_error_message="勘验结束时间须晚于开始时间。"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} 勘验笔录 {self.place}"


class Sample(models.Model):
    """抽样取证 (行政处罚法 §56): the items and quantities taken, where, signed by the party."""

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="samples")
    seq = models.PositiveSmallIntegerField("序号")
    sampled_on = models.DateField("抽样日期")
    place = models.CharField("抽样地点", max_length=200)
    items = models.JSONField("抽样物品（名称、规格、数量）", default=list)
    officers = _officers_field()
    signer = models.CharField("当事人签名", max_length=64, blank=True)
    refusal_note = models.TextField("拒绝签字的记录", blank=True)
    document = models.ForeignKey(IssuedDocument, verbose_name="抽样取证凭证", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "seq", "id"]
        verbose_name = "抽样取证"
        verbose_name_plural = "抽样取证"
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="sample_seq_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} 抽样 {self.sampled_on}"


class Preservation(models.Model):
    """先行登记保存 (行政处罚法 §56): where evidence may be lost or hard to get later, with the
    agency head's approval; a decision on the evidence within seven working days (§85)."""

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="preservations")
    seq = models.PositiveSmallIntegerField("序号")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField("申请日期")
    reason = models.TextField("理由（证据可能灭失或者以后难以取得的情形）")
    place = models.CharField("保存地点", max_length=200)
    items = models.JSONField("保存的物品（名称、规格、数量）", default=list)
    status = models.CharField("状态", max_length=10, choices=PreservationStatus.choices, default=PreservationStatus.PENDING)
    approver = models.ForeignKey(Staff, verbose_name="批准人（机关负责人）", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField("审批日期", null=True, blank=True)
    opinion = models.CharField("审批意见", max_length=500, blank=True)
    preserved_on = models.DateField("登记保存日期", null=True, blank=True)
    officers = _officers_field()
    due = models.DateField("处理决定期限", null=True, blank=True)
    notice_document = models.ForeignKey(IssuedDocument, verbose_name="先行登记保存证据通知书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("处理决定", max_length=12, choices=PreservationOutcome.choices, blank=True)
    outcome_detail = models.TextField("处理决定内容", blank=True)
    decided_on = models.DateField("处理决定日期", null=True, blank=True)
    decided_late = models.BooleanField("超过七个工作日作出", default=False)
    decision_document = models.ForeignKey(IssuedDocument, verbose_name="先行登记保存证据处理决定书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "seq", "id"]
        verbose_name = "先行登记保存证据"
        verbose_name_plural = "先行登记保存证据"
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="preservation_seq_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} 先行登记保存 {self.seq}"


def evidence_file_path(instance: EvidenceFile, filename: str) -> str:
    return f"cases/evidence/{instance.sha256[:2]}/{instance.sha256}"


class EvidenceFile(models.Model):
    """A photo, recording or scanned document of a case: type checked by content (magic bytes),
    size-limited, SHA-256 kept — exactly as inspections keep theirs (``inspections.evidence``)."""

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="evidence_files")
    kind = models.CharField("类别", max_length=8, choices=EvidenceKind.choices)
    file = models.FileField("文件", upload_to=evidence_file_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("内容类型", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    description = models.CharField("证明对象（说明）", max_length=500)
    source = models.CharField("来源（提供人或取得方式）", max_length=200)
    collected_on = models.DateField("收集日期")
    collector = models.ForeignKey(Staff, verbose_name="收集人", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "collected_on", "id"]
        verbose_name = "案件证据材料"
        verbose_name_plural = "案件证据材料"

    def __str__(self) -> str:
        return self.original_name
