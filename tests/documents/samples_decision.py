"""Sample facts of the decision stage's kinds, as ``anjian.cases.decision`` builds them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.documents.conftest import OFFICERS, PARTY, REMEDIES

PAY = "山东省非税收入电子缴款平台或者代收银行营业网点（凭缴款码缴纳）"
VIOLATION = {
    "text": "未采取措施消除事故隐患",
    "violated": "《中华人民共和国安全生产法》第四十一条第二款",
    "basis": "《中华人民共和国安全生产法》第一百零二条",
    "reasons": "隐患逾期未消除，情节一般",
    "penalty": "处罚款人民币20000.00元（大写：贰万元整）",
    "amount": "20000.00",
}


def _decision() -> dict[str, Any]:
    return {
        "case_title": "未消除事故隐患案",
        "facts": "2026年5月20日，本机关执法人员检查发现你单位一号车间东侧安全出口堵塞，经责令限期整改，逾期仍未消除。",
        "evidence": [{"text": "现场检查记录（芝应急检记〔2026〕3号）"}, {"text": "询问笔录（王强）"}],
        "violations": [dict(VIOLATION)],
        "procedure": [
            {
                "text": "本机关于2026年6月1日向你单位送达《行政处罚告知书》，告知拟作出的行政处罚内容及事实、理由、依据，并告知你单位依法享有陈述、申辩的权利。你单位在规定期限内未提出陈述、申辩。"
            }
        ],
        "fine_total": "20000.00",
        "payment_deadline": "自收到本决定书之日起十五日内",
        "payment_place": PAY,
        **REMEDIES,
    }


def unit() -> dict[str, Any]:
    return {"party": {**PARTY, "uscc": "91370602MA3C0XXXX1"}, **_decision()}


def person() -> dict[str, Any]:
    return {"party": {"name": PARTY["name"], "id_number": "370602198001011234", "address": "烟台市芝罘区南大街1号", "unit": "烟台示例化工有限公司", "position": "安全管理人员"}, **_decision()}


def onsite() -> dict[str, Any]:
    return {
        "party": {"name": PARTY["name"], "kind": "unit", "uscc": "91370602MA3C0XXXX1", "legal_representative": "王强", "address": PARTY["address"]},
        "decided_on": dt.date(2026, 6, 1),
        "officers": [dict(o) for o in OFFICERS],
        "facts": "作业现场特种作业人员未持证上岗。",
        "violations": [{**VIOLATION, "penalty": "处罚款人民币2000.00元（大写：贰仟元整）", "amount": "2000.00"}],
        "fine_total": "2000.00",
        "payment_deadline": "自收到本决定书之日起十五日内",
        "payment_place": PAY,
        "recipient": "王强",
        **REMEDIES,
    }


def discussion() -> dict[str, Any]:
    return {
        "case_title": "未消除事故隐患案",
        "party": {"name": PARTY["name"]},
        "held_on": dt.date(2026, 6, 1),
        "recorder": "刘洋",
        "attendees": [{"name": "赵刚", "post": "局长"}, {"name": "孙丽", "post": "副局长"}, {"name": "周明", "post": "法规科科长"}],
        "summary": "你单位一号车间东侧安全出口堵塞，逾期未消除。",
        "proposals": [{"text": "未采取措施消除事故隐患", "penalty": "罚款人民币20000.00元（大写：贰万元整）"}],
        "reasons": [{"text": "重大违法行为给予较重的行政处罚"}],
        "conclusion": "同意承办人员的处理意见。",
        "mitigation": "不涉及减轻处罚。",
    }


def referral() -> dict[str, Any]:
    return {
        "referred_to": "烟台市公安局芝罘分局",
        "case_title": "未消除事故隐患案",
        "party": {"name": PARTY["name"]},
        "filed_on": dt.date(2026, 5, 20),
        "facts": "你单位拒不执行停产停业整顿决定，擅自恢复生产，导致1人死亡。",
        "reason": "当事人的行为涉嫌重大责任事故罪，依法应当追究刑事责任。",
        "materials": [{"text": "立案审批表（芝应急立〔2026〕1号）", "count": "1份"}],
        "referred_on": dt.date(2026, 6, 1),
    }


SAMPLES = {
    "penalty_decision_unit": unit,
    "penalty_decision_person": person,
    "penalty_decision_onsite": onsite,
    "collective_discussion_record": discussion,
    "case_referral": referral,
}
