"""Capacity per agency and year (issue 13 item 1): officers by dated memberships × the calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from anjian.core.errors import PermissionRefused, ValidationFailed
from anjian.planning import selectors
from tests.planning.conftest import Y, capacity

pytestmark = pytest.mark.django_db


def test_officers_are_counted_by_their_dated_memberships_and_certificates(world: Any, calendar: None) -> None:
    from anjian.org.models import Certificate, Membership, RoleGrant
    from tests.conftest import _person

    # Three officers of district A all year (officer_a, officer_a2, depthead_a); the leader, the
    # office, the expert and the administrator are not officers.
    _, cap = selectors.capacity_for(world.agency_a, Y)
    assert cap.statutory_days == 248 and cap.officers == 3 and cap.total == Decimal(3 * 248) and not cap.provisional
    # A newcomer from 1 July; a colleague whose certificate ran out on 30 June.
    new = _person({}, "newcomer_a", world.agency_a, ["officer"])
    Membership.objects.filter(staff=new.staff).update(valid_from=dt.date(2026, 7, 1))
    Certificate.objects.filter(staff=world.user("officer_a2").staff).update(valid_to=dt.date(2026, 6, 30))
    cal = selectors.calendar()
    first_half = cal.working_days_between(dt.date(2025, 12, 31), dt.date(2026, 6, 30))
    second_half = 248 - first_half
    _, cap = selectors.capacity_for(world.agency_a, Y)
    assert cap.officers == 4
    assert cap.total == Decimal(2 * 248 + first_half + second_half)
    per = dict(cap.per_officer)
    assert per["newcomer_a"] == second_half and per["officer_a2"] == first_half
    # An officer role granted in another agency does not count here.
    m = Membership.objects.create(staff=world.user("leader_a").staff, agency=world.agency_b, valid_from=dt.date(2020, 1, 1))
    RoleGrant.objects.create(membership=m, role="officer")
    assert selectors.capacity_for(world.agency_a, Y)[1].officers == 4


def test_a_year_not_loaded_is_provisional_and_says_so(world: Any, calendar: None) -> None:
    _, cap = selectors.capacity_for(world.agency_a, 2027)
    assert cap.provisional and "临时结果" in cap.lines[0].formula


def test_capacity_set_deducts_per_category_and_shows_each_line(world: Any, calendar: None) -> None:
    capacity(world, deductions={"licensing": "40", "duty": "30.5", "leave": 20}, reserve_share="0.1", key_share="0.5")
    row, cap = selectors.capacity_for(world.agency_a, Y)
    assert row.deductions == {"licensing": "40", "duty": "30.5", "leave": "20"}
    inspection = Decimal(744) - Decimal("90.5")
    assert cap.inspection_days == inspection and cap.available == inspection - cap.reserve
    assert any(ln.label == "非执法工作：值班" and ln.value == Decimal("30.5") for ln in cap.lines)
    from anjian.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="planning.capacity").count() == 1


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"year": "20x6"}, "year"),
        ({"year": 99999999999999999999}, "year"),
        ({"deductions": {"duty": "abc"}}, "deductions.duty"),
        ({"deductions": {"duty": "1e30"}}, "deductions.duty"),
        ({"deductions": {"golf": "1"}}, "deductions"),
        ({"deductions": {"duty": "800"}}, "deductions"),  # more than the 744 total
        ({"workdays_per_inspection": {"moon": "1"}}, "workdays_per_inspection"),
        ({"workdays_per_inspection": {"mine": "0"}}, "workdays_per_inspection.mine"),
        ({"reserve_share": "2"}, "reserve_share"),
        ({"officers_per_inspection": 1}, "officers_per_inspection"),
        ({"officers_per_inspection": "x"}, "officers_per_inspection"),
    ],
)
def test_bad_capacity_input_is_refused_with_a_chinese_field_message(world: Any, calendar: None, kw: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        capacity(world, **kw)
    assert field in info.value.fields
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.fields[field][0])  # a Chinese message


def test_only_a_department_head_or_leader_enters_capacity(world: Any, calendar: None) -> None:
    from anjian.planning import services

    for who in ("officer_a", "office_a", "outsider"):
        with pytest.raises(PermissionRefused):
            services.capacity_set(actor=world.user(who), year=Y, deductions={}, workdays_per_inspection={}, reserve_share="0.1", key_share="0.5")


def test_capacity_api_and_page(world: Any, calendar: None) -> None:
    api = APIClient()
    api.force_authenticate(world.user("depthead_a"))
    r = api.get("/api/v1/planning/capacity/", {"year": Y})
    assert r.status_code == 200 and r.json()["officers"] == 3 and r.json()["lines"][0]["label"] == "法定工作日"
    assert api.get("/api/v1/planning/capacity/", {"year": "abc"}).status_code == 400
    assert api.get("/api/v1/planning/capacity/", {"year": "9" * 25}).json()["fields"]["year"] == ["年度应在2004年至2199年之间。"]
    r = api.post("/api/v1/planning/capacity/", {"year": Y, "deductions": {"duty": "44"}, "workdays_per_inspection": {"mine": "3"}}, format="json")
    assert r.status_code == 200 and r.json()["non_enforcement"] == "44"
    r = api.post("/api/v1/planning/capacity/", {"year": Y, "deductions": {"duty": "-1"}}, format="json")
    assert r.status_code == 422 and r.json()["fields"]["deductions.duty"] == ["不能为负数。"]
    officer = APIClient()
    officer.force_authenticate(world.user("officer_a"))
    assert officer.post("/api/v1/planning/capacity/", {"year": Y}, format="json").status_code == 403

    c = Client()
    c.force_login(world.user("depthead_a"))
    page = c.get("/planning/capacity/", {"year": Y})
    assert page.status_code == 200 and "总工作日" in page.content.decode() and 'data-testid="capacity-form"' in page.content.decode()
    post = {
        "year": Y,
        "reserve_share": "0.2",
        "key_share": "0.5",
        "officers_per_inspection": 2,
        "per_hazchem": "2",
        "per_mine": "2",
        "per_industry": "1",
        "per_other": "1",
        "ded_duty": "10",
    }
    assert c.post("/planning/capacity/", post).status_code == 302
    bad = c.post("/planning/capacity/", {**post, "ded_duty": "很多"})
    assert bad.status_code == 422 and "请填写数字。" in bad.content.decode()
    assert "临时结果" in c.get("/planning/capacity/", {"year": 2027}).content.decode()
