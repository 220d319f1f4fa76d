from django.db import models


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交审批"
    APPROVED = "approved", "已批准"
    FILED = "filed", "已报上级备案"
    PUBLISHED = "published", "已公布"
    SUPERSEDED = "superseded", "已被新版本替代"


# The version in force: approved, then filed with the level above and published (issue 13 item 6).
IN_FORCE: tuple[str, ...] = ("approved", "filed", "published")


# The allowed transitions (STYLE.md principle 2): each edge has one service function.
PLAN_TRANSITIONS: dict[str, set[str]] = {
    PlanStatus.DRAFT: {PlanStatus.SUBMITTED},  # plan_submit
    PlanStatus.SUBMITTED: {PlanStatus.APPROVED, PlanStatus.DRAFT},  # plan_approve / plan_return
    PlanStatus.APPROVED: {PlanStatus.FILED, PlanStatus.SUPERSEDED},  # plan_file / a revised version approved
    PlanStatus.FILED: {PlanStatus.PUBLISHED, PlanStatus.SUPERSEDED},  # plan_publish
    PlanStatus.PUBLISHED: {PlanStatus.SUPERSEDED},
    PlanStatus.SUPERSEDED: set(),
}


class DrawStatus(models.TextChoices):
    COMMITTED = "committed", "已公示抽取条件"
    DRAWN = "drawn", "已抽取"


class RelationKind(models.TextChoices):
    """What an officer declares with a unit (利害关系申报): grounds to stay away from its inspection
    (回避, 《行政处罚法》第四十三条). The draw never puts the officer on that unit."""

    KINSHIP = "kinship", "近亲属在该单位任职或为其出资人"
    FORMER_EMPLOYMENT = "former_employment", "曾在该单位任职"
    SHAREHOLDING = "shareholding", "持有该单位股份或其他经济利益"
    OTHER = "other", "其他可能影响公正执法的关系"
