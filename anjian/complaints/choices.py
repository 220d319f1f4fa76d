"""Kinds, channels, grounds and statuses of complaints and reports, and the allowed transitions.

The procedure is the petition procedure (信访工作条例 §22–§36) the seed's 行政执法投诉举报制度 §4 refers
to: registered → accepted (or declined / referred) → assigned → drafted → approved → replied, then a
review (复查) and a re-review (复核) on request.
"""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    COMPLAINT = "complaint", "行政执法投诉"
    REPORT = "report", "安全生产举报"


class Channel(models.TextChoices):
    LETTER = "letter", "来信"
    PHONE = "phone", "来电"
    VISIT = "visit", "来访"
    WEB = "web", "网上投诉举报"


class ComplaintGround(models.TextChoices):
    """The seed's 第二条 (five grounds) and 第八条 (uncivil conduct)."""

    NO_CERTIFICATE = "no_certificate", "不出示有效的行政执法证件执法"
    DEFENCE = "defence", "不听取陈述申辩或者陈述申辩后加重处罚"
    MONEY = "money", "直接或者间接索要财物"
    PROCEDURE = "procedure", "不依法执法或者不依法定程序执法"
    OTHER_HARM = "other_harm", "其他侵害合法权益的行为"
    UNCIVIL = "uncivil", "不文明执法"


class ReportGround(models.TextChoices):
    """安全生产法第七十三条: reports of hidden hazards and violations of safety production."""

    ILLEGAL_PRODUCTION = "illegal_production", "非法违法生产经营"
    HIDDEN_HAZARD = "hidden_hazard", "存在事故隐患"
    CONCEALED_ACCIDENT = "concealed_accident", "瞒报谎报生产安全事故"
    UNLICENSED = "unlicensed", "无证无照生产经营"
    OTHER = "other", "其他安全生产违法行为"


GROUNDS: dict[str, type[models.TextChoices]] = {Kind.COMPLAINT: ComplaintGround, Kind.REPORT: ReportGround}


def ground_label(kind: str, code: str) -> str:
    choices = GROUNDS.get(kind)
    if choices is None or code not in choices.values:
        return code
    return str(choices(code).label)


class DeclineReason(models.TextChoices):
    """信访工作条例第二十二条、第三十二条: when a petition is not accepted, and what happens to it."""

    DUPLICATE = "duplicate", "重复投诉举报（同一事项正在办理或者已经办结）"
    LEGAL_REMEDY = "legal_remedy", "已经或者依法应当通过行政复议、诉讼等途径解决"
    OUTSIDE_REMIT = "outside_remit", "不属于本机关职责范围（转送有权处理的机关）"


class Status(models.TextChoices):
    REGISTERED = "registered", "已登记待受理"
    DECLINED = "declined", "不予受理"
    REFERRED = "referred", "已转送"
    ACCEPTED = "accepted", "已受理待交办"
    INVESTIGATING = "investigating", "调查核实中"
    DRAFTED = "drafted", "处理意见待审批"
    APPROVED = "approved", "处理意见已批准"
    REPLIED = "replied", "已答复"
    REVIEW = "review", "复查中"
    REVIEWED = "reviewed", "已复查"
    RE_REVIEW = "re_review", "复核中"
    CLOSED = "closed", "已办结"


TRANSITIONS: dict[str, frozenset[str]] = {
    Status.REGISTERED: frozenset({Status.ACCEPTED, Status.DECLINED, Status.REFERRED}),
    Status.ACCEPTED: frozenset({Status.INVESTIGATING}),
    Status.INVESTIGATING: frozenset({Status.DRAFTED}),
    # A leader who does not approve sends the draft back to the investigation.
    Status.DRAFTED: frozenset({Status.APPROVED, Status.INVESTIGATING}),
    Status.APPROVED: frozenset({Status.REPLIED}),
    Status.REPLIED: frozenset({Status.REVIEW, Status.CLOSED}),
    Status.REVIEW: frozenset({Status.REVIEWED}),
    Status.REVIEWED: frozenset({Status.RE_REVIEW, Status.CLOSED}),
    Status.RE_REVIEW: frozenset({Status.CLOSED}),
    Status.DECLINED: frozenset(),
    Status.REFERRED: frozenset(),
    Status.CLOSED: frozenset(),
}

# Open for the reply clock (信访工作条例第三十四条): accepted and not yet replied.
HANDLING = frozenset({Status.ACCEPTED, Status.INVESTIGATING, Status.DRAFTED, Status.APPROVED})
FINAL = frozenset({Status.DECLINED, Status.REFERRED, Status.CLOSED})


class ExtensionStatus(models.TextChoices):
    NONE = "", "未申请"
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"


# What the public status page says for each status: nothing internal (who handles it, findings).
PUBLIC_STATUS: dict[str, str] = {
    Status.REGISTERED: "已收到，等待受理",
    Status.DECLINED: "不予受理",
    Status.REFERRED: "已转送有权处理的机关",
    Status.ACCEPTED: "已受理，正在办理",
    Status.INVESTIGATING: "已受理，正在办理",
    Status.DRAFTED: "已受理，正在办理",
    Status.APPROVED: "已受理，正在办理",
    Status.REPLIED: "已答复",
    Status.REVIEW: "复查中",
    Status.REVIEWED: "已复查",
    Status.RE_REVIEW: "复核中",
    Status.CLOSED: "已办结",
}


class OutcomeKind(models.TextChoices):
    """What follows a substantiated ground (the seed's 第六条 to 第八条)."""

    CORRECTION = "correction", "纠正（案件重新审查、决定变更或者撤销等）"
    ACCOUNTABILITY = "accountability", "移送行政执法过错责任追究"
    APOLOGY = "apology", "执法人员解释并赔礼道歉"


class RewardStatus(models.TextChoices):
    PROPOSED = "proposed", "待审批"
    APPROVED = "approved", "已批准待发放"
    REFUSED = "refused", "未批准"
    PAID = "paid", "已发放"
