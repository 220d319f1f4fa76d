"""Templates of the penalty-case document kinds: casefile. See the package docstring.

结案审批表, 案卷首页 and 卷内目录 of the legacy national set (LEGAL.md §8), laid out with the
helpers of ``documents.build_templates`` (GB/T 9704-2012 page and fonts).
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document as DocxDocument

from anjian.documents.build_templates import _new_document, header, p, seal, table


def closing_approval() -> DocxDocument:
    doc = _new_document("结案审批表")
    header(doc, "结案审批表")
    p(doc, "案　　由：{{ case_title }}", "AJ Flush")
    p(doc, "当 事 人：{{ party.name }}", "AJ Flush")
    p(doc, "{%p if party.address %}", "AJ Flush")
    p(doc, "地　　址：{{ party.address }}", "AJ Flush")
    p(doc, "{%p endif %}", "AJ Flush")
    p(doc, "立案日期：{{ filed_on|cn_date }}", "AJ Flush")
    p(doc, "{%p if decision_number %}", "AJ Flush")
    p(doc, "处罚决定：{{ decision_number }}（{{ decided_on|cn_date }}）", "AJ Flush")
    p(doc, "{%p endif %}", "AJ Flush")
    p(doc, "处理结果：{{ result }}")
    p(doc, "执行情况：{{ execution }}")
    p(doc, "{%p for o in officers %}", "AJ Flush")
    p(doc, "承办人：{{ o.name }}　执法证号：{{ o.certificate_no }}", "AJ Flush")
    p(doc, "{%p endfor %}", "AJ Flush")
    p(doc, "承办人意见：案件已办理终结，建议结案。", "AJ Flush")
    p(doc, "审批意见：同意结案。", "AJ Flush")
    p(doc, "审批人：{{ approver }}　　审批日期：{{ closed_on|cn_date }}", "AJ Flush")
    seal(doc, mark="")
    return doc


def case_file_cover() -> DocxDocument:
    doc = _new_document("案卷首页")
    header(doc, "行政处罚案卷")
    p(doc, "案　　由：{{ case_title }}", "AJ Flush")
    p(doc, "当 事 人：{{ party.name }}", "AJ Flush")
    p(doc, "{%p if decision_number %}", "AJ Flush")
    p(doc, "处罚决定书文号：{{ decision_number }}", "AJ Flush")
    p(doc, "{%p endif %}", "AJ Flush")
    p(doc, "立案日期：{{ filed_on|cn_date }}", "AJ Flush")
    p(doc, "结案日期：{{ closed_on|cn_date }}", "AJ Flush")
    p(doc, "处理结果：{{ result }}", "AJ Flush")
    p(doc, "{%p for o in officers %}", "AJ Flush")
    p(doc, "承 办 人：{{ o.name }}　执法证号：{{ o.certificate_no }}", "AJ Flush")
    p(doc, "{%p endfor %}", "AJ Flush")
    p(doc, "卷内文件：{{ item_count }}件{% if page_total %}，共{{ page_total }}页{% endif %}", "AJ Flush")
    p(doc, "保管期限：{{ retention }}", "AJ Flush")
    p(doc, "{%p if retention_basis %}", "AJ Note")
    p(doc, "保管期限依据：{{ retention_basis }}", "AJ Note")
    p(doc, "{%p endif %}", "AJ Note")
    seal(doc, mark="")
    return doc


def case_file_index() -> DocxDocument:
    doc = _new_document("卷内目录")
    header(doc, "卷内目录")
    p(doc, "案由：{{ case_title }}", "AJ Flush")
    p(doc, "当事人：{{ party.name }}", "AJ Flush")
    table(
        doc,
        [("序号", 14), ("文书名称", 50), ("文号", 40), ("日期", 30), ("页次", 22)],
        "r in rows",
        ["{{ r.seq }}", "{{ r.title }}", "{{ r.number }}", "{{ r.date|cn_date }}", "{{ r.pages }}"],
    )
    p(doc, "{%p if pages_note %}", "AJ Note")
    p(doc, "说明：{{ pages_note }}", "AJ Note")
    p(doc, "{%p endif %}", "AJ Note")
    # 立卷人: the handlers who put the file together (卷内备考表).
    p(doc, "{%p for o in officers %}", "AJ Flush")
    p(doc, "立卷人：{{ o.name }}　执法证号：{{ o.certificate_no }}", "AJ Flush")
    p(doc, "{%p endfor %}", "AJ Flush")
    seal(doc, mark="")
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "closing_approval.docx": closing_approval,
    "case_file_cover.docx": case_file_cover,
    "case_file_index.docx": case_file_index,
}
