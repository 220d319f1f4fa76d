"""docs/indicators.md, generated from the indicator registry (``anjian stats docs``); a test keeps
the file equal to this text, so the document and the code cannot drift."""

from __future__ import annotations

from anjian.stats.indicators import INDICATORS

KIND_LABELS = {
    "count": "流量（期内发生数，按日累加）",
    "distinct": "去重流量（期内去重计数）",
    "cohort": "队列（期内进入且期末前完成）",
    "state": "存量（期末时点数）",
    "staff": "存量（期末时点数）",
    "sum": "流量（期内合计）",
    "ratio": "比率（派生）",
    "mean": "平均数（派生）",
}
CUT_LABELS = {"district": "辖区", "agency": "机关", "sector": "行业", "group": "行业大类", "month": "月份"}


def markdown() -> str:
    """docs/indicators.md, generated from the registry (``anjian stats docs``)."""
    lines = [
        "# 统计指标（调度统计）",
        "",
        "本文件由指标注册表（`anjian/stats/indicators.py`）生成：`anjian stats docs > docs/indicators.md`。",
        "测试（tests/stats/test_indicators_doc.py）保证本文件与注册表一致；修改指标请改注册表再重新生成。",
        "",
        "每个指标都可按辖区、机关、行业（单位的监管行业；一个单位属于多个行业的，在每个行业各计一次，"
        "因此各行业之和可能大于合计）、行业大类（危险化学品、非煤矿山、工贸；同一大类内的多个行业只计一次）和月份切分，统计期间为月份、季度、年度或本年至今（ytd）。"
        "流量指标按期内各日相加；存量指标取期末日（当期未结束的取今天）的时点数；"
        "比率为分子、分母在同一期间、同一切分下之比。",
        "",
        "| 代码 | 指标 | 单位 | 类型 |",
        "|---|---|---|---|",
    ]
    for ind in INDICATORS:
        lines.append(f"| `{ind.key}` | {ind.name} | {ind.unit} | {KIND_LABELS[ind.kind]} |")
    lines.append("")
    for ind in INDICATORS:
        lines += [
            f"## `{ind.key}` {ind.name}",
            "",
            f"- 定义：{ind.definition}",
            f"- 计算公式：{ind.formula}",
            f"- 数据来源：{ind.tables}",
            f"- 单位：{ind.unit}",
            f"- 类型：{KIND_LABELS[ind.kind]}",
            f"- 可切分：{'、'.join(CUT_LABELS[c] for c in ind.cuts)}",
        ]
        if ind.target:
            lines.append(f"- 目标：{ind.target}")
        lines.append("")
    lines += ["## 尚未纳入的指标", ""]
    lines += [f"- {text}" for text in NOT_YET]
    lines.append("")
    return "\n".join(lines)


# Asked for but not computable from the data the system keeps today (kept in the document, so
# that a reader sees what is missing and why).
NOT_YET = (
    "处罚种类（警告、罚款、没收违法所得、责令停产停业、暂扣或吊销许可证）、停产停业与吊销的件数，以及投诉举报、计划完成情况：待相应数据的统计口径确定后加入。",
)
