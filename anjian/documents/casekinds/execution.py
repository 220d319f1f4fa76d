"""Penalty-case document kinds: execution. See the package docstring.

罚款催缴通知书 (行政处罚法 §72), 延期（分期）缴纳罚款批准书 (§66), 履行行政决定催告书 (行政强制法 §35,
§54) and 强制执行申请书 (行政强制法 §53, §55). Amounts are stated in figures and in Chinese capitals.
"""

from __future__ import annotations

from anjian.documents.registry import CASE_PARTY_NAME, OFFICERS, XZCF, DocumentKind, Fact, _not_after_issue, register

XZQZF = "《中华人民共和国行政强制法》"
XZCF_66 = f"{XZCF}第六十六条"
XZCF_72 = f"{XZCF}第七十二条"
XZQZF_35 = f"{XZQZF}第三十五条"
XZQZF_53 = f"{XZQZF}第五十三条"
XZQZF_54 = f"{XZQZF}第五十四条"
XZQZF_55 = f"{XZQZF}第五十五条"

DECISION = (
    Fact("decision_number", "行政处罚决定书文号"),
    Fact("decision_date", "处罚决定日期", type="date"),
)

FINE_DEMAND_NOTICE = register(
    DocumentKind(
        code="fine_demand_notice",
        name="罚款催缴通知书",
        number_word="催缴",
        template="fine_demand_notice.docx",
        template_version="2026.1",
        served=True,
        # XZCF §72 ¶1(1): 到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额.
        basis=XZCF_72,
        facts=(
            CASE_PARTY_NAME,
            *DECISION,
            Fact("fine", "罚款数额"),
            Fact("fine_capitals", "罚款数额（大写）"),
            Fact("payment_due", "缴纳期限届满日", type="date"),
            Fact("outstanding", "尚未缴纳的罚款"),
            Fact("daily_surcharge", "每日加处罚款", article=XZCF_72),
            Fact("surcharge", "截至计算日的加处罚款", article=XZCF_72),
            Fact("surcharge_as_of", "加处罚款计算日", type="date"),
            Fact("total_due", "应缴合计"),
            Fact("total_capitals", "应缴合计（大写）"),
            OFFICERS,
        ),
        checks=(_not_after_issue("decision_date", "处罚决定日期"), _not_after_issue("surcharge_as_of", "加处罚款计算日")),
    )
)

DEFERRAL_APPROVAL = register(
    DocumentKind(
        code="deferral_approval",
        name="延期（分期）缴纳罚款批准书",
        number_word="缓缴",
        template="deferral_approval.docx",
        template_version="2026.1",
        served=True,
        # XZCF §66 ¶2: 当事人确有经济困难，需要延期或者分期缴纳罚款的，经当事人申请和行政机关批准，可以暂缓或者分期缴纳.
        basis=XZCF_66,
        facts=(
            CASE_PARTY_NAME,
            *DECISION,
            Fact("kind_label", "延期或者分期"),
            Fact("requested_on", "申请日期", type="date"),
            Fact("fine", "罚款数额"),
            Fact("fine_capitals", "罚款数额（大写）"),
            Fact(
                "instalments",
                "缴纳期限和金额",
                type="list",
                item_facts=(Fact("seq", "期次"), Fact("due", "缴纳期限", type="date"), Fact("amount", "金额"), Fact("amount_capitals", "金额（大写）")),
                article=XZCF_66,
            ),
            OFFICERS,
        ),
        checks=(_not_after_issue("requested_on", "申请日期"),),
    )
)

PERFORMANCE_REMINDER = register(
    DocumentKind(
        code="performance_reminder",
        name="履行行政决定催告书",
        number_word="催告",
        template="performance_reminder.docx",
        template_version="2026.1",
        served=True,
        # XZQZF §35: 催告应当以书面形式作出，载明履行义务的期限、方式，金钱给付的明确金额和给付方式，
        # 以及当事人依法享有的陈述权和申辩权; §54: 催告书送达十日后当事人仍未履行的，可以申请人民法院强制执行.
        basis=f"{XZQZF_35}；{XZQZF_54}",
        facts=(
            CASE_PARTY_NAME,
            *DECISION,
            Fact("decision_served_on", "处罚决定书送达日期", type="date"),
            Fact("fine", "罚款数额"),
            Fact("surcharge", "加处罚款", article=XZCF_72),
            Fact("surcharge_as_of", "加处罚款计算日", type="date"),
            Fact("total_due", "应缴金额", article=XZQZF_35),
            Fact("total_capitals", "应缴金额（大写）", article=XZQZF_35),
            Fact("period_text", "履行义务的期限", article=XZQZF_35),
            Fact("manner", "履行义务的方式", article=XZQZF_35),
            OFFICERS,
        ),
        checks=(_not_after_issue("decision_served_on", "处罚决定书送达日期"),),
    )
)

ENFORCEMENT_APPLICATION = register(
    DocumentKind(
        code="enforcement_application",
        name="强制执行申请书",
        number_word="强执",
        template="enforcement_application.docx",
        template_version="2026.1",
        served=False,  # filed with the court, not served on the party
        # XZQZF §53 (within 3 months after the remedy periods end), §55 (the application states the
        # enforcement request, the facts and the reasons, signed by the agency head, with the seal).
        basis=f"{XZQZF_53}；{XZQZF_54}；{XZQZF_55}",
        facts=(
            Fact("court", "受理申请的人民法院", article=XZQZF_53),
            CASE_PARTY_NAME,
            *DECISION,
            Fact("decision_served_on", "处罚决定书送达日期", type="date"),
            Fact("fine", "罚款数额"),
            Fact("surcharge", "加处罚款"),
            Fact("total_due", "申请执行金额", article=XZQZF_55),
            Fact("total_capitals", "申请执行金额（大写）", article=XZQZF_55),
            Fact("reminder_number", "催告书文号", article=XZQZF_54),
            Fact("reminder_served_on", "催告书送达日期", type="date", article=XZQZF_54),
            Fact("remedy_statement", "申请复议、提起诉讼的情况", article=XZQZF_53),
            Fact("head_name", "行政机关负责人", article=XZQZF_55),
            OFFICERS,
        ),
        checks=(_not_after_issue("reminder_served_on", "催告书送达日期"),),
    )
)
