"""Conduct complaints and safety reports (行政执法投诉举报; 安全生产举报), one ``Submission`` each.

Facts only: when it was received, accepted, replied, reviewed; the deadlines come from
``anjian.law`` each time (``complaints.clocks``). The submitter's identity and contacts are
encrypted at rest (core/crypto.py) and shown in full only to the office and the assigned handler,
each reveal audited (complaints/pii.py). The tracking code given to the submitter is never stored:
only its keyed hash, so neither the database nor a page can give it back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from anjian.cases.models import Case
from anjian.complaints.choices import Channel, DeclineReason, ExtensionStatus, Kind, OutcomeKind, RewardStatus, Status
from anjian.core.crypto import BlindIndexField, EncryptedCharField
from anjian.core.models import Jurisdiction
from anjian.core.scoping import ScopedQuerySet
from anjian.documents.models import IssuedDocument
from anjian.enterprises.models import Enterprise
from anjian.hazards.models import Hazard, Transfer
from anjian.inspections.models import Inspection
from anjian.org.models import Agency, Department, Staff


class Submission(models.Model):
    """One complaint about officers' conduct or one report about a unit."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey(Agency, verbose_name="受理机关", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    grounds = models.JSONField("投诉举报事项", default=list, help_text="投诉：制度第二条所列情形和不文明执法；举报：安全生产法第七十三条")
    summary = models.CharField("事由摘要", max_length=200)
    content = models.TextField("投诉举报内容")
    anonymous = models.BooleanField("匿名", default=False)
    # 安全生产法第七十三条第二款: a report involving deaths is verified and handled under a county-level
    # (or higher) government; the bureau flags it and reports it up.
    deaths_alleged = models.PositiveIntegerField("举报涉及的死亡人数", default=0)
    # Encrypted at rest; masked for everyone but the office and the assigned handler (AQSCF §73).
    submitter_name = EncryptedCharField("投诉举报人姓名", kind="name", plain_max_length=64, max_length=512)
    submitter_id_number = EncryptedCharField("身份证号码", kind="id", plain_max_length=18, blind_index="submitter_id_number_bidx")
    submitter_id_number_bidx = BlindIndexField("身份证号码检索码", source="submitter_id_number", db_index=True)
    submitter_phone = EncryptedCharField("联系电话", kind="phone", plain_max_length=32, blind_index="submitter_phone_bidx")
    submitter_phone_bidx = BlindIndexField("联系电话检索码", source="submitter_phone", db_index=True)
    submitter_address = EncryptedCharField("通讯地址", kind="text", plain_max_length=200, max_length=1200)
    # What the submission names (all optional; scoped like the rest).
    enterprise = models.ForeignKey(Enterprise, verbose_name="被举报单位", null=True, blank=True, on_delete=models.PROTECT, related_name="submissions")
    unit_name = models.CharField("被举报单位名称（未在台账中的）", max_length=200, blank=True)
    case = models.ForeignKey(Case, verbose_name="涉及的案件", null=True, blank=True, on_delete=models.PROTECT, related_name="submissions")
    inspection = models.ForeignKey(Inspection, verbose_name="涉及的检查", null=True, blank=True, on_delete=models.PROTECT, related_name="submissions")
    named_officers = models.ManyToManyField(Staff, verbose_name="被投诉的执法人员", blank=True, related_name="complaints_named_in")
    officer_names = models.CharField("被投诉人员（投诉人所述）", max_length=200, blank=True)
    # Only the keyed hash of the tracking code (core/crypto index key): a lookup by equality.
    tracking_digest = models.CharField("查询码摘要", max_length=64, unique=True, editable=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.REGISTERED)
    received_on = models.DateField("收到日期", help_text="信访工作条例第二十二条：受理期限自收到之日起算")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)
    # Acceptance (信访工作条例第二十二条、第二十三条)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="受理人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acceptance_late_reason = models.CharField("逾期受理的原因", max_length=500, blank=True)
    decline_reason = models.CharField("不予受理理由", max_length=16, choices=DeclineReason.choices, blank=True)
    decline_note = models.TextField("不予受理说明", blank=True)
    referred_to = models.CharField("转送机关", max_length=100, blank=True)
    referral_document = models.ForeignKey(IssuedDocument, verbose_name="转送函", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Handling
    departments = models.ManyToManyField(Department, verbose_name="会同办理的科室", blank=True, related_name="+")
    handler = models.ForeignKey(Staff, verbose_name="承办人", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints_handled")
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    result_text = models.TextField("调查处理意见", blank=True)
    measures_text = models.TextField("纠正措施、责任追究和赔礼道歉情况", blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理意见拟稿人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    drafted_on = models.DateField("拟稿日期", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准人（局领导）", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField("批准日期", null=True, blank=True)
    # Extension of the handling period (信访工作条例第三十四条)
    extension_status = models.CharField("延期状态", max_length=8, choices=ExtensionStatus.choices, blank=True, default=ExtensionStatus.NONE)
    extension_reason = models.CharField("延期理由", max_length=500, blank=True)
    extension_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="延期申请人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    extension_requested_on = models.DateField("延期申请日期", null=True, blank=True)
    extension_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="延期审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    extension_decided_on = models.DateField("延期审批日期", null=True, blank=True)
    # Reply
    reply_document = models.ForeignKey(IssuedDocument, verbose_name="答复意见书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    replied_on = models.DateField("答复日期", null=True, blank=True)
    reply_received_on = models.DateField("投诉举报人收到答复之日", null=True, blank=True)
    reply_late_reason = models.CharField("逾期答复的原因", max_length=500, blank=True)
    public_reply = models.TextField("答复内容（可向投诉举报人公开）", blank=True)
    # Review (复查, 信访工作条例第三十五条) and re-review (复核, 第三十六条)
    review_requested_on = models.DateField("请求复查日期", null=True, blank=True)
    review_answered_on = models.DateField("复查意见日期", null=True, blank=True)
    review_text = models.TextField("复查意见", blank=True)
    re_review_requested_on = models.DateField("请求复核日期", null=True, blank=True)
    re_review_answered_on = models.DateField("复核意见日期", null=True, blank=True)
    re_review_text = models.TextField("复核意见", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    # A safety report verified on site (issue 12 item 6): the inspection of type 投诉举报核查 it led to.
    # A copy of the due date of the bureau's next act (acceptance, then the reply), kept by the
    # services (``services._refresh_next_due``) so that the workbench and the list find what is
    # due this week or overdue on an index; the dates themselves come from the legal engine.
    next_due = models.DateField("下一办理环节届满日", null=True, blank=True, editable=False)
    verification = models.ForeignKey(Inspection, verbose_name="核查检查", null=True, blank=True, on_delete=models.PROTECT, related_name="verified_reports")
    # A safety report verified by a written inquiry to the unit instead (书面函询), and what the
    # verification led to: hazards registered from the report (隐患来源“举报核查”) and transfers of
    # the violation to the enforcement team (局队合一), whose status flows back to this page.
    inquiry_sent_on = models.DateField("函询日期", null=True, blank=True)
    inquiry_text = models.TextField("函询事项", blank=True)
    inquiry_answered_on = models.DateField("单位书面回复日期", null=True, blank=True)
    inquiry_answer = models.TextField("单位书面回复情况", blank=True)
    hazards = models.ManyToManyField(Hazard, verbose_name="核查登记的隐患", blank=True, related_name="safety_reports")
    transfers = models.ManyToManyField(Transfer, verbose_name="移交执法队伍", blank=True, related_name="safety_reports")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "投诉举报"
        verbose_name_plural = "投诉举报"
        constraints = [
            models.CheckConstraint(
                name="submission_decline_has_reason",
                condition=~Q(status__in=[Status.DECLINED, Status.REFERRED]) | ~Q(decline_reason=""),
                violation_error_message="不予受理或者转送的须写明理由。",
            ),
        ]
        indexes = [
            # The list: WHERE jurisdiction IN (…) [AND status/kind] ORDER BY received_on DESC.
            models.Index(fields=["jurisdiction", "status", "-received_on"], name="submission_list_idx"),
            # The workbench and the list's due filters: WHERE jurisdiction IN (…) AND next_due <= ….
            models.Index(fields=["jurisdiction", "next_due", "id"], name="submission_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.summary}"


class GroundFinding(models.Model):
    """The investigation's finding on one ground: substantiated or not (制度第五条、第六条)."""

    submission = models.ForeignKey(Submission, verbose_name="投诉举报", on_delete=models.CASCADE, related_name="findings")
    ground = models.CharField("事项", max_length=32)
    substantiated = models.BooleanField("是否属实")
    note = models.TextField("调查情况")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField("记录日期")

    class Meta:
        ordering = ["submission", "id"]
        verbose_name = "逐项调查结论"
        verbose_name_plural = "逐项调查结论"
        constraints = [models.UniqueConstraint(fields=["submission", "ground"], name="finding_one_per_ground", violation_error_message="每个事项只记录一个调查结论。")]

    def __str__(self) -> str:
        return f"{self.ground}：{'属实' if self.substantiated else '不属实'}"


class Attachment(models.Model):
    """A file the submitter sent (photos or a PDF), checked by content (inspections/evidence.py)."""

    submission = models.ForeignKey(Submission, verbose_name="投诉举报", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="complaints/%Y/%m/")
    name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=64)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        ordering = ["submission", "id"]
        verbose_name = "投诉举报附件"
        verbose_name_plural = "投诉举报附件"

    def __str__(self) -> str:
        return self.name


class Outcome(models.Model):
    """An outcome of a substantiated complaint: the act corrected (制度第六条, linked to the case),
    the officer referred for fault liability (第七条, naming the officer and the fault), or the
    officer's explanation and apology recorded (第八条)."""

    submission = models.ForeignKey(Submission, verbose_name="投诉举报", on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField("处理结果", max_length=16, choices=OutcomeKind.choices)
    ground = models.CharField("针对的事项", max_length=32)
    officer = models.ForeignKey(Staff, verbose_name="执法人员", null=True, blank=True, on_delete=models.PROTECT, related_name="complaint_outcomes")
    case = models.ForeignKey(Case, verbose_name="纠正的案件", null=True, blank=True, on_delete=models.PROTECT, related_name="complaint_outcomes")
    note = models.TextField("情况说明（过错事实、纠正措施或者道歉情况）")
    done_on = models.DateField("日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["submission", "id"]
        verbose_name = "投诉处理结果"
        verbose_name_plural = "投诉处理结果"
        constraints = [
            models.CheckConstraint(
                name="outcome_officer_named",
                condition=Q(kind=OutcomeKind.CORRECTION) | Q(officer__isnull=False),
                violation_error_message="责任追究和赔礼道歉须指明执法人员。",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class RewardRange(models.Model):
    """The bureau's own reward range for verified named safety reports (安全生产法第七十三条第三款:
    rewards under the rules of the department concerned; the amounts are the bureau's, CFG).
    Dated, one bureau each: a bureau never sets another's range."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="+")
    min_amount = models.DecimalField("最低奖励金额（元）", max_digits=12, decimal_places=2)
    max_amount = models.DecimalField("最高奖励金额（元）", max_digits=12, decimal_places=2)
    basis = models.CharField("依据文件", max_length=200)
    effective_from = models.DateField("施行日期")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设定人", on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField("设定时间", auto_now_add=True)

    class Meta:
        ordering = ["agency", "-effective_from", "-id"]
        verbose_name = "举报奖励标准"
        verbose_name_plural = "举报奖励标准"
        constraints = [
            models.CheckConstraint(name="reward_range_order", condition=Q(min_amount__gt=0) & Q(max_amount__gte=models.F("min_amount")), violation_error_message="奖励金额范围有误。"),
        ]

    def __str__(self) -> str:
        return f"{self.min_amount}—{self.max_amount}元"


class Reward(models.Model):
    """A reward for a verified named report: proposed inside the bureau's range, approved by a
    leader other than the proposer, and its payment recorded."""

    submission = models.OneToOneField(Submission, verbose_name="举报", on_delete=models.CASCADE, related_name="reward")
    amount = models.DecimalField("奖励金额（元）", max_digits=12, decimal_places=2)
    reason = models.TextField("奖励理由（核实情况）")
    range_min = models.DecimalField("适用的最低金额", max_digits=12, decimal_places=2)
    range_max = models.DecimalField("适用的最高金额", max_digits=12, decimal_places=2)
    range_basis = models.CharField("适用的奖励标准", max_length=200)
    status = models.CharField("状态", max_length=12, choices=RewardStatus.choices, default=RewardStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+")
    proposed_on = models.DateField("提出日期")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True)
    paid_on = models.DateField("发放日期", null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发放登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payment_ref = models.CharField("发放凭证号", max_length=64, blank=True)

    class Meta:
        verbose_name = "举报奖励"
        verbose_name_plural = "举报奖励"

    def __str__(self) -> str:
        return f"{self.amount}元（{self.get_status_display()}）"
