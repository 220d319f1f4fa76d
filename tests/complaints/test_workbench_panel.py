"""The office's workbench panel (issue 12 item 8): waiting for acceptance, due within seven days,
overdue; each count equal to the rows of the list its link opens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from anjian.complaints import services
from tests.complaints.conftest import START, at, register


def _entries(world: Any, name: str) -> dict[str, Any]:
    c = Client()
    c.force_login(world.user(name))
    return {e["key"]: e for e in c.get("/api/v1/workbench/").json()["entries"]}


def _rows(world: Any, name: str, url: str) -> int:
    c = Client()
    c.force_login(world.user(name))
    return c.get(url).content.decode().count('data-testid="complaint-row"')


def test_office_panel_counts_match_their_lists(cw: Any, clock: Any) -> None:
    a, _ = register(cw)
    b, _ = register(cw, kind="report", grounds=["other"])
    services.submission_accept(actor=cw.user("office_a"), submission=b, accepted_on=START.date())
    b.refresh_from_db()
    assert a.next_due == dt.date(2026, 3, 17) and b.next_due == dt.date(2026, 5, 6)
    at(clock, dt.date(2026, 3, 12))
    es = _entries(cw, "office_a")
    assert (es["complaints_to_accept"]["count"], es["complaints_due_week"]["count"], es["complaints_overdue"]["count"]) == (1, 1, 0)
    assert es["complaints_due_week"]["items"][0]["article"] == "《信访工作条例》第二十二条"
    at(clock, dt.date(2026, 3, 20))
    es = _entries(cw, "office_a")
    assert es["complaints_overdue"]["count"] == 1 and es["complaints_overdue"]["items"][0]["days_left"] == -3
    for key in ("complaints_to_accept", "complaints_due_week", "complaints_overdue"):
        assert _rows(cw, "office_a", es[key]["url"]) == es[key]["count"], key
    assert not any(k.startswith("complaints_") for k in _entries(cw, "officer_a"))
