from django.db import models

from anjian.law.periods import ServiceMethod as LawServiceMethod


class PdfStatus(models.TextChoices):
    """The PDF made from a document by LibreOffice in the background (documents/pdf.py)."""

    NONE = "", "未生成"
    PENDING = "pending", "生成中"
    DONE = "done", "已生成"
    FAILED = "failed", "生成失败"
    UNAVAILABLE = "unavailable", "不可用（未安装LibreOffice）"


class DocumentStatus(models.TextChoices):
    ISSUED = "issued", "已签发"
    # Voiding never frees the number (ARCHITECTURE.md rule 5): the register shows the gap's reason.
    VOIDED = "voided", "已作废"


# The methods and their Chinese names come from the legal engine (XZCF §61; MSSSF §87–§95), so the
# database choices and the date-of-service rule cannot drift apart.
class ServiceMethod(models.TextChoices):
    DIRECT = LawServiceMethod.DIRECT.value, LawServiceMethod.DIRECT.label
    REFUSAL = LawServiceMethod.REFUSAL.value, LawServiceMethod.REFUSAL.label
    MAIL = LawServiceMethod.MAIL.value, LawServiceMethod.MAIL.label
    ELECTRONIC = LawServiceMethod.ELECTRONIC.value, LawServiceMethod.ELECTRONIC.label
    ANNOUNCEMENT = LawServiceMethod.ANNOUNCEMENT.value, LawServiceMethod.ANNOUNCEMENT.label


class ServiceStatus(models.TextChoices):
    EFFECTIVE = "effective", "有效"
    # A record entered wrongly is kept (with the reason) and no longer counts; a new one may follow.
    ERRONEOUS = "erroneous", "登记有误"


class PrintJobKind(models.TextChoices):
    BATCH = "batch", "批量打印"
    BUNDLE = "bundle", "案卷合订本"


class PrintJobStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已生成"
    FAILED = "failed", "生成失败"
