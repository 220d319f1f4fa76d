"""Penalty-case fixtures: a frozen clock in a loaded calendar year, the legal department's
confirmation of the defence window (an unverified default after 2026-01-31 otherwise), the
district bureau's head, a qualified legal reviewer, and helpers that walk a case forward."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.inspections.conftest import calendar, checklist, inspection, officers  # noqa: F401

SH = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH)  # a Monday; 2026's holiday schedule is loaded
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"


@pytest.fixture(autouse=True)
def clock(time_machine: Any) -> Any:
    """Autouse, so it runs before the world and the inspection are created."""
    time_machine.move_to(START, tick=False)
    return time_machine


def at(clock: Any, day: dt.date) -> None:
    clock.move_to(dt.datetime.combine(day, dt.time(9, 0), tzinfo=SH), tick=False)


@pytest.fixture
def defence_confirmed(world: Any) -> Any:
    """The legal department confirms the 3-working-day defence window (a fictitious 示例 source)."""
    from anjian.legal.models import RuleOverride

    return RuleOverride.objects.create(
        rule_code="defence_statement", scope="370602", effective_from=dt.date(2026, 2, 1), value=None, unit="",
        source_document="芝应急法〔2026〕1号（示例）", approver="法规科",
    )


@pytest.fixture
def cases_world(world: Any, calendar: None, defence_confirmed: Any) -> Any:  # noqa: F811
    from anjian.org.models import AgencyHead, Staff

    AgencyHead.objects.create(agency=world.agency_a, staff=world.user("leader_a").staff, kind="head", valid_from=dt.date(2020, 1, 1))
    Staff.objects.filter(pk=world.user("legal_a").staff.pk).update(legal_qualification_no="A20203700000001")
    world.user("legal_a").staff.refresh_from_db()
    return world


def open_case(world: Any, ent: Any, *, violation: str = "P12", act_date: dt.date = dt.date(2026, 2, 20), discovered_on: dt.date = dt.date(2026, 2, 25), circumstance: str = "base") -> Any:
    from anjian.cases import services

    c = services.case_open(actor=world.user("officer_a"), source="other", source_reason="日常巡查发现", enterprise=ent, title="未消除事故隐患案", facts="现场发现隐患未消除", discovered_on=discovered_on)
    services.case_violation_add(actor=world.user("officer_a"), case=c, violation_id=violation, act_date=act_date, circumstance=circumstance)
    return c


def filed_case(world: Any, ent: Any, amount: Decimal | None = Decimal("20000.00"), **kw: Any) -> Any:
    from anjian.cases import services

    c = open_case(world, ent, **kw)
    services.case_file(actor=world.user("depthead_a"), case=c, filed_on=START.date())
    services.case_assign_officers(actor=world.user("officer_a"), case=c, staff_ids=officers(world))
    if amount is not None:
        v = c.violations.get()
        services.case_propose(actor=world.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": amount, "reasons": "隐患逾期未消除，情节一般"}])
    c.refresh_from_db()
    return c


def noticed_case(world: Any, ent: Any, amount: Decimal = Decimal("20000.00"), **kw: Any) -> Any:
    from anjian.cases import services

    c = filed_case(world, ent, amount, **kw)
    services.notice_issue(actor=world.user("officer_a"), case=c, issued_on=START.date())
    services.notice_served(actor=world.user("officer_a"), case=c, method="direct", event_date=START.date(), recipient="李四")
    c.refresh_from_db()
    return c


def scan() -> io.BytesIO:
    return io.BytesIO(PNG)


@pytest.fixture
def settings_media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return settings
