"""Penalty-case models: publication (imported by cases.models).

``Publication``: the public disclosure of a penalty decision against a unit (安全生产法 §78: within
7 working days of the decision; 行政处罚法 §48: withdrawn within 3 working days when the decision is
changed, revoked or found void), its credit publicity (企业信息公示暂行条例 §6: 20 working days) and
the redacted text released by someone other than who prepared it. The deadlines themselves are
``CaseDeadline`` rows of the case (rule, calendar version, provisional flag); the dates here are
copies the queue sorts on.

``DishonestyEntry``: one unit proposed for, or on, the serious-dishonesty list (应急管理部令第11号;
the grounds are ``anjian.law.dishonesty``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from anjian.core.models import Jurisdiction
from anjian.core.scoping import ScopedQuerySet
from anjian.enterprises.models import Enterprise
from anjian.org.models import Agency, Staff


class PublicationStatus(models.TextChoices):
    QUEUED = "queued", "待制作公开文本"
    PREPARED = "prepared", "待审核发布"
    RELEASED = "released", "已公开"
    WITHDRAWN = "withdrawn", "已撤回"


class Publication(models.Model):
    """The public disclosure of one penalty decision against a unit."""

    case = models.OneToOneField("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="publication")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey(Agency, verbose_name="作出决定的机关", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Enterprise, verbose_name="被处罚单位", on_delete=models.PROTECT, related_name="publications")
    status = models.CharField("状态", max_length=12, choices=PublicationStatus.choices, default=PublicationStatus.QUEUED)
    # What the public sees (copied from the case records when the text is made).
    party_name = models.CharField("被处罚单位名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    decision_number = models.CharField("行政处罚决定书文号", max_length=64, blank=True)
    decided_on = models.DateField("处罚决定日期")
    agency_name = models.CharField("作出决定的机关", max_length=100)
    district_name = models.CharField("辖区", max_length=100)
    text = models.TextField("公开文本（已去除个人信息）")
    # The clocks (copies of the case's CaseDeadline rows).
    due_on = models.DateField("公开期限届满日")
    credit_due_on = models.DateField("信用公示期限届满日")
    credit_reported_on = models.DateField("报送信用信息公示平台日期", null=True, blank=True)
    credit_reference = models.CharField("报送回执或编号", max_length=100, blank=True)
    credit_reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="制作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    prepared_on = models.DateField("制作日期", null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核发布人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    released_on = models.DateField("公开日期", null=True, blank=True)
    decision_changed_on = models.DateField("决定被变更、撤销或确认无效的日期", null=True, blank=True)
    withdrawal_due_on = models.DateField("撤回期限届满日", null=True, blank=True)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撤回人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawal_reason = models.TextField("撤回理由", blank=True)
    queued_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = "处罚决定公开"
        verbose_name_plural = "处罚决定公开"
        indexes = [
            # The bureau's queue: WHERE jurisdiction IN (…) ORDER BY due_on.
            models.Index(fields=["jurisdiction", "status", "due_on"], name="publication_queue_idx"),
            # The public page: released rows, newest decision first.
            models.Index(fields=["status", "-decided_on", "id"], name="publication_public_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.party_name} {self.decision_number or self.decided_on}"


class DishonestyStatus(models.TextChoices):
    PROPOSED = "proposed", "拟列入（待机关负责人决定）"
    REFUSED = "refused", "决定不列入"
    DECIDED = "decided", "决定列入（待告知）"
    NOTIFIED = "notified", "已告知（听取陈述申辩）"
    PUBLISHED = "published", "已公布"
    REMOVED = "removed", "已移出"


DISHONESTY_OPEN = (DishonestyStatus.PROPOSED, DishonestyStatus.DECIDED, DishonestyStatus.NOTIFIED, DishonestyStatus.PUBLISHED)


class DishonestyEntry(models.Model):
    """One unit on (or proposed for) the serious-dishonesty list under one ground."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey(Agency, verbose_name="决定机关", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Enterprise, verbose_name="单位", on_delete=models.PROTECT, related_name="dishonesty_entries")
    condition = models.CharField("列入情形", max_length=40)
    condition_text = models.CharField("情形", max_length=300)
    article = models.CharField("依据", max_length=300)
    refs = models.JSONField("所依据的事故或处罚决定", default=list, blank=True)
    reason = models.TextField("列入理由")
    status = models.CharField("状态", max_length=12, choices=DishonestyStatus.choices, default=DishonestyStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+")
    proposed_on = models.DateField("提出日期")
    decided_by = models.ForeignKey(Staff, verbose_name="决定人（机关负责人）", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_note = models.TextField("决定意见", blank=True)
    notified_on = models.DateField("告知日期", null=True, blank=True)
    objection = models.TextField("当事人陈述申辩", blank=True)
    objection_review = models.TextField("陈述申辩复核意见", blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    ends_on = models.DateField("公布期限届满日", null=True, blank=True)
    early_removal_from = models.DateField("可申请提前移出日", null=True, blank=True)
    removed_on = models.DateField("移出日期", null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="移出经办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    removal_reason = models.TextField("移出理由", blank=True)
    early_removal = models.BooleanField("提前移出", default=False)
    repair_reference = models.CharField("信用修复材料", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_on", "-id"]
        verbose_name = "严重失信主体名单"
        verbose_name_plural = "严重失信主体名单"
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "condition"],
                condition=Q(status__in=["proposed", "decided", "notified", "published"]),
                name="dishonesty_one_open",
                violation_error_message="该单位已因同一情形拟列入或列入名单。",
            )
        ]
        indexes = [models.Index(fields=["jurisdiction", "status"], name="dishonesty_list_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.condition_text}"
