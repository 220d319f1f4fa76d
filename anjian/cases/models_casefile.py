"""Penalty-case models: casefile (imported by cases.models).

``Reminder``: the daily reminder to a case's handlers that its next legal step is due soon or
overdue (core and hazards have no notification model; this one is the case app's own).
``DocumentPages``: the page count of an issued document, from its PDF conversion (LibreOffice),
for the 页次 column of the 卷内目录; counted once per file content (its SHA-256).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from anjian.documents.models import IssuedDocument
from anjian.org.models import Staff


class Reminder(models.Model):
    """One reminder to one handler about one case's next step, at most one per case, person,
    step and day (the daily run is idempotent)."""

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="reminders")
    staff = models.ForeignKey(Staff, verbose_name="提醒对象", on_delete=models.CASCADE, related_name="+")
    on = models.DateField("提醒日期")
    step = models.CharField("下一法定环节", max_length=60)
    due = models.DateField("届满日")
    overdue = models.BooleanField("已逾期", default=False)
    message = models.CharField("提醒内容", max_length=300)
    created = models.DateTimeField("生成时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = "办案提醒"
        verbose_name_plural = "办案提醒"
        constraints = [models.UniqueConstraint(fields=["case", "staff", "on", "step"], name="reminder_once_a_day")]
        # The board's include: WHERE staff_id = … AND read_at IS NULL.
        indexes = [models.Index(fields=["staff", "read_at"], name="reminder_unread_idx", condition=Q(read_at__isnull=True))]

    def __str__(self) -> str:
        return self.message


class DocumentPages(models.Model):
    """The number of pages of an issued document as LibreOffice lays it out (for 页次)."""

    document = models.OneToOneField(IssuedDocument, verbose_name="文书", on_delete=models.CASCADE, related_name="+")
    sha256 = models.CharField("统计时的SHA-256", max_length=64)
    pages = models.PositiveIntegerField("页数")
    counted_at = models.DateTimeField("统计时间", auto_now=True)

    class Meta:
        verbose_name = "文书页数"
        verbose_name_plural = "文书页数"

    def __str__(self) -> str:
        return f"{self.document_id}：{self.pages}页"
