"""``anjian demo``'s year of activity (issue 11, item 1): generated through the services, on working
days, by certified officers of the bureau with jurisdiction, with the deadlines the legal engine
computes, and some hazards overdue today."""

from __future__ import annotations

import dataclasses
import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from anjian.documents.models import IssuedDocument
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import ExtensionStatus, HazardStatus
from anjian.hazards.models import DeadlineExtension, Hazard, HazardEvent, Transfer
from anjian.inspections.models import Inspection
from anjian.law import periods
from anjian.legal import lawcal
from anjian.org.choices import AgencyLevel
from anjian.org.models import Membership
from anjian.stats import demo

pytestmark = pytest.mark.django_db

SEED = 11
# A small city over four months, with the rare events made common so that each kind shows up.
RATES = dataclasses.replace(
    demo.Rates(), inspections_per_officer_month=1.0, major_share=0.35, transfer_share=0.3, overdue_transfer_share=0.8,
    outcomes=(("on_time", 50), ("late", 12), ("extended", 18), ("failed", 8), ("open", 12)),
)  # fmt: skip


def load_city(enterprises: int = 150) -> None:
    for cmd in (("refdata", "load"), ("calendar", "seed"), ("checklists", "sync")):
        call_command(*cmd, stdout=StringIO())
    call_command("demo", "--enterprises", str(enterprises), "--seed", "7", "--ledger-only", stdout=StringIO())


@pytest.fixture(scope="module")
def activity(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """One small city and four months of activity for the module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_city()
        today = timezone.localdate()
        result = demo.generate(seed=SEED, rates=RATES, today=today, first=today - dt.timedelta(days=100))
        yield result
        transaction.set_rollback(True)


def test_every_kind_of_activity_is_there(activity: Any) -> None:
    c = activity.counts
    assert activity.refused == {}, "the rules refused an act of the generator"
    for key in (
        "inspections_planned", "inspections_random", "inspections_special", "inspections_reinspection", "findings", "hazards", "hazards_major",
        "hazards_closed", "hazards_rectifying", "hazards_closed_late", "extensions_approved", "measures", "measures_ended", "restart_reviews",
        "transfers_accepted", "documents_served", "documents_unserved",
    ):  # fmt: skip
        assert c[key] > 0, key
    assert c["hazards"] > c["hazards_major"] > 0
    assert Transfer.objects.exclude(status="pending").exists()
    assert summary_has_counts(demo.summary_line(c), c)


def summary_has_counts(line: str, c: dict[str, int]) -> bool:
    return f"检查{c['inspections']}次" in line and f"隐患{c['hazards']}项" in line and f"移交{c['transfers']}件" in line


def test_overdue_hazards_exist_today(activity: Any) -> None:
    today = activity.last_day
    overdue = Hazard.objects.filter(status=HazardStatus.RECTIFYING, deadline__lt=today)
    assert overdue.exists()
    # The daily sweep flagged each of them (AQSCF §102: a case is considered).
    assert not overdue.filter(overdue_since__isnull=True).exists()
    assert not overdue.filter(case_flag=False).exists()


def test_inspections_are_on_working_days_by_certified_officers_of_the_bureau(activity: Any) -> None:
    cal = lawcal.work_calendar()
    for insp in Inspection.objects.select_related("owner_agency", "jurisdiction").prefetch_related("officers"):
        day = insp.inspected_on
        assert activity.first_day <= day < activity.last_day
        assert cal.is_working_day(day), day
        assert insp.status == "completed" and insp.ended_at is not None and insp.started_at < insp.ended_at
        assert timezone.localtime(insp.started_at).date() == day
        officers = list(insp.officers.all())
        assert len(officers) >= 2 and all(o["valid"] for o in insp.certificate_check)
        for o in officers:
            assert Membership.objects.valid_on(day).filter(staff_id=o.staff_id, agency=insp.owner_agency).exists()
        # A district bureau inspects its own district; the city bureau any unit of the city.
        if insp.owner_agency.level == AgencyLevel.CITY:
            assert insp.jurisdiction.parent_id == insp.owner_agency.jurisdiction_id or insp.jurisdiction_id == insp.owner_agency.jurisdiction_id
        else:
            assert insp.jurisdiction_id == insp.owner_agency.jurisdiction_id


def test_every_deadline_is_the_legal_engines(activity: Any) -> None:
    cal = lawcal.work_calendar()
    checked = extended = 0
    for h in Hazard.objects.exclude(deadline=None).select_related("order_document"):
        assert h.served_on is not None and h.order_document is not None
        if h.deadline_from_service:
            stated = hazard_services.stated_periods(h.order_document).get(h.pk, h.period_days)
            expected = periods.add_calendar_days(cal, h.served_on, stated, basis="", rule_name="整改期限").date
            assert h.deadline == expected, (h.pk, h.served_on, stated)
            checked += 1
        else:  # an approved extension set it, within the cap
            ext = h.extensions.filter(status=ExtensionStatus.APPROVED).order_by("-decided_on", "-pk").first()
            assert ext is not None and h.deadline == ext.requested_until
            assert ext.requested_until <= hazard_services.extension_cap(hazard_services.first_deadline(h))
            extended += 1
    assert checked and extended


def test_extensions_are_decided_by_someone_else_in_time(activity: Any) -> None:
    cal = lawcal.work_calendar()
    decided = DeadlineExtension.objects.exclude(decided_on=None).select_related("requested_by__staff", "decided_by")
    assert decided.exists()
    for ext in decided:
        assert ext.decided_by_id != ext.requested_by.staff.pk
        assert ext.decided_on is not None and cal.working_days_between(ext.requested_on, ext.decided_on) <= 5


def test_nothing_is_in_the_future_and_acts_are_on_working_days(activity: Any) -> None:
    cal = lawcal.work_calendar()
    today = activity.last_day
    assert not HazardEvent.objects.filter(on__gt=today).exists()
    for day in IssuedDocument.objects.values_list("issued_on", flat=True):
        assert day < today and cal.is_working_day(day)
    for h in Hazard.objects.all():
        assert h.found_on < today and (h.closed_on is None or h.closed_on < today)
        if h.status == HazardStatus.CLOSED:
            assert h.reinspections.filter(result="pass").exists()
