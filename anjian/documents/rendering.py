"""Rendering a kind's .docx template (docxtpl) with the facts, the number and the date of issue.

Templates are .docx files the project authors (``build_templates.py``); officers open the result
in WPS or Word. Jinja autoescaping is on, so ``<``, ``&`` in a fact never break the XML; a line
break in a fact becomes a line break in the document. PDF conversion goes through LibreOffice when
it is installed (:func:`convert_to_pdf`); it is slow and belongs in a background task (rule 9).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone
from jinja2 import Undefined
from jinja2.exceptions import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from anjian.core.errors import DomainError
from anjian.documents.registry import DocumentKind
from anjian.law.money import amount_capitals, amount_cn, range_cn

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_CN_DIGITS = "〇一二三四五六七八九"


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if len(text) > 10:
        return _as_date(dt.datetime.fromisoformat(text))
    return dt.date.fromisoformat(text)


def _as_datetime(value: Any) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value))
    # Legal times are shown as Beijing time (STYLE.md principle 11).
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _cn_small(n: int) -> str:
    """1…31 in Chinese numerals: 一, 十, 十一, 二十, 三十一."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def chinese_date(value: Any) -> str:
    """二〇二六年十一月二十八日 — the date in Chinese numerals, as in the 落款 of enforcement documents."""
    d = _as_date(value)
    return f"{''.join(_CN_DIGITS[int(c)] for c in str(d.year))}年{_cn_small(d.month)}月{_cn_small(d.day)}日"


def cn_date(value: Any) -> str:
    """2026年11月28日 — Arabic numerals, no leading zeros (GB/T 9704-2012 §7.3.5.1 for 成文日期)."""
    d = _as_date(value)
    return f"{d.year}年{d.month}月{d.day}日"


def cn_time(value: Any) -> str:
    """9时05分."""
    t = _as_datetime(value)
    return f"{t.hour}时{t.minute:02d}分"


def cn_datetime(value: Any) -> str:
    """2026年11月28日9时05分."""
    return f"{cn_date(_as_datetime(value))}{cn_time(value)}"


def cn_span(start: Any, end: Any) -> str:
    """2026年11月28日9时05分至11时30分 — the end's date only when it differs from the start's."""
    if _as_date(start) == _as_date(end):
        return f"{cn_datetime(start)}至{cn_time(end)}"
    return f"{cn_datetime(start)}至{cn_datetime(end)}"


def _safe(fn: Any) -> Any:
    # A filter applied to an optional fact that is absent renders nothing instead of failing.
    def wrapper(value: Any) -> str:
        if value is None or value == "" or isinstance(value, Undefined):
            return ""
        return fn(value)  # type: ignore[no-any-return]

    return wrapper


class _Environment(SandboxedEnvironment):
    """Compiles each template part once: docxtpl hands the same preprocessed XML to
    ``from_string`` on every render of a kind, and compiling it was a third of a render's time.
    The compiled template is immutable and the filters fixed, so it is shared (bounded cache)."""

    _compiled: dict[str, Any]

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        t = self._compiled.get(source)
        if t is None:
            t = super().from_string(source)
            if len(self._compiled) >= 256:
                self._compiled.clear()
            self._compiled[source] = t
        return t


_ENV: _Environment | None = None


def jinja_env() -> SandboxedEnvironment:
    global _ENV
    if _ENV is None:
        _ENV = _make_env()
    return _ENV


def _make_env() -> _Environment:
    # Sandboxed: templates are project files today, but a bureau may one day adapt its own.
    env = _Environment(autoescape=True)
    env._compiled = {}
    env.filters.update(
        {
            "chinese_date": _safe(chinese_date),
            "cn_date": _safe(cn_date),
            "cn_time": _safe(cn_time),
            "cn_datetime": _safe(cn_datetime),
            "cn_span": cn_span,
            # Amounts as people write them (8万元; a single amount is not a range).
            "amount": _safe(lambda v: amount_cn(Decimal(str(v)))),
            # The same amount in Chinese capitals (壹万伍仟元整), as notices and decisions state it.
            "capitals": _safe(lambda v: amount_capitals(Decimal(str(v)))),
            # 人民币贰万元整: a decision states each penalty in figures and in capitals.
            "amount_capitals": _safe(lambda v: amount_capitals(Decimal(str(v)))),
            "amount_range": lambda low, high: range_cn(None if low in (None, "") else Decimal(str(low)), Decimal(str(high))),
        }
    )
    return env


def verify_url(code: str) -> str:
    """The public verification page a document's QR code points to (``ANJIAN_PUBLIC_URL``)."""
    from django.conf import settings

    return f"{str(getattr(settings, 'ANJIAN_PUBLIC_URL', '')).rstrip('/')}/v/{code}/"


def common_context(
    *, kind: DocumentKind, agency_name: str, doc_abbr: str, number: str, year: int, seq: int, issued_on: dt.date, verify_code: str = ""
) -> dict[str, Any]:
    """What the core adds to every document: the agency's full name, the 文号, the date of issue and
    the verification code (一文一码), printed in the footer of every page with its QR code."""
    from anjian.documents.verification import printed

    return {
        "verify_code": printed(verify_code),
        "verify_url": verify_url(verify_code) if verify_code else "",
        "agency_name": agency_name,
        "doc_abbr": doc_abbr,
        "number": number,
        "year": year,
        "seq": seq,
        "kind_name": kind.name,
        "issued_on": issued_on.isoformat(),
        "issued_date_cn": cn_date(issued_on),
        "issued_date_chinese": chinese_date(issued_on),
    }


def render_docx(kind: DocumentKind, context: Mapping[str, Any], common: Mapping[str, Any], *, source: bytes | None = None, source_label: str = "") -> bytes:
    """The rendered .docx as bytes. ``context`` is the normalised facts; ``common`` from :func:`common_context`.
    ``source``: a bureau's own template (documents/templates.py) instead of the kind's own file."""
    from docxtpl import DocxTemplate

    if source is not None:
        tpl = DocxTemplate(io.BytesIO(source))
    else:
        path = kind.template_path
        if not path.is_file():
            raise DomainError(f"《{kind.name}》的模板文件{path.name}不存在，请联系系统管理员。", code="document_template_missing")
        tpl = DocxTemplate(str(path))
    extra: dict[str, Any] = {"verify_qr": ""}
    if common.get("verify_url"):
        import segno
        from docx.shared import Mm
        from docxtpl import InlineImage

        png = io.BytesIO()
        segno.make(str(common["verify_url"]), error="m").save(png, kind="png", scale=4, border=1)
        png.seek(0)
        extra["verify_qr"] = InlineImage(tpl, png, width=Mm(16))
    try:
        tpl.render({**context, **common, **extra}, jinja_env(), autoescape=True)
    except TemplateError as exc:
        raise DomainError(f"《{kind.name}》模板渲染失败：{exc}。文书未签发。", code="document_render_failed") from exc
    props = tpl.docx.core_properties
    props.title = f"{common['number']} {kind.name}"
    props.subject = kind.name
    props.author = str(common["agency_name"])
    props.last_modified_by = str(common["agency_name"])
    props.identifier = str(common["number"])
    props.comments = f"模板 {source_label}" if source is not None else f"模板 {kind.template} 版本 {kind.template_version}"
    props.revision = 1
    issued = dt.datetime.combine(dt.date.fromisoformat(str(common["issued_on"])), dt.time())
    props.created = issued
    props.modified = issued
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_text(data: bytes | str | Path) -> str:
    """The text of a .docx in reading order: body paragraphs and table rows (cells joined by a tab),
    then headers and footers. For tests, search and the case-file index."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    lines: list[str] = []

    def walk(parent: Any, element: Any) -> None:
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                lines.append(Paragraph(child, parent).text)
            elif child.tag == qn("w:tbl"):
                for row in Table(child, parent).rows:
                    cells: list[str] = []
                    seen: set[int] = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                            continue
                        seen.add(id(cell._tc))
                        cells.append("\n".join(p.text for p in cell.paragraphs))
                    lines.append("\t".join(cells))

    walk(doc, doc.element.body)
    for section in doc.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                walk(part, part._element)
    return "\n".join(lines)


# The official faces the templates name, and the face to use where one is not installed: a serif
# CJK face (Debian's fonts-noto-cjk) is closer to 仿宋 and 小标宋 than the sans face fontconfig
# would pick. LibreOffice ignores the templates' ``w:altName``, so the conversion tells fontconfig.
FONT_FALLBACKS = {
    "仿宋_GB2312": "Noto Serif CJK SC",
    "仿宋": "Noto Serif CJK SC",
    "方正小标宋简体": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
}


def fontconfig_fallbacks() -> str:
    """A fontconfig file: the system's configuration, then each official face followed by its
    substitute (``accept``: an installed official face still wins)."""
    aliases = "".join(f'  <alias binding="same"><family>{name}</family><accept><family>{alt}</family></accept></alias>\n' for name, alt in FONT_FALLBACKS.items())
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n{aliases}</fontconfig>\n'
    )


def pdf_available() -> bool:
    return _soffice() is not None


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(data: bytes, *, timeout: int = 180, profile: Path | None = None) -> bytes:
    """The PDF of a .docx through LibreOffice headless; a Chinese refusal when it is not installed.

    Each conversion uses its own LibreOffice profile, so concurrent conversions do not block each
    other on the profile lock. Run it from a background task, never inside a request (rule 9).
    """
    soffice = _soffice()
    if soffice is None:
        raise DomainError(
            "PDF转换未配置：服务器未安装LibreOffice（soffice），暂不能生成PDF。请下载.docx文书，或联系系统管理员安装LibreOffice。",
            code="pdf_not_configured",
        )
    with tempfile.TemporaryDirectory(prefix="anjian-pdf-") as tmp:
        work = Path(tmp)
        src = work / "document.docx"
        src.write_bytes(data)
        # A worker's own profile, kept between its conversions (warm); else one for this conversion.
        if profile is not None:
            profile.mkdir(parents=True, exist_ok=True)
        profile_uri = (profile or work / "profile").resolve().as_uri()
        fonts = work / "fonts.conf"
        fonts.write_text(fontconfig_fallbacks(), encoding="utf-8")
        cmd = [soffice, f"-env:UserInstallation={profile_uri}", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(work), str(src)]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=timeout, env={**os.environ, "FONTCONFIG_FILE": str(fonts)})
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise DomainError("PDF转换失败，请稍后重试或联系系统管理员。", code="pdf_failed") from exc
        pdf = work / "document.pdf"
        if not pdf.is_file():
            raise DomainError("PDF转换失败：LibreOffice未生成文件。", code="pdf_failed")
        return pdf.read_bytes()


def convert_many(datas: list[bytes], *, timeout: int = 600, profile: Path | None = None) -> list[bytes]:
    """The PDFs of several .docx files through one LibreOffice run (one start-up for all: a batch or
    a bundle whose documents have no PDF yet). Same refusals as :func:`convert_to_pdf`."""
    soffice = _soffice()
    if soffice is None:
        raise DomainError("PDF转换未配置：服务器未安装LibreOffice（soffice），暂不能生成PDF。", code="pdf_not_configured")
    if not datas:
        return []
    with tempfile.TemporaryDirectory(prefix="anjian-pdf-") as tmp:
        work = Path(tmp)
        sources = []
        for i, data in enumerate(datas):
            src = work / f"document-{i}.docx"
            src.write_bytes(data)
            sources.append(str(src))
        if profile is not None:
            profile.mkdir(parents=True, exist_ok=True)
        profile_uri = (profile or work / "profile").resolve().as_uri()
        fonts = work / "fonts.conf"
        fonts.write_text(fontconfig_fallbacks(), encoding="utf-8")
        cmd = [soffice, f"-env:UserInstallation={profile_uri}", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(work), *sources]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=timeout, env={**os.environ, "FONTCONFIG_FILE": str(fonts)})
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise DomainError("PDF转换失败，请稍后重试或联系系统管理员。", code="pdf_failed") from exc
        out = []
        for i in range(len(datas)):
            pdf = work / f"document-{i}.pdf"
            if not pdf.is_file():
                raise DomainError("PDF转换失败：LibreOffice未生成文件。", code="pdf_failed")
            out.append(pdf.read_bytes())
        return out
