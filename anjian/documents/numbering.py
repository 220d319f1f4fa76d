"""Gapless document numbers (文号), allocated inside the issuing transaction (ARCHITECTURE.md rule 5).

The counter row for (agency, 文号 word, year) is locked with ``select_for_update`` and incremented
in the caller's transaction: concurrent issues queue on the row lock, and a transaction that rolls
back gives its number back to the next one. On SQLite (``transaction_mode: IMMEDIATE``) every
writing transaction holds the database write lock from its start, which serialises them as well.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from anjian.core.errors import ValidationFailed
from anjian.documents import registry
from anjian.documents.models import DocumentCounter
from anjian.documents.registry import DocumentKind


def format_number(*, doc_abbr: str, word: str, year: int, seq: int) -> str:
    """``芝应急责改〔2026〕3号``. As GB/T 9704-2012 §7.2.4 has it for 发文字号: the year in full
    inside 六角括号 〔〕, the sequence in Arabic numerals without "第" and without leading zeros."""
    return f"{doc_abbr}{word}〔{year}〕{seq}号"


def _locked_counter(agency_id: int, series: str, year: int) -> DocumentCounter:
    counter = DocumentCounter.objects.select_for_update().filter(agency_id=agency_id, series=series, year=year).first()
    if counter is not None:
        return counter
    # First number of the year: create the row. Two transactions may both find none; the unique
    # constraint lets one insert win and the other (blocked on the index until the winner commits)
    # fail inside its savepoint, after which it reads and locks the winner's row.
    try:
        with transaction.atomic():
            DocumentCounter.objects.create(agency_id=agency_id, series=series, year=year, last=0)
    except IntegrityError:
        pass
    return DocumentCounter.objects.select_for_update().get(agency_id=agency_id, series=series, year=year)


def allocate_number(*, agency_id: int, doc_abbr: str, kind: DocumentKind | str, year: int) -> tuple[int, str]:
    """The next (seq, 文号) for ``kind`` at ``agency_id`` in ``year``. Call inside ``transaction.atomic``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number() must run inside the issuing transaction (transaction.atomic), or a number could be lost")
    if isinstance(kind, str):
        kind = registry.get(kind)
    doc_abbr = (doc_abbr or "").strip()
    if not doc_abbr or any(c.isspace() for c in doc_abbr):
        raise ValidationFailed("签发机关未设置文书代字（如“烟应急”），不能编制文号。请系统管理员在机关信息中填写。", code="doc_abbr_missing", fields={"doc_abbr": "请设置机关文书代字。"})
    if not 2000 <= year <= 9999:
        raise ValidationFailed(f"文号年度{year}无效。", code="document_year_invalid", fields={"year": "年度无效。"})
    counter = _locked_counter(agency_id, kind.number_word, year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, format_number(doc_abbr=doc_abbr, word=kind.number_word, year=year, seq=counter.last)
