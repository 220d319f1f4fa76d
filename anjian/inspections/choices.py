from django.db import models


class TemplateKind(models.TextChoices):
    CRITERIA = "criteria", "重大事故隐患判定标准"
    GENERAL = "general", "通用检查项"
    SECTOR = "sector", "行业检查表"
    BUREAU = "bureau", "本局自定检查表"


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已停用"


class InspectionType(models.TextChoices):
    PLANNED = "planned", "计划检查"
    RANDOM = "random", "双随机检查"
    COMPLAINT = "complaint", "投诉举报核查"
    TRANSFER = "transfer", "移交检查"
    REINSPECTION = "reinspection", "整改复查"
    SPECIAL = "special", "专项检查"
    ACCIDENT = "accident", "事故调查检查"
    EXPERT = "expert", "专家诊断"


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", "检查中"
    COMPLETED = "completed", "已完成"


class ItemResult(models.TextChoices):
    UNCHECKED = "unchecked", "未检查"
    COMPLIANT = "compliant", "符合"
    NONCOMPLIANT = "noncompliant", "不符合"
    NOT_APPLICABLE = "na", "不适用"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", "照片"
    AUDIO = "audio", "录音"
    VIDEO = "video", "执法记录仪视频"
    SCAN = "scan", "签字扫描件"


class PartySignature(models.TextChoices):
    PENDING = "pending", "待签字"
    SIGNED = "signed", "已签字"
    REFUSED = "refused", "拒绝签字"
    PAPER = "paper", "纸质签字（待上传扫描件）"
