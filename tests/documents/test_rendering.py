"""Dates in Chinese, the authored templates (A4, GB/T 9704 margins and fonts) and the PDF hook."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from anjian.core.errors import DomainError
from anjian.documents import build_templates, registry, rendering
from anjian.documents.rendering import chinese_date, cn_date, cn_datetime, cn_span, document_text

TEMPLATES = build_templates.OUT_DIR


@pytest.mark.parametrize(
    ("day", "chinese", "arabic"),
    [
        (dt.date(2026, 11, 28), "二〇二六年十一月二十八日", "2026年11月28日"),
        (dt.date(2020, 10, 1), "二〇二〇年十月一日", "2020年10月1日"),
        (dt.date(2021, 1, 10), "二〇二一年一月十日", "2021年1月10日"),
        (dt.date(2030, 12, 31), "二〇三〇年十二月三十一日", "2030年12月31日"),
        (dt.date(2026, 2, 20), "二〇二六年二月二十日", "2026年2月20日"),
        (dt.date(2009, 5, 19), "二〇〇九年五月十九日", "2009年5月19日"),
    ],
)
def test_dates_in_chinese_and_arabic_numerals(day, chinese, arabic):
    assert chinese_date(day) == chinese
    assert cn_date(day) == arabic
    assert chinese_date(day.isoformat()) == chinese


def test_times_are_shown_in_beijing_time():
    utc = dt.datetime(2026, 11, 28, 1, 5, tzinfo=ZoneInfo("UTC"))
    assert cn_datetime(utc) == "2026年11月28日9时05分"
    assert cn_date("2026-11-27T20:00:00+00:00") == "2026年11月28日"
    assert cn_span("2026-11-28T09:05:00+08:00", "2026-11-28T11:30:00+08:00") == "2026年11月28日9时05分至11时30分"
    assert cn_span("2026-11-28T22:00:00+08:00", "2026-11-29T01:00:00+08:00") == "2026年11月28日22时00分至2026年11月29日1时00分"


def test_every_registered_kind_has_its_template_file():
    for kind in registry.kinds():
        if kind.template_dir == registry.TEMPLATE_DIR:
            assert kind.template_path.is_file(), kind.template


def test_rebuilding_the_templates_reproduces_the_committed_ones(tmp_path: Path):
    built = build_templates.build_all(tmp_path)
    assert {p.name for p in built} == {p.name for p in TEMPLATES.glob("*.docx")}
    for path in built:
        committed = TEMPLATES / path.name
        assert document_text(path) == document_text(committed), f"{path.name}: run python -m anjian.documents.build_templates and commit the result"
        # The XML parts too (formatting), not only the text; zip timestamps are fixed by the script.
        with zipfile.ZipFile(path) as new, zipfile.ZipFile(committed) as old:
            assert sorted(new.namelist()) == sorted(old.namelist())
            for name in new.namelist():
                assert new.read(name) == old.read(name), f"{path.name}:{name} differs from the committed template"


@pytest.mark.parametrize("name", sorted(build_templates.BUILDERS))
def test_templates_are_a4_with_official_margins_and_east_asian_fonts(name: str):
    doc = Document(str(TEMPLATES / name))
    section = doc.sections[0]
    # Stored in twips (1/1440 inch): compare to a tenth of a millimetre.
    assert [round(v.mm, 1) for v in (section.page_width, section.page_height)] == [210, 297]
    assert [round(v.mm, 1) for v in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [37, 35, 28, 26]
    title = doc.styles["AJ Title"]
    assert title.font.size == Pt(22)
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == build_templates.TITLE_FONT
    body = doc.styles["AJ Body"]
    assert body.font.size == Pt(16)
    assert body.element.rPr.rFonts.get(qn("w:eastAsia")) == build_templates.BODY_FONT
    text = document_text(TEMPLATES / name)
    assert "{{ agency_name }}" in text and "{{ number }}" in text and "{{ issued_date_chinese }}" in text


def test_served_forms_carry_remedies_and_seal_area():
    for kind in registry.kinds():
        if kind.template_dir != registry.TEMPLATE_DIR:
            continue
        text = document_text(kind.template_path)
        if kind.code in {"rectification_order", "onsite_measure_decision"}:
            assert "六十日内向{{ review_body }}申请行政复议" in text and "六个月内依法向{{ court }}提起行政诉讼" in text
        if kind.served:
            assert "{{ agency_name }}（印章）" in text and "（签收）" in text


def test_pdf_conversion_without_libreoffice_is_a_chinese_refusal(monkeypatch):
    monkeypatch.setattr(rendering.shutil, "which", lambda name: None)
    assert not rendering.pdf_available()
    with pytest.raises(DomainError) as exc:
        rendering.convert_to_pdf(b"")
    assert exc.value.code == "pdf_not_configured" and "PDF转换未配置" in exc.value.message


@pytest.mark.skipif(not rendering.pdf_available(), reason="LibreOffice 未安装:PDF 转换为可选功能")
def test_pdf_conversion_with_libreoffice():
    data = (TEMPLATES / "rectification_order.docx").read_bytes()
    pdf = rendering.convert_to_pdf(data)
    assert pdf.startswith(b"%PDF")


def test_document_text_reads_tables_in_order():
    data = (TEMPLATES / "rectification_order.docx").read_bytes()
    lines = document_text(io.BytesIO(data).getvalue()).splitlines()
    heads = next(i for i, line in enumerate(lines) if line.startswith("序号\t存在的问题\t违反的规定\t整改期限"))
    row = next(i for i, line in enumerate(lines) if line.startswith("{{ loop.index }}\t{{ item.text }}\t{{ item.basis }}\t"))
    assert heads < row


@pytest.mark.skipif(not rendering.pdf_available() or not shutil.which("pdftotext"), reason="LibreOffice 或 poppler-utils 未安装：PDF 转换为可选功能")
def test_the_pdf_uses_a_serif_face_and_keeps_each_certificate_number_on_one_line(world, issue):
    """Issue 8 F: where 仿宋 is missing the body falls back to Noto Serif CJK SC, not a sans face, and
    the officer block never breaks a certificate number onto a second line."""
    import subprocess
    import tempfile
    from pathlib import Path

    from tests.documents.conftest import sample_context

    ctx = sample_context("inspection_record")
    ctx["officers"] = [{"name": "欧阳晓明", "certificate_no": "370602201900123456"}, {"name": "李娜", "certificate_no": "37060200456"}]
    pdf = rendering.convert_to_pdf(issue("inspection_record", context=ctx).file.read())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "record.pdf"
        path.write_bytes(pdf)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in fonts and "SansCJK" not in fonts
    signature_lines = [line for line in text.splitlines() if "签名" in line and "执法证号" in line]
    assert len(signature_lines) == 2
    assert "370602201900123456" in signature_lines[0] and "37060200456" in signature_lines[1]


def test_a_template_part_is_compiled_once_and_renders_each_context(monkeypatch):
    """The environment compiles each template part once (the demo and a busy bureau issue the same
    kinds again and again); each render still gets its own context."""
    env = rendering.jinja_env()
    assert env is rendering.jinja_env()
    compiled: list[str] = []
    original = type(env).__mro__[1].from_string

    def counting(self, source, globals=None, template_class=None):
        compiled.append(source)
        return original(self, source, globals, template_class)

    monkeypatch.setattr(type(env).__mro__[1], "from_string", counting)
    env._compiled.clear()
    a = env.from_string("<w:t>{{ party.name }}</w:t>")
    b = env.from_string("<w:t>{{ party.name }}</w:t>")
    assert a is b and len(compiled) == 1
    assert a.render(party={"name": "甲公司"}) == "<w:t>甲公司</w:t>"
    assert b.render(party={"name": "乙<公司>"}) == "<w:t>乙&lt;公司&gt;</w:t>"  # autoescaped, as before
