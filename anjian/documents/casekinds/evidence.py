"""Penalty-case document kinds: evidence. See the package docstring.

The legacy national forms (安全生产监管监察执法文书式样, LEGAL.md §8) of the investigation:
询问通知书, 询问笔录, 勘验笔录, 抽样取证凭证, 先行登记保存证据通知书 and 先行登记保存证据处理决定书.
Issued by ``anjian.cases.evidence`` with the case's facts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from anjian.documents.registry import (
    AQSCF_68,
    CASE_PARTY_NAME,
    CASE_TITLE,
    OFFICERS,
    REMEDY_FACTS,
    XZCF,
    DocumentKind,
    Fact,
    _date,
    _datetime,
    register,
    signature,
)

XZCF_55 = f"{XZCF}第五十五条"
XZCF_56 = f"{XZCF}第五十六条"

ITEMS = Fact("items", "物品（名称、数量）", type="list", item_facts=(Fact("name", "名称"), Fact("quantity", "数量")))


def _span(ctx: Mapping[str, Any], issued_on: dt.date) -> dict[str, str]:
    start, end = _datetime(ctx, "started_at"), _datetime(ctx, "ended_at")
    if start is None or end is None:
        return {}
    if (start.tzinfo is None) != (end.tzinfo is None) or end <= start:
        return {"ended_at": "结束时间须晚于开始时间。"}
    return {}


def _appointment(ctx: Mapping[str, Any], issued_on: dt.date) -> dict[str, str]:
    when = _date(ctx, "appointed_at")
    if when is not None and when < issued_on:
        return {"appointed_at": "接受询问的时间不能早于通知日期。"}
    return {}


def _due_after(ctx: Mapping[str, Any], issued_on: dt.date) -> dict[str, str]:
    due, preserved = _date(ctx, "due"), _date(ctx, "preserved_on")
    if due is not None and preserved is not None and due <= preserved:
        return {"due": "处理决定期限须晚于登记保存日期。"}
    return {}


INTERVIEW_NOTICE = register(
    DocumentKind(
        code="interview_notice",
        name="询问通知书",
        number_word="询通",
        template="interview_notice.docx",
        template_version="2026.2",
        served=True,
        basis=XZCF_55,
        facts=(
            CASE_TITLE,
            Fact("interviewee", "被询问人"),
            Fact("appointed_at", "接受询问时间", type="datetime"),
            Fact("place", "接受询问地点"),
            OFFICERS,
        ),
        checks=(_appointment,),
    )
)

INTERVIEW_RECORD = register(
    DocumentKind(
        code="interview_record",
        name="询问笔录",
        number_word="询录",
        template="interview_record.docx",
        template_version="2026.2",
        served=False,  # signed by the interviewee on the spot; no period runs from it
        basis=XZCF_55,
        facts=(
            CASE_TITLE,
            Fact("started_at", "询问开始时间", type="datetime"),
            Fact("ended_at", "询问结束时间", type="datetime"),
            Fact("place", "询问地点"),
            OFFICERS,
            Fact("interviewee.name", "被询问人姓名"),
            Fact("content", "询问内容（问答）"),
            signature("signer", "被询问人签名或拒绝签字的记录", article=AQSCF_68),
        ),
        checks=(_span,),
    )
)

SURVEY_RECORD = register(
    DocumentKind(
        code="survey_record",
        name="勘验笔录",
        number_word="勘录",
        template="survey_record.docx",
        template_version="2026.2",
        served=False,
        basis=XZCF_55,
        facts=(
            CASE_TITLE,
            CASE_PARTY_NAME,
            Fact("started_at", "勘验开始时间", type="datetime"),
            Fact("ended_at", "勘验结束时间", type="datetime"),
            Fact("place", "勘验场所"),
            OFFICERS,
            Fact("participants", "当事人或其代理人"),
            Fact("findings", "勘验情况"),
            signature("signer", "当事人签名或拒绝签字的记录", article=AQSCF_68),
        ),
        checks=(_span,),
    )
)

SAMPLING_VOUCHER = register(
    DocumentKind(
        code="sampling_voucher",
        name="抽样取证凭证",
        number_word="抽样",
        template="sampling_voucher.docx",
        template_version="2026.2",
        served=True,  # a copy is handed to the party
        basis=XZCF_56,
        facts=(
            CASE_TITLE,
            CASE_PARTY_NAME,
            Fact("sampled_on", "抽样日期", type="date"),
            Fact("place", "抽样地点"),
            ITEMS,
            OFFICERS,
            signature("signer", "当事人签名或拒绝签字的记录"),
        ),
    )
)

PRESERVATION_NOTICE = register(
    DocumentKind(
        code="preservation_notice",
        name="先行登记保存证据通知书",
        number_word="先保",
        template="preservation_notice.docx",
        template_version="2026.2",
        served=True,
        basis=XZCF_56,
        facts=(
            CASE_TITLE,
            CASE_PARTY_NAME,
            Fact("preserved_on", "登记保存日期", type="date"),
            Fact("place", "保存地点"),
            ITEMS,
            Fact("due", "处理决定期限", type="date", article=XZCF_56),
            OFFICERS,
        ),
        checks=(_due_after,),
    )
)

PRESERVATION_DECISION = register(
    DocumentKind(
        code="preservation_decision",
        name="先行登记保存证据处理决定书",
        number_word="先处",
        template="preservation_decision.docx",
        template_version="2026.2",
        served=True,
        basis=XZCF_56,
        facts=(
            dataclasses.replace(CASE_TITLE, printed=False),
            CASE_PARTY_NAME,
            Fact("preserved_on", "登记保存日期", type="date"),
            Fact("notice_number", "先行登记保存证据通知书文号"),
            ITEMS,
            Fact("outcome_text", "处理决定"),
            OFFICERS,
            *REMEDY_FACTS,
        ),
    )
)
