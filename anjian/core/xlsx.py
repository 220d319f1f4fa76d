"""The one text-cell writer of every .xlsx the system writes (formula injection, issue 8 item 8).

A spreadsheet program runs a cell that starts with ``=`` as a formula (openpyxl even stores such a
string as one), and ``+ - @`` and a leading tab or carriage return are read as formulas when a
cell is edited or the sheet passes through CSV. A unit named ``=HYPERLINK("http://…","点击")`` must
stay that text. Every value goes through ``cell``/``row`` here: such text is written as an explicit
string with Excel's quote prefix (shown and re-imported unchanged, never evaluated); numbers and
dates stay typed.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl.cell import WriteOnlyCell

from anjian.core.errors import ValidationFailed

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(DANGEROUS_STARTS)


def cell(ws: Any, value: Any, *, font: Any = None, fill: Any = None, alignment: Any = None) -> Any:
    """One cell for ``ws.append`` (write-only or not): text that could run as a formula becomes
    an explicit string with the quote prefix; other values are written as they are."""
    if not is_dangerous(value) and font is None and fill is None and alignment is None:
        return value
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        c.data_type = "s"
        if is_dangerous(value):
            c.quotePrefix = True
    if font is not None:
        c.font = font
    if fill is not None:
        c.fill = fill
    if alignment is not None:
        c.alignment = alignment
    return c


def row(ws: Any, values: Iterable[Any], **style: Any) -> list[Any]:
    """A row for ``ws.append``: every value through ``cell``."""
    return [cell(ws, v, **style) for v in values]


def put(target: Any, value: Any) -> Any:
    """Set a cell of a normal worksheet (``ws.cell(row, column)``) through the same rule."""
    target.value = value
    if is_dangerous(value):
        target.data_type = "s"
        target.quotePrefix = True
    return target


# --- reading an uploaded .xlsx (the ledger import, the staff import) ------------------------------


def unreadable() -> ValidationFailed:
    return ValidationFailed("无法读取该文件：请上传用Excel或WPS保存的.xlsx文件（不支持.xls、.csv或加密的文件）。", code="import_file")


def store_upload(upload: Any, dest: Path, *, limit: int) -> tuple[int, str, int]:
    """Write an uploaded .xlsx to ``dest`` while checking it: a zip (.xls, .csv or a renamed file
    are refused), not empty, at most ``limit`` bytes, holding a workbook, and not unpacking to more
    than 50 × ``limit`` (a zip bomb). Returns (size, SHA-256, unpacked size)."""
    too_big = ValidationFailed(f"文件超过{limit // (1024 * 1024)}MB，请分成多个文件导入。", code="import_file")
    if getattr(upload, "size", 0) and upload.size > limit:
        raise too_big
    digest = hashlib.sha256()
    size = 0
    first = True
    with open(dest, "wb") as out:
        for chunk in upload.chunks():
            if first:
                # .xlsx is a zip: anything else (.xls, .csv, a renamed file) is refused here.
                if not chunk.startswith(b"PK\x03\x04"):
                    raise unreadable()
                first = False
            size += len(chunk)
            if size > limit:
                raise too_big
            digest.update(chunk)
            out.write(chunk)
    if first:
        raise ValidationFailed("上传的文件是空的。", code="import_file")
    try:
        with zipfile.ZipFile(dest) as zf:
            names = set(zf.namelist())
            unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError):
        raise unreadable() from None
    if "xl/workbook.xml" not in names:
        raise unreadable()
    if unpacked > 50 * limit:  # a zip bomb, or a file far larger than any import
        raise ValidationFailed("文件解压后过大，请分成多个文件导入。", code="import_file")
    return size, digest.hexdigest(), unpacked


# --- handing a workbook to the browser ------------------------------------------------------------

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(book: Any, name: str) -> HttpResponse:
    """An attachment response for ``book`` (an openpyxl Workbook, or its bytes) named ``name``
    (RFC 6266: the Chinese name travels as ``filename*=utf-8''…``)."""
    if isinstance(book, (bytes, bytearray)):
        data = bytes(book)
    else:
        buf = io.BytesIO()
        book.save(buf)
        data = buf.getvalue()
    resp = HttpResponse(data, content_type=MIME)
    resp["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return resp
