from django.db import models


class AgencyLevel(models.TextChoices):
    CITY = "city", "市局"
    DISTRICT = "district", "区（市）局"
    ZONE = "zone", "功能区局"


class DepartmentKind(models.TextChoices):
    SUPERVISION = "supervision", "监管科室"
    ENFORCEMENT = "enforcement", "执法队伍"
    OFFICE = "office", "办公室"
    LEGAL = "legal", "法制审核机构"
    OTHER = "other", "其他科室"


class EnforcementSetup(models.TextChoices):
    INTERNAL = "internal", "内设"
    EXTERNAL = "external", "外设"


class StaffKind(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", "在编人员"
    EXPERT = "expert", "专家"
    AUXILIARY = "auxiliary", "辅助人员"


class Role(models.TextChoices):
    """Roles a membership grants. Experts and auxiliary staff never act as officers."""

    OFFICER = "officer", "执法人员"
    SUPERVISOR = "supervisor", "监管人员"
    DEPT_HEAD = "dept_head", "科室负责人"
    LEGAL_REVIEWER = "legal_reviewer", "法制审核人员"
    LEADER = "leader", "局领导"
    OFFICE = "office", "办公室"
    ADMIN = "admin", "系统管理员"
    # 三员分立 (GB/T 22239-2019 level 3, issue 10 item 3): the system administrator runs the
    # configuration, the security administrator grants roles and unlocks accounts, the audit
    # administrator only reads the audit. One person holds at most one of the three.
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


class HeadKind(models.TextChoices):
    HEAD = "head", "负责人"
    PRINCIPAL_HEAD = "principal_head", "主要负责人"


class CertificateEventKind(models.TextChoices):
    ISSUED = "issued", "发证"
    ANNUAL_REVIEW = "annual_review", "年审通过"
    SUSPENDED = "suspended", "暂扣"
    REINSTATED = "reinstated", "恢复"
    REVOKED = "revoked", "吊销"
    EXPIRED = "expired", "到期"


# The three separated administrator roles (三员分立): mutually exclusive within one person.
ADMIN_ROLES: tuple[str, ...] = (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)

# Roles that may change the ledger of their own agency. Not the system administrator: 三员分立
# (issue 10 item 3) gives it the configuration, not the business records.
LEDGER_WRITE_ROLES: tuple[str, ...] = (Role.OFFICER, Role.SUPERVISOR, Role.DEPT_HEAD)
