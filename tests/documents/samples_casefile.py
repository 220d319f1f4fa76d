"""Sample facts of the casefile kinds (结案审批表, 案卷首页, 卷内目录) for the documents tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _common() -> dict[str, Any]:
    from tests.documents.conftest import OFFICERS, PARTY

    return {"case_title": "未采取措施消除事故隐患案", "party": dict(PARTY), "officers": [dict(o) for o in OFFICERS]}


def closing_approval() -> dict[str, Any]:
    return {
        **_common(),
        "filed_on": "2026-06-01",
        "decision_number": "芝应急罚〔2026〕3号",
        "decided_on": "2026-06-03",
        "result": "2026年6月3日作出行政处罚决定：罚款2万元（贰万元整）",
        "execution": "2026年6月4日缴纳2万元（缴款凭证号3706020001），已履行完毕。",
        "approver": "赵六",
        "closed_on": "2026-06-05",
    }


def case_file_cover() -> dict[str, Any]:
    return {**_common(), "filed_on": "2026-06-01", "closed_on": "2026-06-05", "result": "罚款2万元", "officer_names": "张伟、李娜", "item_count": 8, "page_total": 21}


def case_file_index() -> dict[str, Any]:
    rows = [
        {"seq": 1, "title": "卷内目录", "number": "", "date": "2026-06-05", "pages": "1"},
        {"seq": 2, "title": "行政处罚决定书（单位）", "number": "芝应急罚〔2026〕3号", "date": "2026-06-03", "pages": "2–4"},
    ]
    return {**_common(), "rows": rows, "pages_note": ""}


SAMPLES: dict[str, Callable[[], dict[str, Any]]] = {
    "closing_approval": closing_approval,
    "case_file_cover": case_file_cover,
    "case_file_index": case_file_index,
}
