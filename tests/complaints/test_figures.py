"""Figures of complaints and reports (issue 12 item 9): counts by kind, ground, department and
outcome for a period, the share answered in time and the median days to reply; scoped like the
list (another district's not counted, a handler sees only theirs, a named officer never the
complaint naming them); a fixed number of queries; the page, the .xlsx and the API."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from rest_framework.test import APIClient

from anjian.complaints import clocks, services
from anjian.complaints.models import Submission
from anjian.stats import complaints_figures as fig
from anjian.stats.indicators import BadPeriod
from tests.complaints.conftest import START, register, to_approved

D = START.date()  # 2026-03-02
_seq = itertools.count(1)


def make(
    world: Any,
    *,
    district: str = "a",
    kind: str = "complaint",
    grounds: list[str] | None = None,
    received_on: dt.date = D,
    officers: tuple[str, ...] = (),
    handler: str = "",
    departments: tuple[Any, ...] = (),
    **kw: Any,
) -> Submission:
    """A submission written directly with the dates a test needs (the services' journeys are tested elsewhere)."""
    s = Submission.objects.create(
        jurisdiction=getattr(world, f"district_{district}"), owner_agency=getattr(world, f"agency_{district}"), kind=kind, channel="letter",
        grounds=grounds or (["uncivil"] if kind == "complaint" else ["hidden_hazard"]), summary=f"统计用{kind}{next(_seq)}", content="内容",
        tracking_digest=f"{next(_seq):064d}", received_on=received_on, handler=world.user(handler).staff if handler else None, **kw,
    )  # fmt: skip
    s.named_officers.set([world.user(n).staff for n in officers])
    s.departments.set(departments)
    return s


def figures(user: Any, code: str = "2026-Q1") -> fig.Figures:
    return fig.figures(user, fig.parse_period(code))


def by(rows: list[fig.Row]) -> dict[str, int]:
    return {r.code: r.count for r in rows}


@pytest.fixture
def mixed(cw: Any) -> Any:
    make(cw, grounds=["no_certificate", "uncivil"], officers=("officer_a",), handler="officer_a2", departments=(cw.dept_a,))
    make(cw, kind="report", grounds=["hidden_hazard", "unlicensed"])
    make(cw, grounds=["other_harm"], received_on=dt.date(2025, 12, 20))  # before the period
    make(cw, district="b", grounds=["uncivil", "money"])  # another district
    return cw


def test_counts_by_kind_ground_and_department(mixed: Any) -> None:
    f = figures(mixed.user("office_a"))
    assert f.received == 2 and by(f.by_kind) == {"complaint": 1, "report": 1}
    grounds = by(f.by_ground)
    assert grounds["no_certificate"] == 1 and grounds["uncivil"] == 1 and grounds["hidden_hazard"] == 1 and grounds["unlicensed"] == 1
    assert grounds["money"] == 0 and grounds["other_harm"] == 0  # district B's and last year's not counted
    assert grounds["other"] == 0  # "other" does not match "other_harm"
    assert by(f.by_department) == {str(mixed.dept_a.pk): 1}
    # the whole year 2025 + 2026 to date for the city: the districts' as well
    assert figures(mixed.user("leader_city"), "2026").received == 3


def test_scope_handler_and_named_officer(mixed: Any) -> None:
    assert figures(mixed.user("officer_a2")).received == 1  # the handler: theirs only
    named = figures(mixed.user("officer_a"))  # named in that complaint, handles nothing
    assert named.received == 0 and by(named.by_ground)["no_certificate"] == 0
    assert figures(mixed.user("officer_b")).received == 0  # B's officer handles none of B's
    with pytest.raises(BadPeriod):
        fig.parse_period("2026-Q5")


def test_findings_and_outcomes(cw: Any) -> None:
    sub, _ = register(cw, officers=["officer_a"], grounds=["no_certificate", "uncivil"])
    sub = to_approved(cw, sub)  # no_certificate not substantiated, uncivil substantiated
    services.outcome_record(actor=cw.user("office_a"), submission=sub, kind="apology", ground="uncivil", officer_id=cw.user("officer_a").staff.pk, note="已道歉", done_on=D)
    f = figures(cw.user("office_a"))
    found = {r.code: (r.substantiated, r.not_substantiated) for r in f.findings}
    assert found == {"no_certificate": (0, 1), "uncivil": (1, 0)}
    assert by(f.by_outcome) == {"correction": 0, "accountability": 0, "apology": 1}
    assert figures(cw.user("office_a"), "2025").by_outcome[2].count == 0


def test_answered_in_time_and_median(cw: Any) -> None:
    jan = dt.date(2026, 1, 5)
    # accepted in autumn 2025, so that the 60 days end in the period (2026-Q1, standing at 2 March)
    on_time = make(cw, accepted_on=dt.date(2025, 11, 20), replied_on=dt.date(2026, 1, 10))
    late_answered = make(cw, accepted_on=dt.date(2025, 11, 1), replied_on=dt.date(2026, 2, 20))
    late_open = make(cw, accepted_on=dt.date(2025, 11, 10))
    extended = make(cw, accepted_on=dt.date(2025, 12, 10), extension_status="approved")  # +30: not yet due on 2 March
    not_due = make(cw, accepted_on=dt.date(2026, 2, 1))  # still within 60 days: not in the denominator
    make(cw, district="b", accepted_on=dt.date(2025, 11, 1))  # another district's overdue: not counted
    for s in (on_time, late_answered, late_open, extended, not_due):
        s.jurisdiction = cw.district_a
    due = {s.pk: clocks.handling_due(s).date for s in (on_time, late_answered, late_open, extended, not_due)}
    assert on_time.replied_on <= due[on_time.pk] and late_answered.replied_on > due[late_answered.pk] and jan <= due[late_open.pk] < D
    assert due[extended.pk] > D and due[not_due.pk] > D
    f = figures(cw.user("office_a"))
    assert (f.in_time, f.late, f.late_unanswered, f.undetermined) == (1, 2, 1, 0)
    assert f.in_time_share == pytest.approx(33.3)
    assert f.replied == 2
    assert f.median_days == pytest.approx(((on_time.replied_on - on_time.accepted_on).days + (late_answered.replied_on - late_answered.accepted_on).days) / 2)
    # the late one was late in 2026-Q1, not again in a later period; nothing fell due in 2025-Q3
    empty = figures(cw.user("office_a"), "2025-Q3")
    assert empty.due_total == 0 and empty.in_time_share is None and empty.median_days is None


def test_queries_do_not_grow_with_rows(cw: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            figures(cw.user("office_a"))
        return len(ctx.captured_queries)

    make(cw, grounds=["uncivil"], departments=(cw.dept_a,), accepted_on=dt.date(2025, 11, 20), replied_on=dt.date(2026, 1, 10))
    count()  # warm: the user's scope and the loaded calendar are cached after the first call
    first = count()
    for i in range(8):
        make(cw, grounds=["uncivil", "money"], departments=(cw.dept_a,), accepted_on=dt.date(2025, 11, 1 + i), replied_on=dt.date(2026, 1, 10 + i) if i % 2 else None)
    assert count() == first
    assert first <= 14


def test_page_xlsx_and_api(mixed: Any) -> None:
    c = Client()
    c.force_login(mixed.user("office_a"))
    r = c.get("/complaints/figures/", {"period": "2026-Q1"})
    body = r.content.decode()
    assert r.status_code == 200 and "按期答复率" in body and "存在事故隐患" in body and "监管一科" in body
    assert c.get("/complaints/figures/", {"period": "2026-13"}).status_code == 400
    x = c.get("/complaints/figures.xlsx", {"period": "2026-Q1"})
    assert x.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(x.streaming_content) if x.streaming else x.content))
    assert {"概况", "按类别", "按事项", "按科室", "调查结论", "处理结果"} <= set(wb.sheetnames)
    assert [list(r) for r in wb["按类别"].iter_rows(values_only=True)][1:] == [["行政执法投诉", 1], ["安全生产举报", 1]]
    api = APIClient()
    api.force_authenticate(mixed.user("office_a"))
    j = api.get("/api/v1/complaints/figures/", {"period": "2026-Q1"})
    assert j.status_code == 200 and j.json()["received"] == 2 and j.json()["timeliness"]["due_total"] == 0
    assert api.get("/api/v1/complaints/figures/", {"period": "nope"}).status_code == 400
    api.force_authenticate(mixed.user("officer_b"))
    assert api.get("/api/v1/complaints/figures/").json()["received"] == 0
    # no complaints pages for an administrator-only user (三员分立)
    for name in ("admin_a",):
        api.force_authenticate(mixed.user(name))
        assert api.get("/api/v1/complaints/figures/").status_code == 403
        c.force_login(mixed.user(name))
        assert c.get("/complaints/figures/").status_code == 403
