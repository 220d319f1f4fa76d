"""The ledger (台账): units, their sites, grading, key personnel, licences, major hazard sources."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from anjian.core.crypto import BlindIndexField, EncryptedCharField
from anjian.core.models import Division, Jurisdiction
from anjian.core.scoping import ScopedQuerySet
from anjian.core.validators import DateBounds, validate_id_number, validate_phone, validate_uscc
from anjian.enterprises.choices import (
    DeclaredStatus,
    HazardSourceLevel,
    KeyPersonRole,
    LicenceKind,
    LicenceStatus,
    Scale,
    StandardizationLevel,
    WorseEnd,
)
from anjian.org.models import Agency


class SectorGroup(models.Model):
    code = models.CharField("代码", max_length=32, primary_key=True)
    name = models.CharField("名称", max_length=32)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "行业大类"
        verbose_name_plural = "行业大类"

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """A supervision sector (危险化学品·生产 …), codes shared with ``anjian.law.taxonomy``."""

    code = models.CharField("代码", max_length=48, primary_key=True)
    group = models.ForeignKey(SectorGroup, verbose_name="行业大类", on_delete=models.PROTECT, related_name="sectors")
    name = models.CharField("名称", max_length=32)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    # Its bit in Enterprise.class_bits, given once by classification.assign_masks and never reused.
    mask = models.BigIntegerField("分类位", null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["group__order", "order", "code"]
        verbose_name = "监管行业"
        verbose_name_plural = "监管行业"

    def __str__(self) -> str:
        return f"{self.group.name}·{self.name}"


class Feature(models.Model):
    """A cross-cutting feature (粉尘涉爆, 涉氨制冷 …)."""

    code = models.CharField("代码", max_length=48, primary_key=True)
    name = models.CharField("名称", max_length=32)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    mask = models.BigIntegerField("分类位", null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "行业领域特征"
        verbose_name_plural = "行业领域特征"

    def __str__(self) -> str:
        return self.name


class IndustryClass(models.Model):
    """GB/T 4754-2017 门类 (section) and 大类 (division)."""

    code = models.CharField("代码", max_length=4, primary_key=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=[("section", "门类"), ("division", "大类")])
    parent = models.ForeignKey("self", verbose_name="门类", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = "国民经济行业分类"
        verbose_name_plural = "国民经济行业分类"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class GradingScheme(models.Model):
    """A configurable risk-grade scheme: its letters and which end is worse (provincial, CFG)."""

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=64)
    grades = models.JSONField("等级（按顺序）", default=list, help_text='如 ["A","B","C","D"]')
    worse_end = models.CharField("风险较高的一端", max_length=8, choices=WorseEnd.choices)
    is_sample = models.BooleanField("示例配置", default=True, help_text="本地规则尚未配置时使用的示例")
    source = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "风险分级方案"
        verbose_name_plural = "风险分级方案"

    def __str__(self) -> str:
        return self.name + ("（示例配置）" if self.is_sample else "")


class ChemicalPark(models.Model):
    name = models.CharField("园区名称", max_length=100, unique=True)
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField("园区安全风险等级", max_length=1, choices=[("A", "A（高风险）"), ("B", "B（较高风险）"), ("C", "C（一般风险）"), ("D", "D（较低风险）")])

    class Meta:
        ordering = ["name"]
        verbose_name = "化工园区"
        verbose_name_plural = "化工园区"

    def __str__(self) -> str:
        return self.name


class EnterpriseQuerySet(ScopedQuerySet["Enterprise"]):
    def with_list_relations(self) -> EnterpriseQuerySet:
        # Sectors and features are shown from class_bits (classification.ClassTable), not prefetched.
        return self.select_related("jurisdiction", "owner_agency", "risk_scheme")  # type: ignore[return-value]


class Enterprise(models.Model):
    """A 生产经营单位, identified by its credit code (unique; absent only when flagged 无证无照)."""

    name = models.CharField("单位名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, null=True, blank=True, unique=True, validators=[validate_uscc])
    unlicensed = models.BooleanField("无证无照", default=False)
    legal_representative = models.CharField("法定代表人", max_length=32, blank=True)
    principal = models.CharField("主要负责人", max_length=32, blank=True)
    # The principal (主要负责人) and the contact are natural persons: their telephones are encrypted
    # at rest like a key person's (core/crypto.py); the principal's has a blind index for exact search.
    principal_phone = EncryptedCharField("主要负责人电话", kind="phone", plain_max_length=32, validators=[validate_phone], blind_index="principal_phone_bidx")
    principal_phone_bidx = BlindIndexField("主要负责人电话检索码", source="principal_phone", db_index=True)
    contact_name = models.CharField("联系人", max_length=32, blank=True)
    contact_phone = EncryptedCharField("联系电话", kind="phone", plain_max_length=32, validators=[validate_phone])
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="所属辖区", on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey(Agency, verbose_name="管理机关", on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey(Division, verbose_name="所在区县", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    registered_address = models.CharField("注册地址", max_length=200, blank=True)
    industry = models.ForeignKey(IndustryClass, verbose_name="国民经济行业（大类）", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sectors = models.ManyToManyField(Sector, verbose_name="监管行业", blank=True, related_name="enterprises")
    features = models.ManyToManyField(Feature, verbose_name="行业领域特征", blank=True, related_name="enterprises")
    scale = models.CharField("规模", max_length=8, choices=Scale.choices, blank=True)
    employees = models.PositiveIntegerField("从业人数", null=True, blank=True)
    risk_scheme = models.ForeignKey(GradingScheme, verbose_name="分级方案", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    risk_grade = models.CharField("风险等级", max_length=4, blank=True)
    standardization_level = models.CharField("安全生产标准化等级", max_length=4, choices=StandardizationLevel.choices, default=StandardizationLevel.NONE)
    chemical_park = models.ForeignKey(ChemicalPark, verbose_name="所在化工园区", null=True, blank=True, on_delete=models.PROTECT, related_name="enterprises")
    declared_status = models.CharField("申报经营状态", max_length=16, choices=DeclaredStatus.choices, default=DeclaredStatus.OPERATING)
    # Which sector groups the unit's sectors fall in, kept by ``services.refresh_classification``
    # after every change of sectors: an exact count of "all 危化 units" over 100,000 rows then reads
    # one indexed column instead of joining the link table (ledger filter by group).
    in_hazchem = models.BooleanField("危险化学品", default=False, editable=False)
    in_mine = models.BooleanField("非煤矿山", default=False, editable=False)
    in_industry = models.BooleanField("工贸", default=False, editable=False)
    # The sectors and features as one bit mask, kept by the same refresh (see classification.py).
    class_bits = models.BigIntegerField("行业与特征位", default=0, editable=False)
    # The agency of the planned subject valid today, kept with supervision_level: the "计划执法主体"
    # filter reads this column instead of testing every unit's subject periods.
    subject_agency = models.ForeignKey(Agency, verbose_name="当前计划执法主体", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+")
    # Kept equal to the level of the planned subject valid today by the subject services and the
    # daily ``anjian ledger refresh``: it drives the 市管/区管 filter on 100,000 rows without a join.
    supervision_level = models.CharField("监管层级", max_length=8, choices=[("city", "市管"), ("district", "区管"), ("none", "未指定")], default="none")
    note = models.TextField("备注", blank=True)
    # Space-separated character bigrams of name and code: the PostgreSQL search index reads it
    # (PLATFORM.md: pg_trgm cannot serve 2-character Chinese terms; a bigram tsvector can).
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Optimistic version (lost update): every service write to the unit's own fields adds one; an
    # edit sent from a page or API read that carries an older version is refused (409).
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at", "version", "in_hazchem", "in_mine", "in_industry", "class_bits", "subject_agency"])
    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "企业"
        verbose_name_plural = "企业"
        constraints = [
            models.CheckConstraint(
                name="enterprise_uscc_or_unlicensed",
                condition=Q(uscc__isnull=False) | Q(unlicensed=True),
                violation_error_message="未标记为无证无照的单位必须填写统一社会信用代码。",
            ),
        ]
        indexes = [
            # The ledger list: WHERE jurisdiction_id IN (…) ORDER BY name, id with a page LIMIT.
            models.Index(fields=["jurisdiction", "name", "id"], name="ent_jur_name_idx"),
            models.Index(fields=["name", "id"], name="ent_name_idx"),
            models.Index(fields=["risk_grade", "name", "id"], name="ent_grade_idx"),
            # The sortable columns of the list (sort=employees / updated).
            models.Index(fields=["employees", "id"], name="ent_employees_idx"),
            models.Index(fields=["updated_at", "id"], name="ent_updated_idx"),
            models.Index(fields=["declared_status"], name="ent_status_idx"),
            # The group filters (sector=hazchem / mine / industry) and their counts.
            models.Index(fields=["in_hazchem", "jurisdiction"], name="ent_hazchem_idx"),
            models.Index(fields=["in_mine", "jurisdiction"], name="ent_mine_idx"),
            models.Index(fields=["in_industry", "jurisdiction"], name="ent_industry_idx"),
            # The count of a single-sector or feature filter: an index-only scan testing the bits.
            models.Index(fields=["jurisdiction", "class_bits"], name="ent_jur_class_idx"),
            # The planned-subject filter and its count.
            models.Index(fields=["subject_agency", "jurisdiction"], name="ent_subject_idx"),
            # 市管/区管 filter: the city-level units are few, so the index narrows the count.
            models.Index(fields=["supervision_level", "name", "id"], name="ent_supervision_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="sites")
    name = models.CharField("场所名称", max_length=100)
    address = models.CharField("地址", max_length=200)
    street = models.CharField("街道（乡镇）", max_length=64, blank=True)
    division = models.ForeignKey(Division, verbose_name="区县", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    is_primary = models.BooleanField("主要经营场所", default=False)

    class Meta:
        ordering = ["enterprise", "-is_primary", "id"]
        verbose_name = "经营场所"
        verbose_name_plural = "经营场所"
        constraints = [
            models.CheckConstraint(name="site_lat_range", condition=Q(latitude__isnull=True) | (Q(latitude__gte=-90) & Q(latitude__lte=90)), violation_error_message="纬度应在-90至90之间。"),
            models.CheckConstraint(name="site_lng_range", condition=Q(longitude__isnull=True) | (Q(longitude__gte=-180) & Q(longitude__lte=180)), violation_error_message="经度应在-180至180之间。"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def jurisdiction_id(self) -> int:
        return self.enterprise.jurisdiction_id


class PlannedSubject(models.Model):
    """The planned enforcement subject (年度计划执法主体): one agency at a time (一企一主体).

    It drives plans, caps and duplicate warnings, never access.
    """

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="planned_subjects")
    agency = models.ForeignKey(Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField("起始日期", validators=[DateBounds("start")])
    valid_to = models.DateField("截止日期", null=True, blank=True, validators=[DateBounds("end")])
    note = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        ordering = ["enterprise", "-valid_from"]
        verbose_name = "年度计划执法主体"
        verbose_name_plural = "年度计划执法主体"
        constraints = [
            models.CheckConstraint(name="plannedsubject_range", condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), violation_error_message="截止日期不能早于起始日期。"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.agency.short_name}"

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class EnterpriseStatusEvent(models.Model):
    """A dated declared status (在产/停产/关闭) with its reason; the latest one is current."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="status_events")
    status = models.CharField("申报状态", max_length=16, choices=DeclaredStatus.choices)
    effective_date = models.DateField("生效日期", validators=[DateBounds("fact")])
    reason = models.CharField("原因", max_length=300)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["enterprise", "-effective_date", "-id"]
        verbose_name = "经营状态变更"
        verbose_name_plural = "经营状态变更"

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.effective_date}"


class Licence(models.Model):
    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="licences")
    kind = models.CharField("许可证类别", max_length=32, choices=LicenceKind.choices)
    number = models.CharField("编号", max_length=64)
    issuer = models.CharField("发证机关", max_length=100)
    scope = models.CharField("许可范围", max_length=300, blank=True)
    valid_from = models.DateField("有效期起", validators=[DateBounds("start")])
    valid_to = models.DateField("有效期止", validators=[DateBounds("end")])
    status = models.CharField("状态", max_length=16, choices=LicenceStatus.choices, default=LicenceStatus.VALID)

    class Meta:
        ordering = ["enterprise", "kind", "-valid_to"]
        verbose_name = "许可证"
        verbose_name_plural = "许可证"
        constraints = [
            models.CheckConstraint(name="licence_range", condition=Q(valid_to__gte=F("valid_from")), violation_error_message="有效期止不能早于有效期起。"),
            models.UniqueConstraint(fields=["kind", "number"], name="licence_unique_number", violation_error_message="该类许可证编号已存在。"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class KeyPerson(models.Model):
    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="key_people")
    role = models.CharField("类别", max_length=32, choices=KeyPersonRole.choices)
    name = models.CharField("姓名", max_length=32)
    # Encrypted at rest (core/crypto.py), found by exact value through the blind indexes.
    id_number = EncryptedCharField("身份证号", kind="id", plain_max_length=18, validators=[validate_id_number], blind_index="id_number_bidx")
    id_number_bidx = BlindIndexField("身份证号检索码", source="id_number", db_index=True)
    phone = EncryptedCharField("电话", kind="phone", plain_max_length=32, validators=[validate_phone], blind_index="phone_bidx")
    phone_bidx = BlindIndexField("电话检索码", source="phone", db_index=True)
    certificate_kind = models.CharField("证书类别（作业类别）", max_length=64, blank=True)
    certificate_no = models.CharField("证书编号", max_length=64, blank=True)
    certificate_expiry = models.DateField("证书有效期至", null=True, blank=True, validators=[DateBounds("end")])

    class Meta:
        ordering = ["enterprise", "role", "name"]
        verbose_name = "关键人员"
        verbose_name_plural = "关键人员"

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class MajorHazardSource(models.Model):
    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="hazard_sources")
    site = models.ForeignKey(Site, verbose_name="所在场所", null=True, blank=True, on_delete=models.SET_NULL, related_name="hazard_sources")
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("等级", choices=HazardSourceLevel.choices)
    substance = models.CharField("主要危险物质", max_length=100)
    quantity_t = models.DecimalField("设计最大量（吨）", max_digits=12, decimal_places=3)
    record_no = models.CharField("备案编号", max_length=64, blank=True)

    class Meta:
        ordering = ["enterprise", "level", "name"]
        verbose_name = "重大危险源"
        verbose_name_plural = "重大危险源"
        constraints = [
            models.CheckConstraint(name="hazardsource_qty_positive", condition=Q(quantity_t__gt=0), violation_error_message="数量必须大于0。"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_level_display()}）"
