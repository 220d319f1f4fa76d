"""The planning world: district A's units with their planned subject, graded; the 2026 calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import make_uscc
from tests.inspections.conftest import calendar, checklist  # noqa: F401

Y = 2026


def unit(
    world: Any,
    seq: int,
    name: str,
    *,
    agency: Any = None,
    sectors: tuple[str, ...] = ("industry.machinery",),
    features: tuple[str, ...] = (),
    subject_from: dt.date = dt.date(2025, 1, 1),
    subject_to: dt.date | None = None,
    **fields: Any,
) -> Any:
    """A unit of district A whose planned subject is ``agency`` (district A's bureau by default)."""
    from anjian.enterprises import services
    from anjian.enterprises.models import PlannedSubject

    ent = services.enterprise_create(
        actor=world.user("officer_a"), jurisdiction=world.district_a, name=name, uscc=make_uscc(1000 + seq), sectors=list(sectors), features=list(features), **fields
    )
    PlannedSubject.objects.create(enterprise=ent, agency=agency or world.agency_a, valid_from=subject_from, valid_to=subject_to)
    return ent


@pytest.fixture
def units(world: Any, calendar: None) -> dict[str, Any]:  # noqa: F811
    from anjian.enterprises.models import GradingScheme, MajorHazardSource

    mine = GradingScheme.objects.get(code="mine")
    out = {
        "std1": unit(world, 1, "甲机械厂", standardization_level="1"),  # other: 1/year, lowest risk
        "std3": unit(world, 2, "乙机械厂", standardization_level="3"),  # other: 4/year
        "none": unit(world, 3, "丙机械厂"),  # other, not standardized: 6/year
        "mineA": unit(world, 4, "丁露天矿", sectors=("mine.openpit",), risk_scheme=mine, risk_grade="A"),  # 1/year
        "mineD": unit(world, 5, "戊露天矿", sectors=("mine.openpit",), risk_scheme=mine, risk_grade="D"),  # 4/year, key: worst grade
        "chem": unit(world, 6, "己化工", sectors=("hazchem.production",), standardization_level="2"),  # 4/year, key: major hazard source
    }
    MajorHazardSource.objects.create(enterprise=out["chem"], name="液氨储罐区", level=2, substance="液氨", quantity_t=50)
    return out


def capacity(world: Any, **kw: Any) -> Any:
    from anjian.planning import services

    args: dict[str, Any] = {
        "year": Y,
        "deductions": {},
        "workdays_per_inspection": {"hazchem": "2", "mine": "2", "industry": "1", "other": "1"},
        "reserve_share": "0.1",
        "key_share": "0.6",
    }
    args.update(kw)
    return services.capacity_set(actor=world.user("depthead_a"), **args)
