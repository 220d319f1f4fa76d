from django.db import models


class Scale(models.TextChoices):
    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


class StandardizationLevel(models.TextChoices):
    LEVEL1 = "1", "一级"
    LEVEL2 = "2", "二级"
    LEVEL3 = "3", "三级"
    NONE = "none", "未达标"


class DeclaredStatus(models.TextChoices):
    OPERATING = "operating", "在产"
    SUSPENDED = "suspended", "停产"
    CLOSED = "closed", "关闭"


class OperatingStatus(models.TextChoices):
    """Derived: the declared status, overridden by active measures (ARCHITECTURE.md: Measures)."""

    OPERATING = "operating", "在产"
    SUSPENDED = "suspended", "停产"
    CLOSED = "closed", "关闭"
    MEASURE_SUSPENDED = "measure_suspended", "停产整顿（措施）"
    MEASURE_PARTIAL = "measure_partial", "部分停产（措施）"


class SupervisionLevel(models.TextChoices):
    CITY = "city", "市管"
    DISTRICT = "district", "区管"
    NONE = "none", "未指定"


class WorseEnd(models.TextChoices):
    FIRST = "first", "首字母风险最高"
    LAST = "last", "末字母风险最高"


class LicenceKind(models.TextChoices):
    SAFETY_PRODUCTION = "safety_production", "安全生产许可证"
    HAZCHEM_OPERATION = "hazchem_operation", "危险化学品经营许可证"
    HAZCHEM_USE = "hazchem_use", "危险化学品安全使用许可证"
    HAZCHEM_REGISTRATION = "hazchem_registration", "危险化学品登记证"
    NONMEDICAL_PRECURSOR = "precursor", "非药品类易制毒化学品生产（经营）备案证明"
    FIREWORKS = "fireworks", "烟花爆竹经营许可证"
    OTHER = "other", "其他"


class LicenceStatus(models.TextChoices):
    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "吊销"
    CANCELLED = "cancelled", "注销"


class KeyPersonRole(models.TextChoices):
    PRINCIPAL = "principal", "主要负责人"
    SAFETY_MANAGER = "safety_manager", "安全管理人员"
    SPECIAL_OPERATOR = "special_operator", "特种作业人员"
    REGISTERED_ENGINEER = "registered_engineer", "注册安全工程师"


class HazardSourceLevel(models.IntegerChoices):
    L1 = 1, "一级"
    L2 = 2, "二级"
    L3 = 3, "三级"
    L4 = 4, "四级"


# Sector group → the Enterprise flag column kept in step with its sectors (ledger group filter).
SECTOR_GROUP_FLAGS: dict[str, str] = {"hazchem": "in_hazchem", "mine": "in_mine", "industry": "in_industry"}
