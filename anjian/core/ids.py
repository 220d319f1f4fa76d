"""Record ids taken from a request: one parser, bounded to what the database can hold.

Every primary key is a ``BigAutoField`` (a signed 64-bit integer). A filter value such as
``?enterprise=abc`` or ``?jurisdiction=99999999999999999999`` must be refused (the API) or
ignored (a list page) before it reaches a query: the database driver raises on it (SQLite:
``OverflowError``; PostgreSQL: out of range), which was a 500.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

DB_ID_MIN = 1
DB_ID_MAX = 2**63 - 1  # BigAutoField on SQLite and PostgreSQL
ID_MESSAGE = "应为有效的记录编号（正整数）。"


def parse_id(value: Any) -> int | None:
    """The id ``value`` names, or None when it is not one (not a whole number, or out of range)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        n = value
    else:
        text = str(value).strip() if value is not None else ""
        # At most 19 digits: anything longer is out of range anyway, and int() of a huge string
        # is itself a denial-of-service vector.
        if not text.isascii() or not text.isdigit() or len(text) > 19:
            return None
        n = int(text)
    return n if DB_ID_MIN <= n <= DB_ID_MAX else None


def bad_ids(params: Mapping[str, Any], keys: Iterable[str]) -> dict[str, str]:
    """The keys among ``keys`` whose non-blank value in ``params`` is not an id, with the message."""
    return {k: ID_MESSAGE for k in keys if params.get(k) not in (None, "") and parse_id(params.get(k)) is None}


class IdField(forms.IntegerField):
    """A form field for a record id: a positive integer the database can hold."""

    default_error_messages = {"invalid": ID_MESSAGE, "min_value": ID_MESSAGE, "max_value": ID_MESSAGE}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", DB_ID_MIN)
        kwargs.setdefault("max_value", DB_ID_MAX)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        n = parse_id(value)
        if n is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return n
