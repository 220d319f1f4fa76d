"""Rules of the house that a test can hold (ARCHITECTURE.md; docs/architecture.md)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "anjian"


def test_row_locks_with_joins_lock_only_the_row():
    # PostgreSQL refuses FOR UPDATE on the nullable side of an outer join; SQLite ignores locks,
    # so only the PostgreSQL run would notice. Lock the row itself: select_for_update(of=("self",)).
    pattern = re.compile(r"select_for_update\(\)\s*\.\s*select_related")
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in ROOT.rglob("*.py") for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert offenders == []
