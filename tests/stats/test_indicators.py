"""Every indicator against a small city built through the services, with answers worked out by
hand (issue 11, "Tests"). The story runs from June to 20 September 2026 (the frozen today):

* units (created 15 June): e1 芝罘 危化·生产 with a major hazard source (the one key unit);
  e2 芝罘 工贸·机械; e3 福山 工贸·机械; e4 芝罘 危化·生产, 工贸·机械 and 工贸·冶金 (two sectors of
  one group), declared closed on 18 Sept;
* completed inspections: 20 Jun e2 planned (Q2); 5 Jul e1 planned; 14 Jul e1 re-inspection;
  20 Jul e1 random; 10 Aug e2 complaint; 12 Aug e4 planned by the city bureau; 2 Sep e3 planned
  (福山); and a draft on 5 Sep (e2) that counts nowhere;
* hazards: h5 e2 general found 20 Jun, served (deadline 30 Jun), closed 10 Jul (late);
  h1 e1 general found 5 Jul, closed 14 Jul (on time); h2 e1 major found 20 Jul, with an on-site
  measure, open; h3 e2 general found 10 Aug, overdue from 20 Aug, closed 27 Aug;
  h4 e3 general found 2 Sep, overdue from 15 Sep, open;
* transfers: 芝罘 sent 11 Aug, accepted 14 Aug (3 days); 福山 sent 3 Sep, pending;
* a penalty case against e2 filed on 28 Aug (not yet decided: no fine);
* staff (tests/conftest.py world, and a second city officer): in post 8 + 2 + 1 + 3 = 14 civil
  servants, 12 certified (office_a and admin_a hold no certificate); with a safety-related
  education and practice: officer_a since 2020, officer_a2 since 10 September.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from tests.conftest import _person, make_uscc
from tests.inspections.conftest import calendar, officers  # noqa: F401

SH = dt.timezone(dt.timedelta(hours=8))
A_OFFICERS = ("officer_a", "officer_a2")
TODAY = dt.date(2026, 9, 20)
Q3 = "2026-Q3"


def w_officer(world: Any) -> Any:
    return world.user("officer_a")


def _at(traveller: Any, day: dt.date, hour: int = 18) -> None:
    traveller.move_to(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=SH))


def _inspect(world: Any, actor: str, ent: Any, day: dt.date, kind: str, names: tuple[str, ...], *, complete: bool = True) -> Any:
    from anjian.inspections import services

    insp = services.inspection_create(
        actor=world.user(actor), enterprise=ent, type=kind, inspected_on=day, started_at=dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=SH),
        place="厂区", officer_ids=officers(world, *names), template_ids=[],
    )  # fmt: skip
    if complete:
        services.inspection_complete(
            actor=world.user(actor), inspection=insp, ended_at=insp.started_at + dt.timedelta(hours=2), party_representative="张三", party_signature="signed"
        )
    return insp


def _hazard(world: Any, actor: str, insp: Any, day: dt.date, text: str, period: int) -> Any:
    from anjian.hazards import services

    return services.hazard_create(
        actor=world.user(actor), enterprise=insp.enterprise, source="inspection", inspection=insp, description=text, location="车间",
        severity="general", found_on=day, period_days=period,
    )  # fmt: skip


def _serve(world: Any, actor: str, h: Any, insp: Any, day: dt.date) -> None:
    from anjian.hazards import services

    order = services.rectification_order_issue(actor=world.user(actor), hazards=[h], issued_on=day, inspection=insp)
    services.rectification_order_served(actor=world.user(actor), document=order, method="direct", event_date=day, recipient="张三")


def _close(world: Any, actor: str, h: Any, reported: dt.date, reinspected: dt.date, names: tuple[str, ...], *, complete: bool = False) -> Any:
    from anjian.hazards import services
    from anjian.inspections import services as insp_services

    services.hazard_report_rectified(actor=world.user(actor), hazard=h, reported_on=reported, description="已整改")
    re = services.reinspection_start(
        actor=world.user(actor), hazards=[h], inspected_on=reinspected, started_at=dt.datetime(reinspected.year, reinspected.month, reinspected.day, 9, 0, tzinfo=SH),
        place="厂区", officer_ids=officers(world, *names),
    )  # fmt: skip
    services.reinspection_decide(actor=world.user(actor), reinspection=h.reinspections.get(), result="pass", opinion="整改合格", decided_on=reinspected)
    if complete:
        insp_services.inspection_record_results(actor=world.user(actor), inspection=re, results=[{"item": i.pk, "result": "compliant"} for i in re.items.all()])
        insp_services.inspection_complete(
            actor=world.user(actor), inspection=re, ended_at=re.started_at + dt.timedelta(hours=1), party_representative="张三", party_signature="signed"
        )
    return re


@pytest.fixture
def city(world: Any, calendar: None, settings: Any, tmp_path: Any) -> Any:  # noqa: F811
    """The story above, told through the services; the clock stays at TODAY afterwards."""
    from anjian.enterprises import services as ents
    from anjian.enterprises.models import MajorHazardSource
    from anjian.hazards import services as hz
    from anjian.org.models import Department

    settings.MEDIA_ROOT = tmp_path
    world.users["officer_city2"] = _person({}, "officer_city2", world.agency_city, ["officer"])
    A, B, C = ("officer_a", "officer_a2"), ("officer_b", "depthead_b"), ("officer_city", "officer_city2")
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=SH), tick=False) as t:
        mk = ents.enterprise_create
        e1 = mk(actor=world.user("officer_a"), jurisdiction=world.district_a, name="芝罘危化一厂", uscc=make_uscc(11), sectors=["hazchem.production"])
        e2 = mk(actor=world.user("officer_a"), jurisdiction=world.district_a, name="芝罘机械二厂", uscc=make_uscc(12), sectors=["industry.machinery"])
        e3 = mk(actor=world.user("officer_b"), jurisdiction=world.district_b, name="福山机械三厂", uscc=make_uscc(13, region="370611"), sectors=["industry.machinery"])
        e4 = mk(
            actor=world.user("officer_a"),
            jurisdiction=world.district_a,
            name="芝罘综合四厂",
            uscc=make_uscc(14),
            sectors=["hazchem.production", "industry.machinery", "industry.metallurgy"],
        )
        ents.child_create(actor=world.user("officer_a"), enterprise=e1, model=MajorHazardSource, name="液氨储罐区", level=2, substance="液氨", quantity_t=Decimal("50"))
        _at(t, dt.date(2026, 6, 20))
        i0 = _inspect(world, "officer_a", e2, dt.date(2026, 6, 20), "planned", A)
        h5 = _hazard(world, "officer_a", i0, dt.date(2026, 6, 20), "机械防护罩缺失", 10)
        _serve(world, "officer_a", h5, i0, dt.date(2026, 6, 20))
        _at(t, dt.date(2026, 7, 5))
        i1 = _inspect(world, "officer_a", e1, dt.date(2026, 7, 5), "planned", A)
        h1 = _hazard(world, "officer_a", i1, dt.date(2026, 7, 5), "安全管理人员未经考核", 10)
        _serve(world, "officer_a", h1, i1, dt.date(2026, 7, 5))
        _at(t, dt.date(2026, 7, 10))
        _close(world, "officer_a", h5, dt.date(2026, 7, 8), dt.date(2026, 7, 10), A)
        _at(t, dt.date(2026, 7, 14))
        _close(world, "officer_a", h1, dt.date(2026, 7, 12), dt.date(2026, 7, 14), A, complete=True)
        _at(t, dt.date(2026, 7, 20))
        _inspect(world, "officer_a", e1, dt.date(2026, 7, 20), "random", A)
        h2 = hz.hazard_create(
            actor=world.user("officer_a"), enterprise=e1, source="self_check", description="液氨储罐区未设置紧急切断装置", location="液氨罐区",
            severity="major", major_reason="现场确认", found_on=dt.date(2026, 7, 20),
        )  # fmt: skip
        hz.measure_decide(
            actor=world.user("officer_a"), hazard=h2, measure_type="suspend", scope="unit", reason="罐区无法保证安全", decided_on=dt.date(2026, 7, 20), issue_document=False
        )
        _at(t, dt.date(2026, 8, 10))
        i3 = _inspect(world, "officer_a", e2, dt.date(2026, 8, 10), "complaint", A)
        h3 = _hazard(world, "officer_a", i3, dt.date(2026, 8, 10), "配电箱无防护", 5)
        _serve(world, "officer_a", h3, i3, dt.date(2026, 8, 10))
        _at(t, dt.date(2026, 8, 11))
        supervision = Department.objects.create(agency=world.agency_a, name="工贸监管科", kind="supervision")
        enforcement = Department.objects.get(agency=world.agency_a, kind="enforcement")
        t1 = hz.transfer_send(actor=world.user("supervisor_a"), enterprise=e2, from_department=supervision, to_department=enforcement, facts="逾期未整改", hazards=[h3])
        _at(t, dt.date(2026, 8, 12))
        _inspect(world, "officer_city", e4, dt.date(2026, 8, 12), "planned", C)
        _at(t, dt.date(2026, 8, 14))
        hz.transfer_accept(actor=world.user("leader_a"), transfer=t1)
        _at(t, dt.date(2026, 8, 20), hour=1)
        assert hz.hazards_overdue_sweep() == 1  # h3
        _at(t, dt.date(2026, 8, 27))
        _close(world, "officer_a", h3, dt.date(2026, 8, 25), dt.date(2026, 8, 27), A)
        _at(t, dt.date(2026, 8, 28))
        from anjian.cases import services as cases

        c = cases.case_open(
            actor=w_officer(world), source="other", source_reason="复查发现", enterprise=e2, title="未按期整改事故隐患案", facts="隐患逾期未整改", discovered_on=dt.date(2026, 8, 28)
        )  # fmt: skip
        cases.case_violation_add(actor=w_officer(world), case=c, violation_id="P12", act_date=dt.date(2026, 8, 27), circumstance="base")
        cases.case_file(actor=world.user("depthead_a"), case=c, filed_on=dt.date(2026, 8, 28))
        _at(t, dt.date(2026, 9, 2))
        i4 = _inspect(world, "officer_b", e3, dt.date(2026, 9, 2), "planned", B)
        h4 = _hazard(world, "officer_b", i4, dt.date(2026, 9, 2), "除尘管道积尘", 5)
        _serve(world, "officer_b", h4, i4, dt.date(2026, 9, 2))
        _at(t, dt.date(2026, 9, 3))
        sup_b = Department.objects.create(agency=world.agency_b, name="工贸监管科", kind="supervision")
        hz.transfer_send(
            actor=world.user("depthead_b"),
            enterprise=e3,
            from_department=sup_b,
            to_department=Department.objects.get(agency=world.agency_b, kind="enforcement"),
            facts="移交",
            hazards=[h4],
        )
        _at(t, dt.date(2026, 9, 5))
        _inspect(world, "officer_a", e2, dt.date(2026, 9, 5), "planned", A, complete=False)
        _at(t, dt.date(2026, 9, 15), hour=1)
        assert hz.hazards_overdue_sweep() == 1  # h4
        _at(t, dt.date(2026, 9, 18))
        ents.enterprise_set_status(actor=world.user("officer_a"), enterprise=e4, status="closed", effective_date=dt.date(2026, 9, 18), reason="注销登记")
        _at(t, TODAY, hour=10)
        from anjian.org import services as org

        for name, since in (("officer_a", dt.date(2020, 1, 1)), ("officer_a2", dt.date(2026, 9, 10))):
            staff = world.user(name).staff
            org.staff_safety_qualification_set(actor=world.user("office_a"), staff=staff, qualified_on=since, description="安全工程专业本科，从事安全监管")
        yield {"world": world, "e": [e1, e2, e3, e4], "h": [h1, h2, h3, h4, h5], "traveller": t}


# The city's figures for 2026-Q3 (as of 20 September), worked out from the story.
CITY_Q3: dict[str, Any] = {
    "ledger_units": 3,  # e4 closed on 18 Sep
    "key_units": 1,
    "inspections": 6,
    "inspections_planned": 3,
    "inspections_random": 1,
    "inspections_unplanned": 1,
    "inspections_in_plan": 0,  # no annual plan in this city
    "inspections_followup": 1,
    "units_inspected": 4,
    "key_units_inspected": 1,
    "key_unit_coverage": Decimal("100.0"),
    "hazards_found": 4,
    "hazards_found_general": 3,
    "hazards_found_major": 1,
    "hazards_rectified": 3,
    "hazards_rectified_on_time": 1,
    "hazards_found_rectified": 2,
    "hazards_found_ordered": 3,  # h1, h3, h4 served; h2 (major, self-check) has no order
    "hazards_found_reported": 2,  # h1 reported 12 Jul, h3 25 Aug; h4 not reported
    "rectification_rate": Decimal("50.0"),
    "on_time_rate": Decimal("33.3"),
    "hazards_overdue": 1,
    "major_hazards_open": 1,
    "major_hazards_cleared": 0,
    "onsite_measures": 1,
    "transfers_sent": 2,
    "transfers_accepted": 1,
    "transfer_accept_days": 3,
    "transfer_days_to_accept": Decimal("3.0"),
    "cases_filed": 1,
    "cases_decided": 0,
    "cases_referred": 0,
    "fines_decided": Decimal("0.00"),
    "fines_collected": Decimal("0.00"),
    "staff_in_post": 14,
    "certified_officers": 12,
    "certified_share": Decimal("85.7"),
    "safety_qualified": 2,  # officer_a since 2020, officer_a2 since 10 Sep
    "safety_qualified_share": Decimal("14.3"),
}


def city_q3_figure(key: str, user: Any) -> Any:
    from anjian.stats import rollups
    from anjian.stats.indicators_access import parse_query

    q = parse_query(user, key, {"period": Q3}, today=TODAY)
    return rollups.figures(q.indicator, q.period, q.as_of, jurisdictions=q.jurisdictions)[0]


def test_the_answers_cover_every_indicator() -> None:
    from anjian.stats.indicators import REGISTRY

    assert set(CITY_Q3) == set(REGISTRY)


def test_raw_recount_of_every_base_indicator(city: Any) -> None:
    from anjian.stats.indicators import BASE, parse_period, raw_figures

    p = parse_period(Q3, today=TODAY)
    for ind in BASE:
        assert sum(raw_figures(ind, p.start, p.end_on(TODAY)).values()) == CITY_Q3[ind.key], ind.key


def test_rollup_figures_of_every_indicator(city: Any) -> None:
    from anjian.stats import rollups

    rollups.refresh()
    leader = city["world"].user("leader_city")
    for key, expected in CITY_Q3.items():
        assert city_q3_figure(key, leader).value == expected, key


def test_other_periods(city: Any) -> None:
    from anjian.stats import rollups
    from anjian.stats.indicators_access import parse_query

    rollups.refresh()
    leader = city["world"].user("leader_city")

    def fig(key: str, period: str) -> Any:
        q = parse_query(leader, key, {"period": period}, today=TODAY)
        return rollups.figures(q.indicator, q.period, q.as_of, jurisdictions=q.jurisdictions)[0].value

    assert fig("inspections", "2026-Q2") == 1
    assert fig("inspections", "2026") == 7 == fig("inspections", "ytd")
    assert fig("units_inspected", "2026") == 4  # e2 in June and August: once
    assert fig("units_inspected", "2026-07") == 1  # e1 three times in July
    assert fig("units_inspected", "2026-08") == 2
    assert fig("hazards_found_rectified", "2026-Q2") == 0  # h5 closed in July
    assert fig("hazards_found_rectified", "2026") == 3
    assert fig("rectification_rate", "2026") == Decimal("60.0")
    assert fig("hazards_found_ordered", "2026-Q2") == 1  # h5 found and served on 20 Jun
    assert fig("hazards_found_reported", "2026-Q2") == 0  # h5 reported on 8 Jul
    assert (fig("hazards_found_ordered", "2026"), fig("hazards_found_reported", "2026")) == (4, 3)
    assert fig("hazards_overdue", "2026-08") == 0  # h3 closed 27 Aug
    assert fig("ledger_units", "2026-08") == 4  # e4 closed in September
    assert fig("ledger_units", "2026-05") == 0
    assert fig("major_hazards_open", "2026-06") == 0
    assert fig("certified_officers", "2026-06") == 12
    assert (fig("safety_qualified", "2026-06"), fig("safety_qualified", "2026-Q3")) == (1, 2)
