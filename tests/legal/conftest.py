"""Fixtures of the legal-configuration tests: the official calendar and a 2027 schedule file.

The 2027 rows are test data, not the State Council's 2027 schedule (not published when this was
written): a National Day week 2027-10-01..07 and a make-up Saturday 2027-10-09.
"""

from __future__ import annotations

from typing import Any

import pytest

CSV_2027 = "date,kind,name\n2027-01-01,holiday,元旦\n" + "".join(f"2027-10-0{d},holiday,国庆节\n" for d in range(1, 8)) + "2027-10-09,makeup_workday,国庆节\n"
SOURCE_2027 = "国办发明电〔2026〕测试号"


@pytest.fixture
def calendar(db: Any) -> None:
    """The official schedules of 2025 and 2026 (2027 is not loaded)."""
    from anjian.legal import lawcal

    lawcal.seed_from_package(2025, 2026)


@pytest.fixture
def staff_admin(world: Any) -> Any:
    """admin_a (role 系统管理员) with the staff flag the Django admin requires."""
    user = world.user("admin_a")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def people(world: Any) -> Any:
    """The world with the city's and the zone's administrators and legal reviewers."""
    from tests.legal.personas import add_personas

    return add_personas(world)


@pytest.fixture
def city_admin(people: Any) -> Any:
    return people.user("admin_city")
