"""The rollups: equal to the raw counts after a day of mixed activity (also late and backdated
records), idempotent, cheap when nothing changed, checked by ``anjian stats check``."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from tests.conftest import make_uscc
from tests.inspections.conftest import calendar  # noqa: F401
from tests.stats.test_indicators import A_OFFICERS, TODAY, _at, _hazard, _inspect, _serve, city, city_q3_figure  # noqa: F401

pytestmark = pytest.mark.django_db
YEAR_START = dt.date(2026, 1, 1)


def _rows() -> list[tuple[Any, ...]]:
    from anjian.stats.models import Rollup

    return sorted(Rollup.objects.values_list("indicator", "grain", "day", "jurisdiction_id", "agency_id", "sector", "value"))


def _mixed_day(city: Any) -> None:  # noqa: F811
    """A day of mixed activity on TODAY, part of it dated in the past."""
    from anjian.enterprises import services as ents
    from anjian.hazards import services as hz
    from anjian.org import services as org
    from anjian.org.models import Certificate, Department

    w = city["world"]
    e1, e2, e3, _e4 = city["e"]
    officer = w.user("officer_a")
    _at(city["traveller"], TODAY)
    new = ents.enterprise_create(actor=officer, jurisdiction=w.district_a, name="芝罘新登记五厂", uscc=make_uscc(15), sectors=["industry.machinery"])
    _inspect(w, "officer_a", new, TODAY, "random", A_OFFICERS)
    # A visit of 3 July recorded only today (the offline form synced late), with a hazard of that day.
    late = _inspect(w, "officer_a", e2, dt.date(2026, 7, 3), "special", A_OFFICERS)
    h = _hazard(w, "officer_a", late, dt.date(2026, 7, 3), "消防通道堵塞", 3)
    _serve(w, "officer_a", h, late, dt.date(2026, 7, 3))
    # e2 turns out to be a mine too: every past figure of e2 by sector moves.
    ents.enterprise_update(actor=officer, enterprise=e2, sectors=["industry.machinery", "mine.underground"])
    # officer_a2's certificate was suspended on 1 August (recorded today).
    cert = Certificate.objects.get(staff=w.user("officer_a2").staff)
    org.certificate_event_record(actor=w.user("office_a"), certificate=cert, kind="suspended", date=dt.date(2026, 8, 1), note="暂扣")
    sup = Department.objects.get(agency=w.agency_a, kind="supervision")
    t = hz.transfer_send(
        actor=w.user("supervisor_a"),
        enterprise=e1,
        from_department=sup,
        to_department=Department.objects.get(agency=w.agency_a, kind="enforcement"),
        facts="移交",
        hazards=[city["h"][1]],
    )
    hz.transfer_accept(actor=w.user("leader_a"), transfer=t)
    assert e3  # 福山 untouched


def test_rollups_equal_raw_counts_after_a_day_of_mixed_activity(city: Any) -> None:  # noqa: F811
    from anjian.stats import rollups

    first = rollups.refresh()
    assert first.recomputed["inspections"][0] == dt.date(2026, 6, 20)
    assert rollups.check(YEAR_START, TODAY) == []
    _mixed_day(city)
    result = rollups.refresh()
    # Only what changed is recomputed, from the earliest day it touches.
    assert result.recomputed["inspections"][0] == dt.date(2026, 6, 20)  # e2's sectors changed: from its first inspection
    assert result.recomputed["hazards"][0] == dt.date(2026, 6, 20)
    assert result.recomputed["staff"][0] == dt.date(2020, 1, 1)
    assert "measures" not in result.recomputed  # nothing about measures changed (today already computed)
    assert rollups.check(YEAR_START, TODAY) == []
    incremental = _rows()
    rollups.rebuild()
    assert _rows() == incremental
    leader = city["world"].user("leader_city")
    assert city_q3_figure("inspections", leader).value == 8  # + today's visit + the late one of 3 July
    assert city_q3_figure("hazards_found", leader).value == 5
    assert city_q3_figure("certified_officers", leader).value == 11
    assert city_q3_figure("transfer_days_to_accept", leader).value == Decimal("1.5")  # (3 + 0) / 2
    assert city_q3_figure("ledger_units", leader).value == 4


def test_refresh_is_idempotent_and_cheap_when_nothing_changed(city: Any, django_assert_max_num_queries: Any) -> None:  # noqa: F811
    from anjian.stats import rollups

    rollups.refresh()
    rows = _rows()
    with django_assert_max_num_queries(2):
        again = rollups.refresh()
    assert again.recomputed == {} and _rows() == rows
    rollups.refresh(today_too=True)  # recomputes today: the same rows
    assert _rows() == rows


def test_the_daily_task_reads_the_sweep(city: Any) -> None:  # noqa: F811
    """The overdue sweep writes no audit event: the daily task recomputes today in any case."""
    from anjian.hazards import services as hz
    from anjian.stats import rollups
    from anjian.stats.tasks import refresh_rollups

    w = city["world"]
    rollups.refresh()
    leader = w.user("leader_city")
    assert city_q3_figure("hazards_overdue", leader).value == 1
    _at(city["traveller"], TODAY)  # recorded today, dated 10 September
    insp = _inspect(w, "officer_a", city["e"][0], dt.date(2026, 9, 10), "planned", A_OFFICERS)
    h = _hazard(w, "officer_a", insp, dt.date(2026, 9, 10), "安全出口锁闭", 1)
    _serve(w, "officer_a", h, insp, dt.date(2026, 9, 10))
    rollups.refresh()
    assert hz.hazards_overdue_sweep() == 1
    refresh_rollups.enqueue()  # the immediate backend in tests runs it now
    assert city_q3_figure("hazards_overdue", leader).value == 2
    assert rollups.check(YEAR_START, TODAY) == []


def test_check_reports_every_difference(city: Any) -> None:  # noqa: F811
    from anjian.inspections.models import Inspection
    from anjian.stats import rollups
    from anjian.stats.models import Rollup

    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("stats", "check", stdout=out)
    assert exc.value.code == 1 and "请先运行" in out.getvalue()
    call_command("stats", "refresh", stdout=io.StringIO())
    out = io.StringIO()
    call_command("stats", "check", "--from", "2026-01-01", "--to", "2026-09-20", stdout=out)
    assert "一致" in out.getvalue()
    # A change that bypassed the services (no audit event): the check finds it, month by month.
    Inspection.objects.filter(inspected_on=dt.date(2026, 8, 10)).update(inspected_on=dt.date(2026, 8, 9))
    row = Rollup.objects.filter(indicator="hazards_found", grain="").first()
    assert row is not None
    Rollup.objects.filter(pk=row.pk).update(value=row.value + 5)
    diffs = rollups.check(YEAR_START, TODAY)
    found = {(d.indicator, d.period) for d in diffs}
    assert ("inspections_unplanned", "2026-08") not in found  # the same month: still equal
    assert ("hazards_found", f"{row.day:%Y-%m}") in found
    assert ("hazards_found", "2026") in found
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("stats", "check", "--from", "2026-01-01", stdout=out)
    assert exc.value.code == 1 and "hazards_found" in out.getvalue() and "汇总" in out.getvalue()
    call_command("stats", "refresh", "--full", stdout=io.StringIO())
    assert rollups.check(YEAR_START, TODAY) == []
    Inspection.objects.filter(inspected_on=dt.date(2026, 8, 9)).update(inspected_on=dt.date(2026, 7, 31))
    assert {(d.indicator, d.period, d.rollup, d.raw) for d in rollups.check(YEAR_START, TODAY) if d.indicator == "inspections" and not d.cut} == {
        ("inspections", "2026-07", 3, 4),
        ("inspections", "2026-08", 2, 1),
    }


def test_bad_command_input() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("stats", "check", "--from", "2026-13-01")
