"""Name / credit-code search that finds 2-character Chinese terms quickly on PostgreSQL.

PLATFORM.md: pg_trgm yields nothing useful for 2-character Chinese terms; a tsvector of character
bigrams (``simple`` configuration) with a GIN index answers in well under a millisecond. The
index is created by migration ``0002_search_index`` on PostgreSQL only; SQLite uses ``icontains``.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q, QuerySet

_SPACE = re.compile(r"\s+")
_TOKEN_SAFE = re.compile(r"[^0-9a-z\u3400-\u9fff\uf900-\ufaff]")


def bigrams(text: str) -> list[str]:
    s = _TOKEN_SAFE.sub("", text.lower())
    return [s[i : i + 2] for i in range(len(s) - 1)]


def search_text_for(*, name: str, uscc: str | None) -> str:
    grams = bigrams(name) + bigrams(uscc or "")
    # Each bigram once: the tsvector needs no positions; keeps the column small.
    return " ".join(dict.fromkeys(grams))


def apply_search(qs: QuerySet, term: str) -> QuerySet:  # type: ignore[type-arg]
    term = _SPACE.sub("", term or "")
    if not term:
        return qs
    exact = Q(name__icontains=term) | Q(uscc__icontains=term)
    grams = bigrams(term)
    if connection.vendor != "postgresql" or not grams:
        return qs.filter(exact)
    # The GIN index narrows to rows holding every bigram; icontains then keeps exact matches only.
    tsquery = " & ".join(dict.fromkeys(grams))
    return qs.extra(
        where=["to_tsvector('simple'::regconfig, \"enterprises_enterprise\".\"search_text\") @@ to_tsquery('simple'::regconfig, %s)"],
        params=[tsquery],
    ).filter(exact)
