"""The execution API and page: scope (404 out of scope, nested ids bound to their case), field
errors with nothing written, the surcharge schedule, the list's query count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from anjian.cases.models import CaseStep
from anjian.cases.models_execution import PaymentPlan
from tests.cases.conftest import at
from tests.cases.test_execution import media, served_case  # noqa: F401

D = dt.date


def api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def page(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_summary_schedule_and_deferral_over_the_api(cases_world, ent_a, clock, media):  # noqa: F811
    w = cases_world
    c = served_case(w, ent_a, clock)
    at(clock, D(2026, 3, 10))
    officer, leader = api(w.user("officer_a")), api(w.user("leader_a"))
    r = officer.get(f"/api/v1/cases/{c.pk}/execution/", {"on": "2026-03-25"})
    assert r.status_code == 200
    assert r.json()["due"]["surcharge"] == "1200.00" and r.json()["due"]["total"] == "21200.00"
    assert r.json()["court"] == "烟台市芝罘区人民法院" and r.json()["offers"]["daily_penalty"]["offered"] is False
    assert officer.get(f"/api/v1/cases/{c.pk}/execution/", {"on": "25/03/2026"}).status_code in (400, 422)
    assert officer.get(f"/api/v1/cases/{c.pk}/execution/surcharge/", {"on": "9999-12-31"}).status_code in (400, 422)  # bounded horizon
    s = officer.get(f"/api/v1/cases/{c.pk}/execution/surcharge/").json()
    (part,) = s["parts"]
    assert part["daily"] == "600.00" and part["days"][-1]["cumulative"] == "20000.00" and part["cap_reached_on"] == "2026-04-26"
    body = {"kind": "instalments", "requested_on": "2026-03-10", "reason": "资金周转困难", "instalments": [{"due": "2026-04-10", "amount": "10000.00"}, {"due": "2026-05-10", "amount": "10000.001"}]}
    r = officer.post(f"/api/v1/cases/{c.pk}/execution/deferrals/", body, format="json")
    assert r.status_code in (400, 422) and r.json()["fields"] and not PaymentPlan.objects.exists()
    body["instalments"][1]["amount"] = "10000.00"
    r = officer.post(f"/api/v1/cases/{c.pk}/execution/deferrals/", body, format="json")
    assert r.status_code == 201, r.json()
    plan = PaymentPlan.objects.get()
    r = officer.post(f"/api/v1/cases/{c.pk}/execution/deferrals/{plan.pk}/decide/", {"approved": True, "decided_on": "2026-03-10"}, format="json")
    assert r.status_code == 403  # not the agency head
    r = leader.post(f"/api/v1/cases/{c.pk}/execution/deferrals/{plan.pk}/decide/", {"approved": True, "decided_on": "2026-03-10"}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["plans"][0]["status"] == "approved" and [d["kind"] for d in r.json()["documents"]] == ["deferral_approval"]
    r = officer.get(f"/api/v1/cases/{c.pk}/execution/", {"on": "2026-04-10"})
    assert r.json()["due"]["surcharge"] == "0.00" and [p["due"] for p in r.json()["due"]["parts"]] == ["2026-04-10", "2026-05-10"]


def test_scope_and_bad_ids(cases_world, ent_a, clock, media):  # noqa: F811
    w = cases_world
    c = served_case(w, ent_a, clock)
    at(clock, D(2026, 3, 25))
    outsider = api(w.user("officer_b"))
    assert outsider.get(f"/api/v1/cases/{c.pk}/execution/").status_code == 404
    r = outsider.post(f"/api/v1/cases/{c.pk}/execution/remedies/", {"kind": "lawsuit", "filed_on": "2026-03-25"}, format="json")
    assert r.status_code == 404 and not c.remedies.exists()
    officer = api(w.user("officer_a"))
    assert officer.post(f"/api/v1/cases/{c.pk}/execution/remedies/99999999999999999999/outcome/", {"outcome": "upheld", "outcome_on": "2026-03-25"}, format="json").status_code == 404
    assert officer.get("/api/v1/cases/99999999999999999999/execution/").status_code == 404
    r = officer.post(f"/api/v1/cases/{c.pk}/execution/remedies/", {"kind": "lawsuit", "filed_on": "2026-03-01"}, format="json")
    assert r.status_code in (400, 422) and "filed_on" in r.json()["fields"] and not c.remedies.exists()  # before the service of the decision
    r = officer.post(f"/api/v1/cases/{c.pk}/execution/remedies/", {"kind": "lawsuit", "filed_on": "2026-03-25"}, format="json")
    assert r.status_code == 201 and r.json()["remedies"][0]["body"] == "烟台市芝罘区人民法院"
    remedy = c.remedies.get()
    # a remedy id of this case under another case of the same bureau: 404
    other = served_case(w, ent_a, clock, act_date=D(2026, 2, 21))
    at(clock, D(2026, 3, 26))
    r = officer.post(f"/api/v1/cases/{other.pk}/execution/remedies/{remedy.pk}/outcome/", {"outcome": "upheld", "outcome_on": "2026-03-26"}, format="json")
    assert r.status_code == 404
    r = officer.post(f"/api/v1/cases/{c.pk}/execution/payments/", {"paid_on": "2026-03-26", "amount": "20000.005", "receipt_no": "X1"}, format="json")
    assert r.status_code in (400, 422) and "amount" in r.json()["fields"] and not c.payments.exists()
    assert CaseStep.objects.filter(case=c, action="case.remedy_filed").count() == 1


def test_execution_list_query_count(cases_world, ent_a, clock, media, django_assert_max_num_queries):  # noqa: F811
    w = cases_world
    first = served_case(w, ent_a, clock)
    at(clock, D(2026, 3, 25))
    officer = api(w.user("officer_a"))
    with django_assert_max_num_queries(12) as one:
        r = officer.get("/api/v1/cases/execution/")
    assert r.status_code == 200 and [row["id"] for row in r.json()["results"]] == [first.pk]
    for day in (21, 22):
        served_case(w, ent_a, clock, act_date=D(2026, 2, day))
    at(clock, D(2026, 3, 25))
    with django_assert_max_num_queries(len(one.captured_queries)):
        r = officer.get("/api/v1/cases/execution/")
    assert r.json()["count"] == 3
    assert api(w.user("officer_b")).get("/api/v1/cases/execution/").json()["count"] == 0


def test_page_shows_amounts_and_refuses_with_the_rule(cases_world, ent_a, clock, media):  # noqa: F811
    w = cases_world
    c = served_case(w, ent_a, clock)
    at(clock, D(2026, 3, 25))
    r = page(w.user("officer_a")).get(f"/cases/{c.pk}/execution/")
    html = r.content.decode()
    assert r.status_code == 200 and "1200.00元" in html and "21200.00元" in html and "每日600.00元" in html
    assert page(w.user("officer_b")).get(f"/cases/{c.pk}/execution/").status_code == 404
    r = page(w.user("officer_a")).post(f"/cases/{c.pk}/execution/demand/", {"demand-issued_on": "2026-03-25"})
    assert r.status_code == 302 and c.steps.filter(action="case.fine_demand").exists()
    r = page(w.user("officer_a")).post(f"/cases/{c.pk}/execution/reminder/", {"reminder-issued_on": "2026-03-25"})
    assert r.status_code == 409 and "行政强制法第五十三条" in r.content.decode()
    r = page(w.user("officer_a")).post(f"/cases/{c.pk}/execution/payment/", {"payment-paid_on": "2026-03-25", "payment-amount": "21200.00", "payment-receipt_no": "B-1"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == "executed" and c.payments.get().surcharge == Decimal("1200.00")
    assert page(w.user("officer_a")).post(f"/cases/{c.pk}/execution/unknown/", {}).status_code == 404


@pytest.mark.parametrize("path", ["", "surcharge/"])
def test_anonymous_is_refused(db, path):
    assert APIClient().get(f"/api/v1/cases/1/execution/{path}").status_code in (401, 403)


def test_page_and_summary_of_a_case_not_yet_decided(cases_world, ent_a, clock, media):  # noqa: F811
    from tests.cases.conftest import open_case

    w = cases_world
    c = open_case(w, ent_a)
    assert page(w.user("officer_a")).get(f"/cases/{c.pk}/execution/").status_code == 200
    r = api(w.user("officer_a")).get(f"/api/v1/cases/{c.pk}/execution/")
    assert r.status_code == 200 and r.json()["due"]["total"] == "0.00" and r.json()["due"]["parts"] == []
    r = api(w.user("officer_a")).post(f"/api/v1/cases/{c.pk}/execution/demand/", {"issued_on": "2026-03-02"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "bad_state"
