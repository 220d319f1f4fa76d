"""Complaints fixtures: a frozen clock in a loaded calendar year (2026), the district bureau's
office, a leader, a department, and helpers that walk a submission forward."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.inspections.conftest import calendar  # noqa: F401

SH = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH)  # a Monday


@pytest.fixture(autouse=True)
def clock(time_machine: Any) -> Any:
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def at(clock: Any, day: dt.date) -> None:
    clock.move_to(dt.datetime.combine(day, dt.time(9, 0), tzinfo=SH), tick=False)


@pytest.fixture
def cw(world: Any, calendar: None) -> Any:  # noqa: F811
    """The world with district A's supervision department."""
    from anjian.org.models import Department

    world.dept_a = Department.objects.create(agency=world.agency_a, name="监管一科", kind="supervision")
    return world


def register(world: Any, *, kind: str = "complaint", grounds: list[str] | None = None, officers: list[str] = (), received_on: dt.date | None = None, **kw: Any) -> tuple[Any, str]:  # type: ignore[assignment]
    from anjian.complaints import services

    data: dict[str, Any] = {
        "kind": kind,
        "channel": "letter",
        "grounds": grounds or (["no_certificate", "uncivil"] if kind == "complaint" else ["hidden_hazard"]),
        "summary": "反映执法人员检查时未出示执法证件" if kind == "complaint" else "反映某单位仓库堆放危险化学品",
        "content": "2026年2月25日两名执法人员到我公司检查，未出示执法证件，态度粗暴。",
        "received_on": received_on or START.date(),
        "submitter_name": "王小明",
        "submitter_id_number": "11010519491231002X",
        "submitter_phone": "13812345678",
        "submitter_address": "烟台市芝罘区示例路1号",
        "officer_ids": [world.user(n).staff.pk for n in officers],
        **kw,
    }
    return services.submission_register(actor=world.user("office_a"), **data)


def to_investigating(world: Any, sub: Any, *, handler: str = "officer_a2", day: dt.date | None = None) -> Any:
    from anjian.complaints import services

    day = day or START.date()
    services.submission_accept(actor=world.user("office_a"), submission=sub, accepted_on=day)
    services.submission_assign(actor=world.user("office_a"), submission=sub, handler_id=world.user(handler).staff.pk, department_ids=[world.dept_a.pk], assigned_on=day)
    sub.refresh_from_db()
    return sub


def to_approved(world: Any, sub: Any, *, handler: str = "officer_a2", day: dt.date | None = None) -> Any:
    from anjian.complaints import services

    day = day or START.date()
    sub = to_investigating(world, sub, handler=handler, day=day)
    for g in sub.grounds:
        services.finding_record(actor=world.user(handler), submission=sub, ground=g, substantiated=(g == "uncivil"), note="调取执法记录仪视频核实", recorded_on=day)
    services.result_draft(actor=world.user(handler), submission=sub, result_text="经调查，出示证件属实，态度问题属实。", public_reply="经调查核实，执法人员已出示证件；执法人员态度生硬属实，已责令其向你赔礼道歉。", drafted_on=day)
    services.result_approve(actor=world.user("leader_a"), submission=sub, approved=True, decided_on=day)
    sub.refresh_from_db()
    return sub
