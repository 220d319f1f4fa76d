"""Penalty-case document kinds: decision. See the package docstring.

集体讨论记录 (行政处罚法 §57 ¶2), 行政处罚决定书 for a unit and for a person (§59), the 当场 decision
of the summary procedure (§51, §52) and the 案件移送书 (§27 ¶1). The case services build the facts
(``anjian.cases.decision``) from the case's records; a missing fact refuses the step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from anjian.documents.registry import CASE_PARTY_NAME, CASE_TITLE, REMEDY_FACTS, XZCF, XZCF_59, DocumentKind, Fact, _not_after_issue, officers, register

XZCF_27 = f"{XZCF}第二十七条第一款"
XZCF_51_52 = f"{XZCF}第五十一条、第五十二条"
XZCF_57 = f"{XZCF}第五十七条第二款"
XZCF_59_1 = f"{XZCF_59}第一款"
XZCF_67 = f"{XZCF}第六十七条"

# One row per violation: the act, the provision it breaches, the penalty clause and the penalty.
VIOLATIONS = Fact(
    "violations",
    "违法行为及处罚（逐项列明违反的规定、处罚依据和处罚内容）",
    type="list",
    item_facts=(Fact("text", "违法行为"), Fact("violated", "违反的规定"), Fact("basis", "处罚依据"), Fact("penalty", "处罚内容")),
    article=f"{XZCF_59_1}第二项、第三项",
)
FACTS = Fact("facts", "违法事实", article=f"{XZCF_59_1}第二项")
EVIDENCE = Fact("evidence", "证据（逐项列明）", type="list", min_items=0, item_facts=(Fact("text", "证据名称"),), article=f"{XZCF_59_1}第二项")
UNIT_PARTY = (
    Fact("party.name", "当事人（单位名称）", article=f"{XZCF_59_1}第一项"),
    Fact("party.uscc", "统一社会信用代码", article=f"{XZCF_59_1}第一项"),
    Fact("party.address", "住所（地址）", article=f"{XZCF_59_1}第一项"),
    Fact("party.legal_representative", "法定代表人（负责人）", article=f"{XZCF_59_1}第一项"),
)
PERSON_PARTY = (
    Fact("party.name", "当事人姓名", article=f"{XZCF_59_1}第一项"),
    Fact("party.id_number", "身份证号码", article=f"{XZCF_59_1}第一项"),
    Fact("party.address", "当事人住址", article=f"{XZCF_59_1}第一项"),
)
# The summary procedure: one officer may decide on the spot (§51 with §52 ¶1).
OFFICERS = officers(min_items=1, article=f"{XZCF}第五十二条")
FINE_TOTAL = Fact("fine_total", "罚款合计", alternatives=("no_fine",))


def _fine_needs_payment(ctx: Mapping[str, Any], issued_on: dt.date) -> dict[str, str]:
    """A fine states where and by when it is paid (§59 ¶1(4), §67): 15 days from service, at the
    collecting bank or by electronic payment."""
    if ctx.get("fine_total") and not str(ctx.get("payment_place") or "").strip() and not ctx.get("collected_onsite"):
        return {"payment_place": f"有罚款的决定书须写明缴纳罚款的银行或电子缴款渠道（依据{XZCF_67}），请在执法机关设置中填写。"}
    return {}


COLLECTIVE_DISCUSSION_RECORD = register(
    DocumentKind(
        code="collective_discussion_record",
        name="行政处罚集体讨论记录",
        number_word="集讨",
        template="collective_discussion_record.docx",
        template_version="2026.1",
        served=False,  # an internal record of the agency's leaders, kept in the case file
        basis=XZCF_57,
        facts=(
            CASE_TITLE,
            CASE_PARTY_NAME,
            Fact("held_on", "讨论日期", type="date", article=XZCF_57),
            Fact("attendees", "参加人员（姓名和职务）", type="list", min_items=2, item_facts=(Fact("name", "姓名"), Fact("post", "职务")), article=XZCF_57),
            Fact("summary", "案件情况（违法事实和拟处罚意见）"),
            Fact("proposals", "拟处罚意见（逐项）", type="list", item_facts=(Fact("text", "违法行为"), Fact("penalty", "拟处罚内容"))),
            Fact("reasons", "提交集体讨论的理由", type="list", min_items=0, item_facts=(Fact("text", "理由"),)),
            Fact("conclusion", "讨论结论", article=XZCF_57),
            Fact("mitigation", "减轻处罚的意见"),
        ),
        checks=(_not_after_issue("held_on", "讨论日期"),),
    )
)

_DECISION_FACTS = (
    CASE_TITLE,
    FACTS,
    EVIDENCE,
    VIOLATIONS,
    Fact("procedure", "告知、陈述申辩（听证）及复核情况", type="list", item_facts=(Fact("text", "内容"),), article=f"{XZCF}第四十四条、第四十五条"),
    FINE_TOTAL,
    Fact("payment_deadline", "缴纳罚款的期限", alternatives=("no_fine",), article=XZCF_67),
    *REMEDY_FACTS,
)

PENALTY_DECISION_UNIT = register(
    DocumentKind(
        code="penalty_decision_unit",
        name="行政处罚决定书",
        number_word="罚",
        template="penalty_decision_unit.docx",
        template_version="2026.1",
        served=True,  # the payment and remedy windows run from its service (§61, §67)
        basis=XZCF_59_1,
        facts=(*UNIT_PARTY, *_DECISION_FACTS),
        checks=(_fine_needs_payment,),
    )
)

PENALTY_DECISION_PERSON = register(
    DocumentKind(
        code="penalty_decision_person",
        name="行政处罚决定书",
        number_word="罚",  # one sequence with the unit's decisions: a 文号 is never given twice
        template="penalty_decision_person.docx",
        template_version="2026.1",
        served=True,
        basis=XZCF_59_1,
        facts=(*PERSON_PARTY, *_DECISION_FACTS),
        checks=(_fine_needs_payment,),
    )
)

PENALTY_DECISION_ONSITE = register(
    DocumentKind(
        code="penalty_decision_onsite",
        name="当场行政处罚决定书",
        number_word="简罚",
        template="penalty_decision_onsite.docx",
        template_version="2026.1",
        served=True,  # handed to the party on the spot (§52)
        basis=XZCF_51_52,
        facts=(
            Fact("party.name", "当事人", article=f"{XZCF}第五十二条"),
            Fact("party.kind", "当事人类别"),
            Fact("decided_on", "决定日期", type="date"),
            OFFICERS,
            FACTS,
            VIOLATIONS,
            FINE_TOTAL,
            Fact("payment_deadline", "缴纳罚款的期限", alternatives=("no_fine", "collected_onsite"), article=XZCF_67),
            Fact("recipient", "当场交付的签收人", article=f"{XZCF}第五十二条"),
            *REMEDY_FACTS,
        ),
        checks=(_fine_needs_payment, _not_after_issue("decided_on", "决定日期")),
    )
)

CASE_REFERRAL = register(
    DocumentKind(
        code="case_referral",
        name="案件移送书",
        number_word="移",
        template="case_referral.docx",
        template_version="2026.1",
        served=False,  # sent to the judicial authority, not served on the party
        basis=XZCF_27,
        facts=(
            Fact("referred_to", "受移送机关", article=XZCF_27),
            CASE_TITLE,
            CASE_PARTY_NAME,
            Fact("facts", "涉嫌犯罪的事实", article=XZCF_27),
            Fact("reason", "移送的理由和依据", article=XZCF_27),
            Fact("materials", "移送的材料（逐项列明）", type="list", min_items=0, item_facts=(Fact("text", "材料名称"),)),
            Fact("referred_on", "移送日期", type="date", printed=False),  # printed as the issue date
        ),
        checks=(_not_after_issue("referred_on", "移送日期"),),
    )
)
