"""Annual enforcement plans (年度监督检查计划): grading profiles, capacity inputs, plans, items.

The arithmetic is in ``anjian.law.planning``; these rows hold the configuration, the inputs the
bureau entered and what a plan version decided (its capacity lines, what was cut and its items), so that an
approved version reads the same later whatever the ledger or the calendar became.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from anjian.core.models import Jurisdiction
from anjian.core.scoping import ScopedQuerySet
from anjian.enterprises.models import Enterprise
from anjian.law import planning as pl
from anjian.org.models import Agency, Department, Staff
from anjian.planning.choices import DrawStatus, PlanStatus, RelationKind


class GradingProfile(models.Model):
    """Frequencies and caps by grade, and the key-unit rules, of one province (LEGAL.md §6: CFG).

    ``province`` is the 6-digit division code of the province; empty = the shipped sample used
    until a province configures its own (示例配置)."""

    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    province = models.CharField("适用省份（区划代码）", max_length=6, blank=True, help_text="空 = 各省未配置时使用的示例配置")
    is_sample = models.BooleanField("示例配置", default=True)
    source = models.CharField("依据", max_length=300, blank=True)
    data = models.JSONField("频次、上限与重点单位规则", default=dict)
    active = models.BooleanField("启用", default=True)
    # Every change is a new version (``GradingProfileVersion``); a plan records the version it was
    # generated with. Changed only by the bureau at the top of the deployment (the province's rules
    # apply to every bureau of it), through ``services.profile_update``.
    version = models.PositiveIntegerField("版本", default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["province", "code"]
        verbose_name = "分级检查频次配置"
        verbose_name_plural = "分级检查频次配置"

    def __str__(self) -> str:
        return self.name + ("（示例配置）" if self.is_sample else "")


class GradingProfileVersion(models.Model):
    """One version of a grading profile, as it read when saved: never changed afterwards."""

    profile = models.ForeignKey(GradingProfile, verbose_name="配置", on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField("版本")
    name = models.CharField("名称", max_length=100)
    source = models.CharField("依据", max_length=300, blank=True)
    data = models.JSONField("频次、上限与重点单位规则")
    reason = models.CharField("修改理由", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        ordering = ["profile", "-version"]
        verbose_name = "分级检查频次配置版本"
        verbose_name_plural = "分级检查频次配置版本"
        constraints = [models.UniqueConstraint(fields=["profile", "version"], name="profileversion_one", violation_error_message="该版本已存在。")]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class CapacityInputQuerySet(ScopedQuerySet["CapacityInput"]):
    pass


class CapacityInput(models.Model):
    """What a bureau entered for one year: deductions per category, days per inspection, shares."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    deductions = models.JSONField("扣除工作日（按类别）", default=dict, blank=True)
    workdays_per_inspection = models.JSONField("每次检查工作日（按行业）", default=dict, blank=True)
    officers_per_inspection = models.PositiveSmallIntegerField("每次检查执法人员数", default=2)
    reserve_share = models.DecimalField("预留比例", max_digits=3, decimal_places=2, default=0.1)
    key_share = models.DecimalField("重点检查比例", max_digits=3, decimal_places=2, default=0.6)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = CapacityInputQuerySet.as_manager()

    class Meta:
        ordering = ["owner_agency", "-year"]
        verbose_name = "计划力量测算"
        verbose_name_plural = "计划力量测算"
        constraints = [models.UniqueConstraint(fields=["owner_agency", "year"], name="capacity_one_per_year", violation_error_message="该年度已有力量测算。")]

    def __str__(self) -> str:
        return f"{self.owner_agency.short_name}{self.year}年力量测算"


class AnnualPlanQuerySet(ScopedQuerySet["AnnualPlan"]):
    def current(self) -> AnnualPlanQuerySet:
        """The version in force or in preparation per agency and year (not the superseded ones)."""
        return self.exclude(status=PlanStatus.SUPERSEDED)  # type: ignore[return-value]


class AnnualPlan(models.Model):
    """One version of a bureau's annual plan. A change after approval is a new version."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey(Agency, verbose_name="制定机关", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveSmallIntegerField("版本", default=1)
    status = models.CharField("状态", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    provisional = models.BooleanField("按临时日历测算", default=False, help_text="该年度法定节假日安排尚未载入，工作日按周末推算")
    profile = models.ForeignKey(GradingProfile, verbose_name="分级频次配置", on_delete=models.PROTECT, related_name="+")
    profile_name = models.CharField("配置名称（生成时）", max_length=120)
    profile_version = models.ForeignKey(
        "GradingProfileVersion", verbose_name="配置版本（生成时）", null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="空：本功能上线前生成的计划，未记录版本"
    )
    capacity = models.JSONField("力量测算（生成时）", default=dict)
    available = models.DecimalField("可安排工作日", max_digits=12, decimal_places=2, default=0)
    demand = models.DecimalField("计划需要工作日", max_digits=12, decimal_places=2, default=0)
    # The key/general split of the capacity (安监总政法〔2017〕150号, LEGAL.md §6): general
    # inspections are fitted and checked against their own share (``law.planning.general_share``).
    key_available = models.DecimalField("重点检查可安排工作日", max_digits=12, decimal_places=2, default=0)
    key_demand = models.DecimalField("重点检查需要工作日", max_digits=12, decimal_places=2, default=0)
    fit_summary = models.TextField("力量与削减说明", blank=True)
    # What the fit cut: the counts here, the units themselves are the items with ``cut_from`` set
    # (a city's plan may cut 97,000 units: a list stored on the plan was 10 MB read with every page).
    cut_units = models.PositiveIntegerField("削减单位数", default=0)
    cut_inspections = models.PositiveIntegerField("削减检查次数", default=0)
    over_capacity_ack = models.BooleanField("已确认超出力量", default=False)
    previous = models.ForeignKey("self", verbose_name="上一版本", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    change_reason = models.CharField("修订理由", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="编制人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("编制时间", auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    return_reason = models.CharField("退回理由", max_length=300, blank=True)
    # Filed with the level above (报上级备案, with the .docx plan document) and published (issue 13 item 6).
    filed_to = models.CharField("备案机关", max_length=100, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="备案经办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField("备案时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="公布经办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    # What the public page shows of a published plan, fixed when it is published (a published
    # version never changes): totals by month, by key/general and by sector group; no unit, person
    # or internal note (``selectors.plan_public_summary``).
    public_summary = models.JSONField("公布的汇总", default=dict, blank=True)

    objects = AnnualPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "owner_agency", "-version"]
        verbose_name = "年度监督检查计划"
        verbose_name_plural = "年度监督检查计划"
        constraints = [
            models.UniqueConstraint(fields=["owner_agency", "year", "version"], name="plan_agency_year_version", violation_error_message="该版本已存在。"),
            # One version in preparation (draft or submitted) per agency and year.
            models.UniqueConstraint(
                fields=["owner_agency", "year"],
                condition=Q(status__in=["draft", "submitted"]),
                name="plan_one_open_version",
                violation_error_message="该年度已有未批准的计划版本。",
            ),
        ]
        indexes = [
            # The plan list: WHERE jurisdiction_id IN (…) ORDER BY -year.
            models.Index(fields=["jurisdiction", "-year"], name="plan_jur_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_agency.short_name}{self.year}年度监督检查计划（第{self.version}版）"

    @property
    def general_demand(self) -> Decimal:
        return self.demand - self.key_demand

    @property
    def general_available(self) -> Decimal:
        """The general inspections' share: what the key units leave of the capacity, at most the general share."""
        return pl.general_share(available=self.available, key_days=self.key_available, key_demand=self.key_demand)

    def capacity_check(self) -> tuple[Decimal, str]:
        """How far over its capacity the plan is, share by share, and the sentence that says so."""
        return pl.share_check(key_demand=self.key_demand, general_demand=self.general_demand, available=self.available, key_days=self.key_available)

    @property
    def over_capacity(self) -> bool:
        return self.capacity_check()[0] > 0


class PlanItem(models.Model):
    """One unit in one plan version: how many inspections, in which months, why (grade, key rules)."""

    # No single-column index on either: the unique (plan, enterprise) and the (enterprise, plan)
    # index below serve both, and every index is written 100,000 times by a city's plan.
    plan = models.ForeignKey(AnnualPlan, verbose_name="计划", on_delete=models.CASCADE, related_name="items", db_index=False)
    enterprise = models.ForeignKey(Enterprise, verbose_name="单位", on_delete=models.PROTECT, related_name="+", db_index=False)
    enterprise_name = models.CharField("单位名称（生成时）", max_length=200)
    group = models.CharField("行业", max_length=16)
    rule = models.CharField("适用规则", max_length=120)
    grade_label = models.CharField("分级", max_length=40)
    frequency = models.PositiveSmallIntegerField("建议频次")
    cap = models.PositiveSmallIntegerField("年度上限")
    key = models.BooleanField("重点单位", default=False)
    key_reasons = models.JSONField("重点单位依据", default=list, blank=True)
    cost = models.DecimalField("每次检查工作日（人·日）", max_digits=6, decimal_places=1)
    count = models.PositiveSmallIntegerField("计划检查次数")
    months = models.JSONField("安排月份", default=list, blank=True)
    cut_from = models.PositiveSmallIntegerField("削减前次数", null=True, blank=True)
    department = models.ForeignKey(Department, verbose_name="承担科室（队伍）", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    edited = models.BooleanField("人工调整", default=False)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "-key", "-frequency", "enterprise_name", "id"]
        verbose_name = "计划检查单位"
        verbose_name_plural = "计划检查单位"
        constraints = [models.UniqueConstraint(fields=["plan", "enterprise"], name="planitem_one_per_unit", violation_error_message="同一计划中单位不能重复。")]
        indexes = [
            # The cross-plan duplicate check: every current plan's items of the same units.
            models.Index(fields=["enterprise", "plan"], name="planitem_ent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_name} {self.count}次"


class DrawQuerySet(ScopedQuerySet["Draw"]):
    pass


class Draw(models.Model):
    """A random draw (双随机): the pools and parameters committed before the draw, then the result.

    Everything ``anjian.law.draw.run`` needs is stored, so that anyone can re-run it
    (``anjian draw verify <id>``, the public page)."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey(Agency, verbose_name="组织抽取的机关", on_delete=models.PROTECT, related_name="+")
    public_id = models.UUIDField("公开编号", unique=True, editable=False)
    title = models.CharField("抽取事项", max_length=100)
    status = models.CharField("状态", max_length=16, choices=DrawStatus.choices, default=DrawStatus.COMMITTED)
    filters = models.JSONField("对象库筛选条件", default=dict, blank=True)
    filters_text = models.CharField("筛选条件（文字）", max_length=500, blank=True)
    units = models.JSONField("对象库（单位编号，升序）", default=list)
    unit_names = models.JSONField("对象库单位名称", default=dict)
    officers = models.JSONField("执法人员库（人员编号，升序）", default=list)
    officer_names = models.JSONField("执法人员姓名与证号", default=dict)
    exclusions = models.JSONField("回避（单位 → 人员）", default=dict, blank=True)
    # Where each exclusion came from (the union is ``exclusions``, which the commitment hashes):
    # {"last_inspection": {unit: [staff]}, "declared": {unit: [staff]}}. Verification checks the union.
    exclusion_sources = models.JSONField("回避依据", default=dict, blank=True)
    count = models.PositiveIntegerField("抽取单位数")
    per_inspection = models.PositiveSmallIntegerField("每户执法人员数", default=2)
    planned_on = models.DateField("计划检查日期")
    draw_at = models.DateTimeField("公布的抽取时间")
    commitment = models.JSONField("抽取前公示的承诺值", default=dict)
    beacon = models.CharField("公开随机数", max_length=100, blank=True, help_text="抽取时公布的外部随机数（如当期彩票开奖号码），可空")
    seed = models.CharField("随机种子", max_length=64, blank=True)
    result = models.JSONField("抽取结果", default=list, blank=True)
    publish_due = models.DateField("结果公示期限", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="组织人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("公示时间", auto_now_add=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="抽取人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)

    objects = DrawQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "双随机抽取"
        verbose_name_plural = "双随机抽取"
        indexes = [models.Index(fields=["jurisdiction", "-created_at"], name="draw_jur_created_idx")]  # the draw list

    def __str__(self) -> str:
        return f"{self.owner_agency.short_name}·{self.title}"


class DeclaredRelationQuerySet(ScopedQuerySet["DeclaredRelation"]):
    def active(self) -> DeclaredRelationQuerySet:
        return self.filter(ended_on__isnull=True)  # type: ignore[return-value]


class DeclaredRelation(models.Model):
    """An officer's declared relation with a unit (利害关系申报, 回避: 《行政处罚法》第四十三条).

    Declared by the officer for themself; read by them and by the office and the leaders of the
    bureaus whose jurisdiction covers theirs. While it is not ended, a random draw never puts the
    officer on that unit, and the draw records the exclusion (``Draw.exclusion_sources``)."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey(Agency, verbose_name="所在机关", on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(Staff, verbose_name="申报人", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Enterprise, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("关系", max_length=24, choices=RelationKind.choices)
    description = models.CharField("说明", max_length=300, blank=True)
    declared_on = models.DateField("申报日期")
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申报账号", on_delete=models.PROTECT, related_name="+")
    ended_on = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止理由", max_length=300, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = DeclaredRelationQuerySet.as_manager()

    class Meta:
        ordering = ["-declared_on", "-id"]
        verbose_name = "利害关系申报"
        verbose_name_plural = "利害关系申报"
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "enterprise", "kind"], condition=Q(ended_on__isnull=True), name="relation_one_open", violation_error_message="已申报该关系，尚未终止。"
            )
        ]
        indexes = [models.Index(fields=["staff", "ended_on"], name="relation_staff_idx")]  # the draw: the pool's officers' open relations

    def __str__(self) -> str:
        return f"{self.staff.name}与{self.enterprise.name}（{self.get_kind_display()}）"
