"""Administrative penalty cases (行政处罚案件): the procedure as facts.

The database holds what happened and when (filed on, served on, requested on, paid on). The
deadlines a served document starts are computed by ``anjian.law`` and stored with the rule, the
calendar version and the provisional/unverified flags (``CaseDeadline``): a date told to a party is
a fact and never moves silently (ARCHITECTURE.md). Every transition appends a ``CaseStep``, the
case's timeline.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from anjian.cases.choices import (
    CaseSource,
    CaseStatus,
    ExtensionStatus,
    HearingOutcome,
    NoPenaltyGround,
    PartyType,
    Procedure,
    StatementForm,
    StatementKind,
)
from anjian.core.crypto import BlindIndexField, EncryptedCharField
from anjian.core.models import Jurisdiction
from anjian.core.scoping import ScopedQuerySet
from anjian.documents.models import IssuedDocument
from anjian.enterprises.models import Enterprise
from anjian.hazards.models import Hazard, Transfer
from anjian.inspections.models import Finding
from anjian.org.models import Agency, Certificate, Staff


class Accident(models.Model):
    """A production-safety accident (生产安全事故); its grade follows 事故条例 §3 (``accident_grade``)."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey(Agency, verbose_name="管理机关", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Enterprise, verbose_name="事故单位", on_delete=models.PROTECT, related_name="accidents")
    occurred_on = models.DateField("发生日期")
    deaths = models.PositiveIntegerField("死亡人数", default=0)
    serious_injuries = models.PositiveIntegerField("重伤人数（含急性工业中毒）", default=0)
    direct_loss = models.DecimalField("直接经济损失（元）", max_digits=14, decimal_places=2)
    narrative = models.TextField("事故经过")
    grade = models.CharField("事故等级", max_length=20, help_text="依《生产安全事故报告和调查处理条例》第三条计算")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = "生产安全事故"
        verbose_name_plural = "生产安全事故"
        constraints = [models.CheckConstraint(name="accident_loss_nonneg", condition=Q(direct_loss__gte=0), violation_error_message="直接经济损失不能为负数。")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.occurred_on} 事故"


class Case(models.Model):
    """One penalty case against one party (a unit or a natural person)."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey(Agency, verbose_name="办案机关", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("案由", max_length=200)
    party_type = models.CharField("当事人类别", max_length=8, choices=PartyType.choices)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="当事单位（当事人为自然人时为其所在单位）", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    person_name = models.CharField("当事人姓名", max_length=32, blank=True)
    # Encrypted at rest (core/crypto.py); the repeat-offence search goes through the blind index.
    person_id_number = EncryptedCharField("身份证号码", kind="id", plain_max_length=18, blind_index="person_id_number_bidx")
    person_id_number_bidx = BlindIndexField("身份证号码检索码", source="person_id_number", db_index=True)
    person_position = models.CharField("职务", max_length=64, blank=True)
    person_address = models.CharField("住址", max_length=200, blank=True, help_text="自然人当事人的住址（行政处罚法第五十九条第一款第一项：决定书载明当事人的地址）")
    source = models.CharField("案件来源", max_length=16, choices=CaseSource.choices)
    source_reason = models.CharField("来源说明", max_length=500, blank=True)
    transfer = models.ForeignKey(Transfer, verbose_name="移交", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    hazard = models.ForeignKey(Hazard, verbose_name="逾期隐患", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    finding = models.ForeignKey(Finding, verbose_name="检查发现的问题", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    accident = models.ForeignKey(Accident, verbose_name="事故", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    facts = models.TextField("违法事实（初步）")
    discovered_on = models.DateField("发现日期")
    status = models.CharField("状态", max_length=16, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    procedure = models.CharField("程序", max_length=8, choices=Procedure.choices, default=Procedure.GENERAL)
    # Facts that decide the procedure (行政处罚法 §57, §58), set by the handler and shown with the reasons.
    complex_case = models.BooleanField("案情疑难复杂、涉及多个法律关系", default=False)
    major_public_interest = models.BooleanField("涉及重大公共利益", default=False)
    serious_violation = models.BooleanField("重大违法行为", default=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="立案申请人", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField("登记时间", auto_now_add=True)
    filed_on = models.DateField("立案日期", null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="立案审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    repeat_dates = models.JSONField("此前同类违法记录（三年内）", default=list, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="拟处罚意见提出人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    proposed_on = models.DateField("拟处罚意见日期", null=True, blank=True)
    decided_on = models.DateField("处罚决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人（机关负责人）", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    fine_total = models.DecimalField("罚款合计", null=True, blank=True, max_digits=14, decimal_places=2)
    decision_document = models.ForeignKey(IssuedDocument, verbose_name="行政处罚决定书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_served_on = models.DateField("决定书送达日期", null=True, blank=True)
    decision_service_method = models.CharField("决定书送达方式", max_length=16, blank=True)
    decision_service_basis = models.CharField("送达日期依据", max_length=200, blank=True)
    no_penalty_ground = models.CharField("不予处罚理由", max_length=20, choices=NoPenaltyGround.choices, blank=True)
    onsite_statement = models.TextField("当场陈述申辩（简易程序）", blank=True)
    referred_to = models.CharField("移送机关", max_length=100, blank=True)
    end_reason = models.TextField("不予处罚、移送或撤销立案的理由", blank=True)
    ended_on = models.DateField("程序终结日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="结案审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    officers = models.ManyToManyField(Staff, through="CaseOfficer", verbose_name="承办人员", related_name="cases")
    # A copy of the due date of the next legal step (the stored deadline ``NEXT_STEP`` names for the
    # status), kept by ``services._step`` so the deadline board sorts 50,000 cases on an index.
    next_due = models.DateField("下一法定环节届满日", null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = "行政处罚案件"
        verbose_name_plural = "行政处罚案件"
        constraints = [
            models.CheckConstraint(
                name="case_party_present",
                condition=(Q(party_type=PartyType.UNIT, enterprise__isnull=False) | (Q(party_type=PartyType.PERSON) & ~Q(person_name=""))),
                violation_error_message="当事人为单位的须选择单位；为自然人的须填写姓名。",
            ),
        ]
        indexes = [
            # The case list and the deadline board: WHERE jurisdiction IN (…) AND status IN (open …).
            models.Index(fields=["jurisdiction", "status", "-opened_at"], name="case_list_idx"),
            models.Index(fields=["enterprise", "status"], name="case_ent_idx"),
            # The deadline board: WHERE jurisdiction IN (…) AND status IN (open …) ORDER BY next_due.
            models.Index(fields=["jurisdiction", "next_due", "id"], name="case_board_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.party_name}：{self.title}"

    @property
    def party_name(self) -> str:
        if self.party_type == PartyType.PERSON:
            return self.person_name
        return self.enterprise.name if self.enterprise_id and self.enterprise else ""


class CaseOfficer(models.Model):
    """An investigating officer of the case with the certificate check of the day it was done
    (行政处罚法 §42, §55: at least two officers holding valid certificates)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="officer_rows")
    staff = models.ForeignKey(Staff, verbose_name="承办人员", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField("序号", default=1)
    certificate = models.ForeignKey(Certificate, verbose_name="执法证", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    certificate_number = models.CharField("执法证号", max_length=32, blank=True)
    checked_on = models.DateField("核验日期")
    valid = models.BooleanField("当日有效")
    check_result = models.CharField("核验结果", max_length=200)
    active = models.BooleanField("在办", default=True)

    class Meta:
        ordering = ["case", "order", "id"]
        verbose_name = "承办人员"
        verbose_name_plural = "承办人员"
        constraints = [models.UniqueConstraint(fields=["case", "staff"], condition=Q(active=True), name="caseofficer_unique_active")]

    def __str__(self) -> str:
        return f"{self.staff.name}（{self.certificate_number}）"


class CaseViolation(models.Model):
    """One violation of the case: the catalogue id, the act, and the proposed penalty with reasons.

    ``act_group``: violations with the same number are one act breaching several norms; that act
    is fined once, under the norm with the higher fine (行政处罚法 §29).
    """

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="violations")
    violation_id = models.CharField("违法行为（处罚目录）", max_length=16)
    item = models.PositiveSmallIntegerField("项", null=True, blank=True)
    subject = models.CharField("处罚对象", max_length=20, default="unit")
    circumstance = models.CharField("情形", max_length=20, default="base")
    grade = models.CharField("事故等级", max_length=20, blank=True)
    income = models.DecimalField("上一年年收入", null=True, blank=True, max_digits=14, decimal_places=2)
    gains = models.DecimalField("违法所得", null=True, blank=True, max_digits=14, decimal_places=2)
    act_group = models.PositiveSmallIntegerField("违法行为序号", default=1)
    act_date = models.DateField("违法行为发生日期")
    act_ended_on = models.DateField("违法行为终了日期（连续或继续状态）", null=True, blank=True)
    life_health_harm = models.BooleanField("涉及公民生命健康安全且有危害后果", default=False)
    circumstances = models.TextField("违法情节", blank=True)
    proposed_amount = models.DecimalField("拟罚款数额", null=True, blank=True, max_digits=14, decimal_places=2)
    other_kinds = models.JSONField("其他处罚种类", default=list, blank=True)
    band = models.CharField("裁量档次", max_length=10, blank=True)
    range_min = models.DecimalField("法定幅度下限", null=True, blank=True, max_digits=14, decimal_places=2)
    range_max = models.DecimalField("法定幅度上限", null=True, blank=True, max_digits=14, decimal_places=2)
    range_basis = models.CharField("幅度依据", max_length=300, blank=True)
    mitigation_ground = models.CharField("减轻处罚情节（行政处罚法第三十二条）", max_length=20, blank=True)
    reasons = models.TextField("裁量理由", blank=True)

    class Meta:
        ordering = ["case", "act_group", "id"]
        verbose_name = "案件违法行为"
        verbose_name_plural = "案件违法行为"
        constraints = [
            models.UniqueConstraint(fields=["case", "violation_id", "act_group"], name="caseviolation_unique"),
            models.CheckConstraint(name="caseviolation_amount_positive", condition=Q(proposed_amount__isnull=True) | Q(proposed_amount__gt=0), violation_error_message="拟罚款数额须大于零。"),
        ]

    def __str__(self) -> str:
        return f"{self.violation_id}（第{self.act_group}项行为）"


class CaseDeadline(models.Model):
    """A deadline computed when its trigger happened, stored as a fact with what produced it."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="deadlines")
    code = models.CharField("规则代码", max_length=64)
    name = models.CharField("期限名称", max_length=100)
    trigger_event = models.CharField("起算事件", max_length=64)
    trigger_date = models.DateField("起算日")
    due = models.DateField("届满日")
    article = models.CharField("依据", max_length=300)
    rule_version = models.CharField("规则版本", max_length=200)
    calendar_version = models.CharField("日历版本", max_length=100)
    provisional = models.BooleanField("临时计算（该年度节假日未载入）", default=False)
    unverified = models.BooleanField("未经核实的默认值", default=False)
    protects_party = models.BooleanField("保护当事人权利的期限", default=False)
    warning = models.TextField("提示", blank=True)
    active = models.BooleanField("有效", default=True, help_text="被新的送达或批准替代后保留为历史")
    met_on = models.DateField("办结日期", null=True, blank=True)
    computed_at = models.DateTimeField("计算时间", auto_now_add=True)
    # Withdrawn (never deleted) when the proof of service it ran from is marked erroneous (行政处罚法
    # §61: the period runs from the date of service, so a wrong date cannot keep running); the row
    # computed on the correct service then names it (``replaces``) and the case shows old → new.
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_reason = models.CharField("撤回原因", max_length=300, blank=True)
    replaces = models.OneToOneField(
        "self", verbose_name="替代的期限", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by",
        help_text="因送达登记有误撤回、由本期限按重新登记的送达日期替代的原期限",
    )  # fmt: skip

    class Meta:
        ordering = ["case", "due", "id"]
        verbose_name = "案件期限"
        verbose_name_plural = "案件期限"
        constraints = [models.UniqueConstraint(fields=["case", "code"], condition=Q(active=True), name="casedeadline_one_active")]
        # The deadline board: open deadlines by due date.
        # The deadline board's correlated subquery: the active row of one rule for one case.
        indexes = [models.Index(fields=["case", "code", "active"], name="casedeadline_case_idx")]

    def __str__(self) -> str:
        return f"{self.name} {self.due}"


class CaseStep(models.Model):
    """The timeline: every step, who, when, the document and the deadline it met."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("环节", max_length=40)
    label = models.CharField("环节名称", max_length=60)
    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16, blank=True)
    on = models.DateField("日期")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField("操作人姓名", max_length=64, blank=True)
    summary = models.TextField("内容", blank=True)
    article = models.CharField("依据", max_length=300, blank=True)
    document = models.ForeignKey(IssuedDocument, verbose_name="文书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    deadline_code = models.CharField("对应期限", max_length=64, blank=True)
    deadline_due = models.DateField("期限届满日", null=True, blank=True)
    deadline_met = models.BooleanField("期限内完成", null=True)
    at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "on", "at", "id"]
        verbose_name = "案件环节"
        verbose_name_plural = "案件环节"

    def __str__(self) -> str:
        return f"{self.on} {self.label}"


class Notice(models.Model):
    """行政处罚告知书 (行政处罚法 §44): the intended penalty, as a snapshot the decision may not exceed."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="notices")
    issued_on = models.DateField("告知日期")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="制作人", on_delete=models.PROTECT, related_name="+")
    proposal = models.JSONField("告知的拟处罚内容", default=list)
    fine_total = models.DecimalField("告知的罚款合计", max_digits=14, decimal_places=2)
    hearing_offered = models.BooleanField("告知听证权利", default=False)
    hearing_reasons = models.JSONField("告知听证的理由", default=list, blank=True)
    hearing_warning = models.TextField("听证标准提示", blank=True)
    document = models.ForeignKey(IssuedDocument, verbose_name="告知书文书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    served_on = models.DateField("送达日期", null=True, blank=True)
    service_method = models.CharField("送达方式", max_length=16, blank=True)
    service_event_date = models.DateField("送达事件日期", null=True, blank=True)
    service_basis = models.CharField("送达日期依据", max_length=200, blank=True)
    recipient = models.CharField("受送达人", max_length=64, blank=True)
    witness = models.CharField("见证人", max_length=64, blank=True)
    consent_ref = models.CharField("电子送达同意书", max_length=100, blank=True)

    class Meta:
        ordering = ["case", "-issued_on", "-id"]
        verbose_name = "行政处罚告知"
        verbose_name_plural = "行政处罚告知"

    def __str__(self) -> str:
        return f"{self.case} 告知 {self.issued_on}"


class Statement(models.Model):
    """The party's statement or defence (陈述申辩, 行政处罚法 §45): heard and reviewed; the penalty
    may not be increased because of it."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="statements")
    notice = models.ForeignKey(Notice, verbose_name="告知", on_delete=models.PROTECT, related_name="statements")
    kind = models.CharField("类别", max_length=12, choices=StatementKind.choices)
    form = models.CharField("形式", max_length=12, choices=StatementForm.choices)
    received_on = models.DateField("提出日期")
    in_time = models.BooleanField("在期限内提出")
    content = models.TextField("内容")
    review = models.TextField("复核意见", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "received_on", "id"]
        verbose_name = "陈述申辩"
        verbose_name_plural = "陈述申辩"

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()} {self.received_on}"


def waiver_path(instance: Waiver, filename: str) -> str:
    return f"cases/waivers/{instance.sha256[:2]}/{instance.sha256}"


class Waiver(models.Model):
    """放弃陈述申辩（听证）声明: the party's signed written waiver, as a checked scan (SHA-256 kept)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="waivers")
    notice = models.ForeignKey(Notice, verbose_name="告知", on_delete=models.PROTECT, related_name="waivers")
    signed_on = models.DateField("签署日期")
    signer = models.CharField("签署人", max_length=64)
    waives_hearing = models.BooleanField("同时放弃听证权利", default=False)
    scan = models.FileField("签字扫描件", upload_to=waiver_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("内容类型", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "signed_on", "id"]
        verbose_name = "放弃陈述申辩声明"
        verbose_name_plural = "放弃陈述申辩声明"

    def __str__(self) -> str:
        return f"{self.case} 放弃声明 {self.signed_on}"


class Hearing(models.Model):
    """The hearing (听证, 行政处罚法 §63–§65): request, notice (≥7 working days before), held."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="hearings")
    notice = models.ForeignKey(Notice, verbose_name="告知", on_delete=models.PROTECT, related_name="hearings")
    requested_on = models.DateField("申请日期")
    hearing_date = models.DateField("听证日期", null=True, blank=True)
    place = models.CharField("听证地点", max_length=200, blank=True)
    chair = models.ForeignKey(Staff, verbose_name="听证主持人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    public = models.BooleanField("公开举行", default=True)
    not_public_reason = models.CharField("不公开理由", max_length=200, blank=True)
    notice_served_on = models.DateField("听证通知送达日期", null=True, blank=True)
    held_on = models.DateField("举行日期", null=True, blank=True)
    outcome = models.CharField("结果", max_length=12, choices=HearingOutcome.choices, blank=True)
    summary = models.TextField("听证笔录摘要", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "requested_on", "id"]
        verbose_name = "听证"
        verbose_name_plural = "听证"

    def __str__(self) -> str:
        return f"{self.case} 听证"


class LegalReview(models.Model):
    """法制审核 (行政处罚法 §58) by a member holding ``legal_reviewer`` and a legal qualification."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="legal_reviews")
    reviewer = models.ForeignKey(Staff, verbose_name="审核人员", on_delete=models.PROTECT, related_name="+")
    qualification_no = models.CharField("法律职业资格证书编号", max_length=32)
    reviewed_on = models.DateField("审核日期")
    passed = models.BooleanField("审核通过")
    opinion = models.TextField("审核意见")
    reasons = models.JSONField("须审核的理由", default=list, blank=True)
    fine_total = models.DecimalField("审核时的罚款合计", max_digits=14, decimal_places=2)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "reviewed_on", "id"]
        verbose_name = "法制审核"
        verbose_name_plural = "法制审核"

    def __str__(self) -> str:
        return f"{self.case} 法制审核 {'通过' if self.passed else '未通过'}"


class CollectiveDiscussion(models.Model):
    """集体讨论 (行政处罚法 §57 ¶2) by the agency's leaders, with attendees and conclusion."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="discussions")
    held_on = models.DateField("讨论日期")
    attendees = models.ManyToManyField(Staff, verbose_name="参加人员", related_name="+")
    attendee_names = models.JSONField("参加人员姓名", default=list)
    conclusion = models.TextField("讨论结论")
    approves_mitigation = models.BooleanField("同意减轻处罚（低于法定下限）", default=False)
    reasons = models.JSONField("须集体讨论的理由", default=list, blank=True)
    fine_total = models.DecimalField("讨论时的罚款合计", max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "held_on", "id"]
        verbose_name = "集体讨论"
        verbose_name_plural = "集体讨论"

    def __str__(self) -> str:
        return f"{self.case} 集体讨论 {self.held_on}"


class DecisionExtension(models.Model):
    """An extension of the time to decide, approved by the agency head valid that day."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField("申请日期")
    extend_until = models.DateField("延长至")
    reason = models.TextField("理由")
    status = models.CharField("状态", max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    approver = models.ForeignKey(Staff, verbose_name="批准人（机关负责人）", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("审批日期", null=True, blank=True)

    class Meta:
        ordering = ["case", "requested_on", "id"]
        verbose_name = "延长办案期限"
        verbose_name_plural = "延长办案期限"

    def __str__(self) -> str:
        return f"{self.case} 延长至 {self.extend_until}"


class Payment(models.Model):
    """罚款缴纳 at the designated bank (罚缴分离, 行政处罚法 §67), with its receipt number."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField("缴纳日期")
    amount = models.DecimalField("缴纳金额", max_digits=14, decimal_places=2)
    fine = models.DecimalField("其中罚款", max_digits=14, decimal_places=2)
    surcharge = models.DecimalField("其中加处罚款", max_digits=14, decimal_places=2)
    receipt_no = models.CharField("缴款凭证号（当场收缴为专用票据号）", max_length=64)
    onsite = models.BooleanField("当场收缴", default=False, help_text="行政处罚法第六十八条；执法人员应当自收缴之日起二日内交至行政机关（第七十一条）")
    handed_over_on = models.DateField("交至行政机关日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "paid_on", "id"]
        verbose_name = "罚款缴纳"
        verbose_name_plural = "罚款缴纳"
        constraints = [models.UniqueConstraint(fields=["receipt_no"], name="payment_receipt_unique", violation_error_message="缴款凭证号已登记。")]

    def __str__(self) -> str:
        return f"{self.case} 缴款 {self.amount}"


class Recusal(models.Model):
    """回避 (行政处罚法 §43): an officer with an interest in the case recuses, or the party asks;
    the agency head decides; the investigation continues meanwhile."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="recusals")
    staff = models.ForeignKey(Staff, verbose_name="应回避人员", on_delete=models.PROTECT, related_name="+")
    applicant = models.CharField("申请人（当事人或本人）", max_length=64)
    requested_on = models.DateField("申请日期")
    reason = models.TextField("理由")
    granted = models.BooleanField("决定回避", null=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(Staff, verbose_name="决定人（机关负责人）", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "requested_on", "id"]
        verbose_name = "回避"
        verbose_name_plural = "回避"

    def __str__(self) -> str:
        return f"{self.case} {self.staff.name} 回避"


# The models of each further stage live in their own module (imported here so Django registers them).
from anjian.cases import models_casefile, models_decision, models_discretion, models_evidence, models_execution, models_filing, models_publication  # noqa: E402, F401
