"""The .docx template of the statistics circular (``stats/circular.py``), laid out with the documents
core's helpers (GB/T 9704-2012 page and fonts). ``python -m anjian.stats.circular_template`` writes
it; tests/stats/test_returns.py checks the committed file is what this builds."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx.document import Document as DocxDocument

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates_docx"
TEMPLATE = "stats_circular.docx"
# The columns of the circular's table (A4 portrait: 156 mm of text width).
TABLE_LINES = ("inspections", "hazards_found", "hazards_found_major", "rectification_rate", "hazards_overdue", "cases_filed", "fines_decided")


def template() -> DocxDocument:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from anjian.documents.build_templates import _new_document, _paragraph_style, p, seal, table

    doc = _new_document("通报")
    p(doc, "{{ agency_name }}", "AJ Agency")
    p(doc, "{{ title }}", "AJ Title")
    p(doc, "{{ number }}", "AJ Number")
    p(doc, "{{ addressee }}", "AJ Flush")
    p(doc, "现将{{ period_label }}全市安全生产监管执法工作情况通报如下。")
    p(doc, "一、总体情况", "AJ Flush")
    p(doc, "{%p for s in summary %}")
    p(doc, "{{ s.text }}")
    p(doc, "{%p endfor %}")
    p(doc, "二、各区市情况", "AJ Flush")
    heads = [("区市", 22.0), ("检查次数", 18.0), ("发现隐患", 18.0), ("重大隐患", 17.0), ("整改率%", 23.0), ("逾期未改", 19.0), ("立案", 17.0), ("罚款万元", 22.0)]
    table(doc, heads, "r in rows", ["{{ r.label }}", *(f"{{{{ r.{key} }}}}" for key in TABLE_LINES)])
    # 小五 (9 pt) in this table: eight columns with a rank each on A4 portrait.
    _paragraph_style(doc, "AJ TableSmall", size=Pt(9), align=WD_ALIGN_PARAGRAPH.CENTER, line=None)
    _paragraph_style(doc, "AJ TableSmallHead", size=Pt(9), align=WD_ALIGN_PARAGRAPH.CENTER, line=None, bold=True)
    for i, row in enumerate(doc.tables[-1].rows):
        for cell in row.cells:
            for para in cell.paragraphs:
                para.style = doc.styles["AJ TableSmallHead" if i == 0 else "AJ TableSmall"]
    p(doc, "{%p if highlights %}", "AJ Flush")
    p(doc, "三、横向对比", "AJ Flush")
    p(doc, "{%p for h in highlights %}")
    p(doc, "{{ h.text }}")
    p(doc, "{%p endfor %}")
    p(doc, "{%p endif %}", "AJ Flush")
    p(doc, "{% if highlights %}四{% else %}三{% endif %}、下步工作要求", "AJ Flush")
    p(doc, "{%p for r in requirements %}")
    p(doc, "{{ r.text }}")
    p(doc, "{%p endfor %}")
    p(doc, "说明：{{ source_note }}", "AJ Note")
    seal(doc)
    return doc


def build_template() -> bytes:
    from anjian.documents.build_templates import _reproducible

    buf = io.BytesIO()
    template().save(buf)
    return _reproducible(buf.getvalue())


def main() -> int:
    TEMPLATE_DIR.mkdir(parents=True, exist_ok=True)
    path = TEMPLATE_DIR / TEMPLATE
    path.write_bytes(build_template())
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

