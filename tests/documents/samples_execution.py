"""Sample facts of the execution stage's document kinds (罚款催缴通知书, 延期（分期）缴纳罚款批准书,
履行行政决定催告书, 强制执行申请书) for the documents tests (``conftest.sample_context``). Dates are
in May 2026, before every issue date the tests use."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.documents.conftest import OFFICERS, PARTY

DECISION = {"decision_number": "芝应急罚〔2026〕3号", "decision_date": dt.date(2026, 3, 6)}


def _officers() -> list[dict[str, str]]:
    return [dict(o) for o in OFFICERS]


def fine_demand_notice() -> dict[str, Any]:
    return {
        "party": {"name": PARTY["name"], "address": PARTY["address"]}, **DECISION, "fine": "2万元", "fine_capitals": "贰万元整",
        "payment_due": dt.date(2026, 3, 23), "outstanding": "2万元", "daily_surcharge": "600元", "surcharge": "4200元",
        "surcharge_as_of": dt.date(2026, 3, 30), "total_due": "2.42万元", "total_capitals": "贰万肆仟贰佰元整", "officers": _officers(),
    }  # fmt: skip


def deferral_approval() -> dict[str, Any]:
    return {
        "party": {"name": PARTY["name"]}, **DECISION, "kind_label": "分期缴纳", "requested_on": dt.date(2026, 3, 10), "fine": "2万元",
        "fine_capitals": "贰万元整", "officers": _officers(),
        "instalments": [
            {"seq": 1, "due": dt.date(2026, 4, 10), "amount": "1万元", "amount_capitals": "壹万元整"},
            {"seq": 2, "due": dt.date(2026, 5, 10), "amount": "1万元", "amount_capitals": "壹万元整"},
        ],
    }  # fmt: skip


def performance_reminder() -> dict[str, Any]:
    return {
        "party": {"name": PARTY["name"]}, **DECISION, "decision_served_on": dt.date(2026, 3, 6), "fine": "2万元", "surcharge": "2万元",
        "surcharge_as_of": dt.date(2026, 5, 8), "total_due": "4万元", "total_capitals": "肆万元整",
        "period_text": "自本催告书送达之日起十日内（工作日）履行", "manner": "到指定的银行或者通过电子支付系统缴纳罚款和加处罚款", "officers": _officers(),
    }  # fmt: skip


def enforcement_application() -> dict[str, Any]:
    return {
        "court": "烟台市芝罘区人民法院", "party": {"name": PARTY["name"], "address": PARTY["address"]}, **DECISION,
        "decision_served_on": dt.date(2026, 3, 6), "fine": "2万元", "surcharge": "2万元", "total_due": "4万元", "total_capitals": "肆万元整",
        "reminder_number": "芝应急催告〔2026〕1号", "reminder_served_on": dt.date(2026, 5, 8),
        "remedy_statement": "被申请人在法定期限内未申请行政复议或者提起行政诉讼，又不履行行政处罚决定", "head_name": "赵局长", "officers": _officers(),
    }  # fmt: skip


SAMPLES = {
    "fine_demand_notice": fine_demand_notice,
    "deferral_approval": deferral_approval,
    "performance_reminder": performance_reminder,
    "enforcement_application": enforcement_application,
}
