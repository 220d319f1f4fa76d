"""Generate ``docs/legal-rules.md`` from the rule data: ``python -m anjian.law.docgen``.

Worked examples are computed by the engine itself with the official 2004–2026 calendar, so the
document cannot drift from the code; a test compares the committed file with this output.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from anjian.law.calendar import WorkCalendar, calendar_from_chinese_calendar
from anjian.law.deadlines import evaluate
from anjian.law.hazards import classifies_as_major, default_criteria
from anjian.law.money import yuan
from anjian.law.penalties import (
    Band,
    DiscretionConfig,
    FineRange,
    Measure,
    PenaltyClause,
    default_catalogue,
    discretion_bands,
)
from anjian.law.periods import (
    Direction,
    PeriodResult,
    add_calendar_days,
    add_months,
    add_working_days,
    service_date,
    working_days_before,
)
from anjian.law.procedure import ONSITE_COLLECTION_LIMIT, SUMMARY_LIMITS, HearingConfig, PartyKind
from anjian.law.ruleset import AfterExpiry, default_ruleset
from anjian.law.surcharge import RATE, surcharge
from anjian.law.taxonomy import (
    FEATURES,
    HAZCHEM_SECTORS,
    INDUSTRY_SECTORS,
    MINE_SECTORS,
    SECTOR_GROUPS,
    SECTORS,
)

D = dt.date


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _example(label: str, result: PeriodResult) -> str:
    flags = []
    if result.rolled_forward:
        flags.append(f"原届满日 {result.unrolled.isoformat()} 为休息日，顺延")
    if result.provisional:
        flags.append("临时结果：该年度节假日安排未载入")
    tail = f"（{'；'.join(flags)}）" if flags else ""
    return f"- {label} → **{result.date.isoformat()}**{tail}"


def _semantics(cal: WorkCalendar) -> Iterator[str]:
    basis = "示例"
    yield "## 1. 期间计算规则（LEGAL.md §1）"
    yield ""
    yield (
        "- **工作日期间**（行政处罚法第八十五条：二日、三日、五日、七日；行政强制法第六十九条：十日以内；"
        "行政复议法第八十八条：三、五、七、十日）：触发日不计入，“N个工作日内”届满于触发日后的第N个工作日；"
        "法定节假日不计，国务院公布的调休上班日计入。"
    )
    yield ("- **“至少N个工作日前”**（如听证通知）：最迟应在Y日前的第N个工作日（Y日本身不计）当日或者之前。")
    yield (
        "- **日历日期间**（民事诉讼法第八十五条，经行政诉讼法第一百零一条、行政复议法第八十八条适用）："
        "开始之日不计入；期间最后一日为法定节假日，或者为非调休上班日的周六、周日的，顺延至其后第一个工作日；"
        "调休上班的周六是工作日，不顺延。"
    )
    yield (
        "- **月、年期间**（民法典第二百零三条）：届满于到期月的对应日；无对应日的，为该月最后一日；"
        "同样适用节假日顺延（起诉期限、申请强制执行期限等）。追责时效（行政处罚法第三十六条）是回溯期间，"
        "不是办理期限，不顺延；查封、扣押期限（行政强制法第二十五条）是对当事人的限制上限，不顺延。"
    )
    yield ("- **“至少N日前”（日历日）**：最迟为Y日减N日，不顺延。")
    yield ("- **小时期间**：连续计算，不受节假日影响。")
    yield (
        "- **临时结果**：计算中查看了某一天是否工作日、而该日所在年度的法定节假日安排尚未载入时，结果标记为临时"
        "（仅按周末推算）。保护当事人的期限（陈述申辩、申请听证、缴纳罚款、申请复议和诉讼等）为临时结果时，"
        "不得以其届满日为依据办理下一步，须待载入该年度安排（`party_protecting_window_blocked`）。"
    )
    yield (
        "- **未经核实的默认值**：取自原《安全生产违法行为行政处罚办法》的数值仅适用于2026年1月31日以前的步骤；"
        "此后的步骤显示该值并附警告，须经法规科确认或者替换（规则覆盖，需依据文号与批准人）后方可使用。"
    )
    yield ""
    yield "### 计算示例（2026年安排：春节2/15–2/23，调休2/14、2/28；劳动节5/1–5/5，调休5/9；国庆10/1–10/7，调休9/20、10/10）"
    yield ""
    examples: list[tuple[str, Callable[..., Any], dt.date, int]] = [
        ("告知书2026-02-13（周五）送达，申请听证5个工作日", add_working_days, D(2026, 2, 13), 5),
        ("听证定于2026-02-26（周四），通知最迟送达日（7个工作日前）", working_days_before, D(2026, 2, 26), 7),
        ("决定书2026-09-22送达，缴纳罚款15日（第15日10/7为国庆假日）", add_calendar_days, D(2026, 9, 22), 15),
        ("决定书2026-03-06送达，15日届满于普通周六", add_calendar_days, D(2026, 3, 6), 15),
        ("决定书2026-02-13送达，15日届满于调休上班的周六2/28", add_calendar_days, D(2026, 2, 13), 15),
        ("2026-01-31起1个月（无对应日，取月末2/28，调休上班日）", add_months, D(2026, 1, 31), 1),
        ("2026-04-05知道处罚决定，起诉期限6个月（10/5为国庆假日）", add_months, D(2026, 4, 5), 6),
        ("劳动节：2026-04-30作出决定，公开期限7个工作日", add_working_days, D(2026, 4, 30), 7),
        ("国庆：2026-09-18作出决定，送达期限7个工作日（9/20周日调休上班）", add_working_days, D(2026, 9, 18), 7),
        ("决定书2026-12-20送达，缴纳罚款15日（2027年安排未载入）", add_calendar_days, D(2026, 12, 20), 15),
    ]
    for label, period, start, n in examples:
        yield _example(label, period(cal, start, n, basis=basis))
    announced = service_date("announcement", D(2026, 9, 10))
    yield (f"- 公告送达：2026-09-10发出公告，经过30日视为送达 → **{announced.date.isoformat()}**（视为送达日是事实，不顺延）")
    late = evaluate("defence_statement", D(2026, 2, 3), calendar=cal)
    yield (f"- 2026-02-03送达告知书，陈述申辩期限（原办法，3个工作日） → **{late.date.isoformat()}**，标记为未经核实的默认值")
    yield ""
    yield "### 送达日期（行政处罚法第六十一条；民事诉讼法第八十七条至第九十五条）"
    yield ""
    yield "| 方式 | 送达日期 | 依据 |"
    yield "|---|---|---|"
    yield "| 直接送达 | 送达回证上的签收日期 | 民事诉讼法第八十七条、第八十八条 |"
    yield "| 留置送达 | 留置文书之日（须有见证人或者拍照、录像记录） | 民事诉讼法第八十九条 |"
    yield "| 邮寄送达 | 回执上注明的收件日期 | 民事诉讼法第九十一条 |"
    yield "| 电子送达 | 到达受送达人特定系统之日（须当事人书面同意） | 行政处罚法第六十一条第二款；民事诉讼法第九十条 |"
    yield "| 公告送达 | 发出公告之日起经过30日 | 民事诉讼法第九十五条 |"
    yield ""


def _deadlines() -> Iterator[str]:
    rules = default_ruleset()
    yield "## 2. 法定期限目录（`anjian/law/rules/deadlines.yaml`）"
    yield ""
    yield "状态：V = 已核对官方文本；S = 已核对权威转载；CFG = 可配置默认值。“保护当事人”的期限为临时结果时不得据以办理下一步。"
    yield ""
    yield "| 代码 | 名称 | 触发事件 | 期间 | 依据 | 状态 | 有效期间 | 说明 |"
    yield "|---|---|---|---|---|---|---|---|"
    for rule in rules.rules.values():
        for version in rule.versions:
            span = f"{version.effective_from.isoformat()}起"
            if version.effective_to is not None:
                span += f"至{version.effective_to.isoformat()}"
                if version.after_expiry is AfterExpiry.UNVERIFIED_DEFAULT:
                    span += "；此后为未经核实的默认值"
            notes = []
            if rule.protects_party:
                notes.append("保护当事人")
            if not version.roll_forward:
                notes.append("不顺延")
            if version.excludable:
                notes.append("可扣除法定不计入期间")
            if version.informational:
                notes.append("仅作提示")
            if version.note:
                notes.append(version.note)
            period = f"{version.amount}{version.unit.label}"
            if rule.direction is Direction.BEFORE:
                period += "前"
            yield (
                f"| `{rule.code}` | {_cell(rule.name)} | {_cell(rules.events[rule.trigger])} | "
                f"{period} | {_cell(version.article)} | {version.status.value} | {span} | "
                f"{_cell('；'.join(notes))} |"
            )
    yield ""


def _clause(clause: PenaltyClause) -> str:
    who = clause.subject.label
    when = clause.circumstance.label
    grade = f"（{clause.grade.label}）" if clause.grade else ""
    if clause.measure is Measure.FINE:
        low = yuan(clause.minimum) if clause.minimum is not None else ""
        assert clause.maximum is not None
        amount = f"{low}至{yuan(clause.maximum)}" if low else f"{yuan(clause.maximum)}以下"
        extra = f"（违法所得不足{yuan(clause.gains_below)}或者没有）" if clause.gains_below else ""
        what = f"罚款 {amount}{extra}"
    elif clause.measure is Measure.INCOME_SHARE:
        what = f"罚款：上一年年收入的 {clause.pct_min:.0%}" + ("" if clause.pct_min == clause.pct_max else f"至{clause.pct_max:.0%}")
    elif clause.measure in (Measure.GAINS_MULTIPLE, Measure.AMOUNT_MULTIPLE):
        base = "违法所得" if clause.measure is Measure.GAINS_MULTIPLE else "前款罚款数额"
        what = f"罚款：{base}的 {clause.multiple_min}至{clause.multiple_max} 倍"
        if clause.gains_at_least is not None:
            what += f"（违法所得{yuan(clause.gains_at_least)}以上）"
    else:
        what = clause.measure.label
    shown = clause.note and clause.measure is not Measure.FINE and clause.note != what
    note = f" — {clause.note}" if shown else ""
    return f"  - {who}｜{when}{grade}：{what}{note}"


def _penalties() -> Iterator[str]:
    catalogue = default_catalogue()
    yield "## 3. 处罚目录（`anjian/law/rules/penalties.yaml`）"
    yield ""
    yield "金额为人民币元，幅度含本数。低于下限须有行政处罚法第三十二条规定的减轻情节并经集体讨论；超过上限一律不得。"
    yield ""
    for vid in catalogue.ids():
        v = catalogue.violation(vid)
        yield f"### {v.id} {v.citation}：{v.title}"
        yield ""
        yield f"{v.text}。（{v.source}，{v.effective_from.isoformat()}起，状态 {v.status.value}）"
        yield ""
        for item in v.items:
            yield f"{item.item}. {item.text}"
        if v.items:
            yield ""
        for clause in v.clauses:
            yield _clause(clause)
        yield ""


def _config() -> Iterator[str]:
    hearing = HearingConfig()
    cfg = DiscretionConfig()
    yield "## 4. 可配置默认值与阈值"
    yield ""
    yield "| 事项 | 默认值 | 依据 | 状态 |"
    yield "|---|---|---|---|"
    yield (
        f"| 听证“较大数额罚款” | 公民 {yuan(hearing.individual)} 以上；法人或者其他组织 "
        f"{yuan(hearing.organisation)} 以上（含本数） | 行政处罚法第六十三条；{hearing.source} | CFG |"
    )
    yield "| 听证“较大数额没收” | 未配置：任何没收均告知听证权利 | 行政处罚法第六十三条第一款第（二）项 | CFG |"
    yield (
        "| 裁量档次 | 法定幅度三等分：从轻为下三分之一、一般为中三分之一、从重为上三分之一；"
        f"仅有上限的：从轻≤{cfg.max_only_lower:.0%}、一般{cfg.max_only_lower:.0%}–{cfg.max_only_upper:.0%}、"
        f"从重≥{cfg.max_only_upper:.0%} | {cfg.source} | CFG |"
    )
    yield (
        f"| 简易程序 | 警告，或者罚款：公民 {yuan(SUMMARY_LIMITS[PartyKind.INDIVIDUAL])} 以下、"
        f"法人或者其他组织 {yuan(SUMMARY_LIMITS[PartyKind.ORGANISATION])} 以下 | 行政处罚法第五十一条 | V |"
    )
    yield (f"| 当场收缴罚款 | 简易程序且罚款 {yuan(ONSITE_COLLECTION_LIMIT)} 以下，或者事后难以执行；2个工作日内交至行政机关 | 行政处罚法第六十八条、第七十一条 | V |")
    yield (f"| 加处罚款 | 每日罚款数额的 {RATE:.0%}，总额不超过罚款数额；复议、诉讼期间不计 | 行政处罚法第七十二条、第七十三条；行政强制法第四十五条 | V |")
    yield "| 法制审核 | 第五十八条四项情形 + 本机关法制审核目录 + 承办人员提请 | 行政处罚法第五十八条 | V / 目录CFG |"
    yield "| 集体讨论 | 情节复杂，或者重大违法行为给予较重处罚；减轻处罚低于下限 | 行政处罚法第五十七条 | CFG |"
    yield "| 再次违法回溯期 | 3年 | 执法实践 | CFG |"
    yield (
        "| 事故等级 | 特别重大：死亡30人以上或重伤100人以上或直接经济损失1亿元以上；重大：10–29人、50–99人、"
        "5000万元以上不足1亿元；较大：3–9人、10–49人、1000万元以上不足5000万元；一般：其余 | "
        "生产安全事故报告和调查处理条例第三条 | V |"
    )
    yield ""
    example = FineRange(Decimal("20000.00"), Decimal("50000.00"), "安全生产法第九十四条")
    bands = discretion_bands(example)
    yield "裁量档次示例（主要负责人未履行职责，2万至5万元）：" + "；".join(f"{band.label} {bands[band]}" for band in Band)
    s = surcharge(Decimal("10000.00"), D(2026, 4, 7), until=D(2026, 6, 30))
    yield ""
    yield (f"加处罚款示例：罚款¥10,000.00，缴纳期限2026-04-07，计至2026-06-30 → 合计 {yuan(s.total)}（计算{s.counted_days}日后达到罚款数额封顶）。")
    yield ""


def _sector_names(codes: frozenset[str]) -> str:
    for group, codes_of_group in (("industry", INDUSTRY_SECTORS), ("hazchem", HAZCHEM_SECTORS), ("mine", MINE_SECTORS)):
        if codes == frozenset(codes_of_group):
            return f"{SECTOR_GROUPS[group]}（全部）"
    return "、".join(SECTORS[c] for c in sorted(codes))


def _hazards() -> Iterator[str]:
    criteria = default_criteria()
    yield "## 5. 重大事故隐患判定标准（`anjian/law/rules/major_hazards.yaml`）"
    yield ""
    yield "“待补录”条目的原文尚未取得，只作提示，不单独据以判定重大事故隐患。"
    yield ""
    for cat in criteria.catalogues:
        usable = sum(1 for i in cat.items if classifies_as_major(i))
        pending = len(cat.items) - usable
        yield f"### {cat.code} {cat.name}"
        yield ""
        yield f"来源：{cat.source}；{cat.effective_from.isoformat()}起；状态 {cat.status.value}；可判定条目 {usable}，待补录 {pending}。"
        yield ""
        if not cat.items:
            yield "（空模板，待导入。）"
            yield ""
            continue
        yield "| 条目 | 适用行业 | 适用特征 | 内容 | 状态 |"
        yield "|---|---|---|---|---|"
        for item in cat.items:
            sectors = _sector_names(item.sectors)
            features = "、".join(FEATURES[f] for f in sorted(item.features)) or "—"
            state = "待补录" if item.text_pending else item.status.value
            yield f"| {item.id} | {sectors} | {features} | {_cell(item.text)} | {state} |"
        yield ""


def render() -> str:
    """The whole document as Markdown."""
    cal = calendar_from_chinese_calendar()
    lines = [
        "# 法律规则表（自动生成）",
        "",
        "<!-- 由 `python -m anjian.law.docgen > docs/legal-rules.md` 生成，请勿手工编辑；修改规则数据后重新生成。 -->",
        "",
        f"本表由 `anjian/law/rules/` 中的规则数据生成，规格见 LEGAL.md。日历：国务院公布的2004–2026年节假日安排（chinese_calendar 1.11，日历版本 `{cal.version}`）。",
        "",
        *_semantics(cal),
        *_deadlines(),
        *_penalties(),
        *_config(),
        *_hazards(),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> None:
    sys.stdout.write(render())


if __name__ == "__main__":  # pragma: no cover
    main()
