"""Sample facts of the evidence kinds of penalty cases (anjian/documents/casekinds/evidence.py),
as ``anjian.cases.evidence`` hands them over; ``conftest.sample_context`` reads them."""

from __future__ import annotations

import datetime as dt
from typing import Any

OFFICERS = [
    {"name": "张伟", "certificate_no": "37060200123"},
    {"name": "李娜", "certificate_no": "37060200456"},
]
PARTY = {"name": "烟台示例化工有限公司", "address": "烟台市芝罘区示例路1号", "legal_representative": "王强"}
REMEDIES = {"review_body": "烟台市芝罘区人民政府", "court": "烟台市芝罘区人民法院"}
ITEMS = [{"name": "安全生产教育培训台账", "spec": "2025年度", "quantity": "3", "unit": "本"}]
CASE = {"case_title": "未如实记录安全生产教育和培训情况案", "party": dict(PARTY)}


def _officers() -> list[dict[str, str]]:
    return [dict(o) for o in OFFICERS]


def evidence_samples() -> dict[str, dict[str, Any]]:
    return {
        "interview_notice": {
            **CASE, "interviewee": "王强", "appointed_at": "2026-11-30T09:30:00+08:00", "place": "芝罘区应急管理局三楼询问室", "bring": "居民身份证、授权委托书",
            "officers": _officers(),
        },
        "interview_record": {
            **CASE, "started_at": "2026-11-28T09:05:00+08:00", "ended_at": "2026-11-28T10:40:00+08:00", "place": "芝罘区应急管理局三楼询问室",
            "officers": _officers(), "recorder": "李娜",
            "interviewee": {"name": "王强", "id_number": "", "employer": PARTY["name"], "position": "总经理", "phone": "0535-1234567", "address": "烟台市芝罘区"},
            "content": "问：你单位是否建立安全生产教育和培训档案？\n答：建立了，但2025年度的记录不完整。", "signer": "王强", "refusal_note": "",
        },
        "survey_record": {
            **CASE, "started_at": "2026-11-28T14:00:00+08:00", "ended_at": "2026-11-28T15:20:00+08:00", "place": "一号生产车间",
            "officers": _officers(), "participants": "王强（总经理）", "witness": "赵敏（社区工作人员）", "findings": "车间东侧安全出口堆放物料，宽度不足0.5米。",
            "signer": "王强", "refusal_note": "",
        },
        "sampling_voucher": {**CASE, "sampled_on": dt.date(2026, 11, 28), "place": "原料仓库", "items": [dict(i) for i in ITEMS], "officers": _officers(), "signer": "王强", "refusal_note": ""},
        "preservation_notice": {
            **CASE, "preserved_on": dt.date(2026, 11, 27), "place": "企业档案室", "items": [dict(i) for i in ITEMS], "due": dt.date(2026, 12, 8), "officers": _officers(),
        },
        "preservation_decision": {
            **CASE, "preserved_on": dt.date(2026, 11, 27), "notice_number": "芝应急先保〔2026〕1号", "items": [dict(i) for i in ITEMS],
            "outcome": "return", "outcome_text": "解除先行登记保存，退还当事人", "detail": "", "late": False, "officers": _officers(), **REMEDIES,
        },
    }  # fmt: skip


# The lookup of tests/documents/conftest.py: kind → a function giving its sample facts.
SAMPLES: dict[str, Any] = {kind: (lambda kind=kind: evidence_samples()[kind]) for kind in evidence_samples()}
