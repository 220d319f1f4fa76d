"""Templates of the penalty-case document kinds: execution. See the package docstring."""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document as DocxDocument

from anjian.documents.build_templates import PARTY_RECEIPT, _new_document, closing, copies, header, p, table

XZCF = "《中华人民共和国行政处罚法》"
XZQZF = "《中华人民共和国行政强制法》"


def _served_end(doc: DocxDocument) -> None:
    """The officers who serve it, the party's receipt, the seal and the copies (served documents)."""
    closing(doc, signs=[PARTY_RECEIPT], note=copies("文书", to="交当事人"))


def fine_demand_notice() -> DocxDocument:
    doc = _new_document("罚款催缴通知书")
    header(doc, "罚款催缴通知书")
    p(doc, "{{ party.name }}：", "AJ Flush")
    p(
        doc,
        "本机关于{{ decision_date|cn_date }}作出{{ decision_number }}《行政处罚决定书》，对你（单位）处以罚款{{ fine }}（大写：{{ fine_capitals }}），"
        "缴纳期限已于{{ payment_due|cn_date }}届满。截至{{ surcharge_as_of|cn_date }}，你（单位）尚未缴纳罚款{{ outstanding }}。",
    )
    p(
        doc,
        f"依照{XZCF}第七十二条第一款第（一）项的规定，到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款（每日{{{{ daily_surcharge }}}}），"
        "加处罚款的数额不得超出罚款的数额。截至{{ surcharge_as_of|cn_date }}，已加处罚款{{ surcharge }}，"
        "应缴合计{{ total_due }}（大写：{{ total_capitals }}）。",
    )
    p(
        doc,
        "请你（单位）接到本通知书后立即到指定的银行或者通过电子支付系统缴纳。加处罚款计算至实际缴纳之日，依法申请行政复议或者提起行政诉讼期间不予计算。"
        f"逾期仍不缴纳的，本机关将依照{XZQZF}第五十三条、第五十四条的规定催告履行并申请人民法院强制执行。",
    )
    _served_end(doc)
    return doc


def deferral_approval() -> DocxDocument:
    doc = _new_document("延期（分期）缴纳罚款批准书")
    header(doc, "延期（分期）缴纳罚款批准书")
    p(doc, "{{ party.name }}：", "AJ Flush")
    p(
        doc,
        "本机关于{{ decision_date|cn_date }}作出{{ decision_number }}《行政处罚决定书》，对你（单位）处以罚款{{ fine }}（大写：{{ fine_capitals }}）。"
        "你（单位）于{{ requested_on|cn_date }}以确有经济困难为由申请{{ kind_label }}罚款。",
    )
    p(doc, f"经审查，依照{XZCF}第六十六条第二款的规定，本机关同意你（单位）{{{{ kind_label }}}}罚款，缴纳期限和金额如下：")
    table(
        doc,
        [("期次", 20), ("缴纳期限", 50), ("金额", 40), ("金额（大写）", 50)],
        "i in instalments",
        ["{{ i.seq }}", "{{ i.due|cn_date }}", "{{ i.amount }}", "{{ i.amount_capitals }}"],
    )
    p(
        doc,
        "请你（单位）按上述期限和金额到指定的银行或者通过电子支付系统缴纳。按期缴纳的，不加处罚款；"
        f"逾期不缴纳的，自该期缴纳期限届满的次日起，依照{XZCF}第七十二条第一款第（一）项的规定对该期金额每日按百分之三加处罚款，并依法申请人民法院强制执行。",
    )
    _served_end(doc)
    return doc


def performance_reminder() -> DocxDocument:
    doc = _new_document("履行行政决定催告书")
    header(doc, "履行行政决定催告书")
    p(doc, "{{ party.name }}：", "AJ Flush")
    p(
        doc,
        "本机关于{{ decision_date|cn_date }}作出{{ decision_number }}《行政处罚决定书》，已于{{ decision_served_on|cn_date }}送达你（单位），"
        "对你（单位）处以罚款{{ fine }}。你（单位）在法定期限内未申请行政复议或者提起行政诉讼，又未履行缴纳罚款的义务。",
    )
    p(
        doc,
        f"依照{XZQZF}第三十五条、第五十四条的规定，现催告你（单位）履行下列义务：",
    )
    p(doc, "一、履行义务的期限：{{ period_text }}。")
    p(doc, "二、履行义务的方式：{{ manner }}。")
    p(
        doc,
        "三、应缴金额：罚款{{ fine }}，加处罚款{{ surcharge }}（计算至{{ surcharge_as_of|cn_date }}），合计{{ total_due }}（大写：{{ total_capitals }}）；"
        "加处罚款计算至实际缴纳之日。",
    )
    p(
        doc,
        f"四、你（单位）依法享有陈述权和申辩权。如有异议，可以向本机关提出陈述和申辩，本机关将依照{XZQZF}第三十六条的规定进行记录、复核。",
    )
    p(doc, "逾期仍不履行的，本机关将依法申请人民法院强制执行。")
    _served_end(doc)
    return doc


def enforcement_application() -> DocxDocument:
    doc = _new_document("强制执行申请书")
    header(doc, "强制执行申请书")
    p(doc, "{{ court }}：", "AJ Flush")
    p(doc, "申请人：{{ agency_name }}。")
    p(doc, "被申请人：{{ party.name }}{% if party.address %}，地址：{{ party.address }}{% endif %}。")
    p(
        doc,
        "申请事项：请求依法强制执行{{ decision_number }}《行政处罚决定书》确定的罚款{{ fine }}及加处罚款{{ surcharge }}，"
        "合计{{ total_due }}（大写：{{ total_capitals }}）。",
    )
    p(
        doc,
        "事实和理由：申请人于{{ decision_date|cn_date }}作出{{ decision_number }}《行政处罚决定书》，于{{ decision_served_on|cn_date }}送达被申请人。"
        "{{ remedy_statement }}。申请人于{{ reminder_served_on|cn_date }}向被申请人送达{{ reminder_number }}《履行行政决定催告书》，"
        "催告书送达十日后被申请人仍未履行。",
    )
    p(doc, f"依照{XZQZF}第五十三条、第五十四条、第五十五条的规定，特申请强制执行。")
    p(doc, "附件：1. 行政处罚决定书及送达回证；2. 履行行政决定催告书及送达回证；3. 当事人的意见及申请人催告情况；4. 申请强制执行标的情况。")
    closing(doc, signs=["行政机关负责人（签名）：{{ head_name }}"], note=copies("申请书", to="报送人民法院"))
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "fine_demand_notice.docx": fine_demand_notice,
    "deferral_approval.docx": deferral_approval,
    "performance_reminder.docx": performance_reminder,
    "enforcement_application.docx": enforcement_application,
}
