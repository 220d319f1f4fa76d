"""Penalty-case models: execution (imported by cases.models).

What happens after the decision is served: deferral or instalments approved by the agency head
(行政处罚法 §66), reconsideration and lawsuit records (the surcharge pauses while they are pending,
§73 ¶3), and the road to the court (催告 行政强制法 §35, §54; application §53, §55). Payments are
``cases.Payment`` rows; an instalment points to the payment that settled it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from anjian.documents.models import IssuedDocument
from anjian.org.models import Staff


class PlanKind(models.TextChoices):
    DEFERRAL = "deferral", "延期缴纳"
    INSTALMENTS = "instalments", "分期缴纳"


class PlanStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"


class RemedyKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", "行政复议"
    LAWSUIT = "lawsuit", "行政诉讼"


class RemedyOutcome(models.TextChoices):
    PENDING = "", "审理中"
    UPHELD = "upheld", "维持（驳回请求）"
    VARIED = "varied", "变更"
    REVOKED = "revoked", "撤销"
    CONFIRMED_ILLEGAL = "confirmed_illegal", "确认违法（不撤销）"
    CONFIRMED_VOID = "confirmed_void", "确认无效"
    WITHDRAWN = "withdrawn", "撤回申请（撤诉）"
    NOT_ACCEPTED = "not_accepted", "不予受理（驳回起诉）"


class PaymentPlan(models.Model):
    """延期（分期）缴纳罚款: the party's request, decided by the agency head (行政处罚法 §66 ¶2)."""

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="payment_plans")
    kind = models.CharField("方式", max_length=12, choices=PlanKind.choices)
    requested_on = models.DateField("申请日期")
    reason = models.TextField("经济困难的事实和理由")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.PENDING)
    decided_by = models.ForeignKey(Staff, verbose_name="审批人（机关负责人）", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)
    document = models.ForeignKey(IssuedDocument, verbose_name="延期（分期）缴纳罚款批准书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "requested_on", "id"]
        verbose_name = "延期（分期）缴纳罚款"
        verbose_name_plural = "延期（分期）缴纳罚款"
        constraints = [models.UniqueConstraint(fields=["case"], condition=Q(status="pending"), name="paymentplan_one_pending")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()} {self.get_status_display()}"


class Instalment(models.Model):
    """One part of a plan (a deferral is a plan of one part): amount and due date."""

    plan = models.ForeignKey(PaymentPlan, verbose_name="延期（分期）", on_delete=models.CASCADE, related_name="instalments")
    seq = models.PositiveSmallIntegerField("期次")
    due = models.DateField("缴纳期限")
    amount = models.DecimalField("金额", max_digits=14, decimal_places=2)
    payment = models.ForeignKey("cases.Payment", verbose_name="缴款", null=True, blank=True, on_delete=models.PROTECT, related_name="instalments")

    class Meta:
        ordering = ["plan", "seq"]
        verbose_name = "分期"
        verbose_name_plural = "分期"
        constraints = [
            models.UniqueConstraint(fields=["plan", "seq"], name="instalment_seq_unique"),
            models.CheckConstraint(name="instalment_amount_positive", condition=Q(amount__gt=0), violation_error_message="每期金额须大于零。"),
        ]

    def __str__(self) -> str:
        return f"第{self.seq}期 {self.amount} {self.due}"


class Remedy(models.Model):
    """行政复议 or 行政诉讼 against the decision: filed, pending, decided. The penalty is not suspended
    (行政处罚法 §73 ¶1) but the surcharge does not accrue while it is pending (§73 ¶3)."""

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField("类别", max_length=16, choices=RemedyKind.choices)
    filed_on = models.DateField("申请（起诉）日期")
    body = models.CharField("复议机关或者人民法院", max_length=100)
    reference = models.CharField("案号", max_length=64, blank=True)
    outcome = models.CharField("结果", max_length=20, choices=RemedyOutcome.choices, blank=True, default=RemedyOutcome.PENDING)
    outcome_on = models.DateField("复议决定书（裁判文书）送达日期", null=True, blank=True)
    varied_fine = models.DecimalField("变更后的罚款数额", null=True, blank=True, max_digits=14, decimal_places=2)
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "filed_on", "id"]
        verbose_name = "行政复议、行政诉讼"
        verbose_name_plural = "行政复议、行政诉讼"
        constraints = [models.UniqueConstraint(fields=["case", "kind"], condition=Q(outcome=""), name="remedy_one_pending_per_kind")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()} {self.filed_on}"


class CaseExecution(models.Model):
    """The execution facts of one case (one row, created on the first execution act).

    ``changed_on`` / ``revoked_on`` are the hook of the publication helper: the decision was varied,
    revoked, confirmed illegal or void on that date (安全生产法 §78 via 行政处罚法 §48: the published
    decision is withdrawn within 3 working days; the ``publication_withdrawal`` deadline is stored).
    """

    case = models.OneToOneField("cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="execution")
    changed_on = models.DateField("处罚决定被变更、撤销、确认违法或者无效之日", null=True, blank=True)
    change_kind = models.CharField("变更情形", max_length=20, choices=RemedyOutcome.choices, blank=True)
    revoked_on = models.DateField("处罚决定被撤销或者确认无效之日（终止执行）", null=True, blank=True)
    reminder_document = models.ForeignKey(IssuedDocument, verbose_name="履行行政决定催告书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reminder_served_on = models.DateField("催告书送达日期", null=True, blank=True)
    application_document = models.ForeignKey(IssuedDocument, verbose_name="强制执行申请书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    applied_on = models.DateField("申请强制执行日期", null=True, blank=True)
    court = models.CharField("受理申请的人民法院", max_length=100, blank=True)
    daily_penalty_case = models.ForeignKey("cases.Case", verbose_name="按日连续处罚案件", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closure_requested_on = models.DateField("提请关闭日期", null=True, blank=True)
    closure_request_note = models.TextField("提请关闭说明", blank=True)

    class Meta:
        verbose_name = "案件执行"
        verbose_name_plural = "案件执行"

    def __str__(self) -> str:
        return f"{self.case_id} 执行"
