from django.db import models


class PartyType(models.TextChoices):
    UNIT = "unit", "生产经营单位"
    PERSON = "person", "自然人"


class CaseSource(models.TextChoices):
    TRANSFER = "transfer", "监管科室移交"
    HAZARD = "hazard", "逾期未整改隐患（待立案）"
    FINDING = "finding", "执法检查发现"
    ACCIDENT = "accident", "生产安全事故"
    REPORT = "report", "举报核查"
    REFERRAL = "referral", "其他机关移送"
    OTHER = "other", "其他"


class Procedure(models.TextChoices):
    GENERAL = "general", "一般程序"
    SUMMARY = "summary", "简易程序"


class CaseStatus(models.TextChoices):
    DRAFT = "draft", "待立案审批"
    FILED = "filed", "已立案（调查取证）"
    NOTICE_ISSUED = "notice_issued", "已制作行政处罚告知书"
    NOTICE_SERVED = "notice_served", "告知书已送达（陈述申辩）"
    HEARING = "hearing", "听证程序"
    DECIDED = "decided", "已作出处罚决定"
    SERVED = "served", "决定书已送达（履行期）"
    EXECUTED = "executed", "已履行"
    ENFORCEMENT = "enforcement", "已申请人民法院强制执行"
    REVOKED = "revoked", "处罚决定被撤销或者确认无效（终止执行）"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    REFERRED = "referred", "已移送司法机关"
    WITHDRAWN = "withdrawn", "不予立案或撤销立案"
    CLOSED = "closed", "已结案"


# The allowed transitions (STYLE.md principle 2): each edge has one service in cases/services.py.
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    # case_file / case_withdraw; DRAFT → DECIDED only for the summary procedure (case_summary_decide, §51).
    CaseStatus.DRAFT: frozenset({CaseStatus.FILED, CaseStatus.WITHDRAWN, CaseStatus.DECIDED}),
    CaseStatus.FILED: frozenset({CaseStatus.NOTICE_ISSUED, CaseStatus.NO_PENALTY, CaseStatus.REFERRED, CaseStatus.WITHDRAWN}),
    CaseStatus.NOTICE_ISSUED: frozenset({CaseStatus.NOTICE_SERVED}),  # notice_served
    # NOTICE_SERVED → NOTICE_ISSUED and SERVED → DECIDED: the proof of service marked erroneous
    # before anything rested on its date (service_correction.service_corrected, 行政处罚法 §61).
    CaseStatus.NOTICE_SERVED: frozenset({CaseStatus.HEARING, CaseStatus.DECIDED, CaseStatus.NO_PENALTY, CaseStatus.REFERRED, CaseStatus.NOTICE_ISSUED}),
    CaseStatus.HEARING: frozenset({CaseStatus.DECIDED, CaseStatus.NO_PENALTY, CaseStatus.REFERRED}),
    CaseStatus.DECIDED: frozenset({CaseStatus.SERVED}),  # decision_served
    # payment_record / execution.instalment_pay; execution.enforcement_apply (行政强制法 §53–§55);
    # execution.remedy_outcome when a reconsideration or lawsuit revokes or voids the decision.
    CaseStatus.SERVED: frozenset({CaseStatus.EXECUTED, CaseStatus.ENFORCEMENT, CaseStatus.REVOKED, CaseStatus.DECIDED}),
    CaseStatus.EXECUTED: frozenset({CaseStatus.CLOSED, CaseStatus.REVOKED}),  # case_close
    CaseStatus.ENFORCEMENT: frozenset({CaseStatus.EXECUTED, CaseStatus.CLOSED, CaseStatus.REVOKED}),
    CaseStatus.REVOKED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.NO_PENALTY: frozenset({CaseStatus.CLOSED}),
    CaseStatus.REFERRED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.WITHDRAWN: frozenset(),
    CaseStatus.CLOSED: frozenset(),
}

OPEN_STATUSES: frozenset[str] = frozenset(
    s for s in CaseStatus.values if s not in (CaseStatus.CLOSED, CaseStatus.WITHDRAWN)
)
# States in which the proposal (amounts, kinds) may still change.
PROPOSAL_STATUSES: frozenset[str] = frozenset({CaseStatus.FILED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING})


class StatementKind(models.TextChoices):
    STATEMENT = "statement", "陈述"
    DEFENCE = "defence", "申辩"
    BOTH = "both", "陈述和申辩"


class StatementForm(models.TextChoices):
    WRITTEN = "written", "书面材料"
    ORAL = "oral", "口头（制作笔录）"


class HearingOutcome(models.TextChoices):
    HELD = "held", "已举行"
    ABSENT = "absent", "当事人无正当理由拒不参加（视为放弃）"
    WITHDRAWN = "withdrawn", "当事人撤回听证申请"


class NoPenaltyGround(models.TextChoices):
    """行政处罚法 §33 ¶1–2 and §30–§31 grounds for not penalising."""

    MINOR_CORRECTED = "minor_corrected", "违法行为轻微并及时改正，没有造成危害后果（第三十三条第一款）"
    FIRST_OFFENCE = "first_offence", "初次违法且危害后果轻微并及时改正（第三十三条第一款）"
    NO_FAULT = "no_fault", "当事人有证据足以证明没有主观过错（第三十三条第二款）"
    FACTS_UNPROVEN = "facts_unproven", "违法事实不能成立（第五十七条第一款第（三）项）"


NO_PENALTY_ARTICLES: dict[str, str] = {
    NoPenaltyGround.MINOR_CORRECTED: "《中华人民共和国行政处罚法》第三十三条第一款",
    NoPenaltyGround.FIRST_OFFENCE: "《中华人民共和国行政处罚法》第三十三条第一款",
    NoPenaltyGround.NO_FAULT: "《中华人民共和国行政处罚法》第三十三条第二款",
    NoPenaltyGround.FACTS_UNPROVEN: "《中华人民共和国行政处罚法》第五十七条第一款第（三）项",
}


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"


# The next legal step of an open case, by status: (label, the stored deadline that governs it).
NEXT_STEP: dict[str, tuple[str, str | None]] = {
    CaseStatus.DRAFT: ("立案审批", None),
    CaseStatus.FILED: ("调查取证并告知拟处罚决定", "decision_deadline"),
    CaseStatus.NOTICE_ISSUED: ("送达行政处罚告知书", "decision_deadline"),
    CaseStatus.NOTICE_SERVED: ("作出行政处罚决定", "decision_deadline"),
    CaseStatus.HEARING: ("组织听证", "decision_deadline"),
    CaseStatus.DECIDED: ("送达行政处罚决定书", "decision_service"),
    CaseStatus.SERVED: ("当事人缴纳罚款", "payment"),
    CaseStatus.EXECUTED: ("结案审批", None),
    CaseStatus.ENFORCEMENT: ("人民法院强制执行，结案审批", None),
    CaseStatus.REVOKED: ("结案审批", None),
    CaseStatus.NO_PENALTY: ("结案审批", None),
    CaseStatus.REFERRED: ("结案审批", None),
}
