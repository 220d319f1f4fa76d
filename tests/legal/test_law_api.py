"""/api/v1/law/: the calculators, the catalogue, the calendar and rule overrides over HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from anjian.core.models import AuditEvent
from anjian.legal import services
from anjian.legal.models import RuleOverride
from tests.legal.conftest import CSV_2027, SOURCE_2027

D = dt.date
pytestmark = pytest.mark.urls("tests.legal.urls_for_law")
API = "/api/v1/law"


def client_for(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def _error(r: Any, status: int, code: str, field: str) -> dict[str, Any]:
    assert r.status_code == status, r.content.decode()
    body: dict[str, Any] = r.json()
    assert body["code"] == code and field in body["fields"] and body["message"], body
    return body


def test_it_needs_login(calendar: None) -> None:
    assert APIClient().get(f"{API}/deadlines/", {"event": "notice_served", "date": "2026-02-03"}).status_code in (401, 403)


def test_deadlines_of_an_event(calendar: None, world: Any) -> None:
    r = client_for(world.user("officer_a")).get(f"{API}/deadlines/", {"event": "notice_served", "date": "2026-02-03"})
    assert r.status_code == 200
    body = r.json()
    by_code = {x["code"]: x for x in body["results"]}
    assert by_code["hearing_request"]["due"] == "2026-02-10" and by_code["hearing_request"]["status"] == "V"
    assert by_code["hearing_request"]["article"] == "行政处罚法第六十四条第（一）项、第八十五条"
    defence = by_code["defence_statement"]
    assert defence["unverified"] and defence["status"] == "CFG" and "须经法规科确认或者替换" in defence["warning"]
    assert body["provisional"] is False and body["unverified"] is True and body["jurisdiction_code"] == "370602"


def test_one_deadline_and_an_unknown_rule_code(calendar: None, world: Any) -> None:
    c = client_for(world.user("officer_a"))
    r = c.get(f"{API}/deadlines/payment/", {"trigger": "2026-09-22"})
    assert r.status_code == 200 and r.json()["due"] == "2026-10-08" and r.json()["rolled_forward"] is True
    body = _error(c.get(f"{API}/deadlines/no_such_rule/", {"trigger": "2026-09-22"}), 422, "unknown_rule", "code")
    assert "no_such_rule" in body["message"]
    _error(c.get(f"{API}/deadlines/payment/", {"trigger": "2003-12-31"}), 422, "date_out_of_range", "trigger")


@pytest.mark.parametrize(
    "params,code,field",
    [
        ({"event": "notice_served", "date": "2003-12-31"}, "date_out_of_range", "date"),
        ({"event": "notice_served", "date": "2026-02-03", "step_date": "1999-01-01"}, "date_out_of_range", "step_date"),
        ({"event": "no_such_event", "date": "2026-02-03"}, "invalid", "event"),
        ({"event": "notice_served"}, "invalid", "date"),
        ({"event": "power_cut_planned", "date": "2026-02-03"}, "time_required", "time"),
    ],
)
def test_deadline_refusals(calendar: None, world: Any, params: dict[str, str], code: str, field: str) -> None:
    _error(client_for(world.user("officer_a")).get(f"{API}/deadlines/", params), 422, code, field)


def test_2027_is_provisional_until_loaded(calendar: None, world: Any) -> None:
    c = client_for(world.user("officer_a"))
    r = c.get(f"{API}/deadlines/", {"event": "notice_served", "date": "2027-09-30"}).json()
    hearing = next(x for x in r["results"] if x["code"] == "hearing_request")
    assert r["provisional"] and r["unloaded_years"] == [2027] and "2027年度的法定节假日安排尚未载入" in r["provisional_message"]
    assert hearing["provisional"] and hearing["due"] == "2027-10-07" and "不得以该临时届满日为依据办理下一步" in hearing["blocked"]
    year = c.get(f"{API}/calendar/2027/").json()
    assert year["loaded"] is False and year["provisional"] is True and year["exceptions"] == []
    services.calendar_year_load(actor=None, year=2027, rows=services.parse_calendar_csv(CSV_2027, year=2027), source=SOURCE_2027)
    r = c.get(f"{API}/deadlines/", {"event": "notice_served", "date": "2027-09-30"}).json()
    hearing = next(x for x in r["results"] if x["code"] == "hearing_request")
    assert not r["provisional"] and r["provisional_message"] is None and hearing["due"] == "2027-10-13" and hearing["blocked"] is None
    year = c.get(f"{API}/calendar/2027/").json()
    assert year["loaded"] is True and year["source"] == SOURCE_2027 and len(year["exceptions"]) == 9
    assert {"date": "2027-10-09", "kind": "makeup_workday", "name": "国庆节"} in year["exceptions"]


def test_calendar_year_refusal(calendar: None, world: Any) -> None:
    _error(client_for(world.user("officer_a")).get(f"{API}/calendar/2003/"), 422, "date_out_of_range", "year")


def test_penalty_check(calendar: None, world: Any) -> None:
    payload = {"violation": "P7", "item": 3, "subject": "unit", "act_date": "2025-06-01", "decision_date": "2026-03-02", "amount": "50000.00", "complex_case": True}
    r = client_for(world.user("officer_a")).post(f"{API}/penalties/check/", payload, format="json")
    assert r.status_code == 200, r.content.decode()
    body = r.json()
    assert body["legal_range"]["maximum"] == "100000.00" and body["legal_range"]["minimum"] is None
    assert body["legal_range"]["basis"] == "安全生产法第九十七条" and body["applicable"]["applied"] == "act"
    assert body["amount_check"]["lawful"] and body["amount_check"]["band"] == "ordinary"
    assert body["bands_status"] == "CFG" and set(body["bands"]) == {"lenient", "ordinary", "heavy"}
    assert body["hearing"]["required"] and body["hearing"]["unverified"] and body["hearing"]["thresholds"]["organisation"] == "50000.00"
    assert body["legal_review"]["required"] and body["legal_review"]["reasons"][0]["article"] == "行政处罚法第五十八条第一款第（三）项"
    assert body["collective_discussion"]["required"] and body["summary_procedure"]["allowed"] is False


@pytest.mark.parametrize(
    "changes,code,field",
    [
        ({"amount": "-1"}, "amount_negative", "amount"),
        ({"amount": -1}, "amount_negative", "amount"),
        ({"amount": "100.125"}, "amount_precision", "amount"),
        # issue 8 Medium 11: 1e30 answered 500; a JSON number and a string alike
        ({"amount": "1e30"}, "amount_too_large", "amount"),
        ({"amount": 1e30}, "amount_too_large", "amount"),
        ({"amount": "1e13"}, "amount_too_large", "amount"),
        ({"amount": "-1e30"}, "amount_negative", "amount"),
        ({"amount": "NaN"}, "amount_invalid", "amount"),
        ({"amount": "Infinity"}, "amount_invalid", "amount"),
        ({"amount": "1e-30"}, "amount_precision", "amount"),
        ({"income": "1e30"}, "amount_too_large", "income"),
        ({"income": "-5"}, "amount_negative", "income"),
        ({"violation": "P99"}, "unknown_violation", "violation"),
        ({"act_date": "2003-01-01"}, "date_out_of_range", "act_date"),
        ({"subject": "robot"}, "invalid", "subject"),
        ({"kinds": ["banishment"]}, "invalid", "kinds"),
        ({"violation": "P5", "subject": "principal", "circumstance": "accident", "grade": "general"}, "penalty_clause_missing", "income"),
    ],
)
def test_penalty_refusals(calendar: None, world: Any, changes: dict[str, Any], code: str, field: str) -> None:
    payload = {"violation": "P7", "act_date": "2025-06-01", "decision_date": "2026-03-02", "amount": "50000", **changes}
    _error(client_for(world.user("officer_a")).post(f"{API}/penalties/check/", payload, format="json"), 422, code, field)


def test_violations(calendar: None, world: Any) -> None:
    body = client_for(world.user("officer_a")).get(f"{API}/violations/").json()
    p7 = next(v for v in body["results"] if v["id"] == "P7")
    assert body["count"] == len(body["results"]) and p7["article"] == "安全生产法第九十七条" and len(p7["items"]) == 7
    assert {"subject": "unit", "circumstance": "base", "measure": "fine", "maximum": "100000.00"}.items() <= p7["clauses"][1].items()


def test_overrides_permissions_and_visibility(calendar: None, world: Any) -> None:
    payload = {"rule_code": "defence_statement", "scope": "370602", "effective_from": "2026-02-01", "source_document": "芝应急法〔2026〕3号", "approver": "王法规"}
    r = client_for(world.user("officer_a")).post(f"{API}/overrides/", payload, format="json")
    assert r.status_code == 403 and r.json()["code"] == "role_refused"
    body = _error(client_for(world.user("legal_a")).post(f"{API}/overrides/", {**payload, "source_document": ""}, format="json"), 422, "override_source_missing", "source_document")
    assert body["fields"]["source_document"] == ["规则覆盖缺少依据文件（文号），不得登记"]
    _error(client_for(world.user("legal_a")).post(f"{API}/overrides/", {**payload, "rule_code": "nope"}, format="json"), 422, "unknown_rule", "rule_code")
    _error(client_for(world.user("legal_a")).post(f"{API}/overrides/", {**payload, "rule_code": "payment"}, format="json"), 422, "statutory_rule_not_overridable", "rule_code")
    assert not RuleOverride.objects.exists()
    r = client_for(world.user("legal_a")).post(f"{API}/overrides/", payload, format="json")
    assert r.status_code == 201 and r.json()["source_document"] == "芝应急法〔2026〕3号" and r.json()["rule_name"] == "陈述申辩期限"
    assert AuditEvent.objects.filter(action="rule.override", object_id=str(r.json()["id"])).exists()
    # visible to district A's officers, in the list and in the computation; not to district B
    listing = client_for(world.user("officer_a")).get(f"{API}/overrides/").json()
    assert listing["count"] == 1 and listing["results"][0]["approver"] == "王法规" and listing["results"][0]["in_force"] in (True, False)
    assert client_for(world.user("officer_b")).get(f"{API}/overrides/").json()["count"] == 0
    r = client_for(world.user("officer_a")).get(f"{API}/deadlines/", {"event": "notice_served", "date": "2026-02-03"}).json()
    defence = next(x for x in r["results"] if x["code"] == "defence_statement")
    assert not defence["unverified"] and defence["override"]["source_document"] == "芝应急法〔2026〕3号" and defence["override"]["approver"] == "王法规"
    assert defence["article"].startswith("芝应急法〔2026〕3号")


def test_the_schema_still_builds(calendar: None, world: Any, client: Any) -> None:
    client.force_login(world.user("officer_a"))
    r = client.get("/api/schema/")
    assert r.status_code == 200 and b"/api/v1/law/penalties/check/" in r.content
