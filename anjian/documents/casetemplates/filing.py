"""Templates of the penalty-case document kinds: filing — 立案 to the hearing. See the package docstring.

The texts follow the legacy national forms (安全生产监管监察执法文书式样, LEGAL.md §8) brought up to
the 2021 行政处罚法: §44 (notice of the intended penalty, facts, reasons and basis, and the rights),
§45 (statement and defence; no heavier penalty because of it), §62, §63–§65 (hearing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Mm

XZCF = "《中华人民共和国行政处罚法》"


# The helpers of ``build_templates`` are looked up when a template is built, not at import:
# ``python -m anjian.documents.build_templates`` runs that module as ``__main__``, which imports this
# package, and a module-level import would start a second, circular copy of it.
def _bt() -> Any:
    from anjian.documents import build_templates

    return build_templates


def _new_document(title: str) -> DocxDocument:
    return _bt()._new_document(title)  # type: ignore[no-any-return]


def header(doc: DocxDocument, title: str) -> None:
    _bt().header(doc, title)


def p(doc: DocxDocument, text: str, style: str = "AJ Body") -> None:
    _bt().p(doc, text, style)


def table(doc: DocxDocument, heads: list[tuple[str, float]], loop: str, cells: list[str]) -> None:
    _bt().table(doc, heads, loop, cells)


def officers_block(doc: DocxDocument) -> None:
    _bt().officers_block(doc)


def seal(doc: DocxDocument, mark: str = "（印章）") -> None:
    _bt().seal(doc, mark)


def _form(doc: DocxDocument, rows: list[tuple[str, str]]) -> None:
    """A ruled two-column form (label | value), as the 审批表 and 呈批表 are laid out."""
    widths = (38.0, 118.0)
    t = doc.add_table(rows=len(rows), cols=2)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for col, width in zip(t.columns, widths, strict=True):
        col.width = Mm(width)
    for row, (label, value) in zip(t.rows, rows, strict=True):
        for cell, text, width, style in zip(row.cells, (label, value), widths, ("AJ TableCenter", "AJ Table"), strict=True):
            cell.width = Mm(width)
            cell.paragraphs[0].text = text
            cell.paragraphs[0].style = doc.styles[style]


def _violations_table(doc: DocxDocument, *, proposed: bool) -> None:
    heads: list[tuple[str, float]] = [("序号", 14), ("违法行为", 56), ("违反的规定及处罚依据", 46)]
    cells = ["{{ loop.index }}", "{{ v.title }}{% if v.circumstances %}（{{ v.circumstances }}）{% endif %}", "{{ v.basis }}"]
    if proposed:
        heads.append(("拟作出的行政处罚", 40))
        cells.append("{{ v.penalty_text }}")
    else:
        heads[1] = ("违法行为", 96)
    table(doc, heads, "v in violations", cells)


def _officers_if_any(doc: DocxDocument) -> None:
    p(doc, "{%p if officers %}", "AJ Flush")
    officers_block(doc)
    p(doc, "{%p endif %}", "AJ Flush")


def closing(doc: DocxDocument, *, signs: list[str] | None = None, mark: str = "（印章）", note: str = "") -> None:
    _bt().closing(doc, signs=signs or [], mark=mark, note=note)


def _served_end(doc: DocxDocument, what: str) -> None:
    """The officers who serve it, the party's receipt, the seal and the copies (one to the case file)."""
    closing(doc, signs=[_bt().PARTY_RECEIPT], note=_bt().copies(what, kept="存入案卷", to="交当事人"))


def case_filing_approval() -> DocxDocument:
    doc = _new_document("立案审批表")
    header(doc, "立案审批表")
    _form(
        doc,
        [
            ("案　　由", "{{ case_title }}"),
            ("案件来源", "{{ source }}"),
            ("当 事 人", "{{ party.name }}"),
            ("当事人情况", "{{ party.details }}"),
            ("发现日期", "{{ discovered_on|chinese_date }}"),
            ("违法事实", "{{ facts }}"),
        ],
    )
    p(doc, "涉嫌违法行为：", "AJ Flush")
    _violations_table(doc, proposed=False)
    _form(
        doc,
        [
            # 行政处罚法 §36: two years, five where life and health are involved and harm occurred.
            ("追责时效", "{{ limitation }}"),
            # 行政处罚法 §22, §23: the county-level agency where the act occurred.
            ("管　　辖", "{{ jurisdiction }}"),
            ("三年内同类违法记录", "{{ repeat_text }}"),
            ("立案申请", "申请人：{{ proposer }}　　{{ proposed_on|chinese_date }}"),
            ("审批意见", "同意立案。　　审批人：{{ approver }}　　{{ filed_on|chinese_date }}"),
        ],
    )
    _officers_if_any(doc)
    seal(doc, mark="")
    return doc


def investigation_report() -> DocxDocument:
    doc = _new_document("调查报告")
    header(doc, "调查报告")
    p(doc, "案由：{{ case_title }}", "AJ Flush")
    p(doc, "当事人：{{ party.name }}", "AJ Flush")
    p(doc, "当事人情况：{{ party.details }}", "AJ Flush")
    p(doc, "本案于{{ filed_on|chinese_date }}立案，由本机关执法人员{{ officers|map(attribute='name')|join('、') }}承办。经调查，现将有关情况报告如下：")
    p(doc, "一、违法事实", "AJ Flush")
    p(doc, "{{ facts }}")
    p(doc, "二、证据及其证明的事项", "AJ Flush")
    p(doc, "{{ evidence }}")
    p(doc, "三、违法行为、处罚依据和拟处罚意见", "AJ Flush")
    _violations_table(doc, proposed=True)
    p(doc, "{%p for v in violations %}")
    p(
        doc,
        "{{ loop.index }}．{{ v.title }}：{% if v.range_text %}法定罚款幅度为{{ v.range_text }}（{{ v.range_basis }}）；{% endif %}{% if v.reasons %}裁量理由：{{ v.reasons }}。{% endif %}",
    )
    p(doc, "{%p endfor %}")
    p(doc, "综上，建议对当事人{{ penalty_text }}。")
    closing(doc, signs=["报告日期：{{ proposed_on|chinese_date }}"], mark="")
    return doc


def case_handling_approval() -> DocxDocument:
    doc = _new_document("案件处理呈批表")
    header(doc, "案件处理呈批表")
    _form(
        doc,
        [
            ("案　　由", "{{ case_title }}"),
            ("当 事 人", "{{ party.name }}"),
            ("当事人情况", "{{ party.details }}"),
            ("违法事实", "{{ facts }}"),
            ("证　　据", "{{ evidence }}"),
        ],
    )
    _violations_table(doc, proposed=True)
    _form(
        doc,
        [
            ("拟处罚意见", "{{ penalty_text }}"),
            ("承办人意见", "承办人：{{ proposer }}　　{{ proposed_on|chinese_date }}"),
            ("审核意见", ""),
            # 行政处罚法 §57: the head of the agency decides (collectively where required).
            ("审批意见", ""),
        ],
    )
    officers_block(doc)
    seal(doc, mark="")
    return doc


def _you() -> str:
    return "你{{ party.you }}"


def penalty_notice() -> DocxDocument:
    doc = _new_document("行政处罚告知书")
    header(doc, "行政处罚告知书")
    p(doc, "{{ party.name }}：", "AJ Flush")
    p(doc, f"经调查，{_you()}存在下列违法行为：{{{{ facts }}}}")
    _violations_table(doc, proposed=True)
    # 行政处罚法 §44: the intended penalty with its facts, reasons and basis.
    p(doc, f"依据上述规定，本机关拟对{_you()}作出如下行政处罚：{{{{ penalty_text }}}}。")
    # 行政处罚法 §45, §62; the window is the engine's (LEGAL.md §2: 3 working days, a rule confirmed
    # by the legal department), counted from service (§61; §85: working days).
    p(
        doc,
        f"根据{XZCF}第四十四条、第四十五条的规定，{_you()}有权进行陈述和申辩。{_you()}可以自收到本告知书之日起{{{{ defence_period }}}}内"
        "向本机关提出陈述、申辩意见（书面或者口头）；逾期未提出的，视为放弃此权利。（期限依据：{{ defence_basis }}）",
    )
    p(doc, "{%p if defence_due %}")
    p(doc, "本告知书于签发当日送达的，陈述申辩期限至{{ defence_due|chinese_date }}届满；实际以送达回证记载的送达日期起算，法定节假日不计入。")
    p(doc, "{%p endif %}")
    # The hearing right is told in this notice itself, not in a second document: 行政处罚法 (2021)
    # §44 makes the hearing right part of the one notice ("告知当事人依法享有的陈述、申辩、要求听证等
    # 权利"), and §64(1) runs the 5-working-day request window from that notice. A separate 听证告知书
    # (legacy national set) would tell the same right twice and could give a second, conflicting
    # start date. The kind remains issuable (``cases.filing.hearing_right_notice_issue``) for a case
    # file whose review checklist still expects it; it then refers to this notice and its window.
    p(doc, "{%p if hearing_offered %}")
    p(
        doc,
        f"根据{XZCF}第六十三条、第六十四条的规定，{_you()}有权要求举行听证。要求听证的，应当自收到本告知书之日起{{{{ hearing_period }}}}内"
        "向本机关提出；逾期未提出的，视为放弃此权利。当事人不承担行政机关组织听证的费用。",
    )
    p(doc, "{%p if hearing_due %}")
    p(doc, "本告知书于签发当日送达的，申请听证期限至{{ hearing_due|chinese_date }}届满。")
    p(doc, "{%p endif %}")
    p(doc, "{%p endif %}")
    p(doc, f"本机关不得因{_you()}陈述、申辩而给予更重的处罚（{XZCF}第四十五条第二款）。")
    p(doc, "联系人及联系方式：{{ agency_contact }}", "AJ Flush")
    _served_end(doc, "告知书")
    return doc


def hearing_right_notice() -> DocxDocument:
    doc = _new_document("听证告知书")
    header(doc, "听证告知书")
    p(doc, "{{ party.name }}：", "AJ Flush")
    p(doc, f"本机关以{{{{ notice_number }}}}《行政处罚告知书》告知，拟对{_you()}作出如下行政处罚：{{{{ penalty_text }}}}。该处罚属于应当告知听证权利的情形：")
    p(doc, "{%p for r in hearing_reasons %}")
    p(doc, "{{ r.text }}{% if r.article %}（{{ r.article }}）{% endif %}")
    p(doc, "{%p endfor %}")
    p(
        doc,
        f"根据{XZCF}第六十三条、第六十四条的规定，{_you()}有权要求举行听证。要求听证的，应当自收到上述行政处罚告知书之日起{{{{ hearing_period }}}}内"
        "向本机关提出（期限依据：{{ hearing_basis }}）；逾期未提出的，视为放弃此权利。当事人不承担行政机关组织听证的费用。",
    )
    p(doc, "{%p if hearing_due %}")
    p(doc, "上述告知书于{{ notice_served_on|chinese_date }}送达，申请听证期限至{{ hearing_due|chinese_date }}届满。")
    p(doc, "{%p endif %}")
    p(doc, "联系人及联系方式：{{ agency_contact }}", "AJ Flush")
    _served_end(doc, "告知书")
    return doc


def waiver_statement() -> DocxDocument:
    doc = _new_document("放弃陈述申辩声明")
    header(doc, "放弃陈述申辩声明")
    p(doc, "{{ agency_name }}：", "AJ Flush")
    p(
        doc,
        "{{ party.self }}（{{ party.name }}）已收到你机关{{ notice_issued_on|chinese_date }}制作的{{ notice_number }}《行政处罚告知书》，"
        "知悉你机关拟作出的行政处罚（{{ penalty_text }}），以及依法享有的陈述、申辩权利{% if hearing_offered %}和要求听证的权利{% endif %}。",
    )
    # 行政处罚法 §62: only an express waiver allows a decision before the windows pass.
    p(doc, "{{ party.self }}经慎重考虑，自愿声明放弃陈述、申辩权利。")
    p(doc, "{%p if hearing_offered %}")
    p(doc, "是否同时放弃要求听证的权利：□放弃　　□不放弃（请勾选）")
    p(doc, "{%p endif %}")
    p(doc, "", "AJ Flush")
    p(doc, "当事人（签名或者盖章）：______________", "AJ Sign")
    p(doc, "{%p if party.you %}")
    p(doc, "法定代表人（负责人）或者委托代理人（签名）：______________", "AJ Sign")
    p(doc, "{%p endif %}")
    p(doc, "签署日期：　　　　年　　月　　日", "AJ Sign")
    p(doc, "", "AJ Flush")
    officers_block(doc)
    p(doc, "本声明由{{ agency_name }}于{{ issued_date_chinese }}依据告知书内容制发；当事人签署后交回，签字扫描件存入案卷。", "AJ Note")
    return doc


def defence_record() -> DocxDocument:
    doc = _new_document("当事人陈述申辩笔录")
    header(doc, "当事人陈述申辩笔录")
    p(doc, "时间：{{ received_on|chinese_date }}", "AJ Flush")
    p(doc, "地点：{{ place }}", "AJ Flush")
    p(doc, "陈述申辩人：{{ party.name }}{% if speaker %}（{{ speaker }}）{% endif %}", "AJ Flush")
    p(doc, "{%p for o in officers %}", "AJ Flush")
    p(doc, "执法人员：{{ o.name }}　执法证号：{{ o.certificate_no }}", "AJ Flush")
    p(doc, "{%p endfor %}", "AJ Flush")
    p(
        doc,
        "执法人员已出示执法证件，并告知：本次陈述申辩针对{{ notice_number }}《行政处罚告知书》；"
        f"根据{XZCF}第四十五条的规定，你有权进行陈述和申辩，本机关应当充分听取你的意见并进行复核，不得因你陈述、申辩而给予更重的处罚。",
    )
    p(doc, "陈述申辩类别：{{ statement_kind }}", "AJ Flush")
    p(doc, "陈述申辩内容：", "AJ Flush")
    p(doc, "{{ content }}")
    p(doc, "以上笔录已向陈述申辩人宣读（或者由其阅读），确认与所述一致。", "AJ Flush")
    p(doc, "陈述申辩人（签名）：______________　　年　　月　　日", "AJ Sign")
    closing(doc, mark="")
    return doc


def hearing_meeting_notice() -> DocxDocument:
    doc = _new_document("听证会通知书")
    header(doc, "听证会通知书")
    p(doc, "{{ party.name }}：", "AJ Flush")
    p(doc, f"{_you()}于{{{{ requested_on|chinese_date }}}}提出的听证申请，本机关已依法受理。根据{XZCF}第六十四条的规定，现将有关事项通知如下：")
    p(doc, "一、听证日期：{{ hearing_date|chinese_date }}")
    p(doc, "二、听证地点：{{ place }}")
    p(doc, "三、听证主持人：{{ chair }}")
    p(doc, "四、听证方式：{% if public %}公开举行{% else %}不公开举行（{{ not_public_reason }}）{% endif %}")
    p(
        doc,
        f"五、{_you()}可以亲自参加听证，也可以委托一至二人代理；认为听证主持人与本案有直接利害关系的，有权申请回避。"
        f"{_you()}无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，本机关终止听证。",
    )
    p(doc, "六、参加听证时，请携带身份证明、授权委托书（委托代理的）和有关证据材料。")
    p(doc, "联系人及联系方式：{{ agency_contact }}", "AJ Flush")
    _served_end(doc, "通知书")
    return doc


def hearing_record() -> DocxDocument:
    doc = _new_document("听证笔录")
    header(doc, "听证笔录")
    p(doc, "案由：{{ case_title }}", "AJ Flush")
    p(doc, "听证日期：{{ held_on|chinese_date }}", "AJ Flush")
    p(doc, "听证地点：{{ place }}", "AJ Flush")
    p(doc, "听证主持人：{{ chair }}", "AJ Flush")
    p(doc, "听证方式：{% if public %}公开举行{% else %}不公开举行（{{ not_public_reason }}）{% endif %}", "AJ Flush")
    p(doc, "当事人：{{ party.name }}", "AJ Flush")
    p(doc, "案件调查人员：", "AJ Flush")
    p(doc, "{%p for o in officers %}", "AJ Flush")
    p(doc, "{{ o.name }}　执法证号：{{ o.certificate_no }}", "AJ Flush")
    p(doc, "{%p endfor %}", "AJ Flush")
    p(
        doc,
        f"听证主持人宣布听证开始，核对听证参加人身份，宣布听证纪律，告知当事人的权利和义务；调查人员提出当事人违法的事实、证据和行政处罚建议，当事人进行申辩和质证（{XZCF}第六十四条）。",
    )
    p(doc, "听证记录：", "AJ Flush")
    p(doc, "{{ summary }}")
    p(doc, f"本笔录已交当事人或者其代理人核对无误后签字或者盖章；拒绝签字或者盖章的，由听证主持人在笔录中注明（{XZCF}第六十四条第（八）项）。", "AJ Flush")
    p(doc, "当事人或者委托代理人（签名）：______________", "AJ Sign")
    p(doc, "听证主持人（签名）：______________　　记录人（签名）：______________", "AJ Sign")
    closing(doc, mark="")
    return doc


def hearing_report() -> DocxDocument:
    doc = _new_document("听证会报告书")
    header(doc, "听证会报告书")
    p(doc, "案由：{{ case_title }}", "AJ Flush")
    p(doc, "当事人：{{ party.name }}", "AJ Flush")
    p(doc, "本机关于{{ held_on|chinese_date }}在{{ place }}就{{ party.name }}{{ case_title }}一案举行听证，由{{ chair }}主持。")
    p(doc, "听证结果：{{ outcome }}", "AJ Flush")
    p(doc, "一、拟作出的行政处罚：{{ penalty_text }}。")
    p(doc, "二、听证基本情况：{{ summary }}")
    # 行政处罚法 §65: the decision is made on the basis of the hearing record.
    p(doc, "三、听证主持人意见：{{ opinion }}")
    p(doc, f"本机关将依照{XZCF}第五十七条、第六十五条的规定，根据听证笔录作出决定。")
    p(doc, "听证主持人（签名）：______________", "AJ Sign")
    closing(doc, mark="")
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "case_filing_approval.docx": case_filing_approval,
    "investigation_report.docx": investigation_report,
    "case_handling_approval.docx": case_handling_approval,
    "penalty_notice.docx": penalty_notice,
    "hearing_right_notice.docx": hearing_right_notice,
    "waiver_statement.docx": waiver_statement,
    "defence_record.docx": defence_record,
    "hearing_meeting_notice.docx": hearing_meeting_notice,
    "hearing_record.docx": hearing_record,
    "hearing_report.docx": hearing_report,
}
