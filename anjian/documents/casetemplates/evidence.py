"""Templates of the penalty-case document kinds: evidence. See the package docstring.

The legacy national forms of the investigation (LEGAL.md §8) brought up to the 2021 行政处罚法:
officers show their certificates (§55), at least two of them (§42), the party signs or its refusal
is recorded; the preservation states the seven-working-day decision period (§56, §85).
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from docx.document import Document as DocxDocument


def _bt() -> ModuleType:
    """The helpers of ``build_templates``, imported on first use: a module-level import would be
    circular when ``build_templates`` runs as ``__main__`` (it imports this package at its end, and
    this module would then import a second copy of it, which imports this package again)."""
    from anjian.documents import build_templates

    return build_templates


XZCF = "《中华人民共和国行政处罚法》"


def _signature(who: str, mark: str = "（签名）") -> list[str]:
    """The party's signature or the record of its refusal to sign (the lines of a closing)."""
    return [
        "{%p if refusal_note %}",
        f"{who}拒绝签字。拒绝签字情况：{{{{ refusal_note }}}}",
        "{%p else %}",
        f"{who}{mark}：{{{{ signer }}}}　　　　年　　月　　日",
        "{%p endif %}",
    ]


def _items(doc: DocxDocument) -> None:
    """The things sampled or preserved, one row each."""
    _bt().table(
        doc,
        [("序号", 14), ("物品名称", 60), ("规格（型号）", 46), ("数量", 36)],
        "it in items",
        ["{{ loop.index }}", "{{ it.name }}", "{{ it.spec }}", "{{ it.quantity }}{{ it.unit }}"],
    )


def interview_notice() -> DocxDocument:
    bt = _bt()
    doc = bt._new_document("询问通知书")
    bt.header(doc, "询问通知书")
    bt.p(doc, "{{ interviewee }}：", "AJ Flush")
    bt.p(
        doc,
        f"为调查了解{{{{ party.name }}}}{{{{ case_title }}}}一案的有关情况，依据{XZCF}第五十五条的规定，请你于{{{{ appointed_at|cn_datetime }}}}到{{{{ place }}}}接受询问调查。",
    )
    bt.p(doc, "{%p if bring %}")
    bt.p(doc, "请携带以下材料：{{ bring }}。")
    bt.p(doc, "{%p endif %}")
    bt.p(doc, "被询问人为单位的，请由法定代表人（负责人）或者持有授权委托书的人员到场；被询问人为个人的，请携带本人居民身份证。")
    bt.p(doc, "你有如实回答询问、协助调查的义务；执法人员与本案有直接利害关系或者有其他关系可能影响公正执法的，你有权申请回避。本案执法人员：")
    bt.p(doc, "{%p for o in officers %}", "AJ Flush")
    bt.p(doc, "{{ o.name }}　执法证号：{{ o.certificate_no }}", "AJ Flush")
    bt.p(doc, "{%p endfor %}", "AJ Flush")
    bt.closing(doc, officers=False, signs=["被询问人（签收）：__________　　年　　月　　日"], note=bt.copies("通知书"))
    return doc


def interview_record() -> DocxDocument:
    bt = _bt()
    doc = bt._new_document("询问笔录")
    bt.header(doc, "询问笔录")
    bt.p(doc, "案　　由：{{ party.name }}{{ case_title }}", "AJ Flush")
    bt.p(doc, "询问时间：{{ started_at|cn_span(ended_at) }}", "AJ Flush")
    bt.p(doc, "询问地点：{{ place }}", "AJ Flush")
    bt.p(doc, "被询问人：{{ interviewee.name }}　　身份证号码：{{ interviewee.id_number }}", "AJ Flush")
    bt.p(doc, "工作单位：{{ interviewee.employer }}　　职务：{{ interviewee.position }}　　联系电话：{{ interviewee.phone }}", "AJ Flush")
    bt.p(doc, "住　　址：{{ interviewee.address }}", "AJ Flush")
    bt.p(doc, "{%p for o in officers %}", "AJ Flush")
    bt.p(doc, "询问人：{{ o.name }}　执法证号：{{ o.certificate_no }}", "AJ Flush")
    bt.p(doc, "{%p endfor %}", "AJ Flush")
    bt.p(doc, "记录人：{{ recorder }}", "AJ Flush")
    bt.p(
        doc,
        "我们是{{ agency_name }}的行政执法人员，已向你出示行政执法证件。现依法就有关问题向你进行询问调查，你应当如实回答，"
        "不得作虚假陈述；执法人员与本案有直接利害关系或者有其他关系可能影响公正执法的，你有权申请回避。你听清楚了吗？",
    )
    bt.p(doc, "{{ content }}")
    bt.p(doc, "以上笔录已交被询问人核对（或者已向其宣读），被询问人确认无误。", "AJ Body")
    bt.closing(doc, signs=_signature("被询问人"), mark="")
    return doc


def survey_record() -> DocxDocument:
    bt = _bt()
    doc = bt._new_document("勘验笔录")
    bt.header(doc, "勘验笔录")
    bt.p(doc, "案　　由：{{ case_title }}", "AJ Flush")
    bt.p(doc, "当 事 人：{{ party.name }}", "AJ Flush")
    bt.p(doc, "勘验时间：{{ started_at|cn_span(ended_at) }}", "AJ Flush")
    bt.p(doc, "勘验场所：{{ place }}", "AJ Flush")
    bt.p(doc, "{%p for o in officers %}", "AJ Flush")
    bt.p(doc, "勘验人：{{ o.name }}　执法证号：{{ o.certificate_no }}", "AJ Flush")
    bt.p(doc, "{%p endfor %}", "AJ Flush")
    bt.p(doc, "当事人或其代理人：{{ participants }}", "AJ Flush")
    bt.p(doc, "{%p if witness %}", "AJ Flush")
    bt.p(doc, "见 证 人：{{ witness }}", "AJ Flush")
    bt.p(doc, "{%p endif %}", "AJ Flush")
    bt.p(doc, "我们是{{ agency_name }}的行政执法人员，已出示行政执法证件。现依法对上述场所进行勘验检查，请予配合。")
    bt.p(doc, "勘验情况：{{ findings }}", "AJ Flush")
    witness = ["{%p if witness %}", "见证人（签名）：{{ witness }}　　　　年　　月　　日", "{%p endif %}"]
    bt.closing(doc, signs=[*_signature("当事人或其代理人"), *witness], mark="")
    return doc


def sampling_voucher() -> DocxDocument:
    bt = _bt()
    doc = bt._new_document("抽样取证凭证")
    bt.header(doc, "抽样取证凭证")
    bt.p(doc, "{{ party.name }}：", "AJ Flush")
    bt.p(doc, f"为调查{{{{ case_title }}}}一案，依据{XZCF}第五十六条的规定，本机关执法人员于{{{{ sampled_on|cn_date }}}}在{{{{ place }}}}对下列物品进行抽样取证：")
    _items(doc)
    bt.closing(doc, signs=_signature("当事人", "（签收）"), note=bt.copies("凭证"))
    return doc


def preservation_notice() -> DocxDocument:
    bt = _bt()
    doc = bt._new_document("先行登记保存证据通知书")
    bt.header(doc, "先行登记保存证据通知书")
    bt.p(doc, "{{ party.name }}：", "AJ Flush")
    bt.p(
        doc,
        "因调查{{ case_title }}一案，下列证据可能灭失或者以后难以取得，经本机关负责人批准，"
        f"依据{XZCF}第五十六条的规定，本机关于{{{{ preserved_on|cn_date }}}}对下列物品予以先行登记保存：",
    )
    _items(doc)
    bt.p(doc, "保存地点：{{ place }}", "AJ Flush")
    bt.p(doc, "在此期间，你（单位）或者有关人员不得销毁或者转移上述证据。本机关将于{{ due|cn_date }}前（七个工作日内）依法作出处理决定。")
    bt.closing(doc, signs=[bt.PARTY_RECEIPT], note=bt.copies("通知书"))
    return doc


def preservation_decision() -> DocxDocument:
    bt = _bt()
    doc = bt._new_document("先行登记保存证据处理决定书")
    bt.header(doc, "先行登记保存证据处理决定书")
    bt.p(doc, "{{ party.name }}：", "AJ Flush")
    bt.p(doc, "本机关于{{ preserved_on|cn_date }}以{{ notice_number }}《先行登记保存证据通知书》对你（单位）下列物品予以先行登记保存：")
    _items(doc)
    bt.p(doc, f"依据{XZCF}第五十六条的规定，本机关对上述物品作出如下处理决定：{{{{ outcome_text }}}}。")
    bt.p(doc, "{%p if detail %}")
    bt.p(doc, "具体内容：{{ detail }}")
    bt.p(doc, "{%p endif %}")
    bt.p(doc, "{%p if late %}")
    bt.p(doc, "本决定超过七个工作日的处理期限作出，先行登记保存措施已于期满时解除。")
    bt.p(doc, "{%p endif %}")
    bt.p(doc, bt.REMEDIES.format(what="决定"))
    bt.closing(doc, signs=[bt.PARTY_RECEIPT], note=bt.copies("决定书"))
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "interview_notice.docx": interview_notice,
    "interview_record.docx": interview_record,
    "survey_record.docx": survey_record,
    "sampling_voucher.docx": sampling_voucher,
    "preservation_notice.docx": preservation_notice,
    "preservation_decision.docx": preservation_decision,
}
