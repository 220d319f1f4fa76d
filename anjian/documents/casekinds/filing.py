"""Penalty-case document kinds: filing — from 立案 to the hearing. See the package docstring.

Every kind is filled by ``anjian.cases.filing`` from the case's records (no retyping) and issued
inside the transition that produces it (立案审批, 告知, 陈述申辩, 听证) or on demand once its facts
exist (调查报告, 案件处理呈批表, the blank waiver form, the separate 听证告知书).
"""

from __future__ import annotations

from anjian.documents.registry import CASE_TITLE, OFFICERS, XZCF, DocumentKind, Fact, _not_after_issue, register

XZCF_44 = f"{XZCF}第四十四条"
XZCF_45 = f"{XZCF}第四十五条"
XZCF_54 = f"{XZCF}第五十四条"
XZCF_57 = f"{XZCF}第五十七条"
XZCF_62 = f"{XZCF}第六十二条"
XZCF_63 = f"{XZCF}第六十三条"
XZCF_64 = f"{XZCF}第六十四条"

CASE_PARTY = Fact("party.name", "当事人名称（姓名）")
# The violations as the case records them: the act (处罚目录), the provision it breaches and the
# article that provides the penalty (行政处罚法 §44: 事实、理由、依据).
VIOLATIONS = Fact(
    "violations",
    "违法行为（含违反的规定和处罚依据）",
    type="list",
    item_facts=(Fact("title", "违法行为"), Fact("basis", "处罚依据")),
    article=XZCF_44,
)
PROPOSED = Fact(
    "violations",
    "违法行为及拟处罚意见",
    type="list",
    item_facts=(Fact("title", "违法行为"), Fact("basis", "处罚依据"), Fact("penalty_text", "拟作出的行政处罚")),
    article=XZCF_44,
)
PENALTY_TEXT = Fact("penalty_text", "拟作出的行政处罚（合计）", article=XZCF_44)
NOTICE_NUMBER = Fact("notice_number", "行政处罚告知书文号")
AGENCY_CONTACT = Fact("agency_contact", "机关联系人和联系方式")

CASE_FILING_APPROVAL = register(
    DocumentKind(
        code="case_filing_approval",
        name="立案审批表",
        number_word="立",
        template="case_filing_approval.docx",
        template_version="2026.1",
        served=False,  # an internal approval; nothing runs from it for the party
        # XZCF §54: a case meeting the filing criteria is filed promptly; §36 limitation, §22 jurisdiction.
        basis=XZCF_54,
        facts=(
            CASE_TITLE,
            CASE_PARTY,
            Fact("source", "案件来源"),
            Fact("facts", "违法事实（初步）"),
            Fact("discovered_on", "发现日期", type="date"),
            VIOLATIONS,
            Fact("limitation", "追责时效审查结果", article=f"{XZCF}第三十六条"),
            Fact("jurisdiction", "管辖审查结果", article=f"{XZCF}第二十二条"),
            Fact("repeat_text", "三年内同类违法记录", type="text"),
            Fact("proposer", "立案申请人"),
            Fact("proposed_on", "申请日期", type="date"),
            Fact("approver", "审批人"),
            Fact("filed_on", "立案日期", type="date", article=XZCF_54),
        ),
        checks=(_not_after_issue("filed_on", "立案日期"),),
    )
)

INVESTIGATION_REPORT = register(
    DocumentKind(
        code="investigation_report",
        name="调查报告",
        number_word="调查",
        template="investigation_report.docx",
        template_version="2026.1",
        served=False,
        basis=f"{XZCF}第五十五条、第五十七条",
        facts=(
            CASE_TITLE,
            CASE_PARTY,
            Fact("filed_on", "立案日期", type="date"),
            OFFICERS,
            Fact("facts", "违法事实"),
            Fact("evidence", "证据及其证明的事项", article=f"{XZCF}第四十条"),
            PROPOSED,
            PENALTY_TEXT,
            Fact("proposed_on", "拟处罚意见日期", type="date"),
        ),
        checks=(_not_after_issue("proposed_on", "拟处罚意见日期"),),
    )
)

CASE_HANDLING_APPROVAL = register(
    DocumentKind(
        code="case_handling_approval",
        name="案件处理呈批表",
        number_word="呈批",
        template="case_handling_approval.docx",
        template_version="2026.1",
        served=False,
        basis=XZCF_57,
        facts=(
            CASE_TITLE,
            CASE_PARTY,
            Fact("facts", "违法事实"),
            Fact("evidence", "证据及其证明的事项"),
            PROPOSED,
            PENALTY_TEXT,
            Fact("proposer", "承办人"),
            Fact("proposed_on", "拟处罚意见日期", type="date"),
            OFFICERS,
        ),
        checks=(_not_after_issue("proposed_on", "拟处罚意见日期"),),
    )
)

PENALTY_NOTICE = register(
    DocumentKind(
        code="penalty_notice",
        name="行政处罚告知书",
        number_word="罚告",
        template="penalty_notice.docx",
        template_version="2026.1",
        served=True,  # the defence and hearing-request windows run from its service (XZCF §61, §64)
        # XZCF §44: before deciding, the agency tells the party the intended penalty, its facts,
        # reasons and basis, and the rights to state, defend and (where §63 applies) request a hearing.
        basis=XZCF_44,
        facts=(
            CASE_PARTY,
            Fact("facts", "违法事实", article=XZCF_44),
            PROPOSED,
            PENALTY_TEXT,
            Fact("defence_period", "陈述申辩期限（工作日）", article=XZCF_45),
            Fact("defence_basis", "陈述申辩期限依据"),
            Fact("hearing_offered", "是否告知听证权利", type="bool", article=XZCF_63),
            OFFICERS,
            AGENCY_CONTACT,
        ),
    )
)

HEARING_RIGHT_NOTICE = register(
    DocumentKind(
        code="hearing_right_notice",
        name="听证告知书",
        number_word="听告",
        template="hearing_right_notice.docx",
        template_version="2026.1",
        served=True,
        basis=XZCF_63,
        facts=(
            CASE_PARTY,
            NOTICE_NUMBER,
            PENALTY_TEXT,
            Fact("hearing_reasons", "应当告知听证权利的理由", type="list", item_facts=(Fact("text", "理由"),), article=XZCF_63),
            Fact("hearing_period", "申请听证期限（工作日）", article=XZCF_64),
            Fact("hearing_basis", "申请听证期限依据"),
            OFFICERS,
            AGENCY_CONTACT,
        ),
    )
)

WAIVER_STATEMENT = register(
    DocumentKind(
        code="waiver_statement",
        name="放弃陈述申辩声明",
        number_word="弃权",
        template="waiver_statement.docx",
        template_version="2026.1",
        served=False,  # the party signs it and hands it back; the signed scan is the record (XZCF §62)
        basis=XZCF_62,
        facts=(
            CASE_PARTY,
            NOTICE_NUMBER,
            Fact("notice_issued_on", "告知书日期", type="date"),
            PENALTY_TEXT,
            Fact("hearing_offered", "是否告知听证权利", type="bool"),
            OFFICERS,
        ),
    )
)

DEFENCE_RECORD = register(
    DocumentKind(
        code="defence_record",
        name="当事人陈述申辩笔录",
        number_word="申辩",
        template="defence_record.docx",
        template_version="2026.1",
        served=False,  # signed by the party and the officers on the spot
        basis=XZCF_45,
        facts=(
            CASE_PARTY,
            NOTICE_NUMBER,
            Fact("received_on", "陈述申辩日期", type="date"),
            Fact("statement_kind", "陈述或申辩"),
            Fact("content", "陈述申辩内容", article=XZCF_45),
            OFFICERS,
        ),
        checks=(_not_after_issue("received_on", "陈述申辩日期"),),
    )
)

HEARING_MEETING_NOTICE = register(
    DocumentKind(
        code="hearing_meeting_notice",
        name="听证会通知书",
        number_word="听通",
        template="hearing_meeting_notice.docx",
        template_version="2026.1",
        served=True,
        # XZCF §64 (2)–(4): notice of the time and place at least 7 working days before; public
        # unless state secrets, trade secrets or privacy; chaired by a person who did not investigate.
        basis=f"{XZCF_64}第（二）项至第（四）项",
        facts=(
            CASE_PARTY,
            Fact("requested_on", "听证申请日期", type="date"),
            Fact("hearing_date", "听证日期", type="date", article=XZCF_64),
            Fact("place", "听证地点", article=XZCF_64),
            Fact("chair", "听证主持人", article=XZCF_64),
            Fact("public", "是否公开举行", type="bool", article=XZCF_64),
            OFFICERS,
            AGENCY_CONTACT,
        ),
    )
)

HEARING_RECORD = register(
    DocumentKind(
        code="hearing_record",
        name="听证笔录",
        number_word="听记",
        template="hearing_record.docx",
        template_version="2026.1",
        served=False,  # XZCF §64(8): read to the parties, who sign it after checking
        basis=f"{XZCF_64}第（八）项",
        facts=(
            CASE_TITLE,
            CASE_PARTY,
            Fact("held_on", "听证日期", type="date"),
            Fact("place", "听证地点"),
            Fact("chair", "听证主持人"),
            Fact("public", "是否公开举行", type="bool"),
            OFFICERS,
            Fact("summary", "听证记录", article=f"{XZCF_64}第（八）项"),
        ),
        checks=(_not_after_issue("held_on", "听证日期"),),
    )
)

HEARING_REPORT = register(
    DocumentKind(
        code="hearing_report",
        name="听证会报告书",
        number_word="听报",
        template="hearing_report.docx",
        template_version="2026.1",
        served=False,
        # XZCF §65: after the hearing the agency decides on the record (依据听证笔录作出决定).
        basis=f"{XZCF}第六十五条",
        facts=(
            CASE_TITLE,
            CASE_PARTY,
            Fact("held_on", "听证日期", type="date"),
            Fact("place", "听证地点"),
            Fact("chair", "听证主持人"),
            Fact("outcome", "听证结果"),
            Fact("summary", "听证基本情况"),
            Fact("opinion", "听证主持人意见"),
            PENALTY_TEXT,
            OFFICERS,
        ),
        checks=(_not_after_issue("held_on", "听证日期"),),
    )
)
