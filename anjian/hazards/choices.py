from django.db import models


class HazardSource(models.TextChoices):
    INSPECTION = "inspection", "监督检查发现"
    SELF_CHECK = "self_check", "企业自查"
    REPORT = "report", "举报核查"
    OTHER = "other", "其他来源"


class Severity(models.TextChoices):
    GENERAL = "general", "一般事故隐患"
    MAJOR = "major", "重大事故隐患"


class HazardStatus(models.TextChoices):
    OPEN = "open", "待下达整改"
    RECTIFYING = "rectifying", "整改中"
    REPORTED = "reported", "已报整改完成"
    CLOSED = "closed", "已销号"


# The allowed transitions (STYLE.md principle 2): each edge has one service function.
HAZARD_TRANSITIONS: dict[str, set[str]] = {
    HazardStatus.OPEN: {HazardStatus.RECTIFYING},  # order served
    # rectification reported; or back before service when its proof is marked erroneous (service_corrected)
    HazardStatus.RECTIFYING: {HazardStatus.REPORTED, HazardStatus.OPEN},
    HazardStatus.REPORTED: {HazardStatus.CLOSED, HazardStatus.RECTIFYING},  # re-inspection pass / fail
    HazardStatus.CLOSED: set(),
}


class ApprovalStatus(models.TextChoices):
    """The state of a request someone else approves (extension, set-aside)."""

    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"
    WITHDRAWN = "withdrawn", "已撤回"


ExtensionStatus = ApprovalStatus


class MeasureKind(models.TextChoices):
    ONSITE = "onsite", "现场处理措施"
    PENALTY = "penalty", "行政处罚"


class MeasureType(models.TextChoices):
    SUSPEND = "suspend", "暂时停产停业"
    STOP_FACILITY = "stop_facility", "停止使用相关设施、设备"
    WITHDRAW = "withdraw", "从危险区域内撤出作业人员"


class MeasureScope(models.TextChoices):
    UNIT = "unit", "整个单位"
    SITE = "site", "经营场所"
    AREA = "area", "区域"
    EQUIPMENT = "equipment", "设施设备"


class MeasureStatus(models.TextChoices):
    ACTIVE = "active", "执行中"
    ENDED = "ended", "已解除"


class ReinspectionResult(models.TextChoices):
    PASS = "pass", "整改合格"
    FAIL = "fail", "整改不合格"


class TransferStatus(models.TextChoices):
    PENDING = "pending", "待接收"
    ACCEPTED = "accepted", "已接收"
    RETURNED = "returned", "已退回"
