"""Sample facts of the complaint and report kinds (答复意见书, 转送函) for the documents tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def complaint_reply() -> dict[str, Any]:
    return {
        "addressee": "王五",
        "kind_label": "行政执法投诉",
        "received_on": "2026-05-06",
        "summary": "反映执法人员在烟台示例化工有限公司检查时未出示执法证件",
        "findings": [{"ground": "不出示有效的行政执法证件执法", "conclusion": "不属实"}],
        "reply": "经调查，2026年4月28日检查时两名执法人员均出示了有效的行政执法证件，并记入现场检查记录，你反映的问题不属实。",
        "review_body": "烟台市芝罘区人民政府",
    }


def complaint_referral() -> dict[str, Any]:
    return {
        "referred_to": "烟台市芝罘区市场监督管理局",
        "kind_label": "安全生产举报",
        "received_on": "2026-05-06",
        "summary": "反映烟台示例化工有限公司附属超市销售过期食品",
        "reason": "该事项属于市场监督管理部门的职责，不属于本机关职责范围",
    }


SAMPLES: dict[str, Callable[[], dict[str, Any]]] = {"complaint_reply": complaint_reply, "complaint_referral": complaint_referral}
