"""One subject, no duplicates (issue 13 item 4): city and district plans checked against each other."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from anjian.enterprises.models import PlannedSubject
from anjian.planning import selectors, services
from tests.planning.conftest import Y, unit

pytestmark = pytest.mark.django_db


def test_a_unit_planned_by_the_city_and_a_district_is_flagged_with_both_plans(world: Any, calendar: None) -> None:
    # The planned subject moved from district A to the city on 1 July: both plans take the unit.
    moved = unit(world, 1, "迁移化工", sectors=("hazchem.production",), standardization_level="2", subject_to=dt.date(2026, 6, 30))
    PlannedSubject.objects.create(enterprise=moved, agency=world.agency_city, valid_from=dt.date(2026, 7, 1))
    unit(world, 2, "芝罘独管机械", standardization_level="1")
    unit(world, 3, "市管矿山", agency=world.agency_city, sectors=("mine.openpit",))
    district = services.plan_generate(actor=world.user("officer_a"), year=Y)
    assert selectors.plan_conflicts(district) == []  # alone, nothing to compare
    city = services.plan_generate(actor=world.user("officer_city"), year=Y, acknowledge_over_capacity=True)
    for plan in (district, city):
        found = selectors.plan_conflicts(plan)
        assert [(c.unit_name, c.kind) for c in found] == [("迁移化工", "two_subjects"), ("迁移化工", "over_cap")]
        assert set(found[0].plan_ids) == {district.pk, city.pk}
        assert "芝罘区应急局2026年度计划（第1版，草稿）" in found[0].message and "市应急局2026年度计划（第1版，草稿）" in found[0].message
        assert "一企一主体" in found[0].message and "合计安排8次，超过年度上限4次" in found[1].message
    # A district officer sees the flag on its own plan (the city's plan named), through the API and the page.
    api = APIClient()
    api.force_authenticate(world.user("officer_a"))
    body = api.get(f"/api/v1/plans/{district.pk}/").json()
    assert [c["kind"] for c in body["conflicts"]] == ["two_subjects", "over_cap"]
    c = Client()
    c.force_login(world.user("officer_a"))
    assert 'data-testid="conflicts"' in c.get(f"/planning/{district.pk}/").content.decode()
    # Cut to none in the district's plan, the unit is no longer planned twice.
    item = district.items.get(enterprise=moved)
    services.plan_item_update(actor=world.user("officer_a"), item=item, count=0, months=[], note="下半年由市局检查")
    assert selectors.plan_conflicts(district) == [] and selectors.plan_conflicts(city) == []


def test_within_the_cap_across_agencies_only_the_second_subject_is_flagged(world: Any, calendar: None) -> None:
    moved = unit(world, 1, "迁移机械", standardization_level="3", subject_to=dt.date(2026, 6, 30))  # cap 4
    PlannedSubject.objects.create(enterprise=moved, agency=world.agency_city, valid_from=dt.date(2026, 7, 1))
    district = services.plan_generate(actor=world.user("officer_a"), year=Y)
    city = services.plan_generate(actor=world.user("officer_city"), year=Y)
    services.plan_item_update(actor=world.user("officer_a"), item=district.items.get(), count=2, months=[2, 5])
    services.plan_item_update(actor=world.user("officer_city"), item=city.items.get(), count=2, months=[8, 11])
    assert [c.kind for c in selectors.plan_conflicts(city)] == ["two_subjects"]


def test_only_the_latest_current_version_of_each_agency_counts(world: Any, calendar: None) -> None:
    from tests.conftest import _person

    moved = unit(world, 1, "迁移机械", standardization_level="1", subject_to=dt.date(2026, 6, 30))  # cap 1
    PlannedSubject.objects.create(enterprise=moved, agency=world.agency_city, valid_from=dt.date(2026, 7, 1))
    city = services.plan_generate(actor=world.user("officer_city"), year=Y)
    services.plan_submit(actor=world.user("officer_city"), plan=city)
    services.plan_approve(actor=_person({}, "leader_city2", world.agency_city, ["leader"]), plan=city)
    services.plan_revise(actor=world.user("officer_city"), plan=city, reason="调整")  # v1 approved + v2 draft
    district = services.plan_generate(actor=world.user("officer_a"), year=Y)
    found = selectors.plan_conflicts(district)
    assert [c.kind for c in found] == ["two_subjects", "over_cap"]
    assert "合计安排2次" in found[1].message  # v1 and v2 of the city are not both counted
