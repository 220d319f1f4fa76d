"""Author the .docx templates of the documents core with python-docx.

Run ``.venv/bin/python -m anjian.documents.build_templates`` after changing a text below, commit
the regenerated files in ``templates_docx/`` together with this script, and raise the kind's
``template_version`` in ``registry.py`` (a test checks that the committed files are what this
script produces). The output is byte-reproducible: the zip entries carry a fixed timestamp.

Layout follows GB/T 9704-2012 (党政机关公文格式), the reference for official documents:
A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a 156 × 225 mm
text block); titles in 2号 (22 pt) 小标宋; the body in 3号 (16 pt) 仿宋 with a fixed line pitch
of 28.95 pt (22 lines a page); page numbers "— 1 —" in 4号 宋体. Tables use 4号 so that a finding
and its legal basis fit side by side. The font names are written into ``w:eastAsia`` so WPS and
Word pick them; a server without them (Debian has no 仿宋) substitutes, the bureau's PCs have them.

The texts follow the legacy national forms (安全生产监管监察执法文书式样, LEGAL.md §8) brought up
to the 2021 安全生产法 (article numbers) and the 2023 行政复议法 (remedies).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT_DIR = Path(__file__).resolve().parent / "templates_docx"

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(14)  # 四号
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines
TWO_CHARS = Pt(32)  # 首行缩进二字 at 16 pt
NO_SPACE = Pt(0)
FIXED_TIME = dt.datetime(2026, 1, 1)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)

AQSCF = "《中华人民共和国安全生产法》"
REMEDIES = (
    "如不服本{what}，可以依法在六十日内向{{{{ review_body }}}}申请行政复议，或者在六个月内依法向{{{{ court }}}}提起行政诉讼。"
    "行政复议或者行政诉讼期间，本{what}不停止执行，法律另有规定的除外。"
)


# --- styles -----------------------------------------------------------------------------------


def _fonts(rpr_parent: object, name: str) -> None:
    """Set every script's font to ``name`` and drop theme fonts (they would win over the name)."""
    rpr = rpr_parent.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), name)


def _doc_defaults(doc: DocxDocument) -> None:
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _paragraph_style(
    doc: DocxDocument,
    name: str,
    *,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    align: int = WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_indent: Pt | None = None,
    right_indent: Pt | None = None,
    line: Pt | None = LINE_PITCH,
    space_before: Pt = NO_SPACE,
    space_after: Pt = NO_SPACE,
    bold: bool = False,
) -> None:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.font.size = size
    style.font.bold = bold
    _fonts(style.element, font)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = first_indent
    fmt.right_indent = right_indent
    fmt.space_before = space_before
    fmt.space_after = space_after
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    fmt.widow_control = False


# Substitutes where the official faces are missing: a serif CJK face (Debian's fonts-noto-cjk), not
# a sans one. Word and WPS read ``w:altName`` and the family; LibreOffice (PDF conversion) ignores
# them and follows fontconfig, which ``rendering.convert_to_pdf`` points at the same face.
FALLBACK_SERIF = "Noto Serif CJK SC"
FALLBACK_FONTS = {TITLE_FONT: FALLBACK_SERIF, BODY_FONT: FALLBACK_SERIF, PAGE_NUMBER_FONT: FALLBACK_SERIF}


def _font_table(doc: DocxDocument) -> None:
    """Declare each face with its substitute: a serif (roman) GB2312 face, alternative name Noto Serif CJK SC."""
    from lxml import etree

    part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable"))
    root = etree.fromstring(part.blob)
    for name, alt in FALLBACK_FONTS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt), ("w:charset", "86"), ("w:family", "roman"), ("w:pitch", "variable")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _new_document(title: str) -> DocxDocument:
    doc = Document()
    _doc_defaults(doc)
    _font_table(doc)
    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    _fonts(normal.element, BODY_FONT)
    _paragraph_style(doc, "AJ Agency", font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36))
    _paragraph_style(doc, "AJ Title", font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36), space_after=Pt(6))
    _paragraph_style(doc, "AJ Number", align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=Pt(12))
    _paragraph_style(doc, "AJ Flush")  # 顶格: the addressee, labelled fields
    _paragraph_style(doc, "AJ Body", first_indent=TWO_CHARS)
    _paragraph_style(doc, "AJ Sign", align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph_style(doc, "AJ SignTable", size=TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT, line=Pt(24))
    # The officers' lines stay together and with the party's signature below them.
    doc.styles["AJ SignTable"].paragraph_format.keep_with_next = True
    _paragraph_style(doc, "AJ SealBox", align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(doc, "AJ Table", size=TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT, line=None)
    _paragraph_style(doc, "AJ TableHead", size=TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, line=None, bold=True)
    _paragraph_style(doc, "AJ TableCenter", size=TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, line=None)
    _paragraph_style(doc, "AJ Note", size=TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT, line=None, space_before=Pt(12))
    _paragraph_style(doc, "AJ Footer", font=PAGE_NUMBER_FONT, size=TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, line=None)

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(20)
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["AJ Footer"]
    footer.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    footer.add_run(" —")
    # 一文一码 (documents/verification.py): the QR code and the code on every page, one run so
    # that the tags survive WPS/Word editing; empty where the core renders without a code.
    section.footer.add_paragraph(
        "{% if verify_code %}{{ verify_qr }} 核验码：{{ verify_code }}（扫码核验真伪）{% endif %}", style=doc.styles["AJ Footer"]
    )

    props = doc.core_properties
    props.title = title
    props.subject = title
    props.author = "anjian"
    props.last_modified_by = "anjian"
    props.comments = "由 anjian/documents/build_templates.py 生成，请勿手工修改"
    props.keywords = "执法文书模板"
    props.revision = 1
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return doc


# --- building blocks ----------------------------------------------------------------------------


def p(doc: DocxDocument, text: str, style: str = "AJ Body") -> None:
    # One run per paragraph: a Jinja tag split over runs would not survive WPS/Word editing.
    doc.add_paragraph(text, style=style)


def header(doc: DocxDocument, title: str) -> None:
    p(doc, "{{ agency_name }}", "AJ Agency")
    p(doc, title, "AJ Title")
    p(doc, "{{ number }}", "AJ Number")


def table(doc: DocxDocument, heads: list[tuple[str, float]], loop: str, cells: list[str]) -> None:
    """A table with a header row and one row per item (``{%tr for … %}`` … ``{%tr endfor %}``)."""
    t = doc.add_table(rows=4, cols=len(heads))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for col, (_, width) in zip(t.columns, heads, strict=True):
        col.width = Mm(width)
    rows = t.rows
    for i, (head, width) in enumerate(heads):
        for r in range(4):
            rows[r].cells[i].width = Mm(width)
        cell = rows[0].cells[i]
        cell.paragraphs[0].text = head
        cell.paragraphs[0].style = doc.styles["AJ TableHead"]
    # Mark the header row to repeat on each page.
    tr_pr = rows[0]._tr.get_or_add_trPr()
    tbl_header = OxmlElement("w:tblHeader")
    tr_pr.append(tbl_header)
    rows[1].cells[0].paragraphs[0].text = f"{{%tr for {loop} %}}"
    for i, text in enumerate(cells):
        cell = rows[2].cells[i]
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = doc.styles["AJ Table" if i else "AJ TableCenter"]
    rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
    for r in (1, 3):
        rows[r].cells[0].paragraphs[0].style = doc.styles["AJ Table"]


def _plain_table(doc: DocxDocument, widths: list[float], align: int) -> Any:
    t = doc.add_table(rows=0, cols=len(widths))  # no table style: no borders
    t.alignment = align
    t.autofit = False
    for col, width in zip(t.columns, widths, strict=True):
        col.width = Mm(width)
    return t


def _row(t: Any, texts: list[str], style: str, widths: list[float]) -> None:
    cells = t.add_row().cells
    for cell, text, width in zip(cells, texts, widths, strict=True):
        cell.width = Mm(width)
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = t.part.document.styles[style]


def _no_wrap(cell: Any) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_pr.append(OxmlElement("w:noWrap"))


def officers_block(doc: DocxDocument) -> None:
    """One line per officer: printed name and certificate number, space to sign (XZCF §42, §55).

    In 4号 with the certificate column wide enough for a 20-character number and no wrapping, so
    the number never breaks onto a second line (LibreOffice and Word alike)."""
    widths = [54.0, 78.0, 24.0]
    t = _plain_table(doc, widths, WD_TABLE_ALIGNMENT.CENTER)
    _row(t, ["{%tr for o in officers %}", "", ""], "AJ SignTable", widths)
    _row(t, ["执法人员：{{ o.name }}", "执法证号：{{ o.certificate_no }}", "签名："], "AJ SignTable", widths)
    _row(t, ["{%tr endfor %}", "", ""], "AJ SignTable", widths)
    for cell in t.rows[1].cells:
        _no_wrap(cell)


# The inspected unit's receipt on a served inspection form.
INSPECTED_RECEIPT = "被检查单位负责人（签收）：__________　　年　　月　　日"


def seal(doc: DocxDocument, mark: str = "（印章）") -> None:
    """The 落款: the agency's full name over the date, centred on each other, at the right; one
    row that may not split, so name and date never land on different pages."""
    p(doc, "", "AJ Flush")
    widths = [100.0]
    t = _plain_table(doc, widths, WD_TABLE_ALIGNMENT.RIGHT)
    _row(t, ["{{ agency_name }}" + mark], "AJ SealBox", widths)
    cell = t.rows[0].cells[0]
    cell.paragraphs[0].paragraph_format.keep_with_next = True
    cell.add_paragraph("{{ issued_date_chinese }}", style=doc.styles["AJ SealBox"])
    t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def copies(what: str, *, kept: str = "存档", to: str = "交被检查单位") -> str:
    """The note of the copies: 本{what}一式两份：一份由{agency}{kept}，一份{to}。"""
    return f"本{what}一式两份：一份由{{{{ agency_name }}}}{kept}，一份{to}。"


def copies_note(doc: DocxDocument, what: str) -> None:
    p(doc, copies(what), "AJ Note")


# The party's receipt on a served penalty-case document.
PARTY_RECEIPT = "当事人（签收）：__________　　年　　月　　日"


def closing(doc: DocxDocument, *, signs: Sequence[str] = (), officers: bool = True, mark: str = "（印章）", note: str = "") -> None:
    """The end of a document: a blank line, the officers who sign it (unless ``officers`` is
    false), the lines signed on the other side (``signs``: a receipt, a signature or the record of
    its refusal), the 落款 (``mark``: "" for a record, which is signed, not sealed) and the note of
    the copies."""
    p(doc, "", "AJ Flush")
    if officers:
        officers_block(doc)
    for line in signs:
        p(doc, line, "AJ Sign")
    seal(doc, mark)
    if note:
        p(doc, note, "AJ Note")


# --- the four forms ----------------------------------------------------------------------------


def inspection_record() -> DocxDocument:
    doc = _new_document("现场检查记录")
    header(doc, "现场检查记录")
    p(doc, "被检查单位：{{ party.name }}", "AJ Flush")
    p(doc, "地　　址：{{ party.address }}", "AJ Flush")
    p(doc, "法定代表人（负责人）：{{ party.legal_representative }}　　联系电话：{{ party.phone }}", "AJ Flush")
    p(doc, "检查地点：{{ place }}", "AJ Flush")
    p(doc, "检查时间：{{ started_at|cn_span(ended_at) }}", "AJ Flush")
    # One officer a line, so that a certificate number never breaks across lines.
    p(doc, "{%p for o in officers %}", "AJ Flush")
    p(doc, "执法人员：{{ o.name }}　执法证号：{{ o.certificate_no }}", "AJ Flush")
    p(doc, "{%p endfor %}", "AJ Flush")
    # AQSCF §67: officers show their enforcement certificates when they inspect.
    p(doc, "我们是{{ agency_name }}的行政执法人员，已向你单位出示行政执法证件。现依法对你单位进行现场检查，请予配合。")
    # AQSCF §68: the record states what was checked, what was found and how it was handled.
    p(doc, "检查内容：{{ content }}", "AJ Flush")
    p(doc, "检查情况：{{ situation }}", "AJ Flush")
    p(doc, "{%p if findings %}")
    table(doc, [("序号", 16), ("检查发现的问题", 96), ("所在部位", 44)], "f in findings", ["{{ loop.index }}", "{{ f.text }}", "{{ f.location }}"])
    p(doc, "{%p else %}")
    p(doc, "本次检查未发现安全生产违法行为和事故隐患。")
    p(doc, "{%p endif %}")
    p(doc, "现场处理情况：{{ handling }}", "AJ Flush")
    # AQSCF §68: a refusal to sign is recorded and reported to the agency. A record is signed, not
    # sealed: the agency's name and the date close it.
    refusal = f"被检查单位负责人拒绝签字。检查人员已依照{AQSCF}第六十八条的规定将情况记录在案，并向本机关报告。"
    signs = ["{%p if refusal_note %}", refusal, "拒绝签字情况：{{ refusal_note }}", "{%p else %}", "被检查单位负责人：{{ party_signer }}　签名：____________", "{%p endif %}"]
    closing(doc, signs=signs, mark="", note=copies("记录"))
    return doc


def rectification_order() -> DocxDocument:
    doc = _new_document("责令限期整改指令书")
    header(doc, "责令限期整改指令书")
    p(doc, "{{ party.name }}：", "AJ Flush")
    p(doc, "本机关执法人员于{{ inspection_date|cn_date }}对你单位进行安全生产监督检查，发现你单位存在下列问题：")
    # Each problem's own period on its row (or the one period of the order): the deadline stored
    # for each hazard on service is computed from exactly this.
    table(
        doc,
        [("序号", 14), ("存在的问题", 64), ("违反的规定", 42), ("整改期限", 36)],
        "item in problems",
        [
            "{{ loop.index }}",
            "{{ item.text }}",
            "{{ item.basis }}",
            "{% if item.period_text %}{{ item.period_text }}{% elif deadline %}{{ deadline|cn_date }}前{% else %}{{ deadline_text }}{% endif %}",
        ],
    )
    p(
        doc,
        f"依据{AQSCF}第六十五条第一款第二项、第三项的规定，现责令你单位对上述问题"
        "{% if deadline %}于{{ deadline|cn_date }}前{% elif deadline_text %}{{ deadline_text }}{% else %}分别在上表所列期限内{% endif %}整改完毕，"
        "达到有关法律、法规、规章和国家标准或者行业标准的要求，并将整改情况书面报告本机关。",
    )
    p(doc, "整改期间，你单位应当采取有效的安全防范措施，确保安全生产；重大事故隐患排除前或者排除过程中无法保证安全的，应当从危险区域内撤出作业人员。")
    # AQSCF §102: a hazard not eliminated — fine up to ¥50,000; refusal → suspension and personal fines.
    p(
        doc,
        f"逾期未整改或者整改不符合要求的，本机关将依法处理：未采取措施消除事故隐患的，依照{AQSCF}第一百零二条的规定，处五万元以下的罚款；"
        "拒不执行的，责令停产停业整顿，对直接负责的主管人员和其他直接责任人员处五万元以上十万元以下的罚款；构成犯罪的，依法追究刑事责任。",
    )
    p(doc, REMEDIES.format(what="指令"))
    closing(doc, signs=[INSPECTED_RECEIPT], note=copies("文书"))
    return doc


def onsite_measure_decision() -> DocxDocument:
    doc = _new_document("现场处理措施决定书")
    header(doc, "现场处理措施决定书")
    p(doc, "{{ party.name }}：", "AJ Flush")
    p(doc, "本机关执法人员于{{ inspection_date|cn_date }}对你单位进行安全生产监督检查时，发现你单位存在下列重大事故隐患，在隐患排除前或者排除过程中无法保证安全：")
    table(doc, [("序号", 14), ("重大事故隐患", 72), ("判定依据", 70)], "h in hazards", ["{{ loop.index }}", "{{ h.text }}", "{{ h.basis }}"])
    p(doc, "{%p if reason %}")
    p(doc, "无法保证安全的事实：{{ reason }}")
    p(doc, "{%p endif %}")
    p(doc, "依据{{ legal_basis }}的规定，本机关决定对你单位采取下列现场处理措施：")
    p(doc, "{{ measure }}")
    p(doc, "措施范围：{{ scope }}")
    p(doc, "你单位应当立即执行本决定，并采取措施排除上述重大事故隐患。重大事故隐患排除后，经本机关审查同意，方可恢复生产经营和使用。")
    # AQSCF §70: refusal with a real danger → power and explosives supply stopped, with the head's approval.
    p(
        doc,
        f"你单位拒不执行本决定，有发生生产安全事故的现实危险的，本机关可以依照{AQSCF}第七十条的规定，"
        "经本机关主要负责人批准，通知有关单位停止供电、停止供应民用爆炸物品等，强制你单位履行决定。",
    )
    p(doc, REMEDIES.format(what="决定"))
    closing(doc, signs=[INSPECTED_RECEIPT], note=copies("文书"))
    return doc


def reinspection_opinion() -> DocxDocument:
    doc = _new_document("整改复查意见书")
    header(doc, "整改复查意见书")
    p(doc, "{{ party.name }}：", "AJ Flush")
    p(
        doc,
        "本机关于{{ order_date|cn_date }}作出{{ order_number }}《{{ order_title or '责令限期整改指令书' }}》，责令你单位对所列问题限期整改。"
        "本机关执法人员于{{ reinspection_date|cn_date }}对你单位下列隐患的整改情况进行了复查，复查情况如下：",
    )
    table(
        doc,
        [("序号", 14), ("复查的隐患", 72), ("复查结果", 26), ("说明", 44)],
        "r in results",
        ["{{ loop.index }}", "{{ r.text }}", "{{ '合格' if r.rectified else '不合格' }}", "{{ r.note }}{% if r.period_text %}（{{ r.period_text }}）{% endif %}"],
    )
    p(doc, "复查意见：{{ conclusion }}")
    p(doc, "{%p if results|rejectattr('rectified')|list %}")
    p(
        doc,
        f"整改期间，你单位应当采取有效的安全防范措施，确保安全生产。逾期未整改或者整改不符合要求的，本机关将依照{AQSCF}第一百零二条等规定依法处理。",
    )
    p(doc, "{%p endif %}")
    closing(doc, signs=[INSPECTED_RECEIPT], note=copies("文书"))
    return doc


_BASE_BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "inspection_record.docx": inspection_record,
    "rectification_order.docx": rectification_order,
    "onsite_measure_decision.docx": onsite_measure_decision,
    "reinspection_opinion.docx": reinspection_opinion,
}


def builders() -> dict[str, Callable[[], DocxDocument]]:
    """Every template: the ones above and the penalty-case ones (``casetemplates``, which use the
    helpers of this module). Looked up when asked, not at import, so that ``casetemplates`` can
    import this module at its top (also when this module runs as ``python -m``)."""
    from anjian.documents.casetemplates import BUILDERS as case_builders

    out = dict(_BASE_BUILDERS)
    for name, builder in case_builders.items():
        if name in out:
            raise RuntimeError(f"template {name} is built twice")
        out[name] = builder
    return out


def __getattr__(name: str) -> Any:
    if name == "BUILDERS":  # build_templates.BUILDERS, as the tests and callers read it
        return builders()
    raise AttributeError(name)


def _reproducible(data: bytes) -> bytes:
    """The same zip with fixed entry timestamps, so an unchanged template rebuilds byte for byte."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def build(name: str) -> bytes:
    buf = io.BytesIO()
    builders()[name]().save(buf)
    return _reproducible(buf.getvalue())


def build_all(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in builders():
        path = out_dir / name
        path.write_bytes(build(name))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else OUT_DIR
    for path in build_all(out):
        print(path)
    return 0


if __name__ == "__main__":
    # Through the package module, not this __main__ copy: the case templates import that one.
    from anjian.documents.build_templates import main as package_main

    raise SystemExit(package_main())
