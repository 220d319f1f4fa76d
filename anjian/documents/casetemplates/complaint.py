"""Templates of the complaint and report document kinds (issue 12). See the package docstring."""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document as DocxDocument

from anjian.documents.build_templates import _new_document, closing, header, p, table

XFTL = "《信访工作条例》"


def complaint_reply() -> DocxDocument:
    doc = _new_document("投诉举报答复意见书")
    header(doc, "投诉举报答复意见书")
    p(doc, "{{ addressee }}：", "AJ Flush")
    p(doc, "本机关于{{ received_on|cn_date }}收到你反映的{{ kind_label }}事项：{{ summary }}。本机关依法受理并会同有关科室进行了调查核实，现将调查处理意见答复如下：")
    table(doc, [("序号", 14), ("反映事项", 72), ("调查结论", 70)], "f in findings", ["{{ loop.index }}", "{{ f.ground }}", "{{ f.conclusion }}"])
    p(doc, "{{ reply }}")
    p(
        doc,
        f"如对本答复意见不服，可以自收到本意见书之日起三十日内，依照{XFTL}第三十五条的规定，请求{{{{ review_body }}}}复查。",
    )
    # Served by hand (signed here) or by registered mail (the return receipt is the proof).
    closing(doc, officers=False, signs=["投诉举报人（签收）：__________　　年　　月　　日"])
    return doc


def complaint_referral() -> DocxDocument:
    doc = _new_document("投诉举报转送函")
    header(doc, "投诉举报转送函")
    p(doc, "{{ referred_to }}：", "AJ Flush")
    p(doc, "本机关于{{ received_on|cn_date }}收到{{ kind_label }}一件，反映事项：{{ summary }}。")
    p(doc, "经审查，{{ reason }}。依照" + XFTL + "第二十二条第二款的规定，现将该事项转送你单位依法处理，并请将处理结果告知投诉举报人。")
    p(doc, "投诉举报人的身份和联系方式另行密送；请依法为投诉举报人保密。")
    closing(doc, officers=False)
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "complaint_reply.docx": complaint_reply,
    "complaint_referral.docx": complaint_referral,
}
