"""Execution of the annual plan (issue 13 item 7): an inspection carries out a plan item; planned
against done by month, team and unit; overdue items; the completion rate the statistics read.

The clock stands on 2026-06-15 (Asia/Shanghai): months 1–5 have passed, June is due.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from anjian.core.errors import ValidationFailed
from anjian.inspections import services as insp
from anjian.inspections.models import Inspection
from anjian.planning import selectors, services
from anjian.planning.models import AnnualPlan, PlanItem
from tests.inspections.conftest import officers
from tests.planning.conftest import Y, unit

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(Y, 6, 15)
MONTHS = {"std3": [3, 6, 9, 12], "std1": [6], "chem": [2, 5, 8, 11], "mineA": [10], "mineD": [1, 4, 7, 10], "none": [1, 3, 5, 7, 9, 11]}


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(dt.datetime(Y, 6, 15, 10, 0, tzinfo=SH), tick=False):
        yield


def approved(world: Any, units: dict[str, Any]) -> AnnualPlan:
    from tests.conftest import _person

    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    for key, months in MONTHS.items():
        item = plan.items.get(enterprise=units[key])
        services.plan_item_update(actor=world.user("officer_a"), item=item, count=len(months), months=months)
    services.plan_submit(actor=world.user("officer_a"), plan=plan)
    services.plan_approve(actor=world.user("leader_a"), plan=plan)
    world.users["officer_city2"] = _person({}, "officer_city2", world.agency_city, ["officer"])
    return AnnualPlan.objects.get(pk=plan.pk)


def item_of(plan: AnnualPlan, ent: Any) -> PlanItem:
    return plan.items.get(enterprise=ent)


def inspect(world: Any, ent: Any, day: dt.date, *, item: PlanItem | None = None, complete: bool = True, type: str = "planned", user: str = "officer_a") -> Inspection:
    i = insp.inspection_create(
        actor=world.user(user), enterprise=ent, type=type, inspected_on=day, started_at=dt.datetime.combine(day, dt.time(9), tzinfo=SH), place="厂区",
        officer_ids=officers(world), template_ids=[], plan_item_id=item.pk if item else None,
    )  # fmt: skip
    if complete:
        insp.inspection_complete(
            actor=world.user(user), inspection=i, party_representative="张三", party_signature="signed", ended_at=dt.datetime.combine(day, dt.time(11), tzinfo=SH)
        )
    return i


def test_progress_by_month_team_and_unit_with_overdue_items(world: Any, units: dict[str, Any]) -> None:
    plan = approved(world, units)
    inspect(world, units["std3"], dt.date(Y, 3, 10), item=item_of(plan, units["std3"]))
    inspect(world, units["std3"], dt.date(Y, 6, 12), item=item_of(plan, units["std3"]), complete=False)  # in progress: not done
    inspect(world, units["chem"], dt.date(Y, 6, 2), item=item_of(plan, units["chem"]))  # late for February: clears one
    inspect(world, units["none"], dt.date(Y, 4, 1))  # not linked to the plan: does not count
    p = selectors.plan_progress(plan)
    assert (p.months_passed, p.month_due) == (5, 6)
    by_unit = {name: p.items[item_of(plan, units[name]).pk] for name in MONTHS}
    assert {k: (v.planned_to_date, v.done, v.overdue, v.due_this_month) for k, v in by_unit.items()} == {
        "std3": (2, 1, 0, True),
        "std1": (1, 0, 0, True),
        "chem": (2, 1, 1, False),
        "mineA": (0, 0, 0, False),
        "mineD": (2, 0, 2, False),
        "none": (3, 0, 3, False),
    }
    assert (p.planned, p.planned_to_date, p.done, p.done_counted, p.rate) == (20, 10, 2, 2, "20.0")
    assert sorted(p.overdue_ids) == sorted(item_of(plan, units[k]).pk for k in ("chem", "mineD", "none")) and p.overdue_inspections == 6
    assert [(m["month"], m["planned"], m["done"]) for m in p.months][:6] == [(1, 2, 0), (2, 1, 0), (3, 2, 1), (4, 1, 0), (5, 2, 0), (6, 2, 1)]
    assert sum(t["planned"] for t in p.teams) == 20 and sum(t["done"] for t in p.teams) == 2 and sum(t["overdue_items"] for t in p.teams) == 3
    # A second inspection done ahead of plan counts as done but never raises the rate above the plan to date.
    inspect(world, units["std1"], dt.date(Y, 6, 1), item=item_of(plan, units["std1"]))
    inspect(world, units["std1"], dt.date(Y, 6, 3), item=None)
    p = selectors.plan_progress(plan)
    assert p.items[item_of(plan, units["std1"]).pk].done == 1 and p.rate == "30.0"


def test_done_counts_across_versions_and_the_completion_rate_for_the_statistics(world: Any, units: dict[str, Any]) -> None:
    plan = approved(world, units)
    inspect(world, units["mineD"], dt.date(Y, 1, 20), item=item_of(plan, units["mineD"]))
    v2 = services.plan_revise(actor=world.user("officer_a"), plan=plan, reason="新增单位")
    services.plan_submit(actor=world.user("officer_a"), plan=v2)
    from tests.conftest import _person

    services.plan_approve(actor=_person({}, "leader_a2", world.agency_a, ["leader"]), plan=v2)
    p2 = selectors.plan_progress(AnnualPlan.objects.get(pk=v2.pk))
    assert p2.items[item_of(v2, units["mineD"]).pk].done == 1  # linked to version 1, counted in version 2
    figure = selectors.completion(user=world.user("leader_city"), year=Y)
    assert figure["plans"] == 1 and figure["planned_to_date"] == 10 and figure["done_counted"] == 1 and figure["rate"] == "10.0" and figure["overdue_items"] == 4
    assert selectors.completion(user=world.user("officer_b"), year=Y)["plans"] == 0  # another district's plan is not in its figure
    assert selectors.completion(user=world.user("officer_a"), year=2025)["rate"] is None
    # The statistics' indicator counts the inspections done under the plan.
    from anjian.stats.indicators import REGISTRY

    assert REGISTRY["inspections_in_plan"].period_rows(dt.date(Y, 1, 1), TODAY).count() == 1


def test_a_linked_item_is_checked_with_a_chinese_field_error(world: Any, units: dict[str, Any]) -> None:
    plan = approved(world, units)
    std3 = item_of(plan, units["std3"])
    draft = services.plan_generate(actor=world.user("officer_a"), year=2025)  # a draft of another year
    cases = [
        ({"enterprise": units["chem"], "item": std3.pk}, "不是本次被检查单位的"),
        ({"enterprise": units["std3"], "item": std3.pk, "type": "complaint"}, "只有计划检查或双随机检查可以关联年度计划"),
        ({"enterprise": units["std3"], "item": draft.items.get(enterprise=units["std3"]).pk}, "只能关联已批准且在执行中的年度计划"),
        ({"enterprise": units["std3"], "item": 10**12}, "不属于本机关的年度计划"),
        ({"enterprise": units["std3"], "item": "abc"}, "不属于本机关的年度计划"),
        ({"enterprise": units["std3"], "item": std3.pk, "user": "officer_city", "officers": ["officer_city", "officer_city2"]}, "不属于本机关的年度计划"),
    ]
    for c, message in cases:
        ids = officers(world, *c.get("officers", ()))
        with pytest.raises(ValidationFailed) as info:
            insp.inspection_create(
                actor=world.user(c.get("user", "officer_a")), enterprise=c["enterprise"], type=c.get("type", "planned"), inspected_on=TODAY,
                started_at=dt.datetime(Y, 6, 15, 9, tzinfo=SH), place="厂区", officer_ids=ids, template_ids=[], plan_item_id=c["item"],
            )  # fmt: skip
        assert message in info.value.fields["plan_item"][0], (c, info.value.fields)
    assert not Inspection.objects.exists()
    # A superseded version's item is refused too.
    v2 = services.plan_revise(actor=world.user("officer_a"), plan=plan, reason="调整")
    services.plan_submit(actor=world.user("officer_a"), plan=v2)
    from tests.conftest import _person

    services.plan_approve(actor=_person({}, "leader_a3", world.agency_a, ["leader"]), plan=v2)
    with pytest.raises(ValidationFailed) as info:
        inspect(world, units["std3"], TODAY, item=std3, complete=False)
    assert "已被新版本替代" in info.value.fields["plan_item"][0]
    assert inspect(world, units["std3"], TODAY, item=item_of(v2, units["std3"]), complete=False).plan_item_id == item_of(v2, units["std3"]).pk


def test_the_start_form_offers_this_months_item_and_links_it(world: Any, units: dict[str, Any]) -> None:
    plan = approved(world, units)
    c = Client()
    c.force_login(world.user("officer_a"))
    std3 = item_of(plan, units["std3"])
    page = c.get(f"/inspections/new/{units['std3'].pk}/").content.decode()
    assert 'data-testid="plan-item"' in page and "芝罘区应急局2026年度计划（第1版）：计划4次，安排在3、6、9、12月" in page
    assert f'<option value="{std3.pk}" selected>' in page
    # An overdue unit is offered with its overdue count; a unit not due this month and not overdue is not.
    assert "逾期未检3次" in c.get(f"/inspections/new/{units['none'].pk}/").content.decode()
    assert 'data-testid="plan-item"' not in c.get(f"/inspections/new/{units['mineA'].pk}/").content.decode()
    data = {
        "idempotency_key": str(uuid.uuid4()), "type": "planned", "inspected_on": TODAY.isoformat(), "started_time": "09:00", "place": "一号车间",
        "officers": [str(i) for i in officers(world)], "plan_item": str(std3.pk),
    }  # fmt: skip
    # A forged id on a unit with nothing to offer is refused with the field message, nothing saved.
    r = c.post(f"/inspections/new/{units['mineA'].pk}/", {**data, "idempotency_key": str(uuid.uuid4())})
    assert r.status_code == 200 and "不是本次被检查单位的" in r.content.decode() and not Inspection.objects.exists()
    r = c.post(f"/inspections/new/{units['std3'].pk}/", data)
    assert r.status_code == 302
    assert Inspection.objects.get().plan_item_id == std3.pk
    # The plan's page shows the execution; the overdue filter lists the overdue units only.
    detail = c.get(f"/planning/{plan.pk}/").content.decode()
    assert 'data-testid="progress"' in detail and "逾期未检4户（8次）" in detail and "本月应检" in detail
    overdue = c.get(f"/planning/{plan.pk}/?overdue=1").content.decode()
    assert "逾期未检 <strong>4</strong> 户单位" in overdue and "丙机械厂" in overdue and "甲机械厂" not in overdue and "丁露天矿" not in overdue


def test_the_api_offers_links_and_reports_progress(world: Any, units: dict[str, Any]) -> None:
    plan = approved(world, units)
    api = APIClient()
    api.force_authenticate(world.user("officer_a"))
    std3 = item_of(plan, units["std3"])
    offer = api.get("/api/v1/inspections/plan-items/", {"enterprise": units["std3"].pk}).json()
    assert [o["id"] for o in offer] == [std3.pk] and offer[0]["due_this_month"] is True
    assert api.get("/api/v1/inspections/plan-items/", {"enterprise": "x"}).status_code == 400
    assert api.get("/api/v1/inspections/plan-items/").status_code == 422
    b = APIClient()
    b.force_authenticate(world.user("officer_b"))
    assert b.get("/api/v1/inspections/plan-items/", {"enterprise": units["std3"].pk}).status_code == 404
    body = {
        "enterprise": units["std3"].pk, "type": "planned", "inspected_on": TODAY.isoformat(), "started_at": "2026-06-15T09:00:00+08:00", "place": "车间",
        "officer_ids": officers(world), "template_ids": [],
    }  # fmt: skip
    for bad in ("9" * 20, -1, "abc"):
        r = api.post("/api/v1/inspections/", {**body, "plan_item_id": bad}, format="json")
        assert r.status_code == 400 and "plan_item_id" in r.json()["fields"], bad
    r = api.post("/api/v1/inspections/", {**body, "plan_item_id": item_of(plan, units["chem"]).pk}, format="json")
    assert r.status_code == 422 and "不是本次被检查单位的" in r.json()["fields"]["plan_item"][0]
    r = api.post("/api/v1/inspections/", {**body, "plan_item_id": std3.pk}, format="json")
    assert r.status_code == 201 and r.json()["plan_item"] == std3.pk
    insp.inspection_complete(actor=world.user("officer_a"), inspection=Inspection.objects.get(pk=r.json()["id"]), party_representative="张三", party_signature="signed")
    prog = api.get(f"/api/v1/plans/{plan.pk}/progress/").json()
    assert (prog["planned_to_date"], prog["done"], prog["rate"], prog["overdue_items"]) == (10, 1, "10.0", 3)
    assert prog["months"][5] == {"month": 6, "planned": 2, "done": 1, "passed": False}
    items = api.get(f"/api/v1/plans/{plan.pk}/items/").json()["results"]
    row = next(i for i in items if i["id"] == std3.pk)
    assert row["progress"] == {"planned_to_date": 2, "done": 1, "overdue": 0, "due_this_month": True}  # the late June inspection clears March
    overdue = api.get(f"/api/v1/plans/{plan.pk}/items/", {"overdue": "1"}).json()
    assert overdue["count"] == 3 and all(i["progress"]["overdue"] > 0 for i in overdue["results"])
    assert b.get(f"/api/v1/plans/{plan.pk}/progress/").status_code == 404


def test_progress_endpoints_have_a_fixed_query_count(world: Any, units: dict[str, Any]) -> None:
    plan = approved(world, units)
    api = APIClient()
    api.force_authenticate(world.user("officer_a"))
    c = Client()
    c.force_login(world.user("officer_a"))

    def measure(pk: int) -> tuple[int, ...]:
        out = []
        calls = (
            lambda: api.get(f"/api/v1/plans/{pk}/progress/"),
            lambda: api.get(f"/api/v1/plans/{pk}/items/"),
            lambda: api.get(f"/api/v1/plans/{pk}/items/", {"overdue": "1"}),
            lambda: c.get(f"/planning/{pk}/"),
            lambda: c.get(f"/planning/{pk}/", {"overdue": "1"}),
        )
        for call in calls:
            with CaptureQueriesContext(connection) as ctx:
                assert call().status_code == 200
            out.append(len(ctx.captured_queries))
        return tuple(out)

    inspect(world, units["std3"], dt.date(Y, 3, 10), item=item_of(plan, units["std3"]))
    before = measure(plan.pk)
    # Thirty more units, the 2025 plan of all 36 approved, more linked inspections: the same number of queries.
    for n in range(30):
        unit(world, 100 + n, f"新增单位{n:02d}")
    v = services.plan_generate(actor=world.user("officer_a"), year=2025)
    services.plan_submit(actor=world.user("officer_a"), plan=v)
    services.plan_approve(actor=world.user("leader_a"), plan=v)
    for key in ("std1", "chem", "mineD"):
        inspect(world, units[key], dt.date(2025, 2, 10), item=item_of(v, units[key]))
    assert v.items.count() == 36
    assert measure(v.pk) == before
