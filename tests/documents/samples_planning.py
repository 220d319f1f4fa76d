"""Sample facts of the annual plan document (issue 13 item 6) for the documents tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def annual_plan() -> dict[str, Any]:
    return {
        "plan_year": "2026",
        "version_label": "第1版",
        "filed_to": "烟台市应急管理局",
        "approved_on": "2026-01-20",
        "profile_name": "分级检查频次与上限（山西2025）（示例配置）",
        "provisional_note": "",
        "capacity_lines": [
            {"label": "法定工作日", "formula": "2026年法定工作日248天", "value": "248"},
            {"label": "执法人员", "formula": "持证执法人员3人，按在岗期间折合3.00人·年", "value": "3"},
            {"label": "总工作日", "formula": "各执法人员在岗工作日之和（3人，折合3.00人×248天）", "value": "744"},
            {"label": "监督检查工作日", "formula": "744 − 0 − 0", "value": "744"},
            {"label": "预留工作日（留有余地）", "formula": "744 × 0.10", "value": "74.40"},
            {"label": "可安排计划检查工作日", "formula": "744 − 74.40", "value": "669.60"},
            {"label": "其中：重点检查", "formula": "669.60 × 0.60", "value": "401.76"},
            {"label": "其中：一般检查", "formula": "669.60 − 401.76", "value": "267.84"},
        ],
        "split": [
            {"label": "重点检查", "units": "2", "inspections": "8", "workdays": "32.0", "available": "401.76"},
            {"label": "一般检查", "units": "4", "inspections": "12", "workdays": "26.0", "available": "267.84"},
            {"label": "合计", "units": "6", "inspections": "20", "workdays": "58.0", "available": "669.60"},
        ],
        "share_check": "经核对，重点检查需要32.0个工作日，可安排401.76个；一般检查需要26.0个工作日，未超过一般检查可安排的267.84个。",
        "months": [{"label": f"{m}月", "inspections": "2", "workdays": "5.0"} for m in range(1, 13)] + [{"label": "全年", "inspections": "24", "workdays": "60.0"}],
        "teams": [{"text": "执法大队：全年20次，重点检查8次。"}],
        "fit_summary": "力量充足：计划需要58.0个工作日，可安排669.60个工作日。",
        "key_units": [{"name": "烟台示例化工有限公司", "reasons": "构成重大危险源", "count": "4", "months": "2、5、8、11"}],
    }


SAMPLES: dict[str, Callable[[], dict[str, Any]]] = {"annual_plan": annual_plan}
