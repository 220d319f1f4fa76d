"""Templates of the penalty-case document kinds: decision. See the package docstring.

The decision follows 行政处罚法 §59 (party; facts and evidence; provisions breached; penalty and
its basis; manner and time of performance; remedies and their time limits; agency, date, seal),
§67 (payment within 15 days at the designated bank, 罚缴分离) and §72 (surcharge of 3% a day, never
above the fine); the 当场 decision §52 and §68; the referral §27.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document as DocxDocument

from anjian.documents.build_templates import PARTY_RECEIPT, REMEDIES, _new_document, closing, copies, header, p, seal, table

XZCF = "《中华人民共和国行政处罚法》"

# §72 ¶1(1): 3% of the fine a day after the deadline; §72 ¶2 (with 行政强制法 §45): never above the fine.
SURCHARGE = f"到期不缴纳罚款的，本机关将依照{XZCF}第七十二条第一款第一项的规定，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额。"
# §72 ¶1(3) with 行政强制法 §53: no remedy sought, no performance → the court enforces.
ENFORCEMENT = "{you}在法定期限内不申请行政复议或者提起行政诉讼，又不履行本决定的，本机关将依法申请人民法院强制执行。"


def _violations(doc: DocxDocument, you: str) -> None:
    p(doc, "{%p for v in violations %}")
    p(
        doc,
        "{% if violations|length > 1 %}（{{ loop.index }}）{% endif %}" + you + "{{ v.text }}的行为，违反了{{ v.violated }}的规定。"
        "依据{{ v.basis }}的规定{% if v.reasons %}，考虑到{{ v.reasons }}{% endif %}，决定{{ v.penalty }}。",
    )
    p(doc, "{%p endfor %}")


def _decision(you: str, party_lines: list[str]) -> DocxDocument:
    doc = _new_document("行政处罚决定书")
    header(doc, "行政处罚决定书")
    for line in party_lines:
        p(doc, line, "AJ Flush")
    # §59 ¶1(2): the facts and the evidence.
    p(doc, "关于{{ case_title }}，经本机关依法调查，现查明：")
    p(doc, "{{ facts }}")
    p(doc, "{%p if evidence %}")
    p(doc, "以上事实有下列证据证实：")
    p(doc, "{%p for e in evidence %}")
    p(doc, "{{ loop.index }}．{{ e.text }}")
    p(doc, "{%p endfor %}")
    p(doc, "{%p endif %}")
    # §44, §45, §62 (and §63–§65): notice, statement and defence or hearing, and their review.
    p(doc, "{%p for item in procedure %}")
    p(doc, "{{ item.text }}")
    p(doc, "{%p endfor %}")
    # §59 ¶1(2)(3): the provisions breached, the penalty and its basis, per violation.
    p(doc, "本机关认为：")
    _violations(doc, you)
    p(doc, "{%p if not no_fine %}")
    p(doc, "以上罚款合计人民币{{ fine_total }}元（大写：人民币{{ fine_total|amount_capitals }}）。")
    # §59 ¶1(4), §67: where and by when; the agency never collects itself (罚缴分离).
    p(doc, you + "应当{{ payment_deadline }}，到{{ payment_place }}缴纳罚款。" + SURCHARGE)
    p(doc, "{%p endif %}")
    # §59 ¶1(5): the remedies, their bodies and time limits.
    p(doc, REMEDIES.format(what="决定"))
    p(doc, ENFORCEMENT.format(you=you))
    closing(doc, officers=False, signs=[PARTY_RECEIPT], note=copies("决定书", to="送达当事人"))
    return doc


def penalty_decision_unit() -> DocxDocument:
    return _decision(
        "你单位",
        [
            "当事人：{{ party.name }}",
            "统一社会信用代码：{{ party.uscc }}",
            "住所（地址）：{{ party.address }}",
            "法定代表人（负责人）：{{ party.legal_representative }}{% if party.phone %}　联系电话：{{ party.phone }}{% endif %}",
        ],
    )


def penalty_decision_person() -> DocxDocument:
    return _decision(
        "你",
        [
            "当事人：{{ party.name }}{% if party.gender %}　性别：{{ party.gender }}{% endif %}",
            "身份证号码：{{ party.id_number }}",
            "工作单位及职务：{{ party.unit or '无' }}{% if party.position %}　{{ party.position }}{% endif %}",
            "住址：{{ party.address or '—' }}",
        ],
    )


def penalty_decision_onsite() -> DocxDocument:
    doc = _new_document("当场行政处罚决定书")
    header(doc, "当场行政处罚决定书")
    p(doc, "当事人：{{ party.name }}", "AJ Flush")
    p(
        doc,
        "{% if party.kind == 'unit' %}统一社会信用代码：{{ party.uscc }}　法定代表人（负责人）：{{ party.legal_representative }}"
        "{% else %}身份证号码：{{ party.id_number }}{% if party.unit %}　工作单位：{{ party.unit }}{% endif %}{% endif %}",
        "AJ Flush",
    )
    p(doc, "{%p if party.address %}", "AJ Flush")
    p(doc, "地址：{{ party.address }}", "AJ Flush")
    p(doc, "{%p endif %}", "AJ Flush")
    # §52 ¶1: the officers show their certificates; the decision names the act, the basis, the penalty.
    p(doc, "本机关执法人员已向当事人出示行政执法证件。经查，当事人于{{ decided_on|cn_date }}被发现存在下列违法行为：{{ facts }}")
    p(doc, "{%p for v in violations %}")
    p(doc, "上述行为违反了{{ v.violated }}的规定。依据{{ v.basis }}的规定，决定{{ v.penalty }}。")
    p(doc, "{%p endfor %}")
    p(doc, "当事人陈述、申辩情况：{{ statement or '当事人未提出陈述、申辩。' }}")
    p(doc, "{%p if collected_onsite %}")
    # §68 (with §69): on-the-spot collection only for ≤ ¥100 or where later collection is impossible; a receipt.
    p(doc, f"依据{XZCF}第六十八条的规定，罚款已由执法人员当场收缴（{{{{ onsite_ground }}}}），并出具专用票据（票据号：{{{{ receipt_no }}}}）。")
    p(doc, "{%p elif not no_fine %}")
    p(doc, "当事人应当{{ payment_deadline }}，到{{ payment_place }}缴纳罚款。" + SURCHARGE)
    p(doc, "{%p endif %}")
    p(doc, REMEDIES.format(what="决定"))
    # §52 ¶3: the summary decision is reported to the agency for the record.
    closing(doc, signs=["当事人（签收）：{{ recipient }}　签名：__________"], note="本决定书一式两份：一份当场交付当事人，一份由执法人员报{{ agency_name }}备案。")
    return doc


def case_referral() -> DocxDocument:
    doc = _new_document("案件移送书")
    header(doc, "案件移送书")
    p(doc, "{{ referred_to }}：", "AJ Flush")
    p(doc, "本机关办理的{{ case_title }}（当事人：{{ party.name }}），{% if filed_on %}于{{ filed_on|cn_date }}立案，{% endif %}经调查，查明：")
    p(doc, "{{ facts }}")
    p(doc, "本机关认为：{{ reason }}")
    # §27 ¶1: a violation suspected to be a crime goes to the judicial authority.
    p(doc, f"依据{XZCF}第二十七条第一款的规定，现将该案移送你单位依法处理，并请将处理结果书面告知本机关。")
    p(doc, "{%p if materials %}")
    p(doc, "附件：移送材料清单", "AJ Flush")
    table(doc, [("序号", 16), ("材料名称", 104), ("页数或件数", 36)], "m in materials", ["{{ loop.index }}", "{{ m.text }}", "{{ m.count or '' }}"])
    p(doc, "{%p endif %}")
    seal(doc)
    p(doc, "本移送书一式两份：一份送受移送机关，一份由{{ agency_name }}存档。", "AJ Note")
    return doc


def collective_discussion_record() -> DocxDocument:
    doc = _new_document("行政处罚集体讨论记录")
    header(doc, "行政处罚集体讨论记录")
    p(doc, "案由：{{ case_title }}", "AJ Flush")
    p(doc, "当事人：{{ party.name }}", "AJ Flush")
    p(doc, "讨论时间：{{ held_on|cn_date }}", "AJ Flush")
    p(doc, "记录人：{{ recorder or '—' }}", "AJ Flush")
    p(doc, "参加人员：", "AJ Flush")
    table(doc, [("序号", 16), ("姓名", 50), ("职务", 90)], "a in attendees", ["{{ loop.index }}", "{{ a.name }}", "{{ a.post }}"])
    p(doc, "案件情况：{{ summary }}")
    p(doc, "拟处罚意见：")
    p(doc, "{%p for x in proposals %}")
    p(doc, "（{{ loop.index }}）{{ x.text }}：{{ x.penalty }}")
    p(doc, "{%p endfor %}")
    p(doc, "{%p if reasons %}")
    # §57 ¶2: complex cases and serious violations given heavier penalties are decided collectively.
    p(doc, "提交集体讨论的理由：{% for r in reasons %}{{ r.text }}{% if not loop.last %}；{% endif %}{% endfor %}。")
    p(doc, "{%p endif %}")
    p(doc, "讨论结论：{{ conclusion }}")
    p(doc, "减轻处罚：{{ mitigation }}")
    closing(doc, officers=False, signs=["{%p for a in attendees %}", "参加人员：{{ a.name }}（{{ a.post }}）　签名：__________", "{%p endfor %}"], mark="")
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "collective_discussion_record.docx": collective_discussion_record,
    "penalty_decision_unit.docx": penalty_decision_unit,
    "penalty_decision_person.docx": penalty_decision_person,
    "penalty_decision_onsite.docx": penalty_decision_onsite,
    "case_referral.docx": case_referral,
}
