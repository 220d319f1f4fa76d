"""Sample facts of the filing-stage penalty-case kinds (立案 to the hearing), as
``anjian.cases.filing`` hands them over; used by the documents tests that render every kind."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.documents.conftest import OFFICERS, PARTY

CASE_PARTY = {**PARTY, "you": "单位", "self": "本单位", "details": "统一社会信用代码：91370602MA3C000000；法定代表人：王强；地址：烟台市芝罘区示例路1号"}
VIOLATIONS = [
    {
        "title": "未采取措施消除事故隐患",
        "basis": "《中华人民共和国安全生产法》第一百零二条",
        "circumstances": "隐患逾期未消除",
        "penalty_text": "罚款人民币1.5万元（大写：壹万伍仟元整）",
        "range_text": "5万元以下",
        "range_basis": "《中华人民共和国安全生产法》第一百零二条",
        "reasons": "隐患逾期未消除，情节一般",
    }
]
CONTACT = "张伟，电话0535-6000000，地址烟台市芝罘区示例路9号"


def _officers() -> list[dict[str, str]]:
    return [dict(o) for o in OFFICERS]


SAMPLES: dict[str, Any] = {
    "case_filing_approval": lambda: {
        "case_title": "未消除事故隐患案",
        "party": dict(CASE_PARTY),
        "source": "其他：日常巡查发现",
        "facts": "现场发现隐患未消除",
        "discovered_on": dt.date(2026, 6, 1),
        "violations": [dict(v) for v in VIOLATIONS],
        "limitation": "未超过追责时效：违法行为自2026年5月20日起二年内（至2028年5月20日）被发现",
        "jurisdiction": "当事人由本机关管辖",
        "repeat_text": "三年内无同类违法记录（初次违法）",
        "proposer": "张伟",
        "proposed_on": dt.date(2026, 6, 2),
        "approver": "赵六",
        "filed_on": dt.date(2026, 6, 5),
        "officers": _officers(),
    },
    "investigation_report": lambda: {
        "case_title": "未消除事故隐患案",
        "party": dict(CASE_PARTY),
        "filed_on": dt.date(2026, 6, 1),
        "officers": _officers(),
        "facts": "现场发现隐患未消除",
        "evidence": "现场检查记录、询问笔录、现场照片",
        "violations": [dict(v) for v in VIOLATIONS],
        "penalty_text": "罚款人民币1.5万元（大写：壹万伍仟元整）",
        "proposed_on": dt.date(2026, 6, 5),
    },
    "case_handling_approval": lambda: {
        "case_title": "未消除事故隐患案",
        "party": dict(CASE_PARTY),
        "facts": "现场发现隐患未消除",
        "evidence": "现场检查记录、询问笔录、现场照片",
        "violations": [dict(v) for v in VIOLATIONS],
        "penalty_text": "罚款人民币1.5万元（大写：壹万伍仟元整）",
        "proposer": "张伟",
        "proposed_on": dt.date(2026, 6, 5),
        "officers": _officers(),
    },
    "penalty_notice": lambda: {
        "party": dict(CASE_PARTY),
        "facts": "现场发现隐患未消除",
        "violations": [dict(v) for v in VIOLATIONS],
        "penalty_text": "罚款人民币1.5万元（大写：壹万伍仟元整）",
        "defence_period": "三个工作日",
        "defence_basis": "原《安全生产违法行为行政处罚办法》（条文序号待核）",
        "defence_due": dt.date(2026, 6, 10),
        "hearing_offered": True,
        "hearing_period": "五个工作日",
        "hearing_due": dt.date(2026, 6, 12),
        "officers": _officers(),
        "agency_contact": CONTACT,
    },
    "hearing_right_notice": lambda: {
        "party": dict(CASE_PARTY),
        "notice_number": "芝应急罚告〔2026〕1号",
        "penalty_text": "罚款人民币6万元（大写：陆万元整）",
        "hearing_reasons": [{"text": "较大数额罚款", "article": "《中华人民共和国行政处罚法》第六十三条"}],
        "hearing_period": "五个工作日",
        "hearing_basis": "行政处罚法第六十四条第（一）项、第八十五条",
        "notice_served_on": dt.date(2026, 6, 5),
        "hearing_due": dt.date(2026, 6, 12),
        "officers": _officers(),
        "agency_contact": CONTACT,
    },
    "waiver_statement": lambda: {
        "party": dict(CASE_PARTY),
        "notice_number": "芝应急罚告〔2026〕1号",
        "notice_issued_on": dt.date(2026, 6, 5),
        "penalty_text": "罚款人民币1.5万元（大写：壹万伍仟元整）",
        "hearing_offered": True,
        "officers": _officers(),
    },
    "defence_record": lambda: {
        "party": dict(CASE_PARTY),
        "notice_number": "芝应急罚告〔2026〕1号",
        "received_on": dt.date(2026, 6, 5),
        "place": "烟台市芝罘区应急管理局",
        "statement_kind": "申辩",
        "content": "隐患已于次日整改完毕，请求从轻处罚。",
        "officers": _officers(),
    },
    "hearing_meeting_notice": lambda: {
        "party": dict(CASE_PARTY),
        "requested_on": dt.date(2026, 6, 1),
        "hearing_date": dt.date(2026, 6, 16),
        "place": "本局三楼听证室",
        "chair": "钱七",
        "public": True,
        "officers": _officers(),
        "agency_contact": CONTACT,
    },
    "hearing_record": lambda: {
        "case_title": "未消除事故隐患案",
        "party": dict(CASE_PARTY),
        "held_on": dt.date(2026, 6, 5),
        "place": "本局三楼听证室",
        "chair": "钱七",
        "public": False,
        "not_public_reason": "涉及商业秘密",
        "officers": _officers(),
        "summary": "调查人员陈述事实和证据；当事人申辩隐患已整改。",
    },
    "hearing_report": lambda: {
        "case_title": "未消除事故隐患案",
        "party": dict(CASE_PARTY),
        "held_on": dt.date(2026, 6, 5),
        "place": "本局三楼听证室",
        "chair": "钱七",
        "outcome": "已举行",
        "summary": "调查人员陈述事实和证据；当事人申辩隐患已整改。",
        "opinion": "事实清楚，证据确凿，建议维持拟处罚意见。",
        "penalty_text": "罚款人民币6万元（大写：陆万元整）",
        "officers": _officers(),
    },
}
