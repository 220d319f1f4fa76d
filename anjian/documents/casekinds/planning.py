"""The annual enforcement plan document (年度监督检查计划, issue 13 item 6).

Issued by ``anjian.planning.services.plan_file`` when the approved plan is filed with the level
above (报上级备案): the capacity arithmetic line by line as the plan computed it
(安监总政法〔2017〕150号), the key/general split with each part's share and the check against it, the inspections and workdays per month, the teams,
and the key units by name. Every figure is the stored plan version's, so the document reads the
same whatever the ledger or the calendar became since.
"""

from __future__ import annotations

from anjian.documents.registry import DocumentKind, Fact, register

AQSCF_62 = "《中华人民共和国安全生产法》第六十二条"
CAPACITY_RULE = "安监总政法〔2017〕150号"

ANNUAL_PLAN = register(
    DocumentKind(
        code="annual_plan",
        name="年度监督检查计划",
        number_word="计",
        template="annual_plan.docx",
        template_version="2026.2",
        served=False,  # filed with the level above and published, not served on a party
        basis=f"{AQSCF_62}；{CAPACITY_RULE}",
        facts=(
            Fact("plan_year", "计划年度"),
            Fact("version_label", "版本"),
            Fact("filed_to", "备案机关"),
            Fact("approved_on", "批准日期", type="date"),
            Fact("profile_name", "分级检查频次配置"),
            Fact("capacity_lines", "力量测算", type="list", item_facts=(Fact("label", "项目"), Fact("formula", "算式"), Fact("value", "数值"))),
            Fact(
                "split",
                "重点与一般检查",
                type="list",
                item_facts=(Fact("label", "类别"), Fact("units", "单位数"), Fact("inspections", "检查次数"), Fact("workdays", "工作日"), Fact("available", "可安排工作日")),
            ),
            # Each part checked against its own share (LEGAL.md §6), what the submission checked.
            Fact("share_check", "力量核对"),
            Fact("months", "月度安排", type="list", item_facts=(Fact("label", "月份"), Fact("inspections", "检查次数"), Fact("workdays", "工作日"))),
            Fact("teams", "承担科室（队伍）", type="list", min_items=0),
            Fact("fit_summary", "力量与削减说明"),
            Fact("key_units", "重点检查单位", type="list", min_items=0),
        ),
    )
)
