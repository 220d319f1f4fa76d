"""The rollups (issue 11 item 6): daily figures per jurisdiction, agency and sector.

One long table: a row is one indicator's figure for one day and one cut, so that a new indicator
needs no migration. See rollups.py for what each kind stores and why its period sums are exact.
"""

from __future__ import annotations

from django.db import models

from anjian.core.models import Jurisdiction
from anjian.org.models import Agency


class Grain(models.TextChoices):
    """Which cut a row is for. Each figure is stored at four grains so that a unit counted once in
    the jurisdiction's total is not summed twice across agencies or sectors."""

    TOTAL = "", "辖区合计"
    AGENCY = "a", "按机关"
    SECTOR = "s", "按行业"
    AGENCY_SECTOR = "as", "按机关和行业"


class Rollup(models.Model):
    """One indicator's figure on one day for one jurisdiction (and agency, and sector).

    Flows (counts of events) hold the day's events; states (open hazards, ledger size, officers)
    hold the snapshot at the end of the day, written for each month end and for the last day
    computed (rollups.py)."""

    indicator = models.CharField("指标", max_length=64)
    grain = models.CharField("切分", max_length=2, choices=Grain.choices, blank=True)
    day = models.DateField("日期")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, verbose_name="机关", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    sector = models.CharField("行业", max_length=48, blank=True)
    value = models.BigIntegerField("数值")

    class Meta:
        ordering = ["indicator", "grain", "day", "jurisdiction_id", "agency_id", "sector"]
        verbose_name = "统计日汇总"
        verbose_name_plural = "统计日汇总"
        indexes = [
            # Every figure read: WHERE indicator = … AND grain = … AND day BETWEEN … (or day = …)
            # [AND jurisdiction_id IN (…)] GROUP BY jurisdiction / agency / sector / month. The
            # value is included so that PostgreSQL answers from the index alone.
            models.Index(fields=["indicator", "grain", "day", "jurisdiction"], include=["agency", "sector", "value"], name="rollup_read_idx"),
            # The refresh deletes a family's days before writing them again: WHERE day BETWEEN … AND indicator IN (…).
            models.Index(fields=["day", "indicator"], name="rollup_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.day} {self.value}"


class RollupWatermark(models.Model):
    """How far the rollups are computed: the last day (``through``) and when (``at``), so that the
    next refresh recomputes the days changed since (read from the audit trail)."""

    name = models.CharField("名称", max_length=32, primary_key=True)
    through = models.DateField("已汇总至", null=True, blank=True)
    at = models.DateTimeField("汇总时间", null=True, blank=True)
    # The audit events of the last minutes already read (a transaction that committed late may
    # still add an earlier-stamped event; those are read again, these are not).
    seen = models.JSONField("已读审计记录", default=list, blank=True)

    class Meta:
        verbose_name = "统计汇总进度"
        verbose_name_plural = "统计汇总进度"

    def __str__(self) -> str:
        return f"{self.name} {self.through}"
