from django.db import models


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交审批"
    APPROVED = "approved", "已批准"
    SUPERSEDED = "superseded", "已被新版本替代"


# The allowed transitions (STYLE.md principle 2): each edge has one service function.
PLAN_TRANSITIONS: dict[str, set[str]] = {
    PlanStatus.DRAFT: {PlanStatus.SUBMITTED},  # plan_submit
    PlanStatus.SUBMITTED: {PlanStatus.APPROVED, PlanStatus.DRAFT},  # plan_approve / plan_return
    PlanStatus.APPROVED: {PlanStatus.SUPERSEDED},  # when a revised version is approved
    PlanStatus.SUPERSEDED: set(),
}


class DrawStatus(models.TextChoices):
    COMMITTED = "committed", "已公示抽取条件"
    DRAWN = "drawn", "已抽取"
