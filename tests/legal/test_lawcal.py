"""The working-day calendar table: seeding, importing a new year, provisional results."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from anjian.core.errors import DomainError, PermissionRefused, ValidationFailed
from anjian.core.models import AuditEvent
from anjian.law.calendar import DayKind
from anjian.law.deadlines import evaluate
from anjian.legal import authority, lawcal, services
from anjian.legal.models import CalendarYear, WorkCalendarDay
from tests.legal.conftest import CSV_2027, SOURCE_2027

D = dt.date
pytestmark = pytest.mark.urls("tests.legal.urls_for_law")


def test_it_seeds_2004_to_2026_from_the_package(db: Any) -> None:
    call_command("calendar", "seed")
    assert list(CalendarYear.objects.values_list("year", flat=True)) == list(range(2004, 2027))
    cal = lawcal.work_calendar()
    assert cal.is_loaded(2004) and cal.is_loaded(2026) and not cal.is_loaded(2027)
    # 2026: 2/14 is a make-up Saturday, 10/7 is National Day (the engine's docstring examples)
    assert WorkCalendarDay.objects.get(date=D(2026, 2, 14)).kind == DayKind.MAKEUP_WORKDAY
    assert cal.kind(D(2026, 10, 7)) is DayKind.HOLIDAY
    assert evaluate("hearing_request", D(2026, 2, 13), calendar=cal).date == D(2026, 2, 27)


def test_a_2027_computation_is_provisional_until_the_2027_csv_is_imported(calendar: None, tmp_path: Any) -> None:
    before = evaluate("hearing_request", D(2027, 9, 30), calendar=lawcal.work_calendar())
    assert before.provisional and before.date == D(2027, 10, 7)  # weekends only: a guess
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    call_command("calendar", "import", str(path), source=SOURCE_2027)
    assert CalendarYear.objects.get(year=2027).source == SOURCE_2027
    after = evaluate("hearing_request", D(2027, 9, 30), calendar=lawcal.work_calendar())
    # 10/1–10/7 holidays, 10/9 a make-up Saturday → 10/8, 10/9, 10/11, 10/12, 10/13
    assert not after.provisional and after.date == D(2027, 10, 13)


def test_calendar_year_load_audits_and_refuses_to_reload(calendar: None, city_admin: Any) -> None:
    rows = services.parse_calendar_csv(CSV_2027, year=2027)
    assert len(rows) == 9
    services.calendar_year_load(actor=city_admin, year=2027, rows=rows, source=SOURCE_2027)
    ev = AuditEvent.objects.get(action="calendar.load", object_id="2027")
    assert ev.actor == city_admin and ev.before is None
    assert ev.after == {"source": SOURCE_2027, "version": 1, "days": 9, "holidays": 8, "makeup_workdays": 1}
    # a loaded official year is not replaced by loading it again (issue 8 High 2), not even from
    # the command line: a change is a correction
    for actor in (city_admin, None):
        with pytest.raises(DomainError) as exc:
            services.calendar_year_load(actor=actor, year=2027, rows=rows[:1], source="更正通知")
        assert exc.value.code == "calendar_already_loaded" and "year" in exc.value.fields
    assert WorkCalendarDay.objects.filter(date__year=2027).count() == 9


def test_calendar_year_load_refusals_name_the_input(calendar: None, city_admin: Any, world: Any) -> None:
    rows = services.parse_calendar_csv(CSV_2027, year=2027)
    for persona in ("officer_a", "officer_city", "admin_a", "admin_zone"):
        with pytest.raises(PermissionRefused):
            services.calendar_year_load(actor=world.user(persona), year=2027, rows=rows, source=SOURCE_2027)
    with pytest.raises(ValidationFailed) as exc:
        services.calendar_year_load(actor=city_admin, year=2027, rows=rows, source="  ")
    assert "source" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        services.calendar_year_load(actor=city_admin, year=2003, rows=rows, source=SOURCE_2027)
    assert "year" in exc.value.fields
    # a make-up working day on a weekday: refused by the engine before anything is written
    with pytest.raises(ValidationFailed) as exc:
        services.calendar_year_load(actor=None, year=2027, rows=[(D(2027, 10, 8), "makeup_workday", "")], source=SOURCE_2027)
    assert exc.value.fields["file"] == ["2027-10-08是周一至周五，不能登记为调休上班日"]
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(
    "text,message",
    [
        ("day,kind\n2027-01-01,holiday\n", "CSV文件第一行应为列名"),
        ("date,kind\n2027-13-01,holiday\n", "第2行：日期“2027-13-01”格式应为YYYY-MM-DD"),
        ("date,kind\n2027-01-01,holiday\n2026-12-31,holiday\n", "第3行：2026-12-31不属于2027年"),
        ("date,kind\n2027-01-01,休息\n", "第2行：类别应为"),
        ("date,kind\n2027-01-01,holiday\n2027-01-01,holiday\n", "第3行：2027-01-01重复出现"),
    ],
)
def test_csv_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.parse_calendar_csv(text, year=2027)
    assert exc.value.fields["file"][0].startswith(message)


def test_admin_upload_loads_a_new_year(calendar: None, client: Any, city_admin: Any) -> None:
    client.force_login(city_admin)
    page = client.get("/admin/legal/calendaryear/upload/")
    assert page.status_code == 200 and "载入新年度节假日安排" in page.content.decode()
    upload = SimpleUploadedFile("2027.csv", CSV_2027.encode("utf-8-sig"), content_type="text/csv")
    r = client.post("/admin/legal/calendaryear/upload/", {"year": "2027", "source": SOURCE_2027, "file": upload})
    assert r.status_code == 302, r.content.decode()
    assert lawcal.work_calendar().is_loaded(2027)
    assert AuditEvent.objects.filter(action="calendar.load", object_id="2027", actor=city_admin).exists()
    listing = client.get("/admin/legal/calendaryear/")
    assert listing.status_code == 200 and SOURCE_2027 in listing.content.decode()
    days = client.get("/admin/legal/workcalendarday/", {"year": "2027", "kind": "makeup_workday"})
    assert days.status_code == 200 and "2027年10月9日" in days.content.decode()


def test_admin_upload_shows_errors_on_the_form(calendar: None, client: Any, city_admin: Any) -> None:
    client.force_login(city_admin)
    upload = SimpleUploadedFile("2027.csv", b"date,kind\n2027-01-01,holiday\n2026-05-01,holiday\n", content_type="text/csv")
    r = client.post("/admin/legal/calendaryear/upload/", {"year": "2027", "source": SOURCE_2027, "file": upload})
    assert r.status_code == 200 and "第3行：2026-05-01不属于2027年" in r.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_admin_needs_staff_and_the_admin_role(calendar: None, client: Any, world: Any) -> None:
    officer = world.user("officer_a")
    client.force_login(officer)
    assert client.get("/admin/legal/calendaryear/upload/").status_code == 302  # not staff: to the admin login
    assert client.get("/admin/legal/ruleoverride/").status_code == 302
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    # staff, but not a system administrator: none of core's admin pages
    assert client.get("/admin/legal/ruleoverride/").status_code == 403
    assert client.get("/admin/legal/calendaryear/upload/").status_code == 403
    assert client.get("/admin/core/auditevent/").status_code == 403


def test_a_more_specific_override_hides_the_city_one_only_while_in_force(db):
    import datetime as dt

    from anjian.legal import lawcal
    from anjian.legal.models import RuleOverride

    RuleOverride.objects.create(rule_code="rectification_reinspection", scope="370600", effective_from=dt.date(2026, 2, 1), value=7, source_document="烟应急法〔2026〕1号", approver="市局")
    RuleOverride.objects.create(rule_code="rectification_reinspection", scope="370602", effective_from=dt.date(2026, 6, 1), effective_to=dt.date(2026, 8, 31), value=5, source_document="芝应急法〔2026〕2号", approver="区局")
    got = sorted((o.scope, o.effective_from, o.effective_to, o.value) for o in lawcal.overrides_for(authority.scope_codes("370602")))
    assert got == [
        ("370600", dt.date(2026, 2, 1), dt.date(2026, 5, 31), 7),
        ("370600", dt.date(2026, 9, 1), None, 7),
        ("370602", dt.date(2026, 6, 1), dt.date(2026, 8, 31), 5),
    ]


def test_the_command_reads_a_csv_like_the_admin_upload(calendar: None, tmp_path: Any) -> None:
    """One parser for the admin upload and the command line: the kinds the upload accepts (放假)
    load, and a date listed twice is refused with its line, instead of the last row winning."""
    from django.core.management.base import CommandError

    twice = tmp_path / "twice.csv"
    twice.write_text("date,kind,name\n2027-10-01,放假,国庆节\n2027-10-01,调休上班日,重复\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第3行"):
        call_command("calendar", "import", str(twice), source=SOURCE_2027)
    assert not CalendarYear.objects.filter(year=2027).exists()
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name\n2027-10-01,放假,国庆节\n2027-10-09,上班,国庆调休\n", encoding="utf-8")
    call_command("calendar", "import", str(path), source=SOURCE_2027)
    assert WorkCalendarDay.objects.get(date=D(2027, 10, 1)).kind == DayKind.HOLIDAY
    assert WorkCalendarDay.objects.get(date=D(2027, 10, 9)).kind == DayKind.MAKEUP_WORKDAY
