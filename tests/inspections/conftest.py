from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture
def calendar(db: Any) -> None:
    from anjian.legal import lawcal

    lawcal.seed_from_package(2025, 2026)


@pytest.fixture
def checklist(world: Any) -> Any:
    from anjian.inspections import services

    t = services.checklist_create(
        actor=world.user("admin_a"),
        code="hazchem-general",
        name="危险化学品企业通用检查表",
        kind="sector",
        sectors=["hazchem"],
        items=[
            {"text": "主要负责人和安全管理人员经考核合格", "legal_basis": "《安全生产法》第二十七条", "criterion_id": "HC-01"},
            {"text": "特种作业人员持证上岗", "legal_basis": "《安全生产法》第三十条"},
            {"text": "有限空间作业审批制度", "legal_basis": "《工贸企业有限空间作业安全规定》"},
        ],
    )
    return services.checklist_publish(actor=world.user("admin_a"), template=t)


def officers(world: Any, *names: str) -> list[int]:
    return [world.user(n).staff.pk for n in (names or ("officer_a", "officer_a2"))]


@pytest.fixture
def inspection(world: Any, ent_a: Any, checklist: Any, calendar: None) -> Any:
    from anjian.inspections import services

    return services.inspection_create(
        actor=world.user("officer_a"),
        enterprise=ent_a,
        type="planned",
        inspected_on=timezone.localdate() - dt.timedelta(days=40),
        started_at=timezone.now() - dt.timedelta(days=40, hours=2),
        place="厂区",
        officer_ids=officers(world),
    )
