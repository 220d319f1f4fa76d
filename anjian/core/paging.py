"""Paging a queryset whose exact total is computed another way."""

from __future__ import annotations

from typing import Any


class Counted:
    """A queryset with its total already known. Django's ``Paginator`` (and so DRF's page-number
    pagination) asks the object list for ``count()``; this answers with the given number instead of
    running ``queryset.count()``, and slices the queryset for the page rows.

    Use it where a cheaper query gives the same exact total (the ledger counts a sector filter on a
    bit column while it chooses the page rows through the link table)."""

    def __init__(self, queryset: Any, total: int) -> None:
        self.queryset = queryset
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key: Any) -> Any:
        return self.queryset[key]

    @property
    def ordered(self) -> bool:
        return bool(self.queryset.ordered)
