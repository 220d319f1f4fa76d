"""Agencies, departments, staff with dated memberships, certificates with dated status events."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from anjian.core.models import Jurisdiction
from anjian.org.choices import (
    AgencyLevel,
    CertificateEventKind,
    DepartmentKind,
    EnforcementSetup,
    HeadKind,
    Role,
    StaffKind,
)


def _valid_on_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day}))


class Agency(models.Model):
    """A bureau (应急管理局). Every enforcement act is done in its name and under its seal."""

    name = models.CharField("机关全称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=32)
    doc_abbr = models.CharField("文书代字", max_length=16, help_text="如：烟应急")
    level = models.CharField("层级", max_length=16, choices=AgencyLevel.choices)
    jurisdiction = models.OneToOneField(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="agency")
    parent = models.ForeignKey("self", verbose_name="上级机关", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("电话", max_length=32, blank=True)
    # The party's remedies named on every served decision (行政处罚法 §59 ¶1(5)). The body differs
    # per agency: for a department of a county-level or higher government, that government
    # (行政复议法 2023 §24 ¶1(1)); the court is the basic court where the agency sits (行政诉讼法
    # §14, §18 ¶1) unless the province centralises administrative cases. Configured, never guessed.
    review_body = models.CharField("行政复议机关", max_length=100, blank=True, help_text="如：烟台市芝罘区人民政府（行政复议法第二十四条）")
    court = models.CharField("行政诉讼管辖法院", max_length=100, blank=True, help_text="如：烟台市芝罘区人民法院（行政诉讼法第十八条）")
    # 罚缴分离 (行政处罚法 §67): the decision tells the party where to pay; the agency never collects.
    payment_place = models.CharField(
        "罚款缴纳银行或电子缴款渠道", max_length=200, blank=True, help_text="写入行政处罚决定书（行政处罚法第六十七条），如：中国工商银行烟台分行各营业网点或者山东省非税收入电子缴款平台"
    )

    class Meta:
        ordering = ["jurisdiction__code"]
        verbose_name = "执法机关"
        verbose_name_plural = "执法机关"

    def __str__(self) -> str:
        return self.name


class AgencyHead(models.Model):
    """A dated designation of an agency's 负责人 or 主要负责人."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="heads")
    staff = models.ForeignKey("Staff", verbose_name="人员", on_delete=models.PROTECT, related_name="head_designations")
    kind = models.CharField("类别", max_length=16, choices=HeadKind.choices)
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期", null=True, blank=True)

    class Meta:
        ordering = ["agency", "kind", "-valid_from"]
        verbose_name = "机关负责人任职"
        verbose_name_plural = "机关负责人任职"
        constraints = [
            models.CheckConstraint(name="agencyhead_range", condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), violation_error_message="截止日期不能早于起始日期。"),
        ]

    def __str__(self) -> str:
        return f"{self.agency.short_name} {self.get_kind_display()} {self.staff.name}"


class Department(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="departments")
    name = models.CharField("科室名称", max_length=64)
    kind = models.CharField("类别", max_length=16, choices=DepartmentKind.choices)
    sector_group = models.CharField("监管行业", max_length=32, blank=True, help_text="监管科室的行业：hazchem / mine / industry")
    setup = models.CharField("执法队伍设置", max_length=16, choices=EnforcementSetup.choices, blank=True)

    class Meta:
        ordering = ["agency", "kind", "name"]
        verbose_name = "科室"
        verbose_name_plural = "科室"
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="department_unique_name", violation_error_message="同一机关内科室名称不能重复。"),
            models.CheckConstraint(
                name="department_setup_only_enforcement",
                condition=Q(kind=DepartmentKind.ENFORCEMENT) | Q(setup=""),
                violation_error_message="只有执法队伍才区分内设或外设。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.short_name}·{self.name}"


class Staff(models.Model):
    """A person: civil servant, expert or auxiliary. Only civil servants with a valid certificate are officers."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    name = models.CharField("姓名", max_length=32)
    kind = models.CharField("人员类别", max_length=16, choices=StaffKind.choices, default=StaffKind.CIVIL_SERVANT)
    gender = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")], blank=True)
    phone = models.CharField("电话", max_length=32, blank=True)
    legal_qualification_no = models.CharField("法律职业资格证书编号", max_length=32, blank=True, help_text="首次从事法制审核须取得（行政处罚法第五十八条）")
    # The seed's target: 具有安全生产相关专业学历和实践经验的执法人员数量达到在职人员75%以上 (the
    # statistics' ``safety_qualified_share``). Dated, so that a period's share counts who had it then.
    safety_qualified_on = models.DateField(
        "具备安全生产相关专业学历和实践经验的日期", null=True, blank=True, help_text="具有安全生产相关专业学历并具备实践经验之日；不具备的留空。"
    )
    safety_qualification = models.CharField("安全生产专业学历和实践经验", max_length=200, blank=True, help_text="如：安全工程专业本科，从事危险化学品安全监管3年")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "人员"
        verbose_name_plural = "人员"

    def __str__(self) -> str:
        return self.name

    @property
    def can_be_officer(self) -> bool:
        return self.kind == StaffKind.CIVIL_SERVANT


class RoleGrant(models.Model):
    """One role within one membership (a table, so that role filters work on every database)."""

    membership = models.ForeignKey("Membership", on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("角色", max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [models.UniqueConstraint(fields=["membership", "role"], name="rolegrant_unique")]

    def __str__(self) -> str:
        return self.get_role_display()


class MembershipQuerySet(models.QuerySet["Membership"]):
    def valid_on(self, day: dt.date) -> MembershipQuerySet:
        return self.filter(_valid_on_q(day))


class Membership(models.Model):
    """A dated membership of an agency (and department), granting roles."""

    staff = models.ForeignKey(Staff, verbose_name="人员", on_delete=models.PROTECT, related_name="memberships")
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="memberships")
    department = models.ForeignKey(Department, verbose_name="科室", null=True, blank=True, on_delete=models.PROTECT, related_name="memberships")
    title = models.CharField("职务", max_length=32, blank=True)
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["staff", "-valid_from"]
        verbose_name = "任职"
        verbose_name_plural = "任职"
        constraints = [
            models.CheckConstraint(name="membership_range", condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), violation_error_message="截止日期不能早于起始日期。"),
        ]
        indexes = [models.Index(fields=["staff", "valid_from"], name="membership_staff_idx")]

    def __str__(self) -> str:
        return f"{self.staff.name}@{self.agency.short_name}"

    @property
    def roles(self) -> list[str]:
        return [g.role for g in self.role_grants.all()]


class Certificate(models.Model):
    """An administrative-enforcement certificate (行政执法证). Validity dates are data (LEGAL.md §8)."""

    staff = models.ForeignKey(Staff, verbose_name="持证人", on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField("证件编号", max_length=32, unique=True)
    issuer = models.CharField("发证机关", max_length=64)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止")

    class Meta:
        ordering = ["staff", "-valid_to"]
        verbose_name = "行政执法证"
        verbose_name_plural = "行政执法证"
        constraints = [
            models.CheckConstraint(name="certificate_range", condition=Q(valid_to__gte=F("valid_from")), violation_error_message="有效期止不能早于有效期起。"),
        ]

    def __str__(self) -> str:
        return f"{self.number}({self.staff.name})"

    def status_on(self, day: dt.date, events: list[CertificateEvent] | None = None) -> tuple[bool, str]:
        """(valid?, reason in Chinese) on ``day``; uses prefetched ``events`` when given."""
        if day < self.valid_from:
            return False, f"执法证{self.number}自{self.valid_from:%Y年%m月%d日}起才有效"
        if day > self.valid_to:
            return False, f"执法证{self.number}已于{self.valid_to:%Y年%m月%d日}到期"
        evs = events if events is not None else list(self.events.all())
        state = ""
        for ev in sorted(evs, key=lambda e: (e.date, e.id or 0)):
            if ev.date > day:
                break
            if ev.kind in (CertificateEventKind.SUSPENDED, CertificateEventKind.REVOKED, CertificateEventKind.EXPIRED):
                state = ev.kind
            elif ev.kind == CertificateEventKind.REINSTATED and state == CertificateEventKind.SUSPENDED:
                state = ""
        if state == CertificateEventKind.SUSPENDED:
            return False, f"执法证{self.number}处于暂扣状态"
        if state == CertificateEventKind.REVOKED:
            return False, f"执法证{self.number}已被吊销"
        if state == CertificateEventKind.EXPIRED:
            return False, f"执法证{self.number}已登记到期"
        return True, "有效"

    def valid_on(self, day: dt.date) -> bool:
        return self.status_on(day)[0]


class CertificateEvent(models.Model):
    certificate = models.ForeignKey(Certificate, verbose_name="执法证", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事件", max_length=16, choices=CertificateEventKind.choices)
    date = models.DateField("日期")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["certificate", "date", "id"]
        verbose_name = "执法证状态事件"
        verbose_name_plural = "执法证状态事件"

    def __str__(self) -> str:
        return f"{self.certificate.number} {self.get_kind_display()} {self.date}"
