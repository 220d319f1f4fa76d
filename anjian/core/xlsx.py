"""The one text-cell writer of every .xlsx the system writes (formula injection, issue 8 item 8).

A spreadsheet program runs a cell that starts with ``=`` as a formula (openpyxl even stores such a
string as one), and ``+ - @`` and a leading tab or carriage return are read as formulas when a
cell is edited or the sheet passes through CSV. A unit named ``=HYPERLINK("http://…","点击")`` must
stay that text. Every value goes through ``cell``/``row`` here: such text is written as an explicit
string with Excel's quote prefix (shown and re-imported unchanged, never evaluated); numbers and
dates stay typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell

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
