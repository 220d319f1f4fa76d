"""An officially loaded calendar year is replaced only through a correction (issue 8 High 2).

The attack: a district administrator replaced 2026 with two made-up holidays, and every deadline
in the city moved, none marked provisional. Now only the city's administrator loads or corrects
the shared calendar; a correction names its source document, keeps the old version, recomputes
nothing stored, and lists the stored deadlines it would move.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anjian.core.errors import PermissionRefused, ValidationFailed
from anjian.core.models import AuditEvent
from anjian.legal import lawcal, services
from anjian.legal.models import CalendarYear, CalendarYearRevision, WorkCalendarDay

D = dt.date
pytestmark = pytest.mark.urls("tests.legal.urls_for_law")
CORRECTION = "国办发明电〔2026〕更正测试号"


def _csv_2026(*extra: str) -> str:
    rows = [f"{d.isoformat()},{k},{n}" for d, k, n in lawcal.year_days(2026)]
    return "date,kind,name\n" + "\n".join([*rows, *extra]) + "\n"


@pytest.fixture
def served_hazard(calendar: None, ent_a: Any, world: Any) -> Any:
    """A general hazard of district A whose order was served 2026-12-06 with 15 days: the period
    ends on Monday 2026-12-21 (a working day today), stored as told to the unit."""
    from anjian.hazards.models import Hazard

    return Hazard.objects.create(
        jurisdiction=world.district_a, owner_agency=world.agency_a, enterprise=ent_a, source="self_check", description="配电箱未接地",
        location="一号车间", severity="general", found_on=D(2026, 12, 1), period_days=15, served_on=D(2026, 12, 6), deadline=D(2026, 12, 21),
        status="rectifying", created_by=world.user("officer_a"),
    )  # fmt: skip


@pytest.mark.parametrize("persona", ["admin_a", "admin_b", "admin_zone", "legal_city", "officer_city"])
def test_only_the_citys_administrator_loads_or_corrects_the_calendar(calendar: None, people: Any, persona: str) -> None:
    rows = services.parse_calendar_csv(_csv_2026("2026-12-21,holiday,编造的假日"), year=2026)
    before = list(WorkCalendarDay.objects.filter(date__year=2026).values_list("date", "kind"))
    with pytest.raises(PermissionRefused):
        services.calendar_year_correct(actor=people.user(persona), year=2026, rows=rows, source=CORRECTION)
    with pytest.raises(PermissionRefused):
        services.calendar_year_load(actor=people.user(persona), year=2027, rows=[(D(2027, 1, 1), "holiday", "元旦")], source=CORRECTION)
    assert list(WorkCalendarDay.objects.filter(date__year=2026).values_list("date", "kind")) == before
    assert not CalendarYear.objects.filter(year=2027).exists() and not CalendarYearRevision.objects.exists()


def test_a_district_administrator_cannot_replace_2026_through_the_admin(calendar: None, people: Any, client: Any) -> None:
    client.force_login(people.user("admin_a"))
    assert client.get("/admin/legal/calendaryear/upload/").status_code == 403
    upload = SimpleUploadedFile("2026.csv", "date,kind,name\n2026-12-21,holiday,假日\n2026-12-22,holiday,假日\n".encode(), content_type="text/csv")
    r = client.post("/admin/legal/calendaryear/upload/", {"year": "2026", "source": CORRECTION, "file": upload, "confirm": "True"})
    assert r.status_code == 403
    assert not WorkCalendarDay.objects.filter(date=D(2026, 12, 21)).exists() and CalendarYear.objects.get(year=2026).version == 1
    page = client.get("/admin/legal/calendaryear/")
    assert page.status_code == 200 and "/admin/legal/calendaryear/upload/" not in page.content.decode()  # no button that can only fail


def test_a_correction_keeps_the_old_version_recomputes_nothing_and_lists_the_deadlines_it_moves(served_hazard: Any, city_admin: Any) -> None:
    old_source = CalendarYear.objects.get(year=2026).source
    old_days = lawcal.year_days(2026)
    rows = services.parse_calendar_csv(_csv_2026("2026-12-21,holiday,更正增加"), year=2026)
    with pytest.raises(ValidationFailed) as exc:  # a correction names its source document
        services.calendar_year_correct(actor=city_admin, year=2026, rows=rows, source=" ")
    assert "source" in exc.value.fields
    preview = services.calendar_change_preview(actor=city_admin, year=2026, rows=rows, source=CORRECTION)
    assert preview.added == [(D(2026, 12, 21), "holiday", "更正增加")] and preview.removed == []
    assert CalendarYear.objects.get(year=2026).version == 1  # the preview wrote nothing

    done = services.calendar_year_correct(actor=city_admin, year=2026, rows=rows, source=CORRECTION)

    [moved] = done.moved
    assert (moved.object_type, moved.object_id, moved.stored, moved.recomputed) == ("hazards.hazard", str(served_hazard.pk), D(2026, 12, 21), D(2026, 12, 22))
    served_hazard.refresh_from_db()
    assert served_hazard.deadline == D(2026, 12, 21)  # what the served order told the unit stays
    year = CalendarYear.objects.get(year=2026)
    assert year.version == 2 and year.source == CORRECTION and lawcal.work_calendar().kind(D(2026, 12, 21)).value == "holiday"
    old = CalendarYearRevision.objects.get(year=2026, version=1)
    assert old.source == old_source and old.correction_source == CORRECTION and old.corrected_by == city_admin
    assert [tuple(r) for r in old.days] == [(d.isoformat(), k, n) for d, k, n in old_days]
    ev = AuditEvent.objects.get(action="calendar.correct", object_id="2026")
    assert ev.actor == city_admin and ev.before["source"] == old_source and ev.after["source"] == CORRECTION
    assert ev.after["deadlines_moved"] == [{"type": "hazards.hazard", "id": str(served_hazard.pk), "stored": "2026-12-21", "recomputed": "2026-12-22"}]
    assert CORRECTION in ev.note


def test_the_admin_correction_shows_the_change_then_applies_it_on_confirmation(served_hazard: Any, city_admin: Any, client: Any) -> None:
    client.force_login(city_admin)
    text = _csv_2026("2026-12-21,holiday,更正增加")
    upload = SimpleUploadedFile("2026.csv", text.encode("utf-8-sig"), content_type="text/csv")
    r = client.post("/admin/legal/calendaryear/upload/", {"year": "2026", "source": CORRECTION, "file": upload})
    page = r.content.decode()
    assert r.status_code == 200 and "更正2026年节假日安排" in page and "2026年12月22日" in page and "配电箱未接地" in page
    assert CalendarYear.objects.get(year=2026).version == 1
    r = client.post("/admin/legal/calendaryear/upload/", {"year": "2026", "source": CORRECTION, "content": text, "confirm": "True"})
    assert r.status_code == 302, r.content.decode()
    assert CalendarYear.objects.get(year=2026).version == 2 and CalendarYearRevision.objects.filter(year=2026).count() == 1


def test_the_command_line_corrects_too_and_seed_leaves_loaded_years_alone(calendar: None, tmp_path: Any) -> None:
    from django.core.management import call_command

    path = tmp_path / "2026.csv"
    path.write_text(_csv_2026("2026-12-21,holiday,更正增加"), encoding="utf-8")
    call_command("calendar", "correct", str(path), source=CORRECTION)
    assert CalendarYear.objects.get(year=2026).version == 2
    lawcal.seed_from_package(2025, 2026)  # does not silently put the package's 2026 back
    assert WorkCalendarDay.objects.filter(date=D(2026, 12, 21)).exists() and CalendarYear.objects.get(year=2026).version == 2


def test_a_correction_accepts_rows_from_a_generator(served_hazard: Any, city_admin: Any) -> None:
    # The rows are read twice (preview, then load): a generator must not load an empty year.
    rows = services.parse_calendar_csv(_csv_2026("2026-12-21,holiday,更正增加"), year=2026)
    done = services.calendar_year_correct(actor=city_admin, year=2026, rows=(r for r in rows), source=CORRECTION)
    assert done.added == [(D(2026, 12, 21), "holiday", "更正增加")]
    assert WorkCalendarDay.objects.filter(date__year=2026).count() == len(rows)
    assert lawcal.work_calendar().kind(D(2026, 12, 21)).value == "holiday"


def test_an_extended_deadline_is_not_listed_as_moved(served_hazard: Any, city_admin: Any, world: Any) -> None:
    """An approved extension's date is the approver's, not a period from service: a correction of
    the calendar does not move it (only rule-computed deadlines are listed)."""
    from anjian.hazards import services as hazards

    ext, _ = hazards.extension_request(actor=world.user("officer_a"), hazard=served_hazard, requested_on=D(2026, 12, 6), requested_until=D(2026, 12, 28), reason="设备采购周期长")
    hazards.extension_decide(actor=world.user("depthead_a"), extension=ext, approve=True, decided_on=D(2026, 12, 6), note="同意延期")
    served_hazard.refresh_from_db()
    assert served_hazard.deadline == D(2026, 12, 28) and not served_hazard.deadline_from_service
    rows = services.parse_calendar_csv(_csv_2026("2026-12-21,holiday,更正增加"), year=2026)
    done = services.calendar_year_correct(actor=city_admin, year=2026, rows=rows, source=CORRECTION)
    assert done.moved == []
