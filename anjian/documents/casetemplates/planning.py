"""Template of the annual enforcement plan document (issue 13 item 6). See ``casekinds/planning.py``."""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document as DocxDocument

from anjian.documents.build_templates import _new_document, header, p, seal, table


def annual_plan() -> DocxDocument:
    doc = _new_document("年度监督检查计划")
    header(doc, "{{ plan_year }}年度安全生产监督检查计划")
    p(doc, "{{ filed_to }}：", "AJ Flush")
    p(
        doc,
        "依照《中华人民共和国安全生产法》第六十二条的规定，本机关按照分类分级监管的要求，统筹执法力量，"
        "编制了{{ plan_year }}年度安全生产监督检查计划（{{ version_label }}），于{{ approved_on|cn_date }}经本机关批准，现报送备案。"
        "分级检查频次按{{ profile_name }}确定。",
    )
    p(doc, "{%p if provisional_note %}", "AJ Flush")
    p(doc, "{{ provisional_note }}")
    p(doc, "{%p endif %}", "AJ Flush")
    p(doc, "一、执法力量测算", "AJ Flush")
    p(doc, "按照“统筹兼顾、分类分级、突出重点、提高效能、留有余地”的原则，逐项测算如下（单位：工作日，人·日）：")
    table(doc, [("序号", 12), ("项目", 46), ("算式", 70), ("数值", 28)], "ln in capacity_lines", ["{{ loop.index }}", "{{ ln.label }}", "{{ ln.formula }}", "{{ ln.value }}"])
    p(doc, "二、重点检查与一般检查", "AJ Flush")
    table(
        doc,
        [("类别", 32), ("单位数（户）", 30), ("检查次数", 30), ("需要工作日", 32), ("可安排工作日", 32)],
        "s in split",
        ["{{ s.label }}", "{{ s.units }}", "{{ s.inspections }}", "{{ s.workdays }}", "{{ s.available }}"],
    )
    p(doc, "{{ share_check }}")
    p(doc, "编制时的测算：{{ fit_summary }}")
    p(doc, "三、月度安排", "AJ Flush")
    table(doc, [("月份", 40), ("检查次数", 56), ("需要工作日（人·日）", 60)], "m in months", ["{{ m.label }}", "{{ m.inspections }}", "{{ m.workdays }}"])
    p(doc, "{%p if teams %}", "AJ Flush")
    p(doc, "四、承担科室（队伍）", "AJ Flush")
    p(doc, "{%p for t in teams %}")
    p(doc, "{{ t.text }}")
    p(doc, "{%p endfor %}")
    p(doc, "{%p endif %}", "AJ Flush")
    p(doc, "{%p if key_units %}", "AJ Flush")
    p(doc, "附件：重点检查单位名单", "AJ Flush")
    table(
        doc,
        [("序号", 12), ("单位名称", 58), ("列为重点的依据", 44), ("次数", 14), ("月份", 28)],
        "u in key_units",
        ["{{ loop.index }}", "{{ u.name }}", "{{ u.reasons }}", "{{ u.count }}", "{{ u.months }}"],
    )
    p(doc, "{%p endif %}", "AJ Flush")
    p(doc, "全部计划检查单位的名单、检查次数和月份见同时报送的计划明细表（.xlsx）。", "AJ Note")
    seal(doc)
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {"annual_plan.docx": annual_plan}
