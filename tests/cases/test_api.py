"""The case API through HTTP: list with a constant query count, detail, one POST per transition,
and refusals with the body ``{code, message, fields, article}``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from anjian.cases import selectors
from anjian.cases.models import Case
from tests.cases.conftest import PNG, START, at, filed_case, noticed_case, open_case
from tests.conftest import make_uscc
from tests.inspections.conftest import officers

D = dt.date


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def _ent(world, n):
    from anjian.enterprises import services as ent_services

    return ent_services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name=f"接口示例企业{n}有限公司", uscc=make_uscc(300 + n), sectors=["industry.machinery"])


def test_a_case_through_the_api_from_opening_to_closing(cases_world, ent_a, clock):
    w = cases_world
    off, head, boss = api(w.user("officer_a")), api(w.user("depthead_a")), api(w.user("leader_a"))
    r = off.post("/api/v1/cases/", {"source": "other", "source_reason": "日常巡查", "enterprise": ent_a.pk, "title": "未消除隐患案", "facts": "事实", "discovered_on": "2026-02-25"}, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    base = f"/api/v1/cases/{pk}"
    assert off.post(f"{base}/violations/", {"violation_id": "P12", "act_date": "2026-02-20"}, format="json").status_code == 200
    r = off.post(f"{base}/file/", {"filed_on": "2026-03-02"}, format="json")
    assert r.status_code == 403 and r.json()["code"] in ("role_refused", "self_approval")
    assert head.post(f"{base}/file/", {"filed_on": "2026-03-02"}, format="json").status_code == 200
    assert off.post(f"{base}/officers/", {"staff_ids": officers(w)}, format="json").status_code == 200
    vid = Case.objects.get(pk=pk).violations.get().pk
    r = off.post(f"{base}/propose/", {"items": [{"violation": vid, "amount": "20000.005", "reasons": "r"}]}, format="json")
    assert r.status_code == 422 and f"violation_{vid}" in r.json()["fields"]
    r = off.post(f"{base}/propose/", {"items": [{"violation": vid, "amount": "60000.00", "reasons": "r"}]}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "amount_out_of_range" and r.json()["article"]
    assert off.post(f"{base}/propose/", {"items": [{"violation": vid, "amount": "20000.00", "reasons": "情节一般"}]}, format="json").status_code == 200
    assert off.post(f"{base}/notice/", {"issued_on": "2026-03-02"}, format="json").status_code == 200
    r = off.post(f"{base}/notice-served/", {"method": "direct", "event_date": "2026-03-02", "recipient": "李四"}, format="json")
    assert r.status_code == 200
    assert {d["code"]: d["due"] for d in r.json()["deadlines"]}["defence_statement"] == "2026-03-05"
    at(clock, D(2026, 3, 4))
    r = boss.post(f"{base}/decide/", {"decided_on": "2026-03-04"}, format="json")
    assert r.status_code == 409
    body = r.json()
    assert set(body) == {"code", "message", "fields", "article"} and body["code"] == "defence_window_open" and "第六十二条" in body["article"]
    r = off.post(f"{base}/waiver/", {"signed_on": "2026-03-04", "signer": "李四", "file": SimpleUploadedFile("放弃声明.png", PNG, content_type="image/png")}, format="multipart")
    assert r.status_code == 200, r.content
    assert boss.post(f"{base}/decide/", {"decided_on": "2026-03-04"}, format="json").status_code == 200
    assert off.post(f"{base}/decision-served/", {"method": "direct", "event_date": "2026-03-04", "recipient": "李四"}, format="json").status_code == 200
    assert off.post(f"{base}/payment/", {"paid_on": "2026-03-04", "amount": "20000.00", "receipt_no": "R-API-1"}, format="json").status_code == 200
    r = head.post(f"{base}/close/", {"closed_on": "2026-03-04"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    detail = off.get(f"{base}/").json()
    assert [s["action"] for s in detail["steps"]][-1] == "case.close" and len(detail["officers"]) == 2


def test_waiver_without_a_scan_is_refused(cases_world, ent_a, clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = cases_world
    c = noticed_case(w, ent_a)
    r = api(w.user("officer_a")).post(f"/api/v1/cases/{c.pk}/waiver/", {"signed_on": "2026-03-02", "signer": "李四"}, format="multipart")
    assert r.status_code == 422 and "file" in r.json()["fields"]


def test_other_bureaus_neither_see_nor_change_cases(cases_world, ent_a):
    w = cases_world
    c = open_case(w, ent_a)
    assert api(w.user("officer_b")).get(f"/api/v1/cases/{c.pk}/").status_code == 404
    assert api(w.user("officer_b")).get("/api/v1/cases/").json()["count"] == 0
    assert api(w.user("leader_city")).get(f"/api/v1/cases/{c.pk}/").status_code == 200  # the city reads
    r = api(w.user("leader_city")).post(f"/api/v1/cases/{c.pk}/file/", {"filed_on": "2026-03-02"}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "not_owner"
    assert api(w.user("outsider")).get("/api/v1/cases/").json()["count"] == 0


def test_a_case_is_named_only_by_its_id(cases_world, ent_a):
    """Every case page and API reads the case through selectors.case_get: an id that is not one
    (a sign, an underscore, an overflowing number) is 404 like a missing case, not case 12."""
    w = cases_world
    c = open_case(w, ent_a)
    off = api(w.user("officer_a"))
    assert off.get(f"/api/v1/cases/{c.pk}/").status_code == 200
    for odd in (f"+{c.pk}", f"0_{c.pk}", "99999999999999999999", "abc"):
        assert off.get(f"/api/v1/cases/{odd}/").status_code == 404, odd


def test_list_query_count_does_not_grow(cases_world, ent_a):
    w = cases_world
    c = api(w.user("officer_a"))
    for i in range(2):
        open_case(w, _ent(w, i))
    with CaptureQueriesContext(connection) as small:
        assert c.get("/api/v1/cases/").status_code == 200
    for i in range(2, 12):
        open_case(w, _ent(w, i))
    with CaptureQueriesContext(connection) as big:
        r = c.get("/api/v1/cases/")
    assert r.json()["count"] == 12
    assert len(big.captured_queries) == len(small.captured_queries)


def test_deadline_board(cases_world, ent_a, clock):
    w = cases_world
    a = noticed_case(w, ent_a)  # decision not before 3/6
    b = filed_case(w, _ent(w, 1))
    d = open_case(w, _ent(w, 2))
    at(clock, D(2026, 3, 4))
    total, page = selectors.deadline_board(user=w.user("officer_a"))
    assert total == 3 and page[0].case_id == a.pk  # the most urgent first; the draft (no due date) last
    assert page[-1].case_id == d.pk
    rows = {r.case_id: r for r in page}
    assert set(rows) == {a.pk, b.pk, d.pk}
    assert rows[a.pk].step == "作出行政处罚决定" and "陈述申辩期限" in rows[a.pk].waiting_for and rows[a.pk].due is not None
    assert rows[b.pk].days_left == (rows[b.pk].due - D(2026, 3, 4)).days and "第六十条" in rows[b.pk].article
    assert rows[d.pk].step == "立案审批" and rows[d.pk].due is None
    r = api(w.user("officer_a")).get("/api/v1/cases/board/")
    assert r.status_code == 200 and r.json()["count"] == 3 and len(r.json()["results"]) == 3
    assert api(w.user("officer_a")).get("/api/v1/cases/board/", {"limit": 1, "offset": 2}).json()["results"][0]["case_id"] == d.pk
    assert api(w.user("officer_b")).get("/api/v1/cases/board/").json() == {"count": 0, "results": []}


def test_deadline_board_query_count_is_constant(cases_world, ent_a):
    w = cases_world
    filed_case(w, ent_a, amount=Decimal("20000.00"))
    with CaptureQueriesContext(connection) as small:
        selectors.deadline_board(user=w.user("officer_a"), today=START.date())
    for i in range(6):
        filed_case(w, _ent(w, i), amount=None)
    with CaptureQueriesContext(connection) as big:
        total, rows = selectors.deadline_board(user=w.user("officer_a"), today=START.date())
    assert total == 7 and len(rows) == 7
    assert len(big.captured_queries) == len(small.captured_queries)


def test_awaiting_queue_lists_flagged_hazards_without_a_case(cases_world, inspection):
    from anjian.hazards import services as hazard_services
    from anjian.hazards.models import Hazard

    w = cases_world
    h = hazard_services.hazard_create(actor=w.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection,
                                      description="消防通道堵塞", location="仓库", severity="general", found_on=inspection.inspected_on, period_days=5)
    Hazard.objects.filter(pk=h.pk).update(status="rectifying", deadline=D(2026, 2, 1), case_flag=True, overdue_since=D(2026, 2, 2))
    c = api(w.user("officer_a"))
    assert [x["hazard"] for x in c.get("/api/v1/cases/awaiting/").json()] == [h.pk]
    r = c.post("/api/v1/cases/", {"source": "hazard", "hazard": h.pk, "title": "逾期未整改案", "facts": "逾期", "discovered_on": "2026-03-02"}, format="json")
    assert r.status_code == 201, r.content
    assert c.get("/api/v1/cases/awaiting/").json() == []


def test_summary_procedure_through_the_api(cases_world, ent_a):
    w = cases_world
    c = api(w.user("officer_a"))
    body = {"title": "警示标志", "facts": "f", "violation_id": "P9", "act_date": "2026-03-02", "decided_on": "2026-03-02", "officer_ids": officers(w), "reasons": "r",
            "enterprise": ent_a.pk, "recipient": "李四", "amount": "5000.00"}
    r = c.post("/api/v1/cases/summary/", body, format="json")
    assert r.status_code == 409 and r.json()["code"] == "summary_not_allowed" and "第五十一条" in r.json()["article"]
    r = c.post("/api/v1/cases/summary/", {**body, "amount": "50.00", "collected_receipt_no": "PJ-9"}, format="json")
    assert r.status_code == 201 and r.json()["status"] == "executed"
    r = c.post(f"/api/v1/cases/{r.json()['id']}/handover/", {"handed_on": "2026-03-02"}, format="json")
    assert r.status_code == 200 and r.json()["steps"][-1]["deadline_met"] is True


ACTIONS = [
    "violations", "file", "officers", "propose", "notice", "notice-served", "defence", "defence-review", "waiver", "hearing-request", "hearing-notice",
    "hearing-held", "legal-review", "collective", "extension", "decide", "decision-served", "payment", "no-penalty", "withdraw", "refer", "close", "handover",
    "recusal", "recusal/1/decide", "extension/1/decide",
]


def test_permission_matrix_over_every_case_route(cases_world, ent_a):
    """Another district and an outsider get 404 on every route of a case; the city bureau reads it
    but every write answers 403 (ARCHITECTURE.md rule 4)."""
    w = cases_world
    c = open_case(w, ent_a)
    for user, read, write in (("officer_b", 404, {404}), ("outsider", 404, {404}), ("leader_city", 200, {403, 400})):
        client = api(w.user(user))
        assert client.get(f"/api/v1/cases/{c.pk}/").status_code == read, user
        for name in ACTIONS:
            r = client.post(f"/api/v1/cases/{c.pk}/{name}/", {}, format="json")
            # 400 only for a malformed body, which DRF checks before the service; it never writes either.
            assert r.status_code in write, (user, name, r.status_code)
        assert Case.objects.get(pk=c.pk).status == "draft"
    anonymous = APIClient()
    assert anonymous.get("/api/v1/cases/").status_code in (401, 403)
    assert anonymous.post(f"/api/v1/cases/{c.pk}/file/", {"filed_on": "2026-03-02"}, format="json").status_code in (401, 403)


def test_a_20_digit_id_in_a_body_is_a_field_error_not_a_500(cases_world, ent_a, clock):
    off = api(cases_world.user("officer_a"))
    huge = "99999999999999999999"
    r = off.post("/api/v1/cases/", {"source": "other", "source_reason": "日常巡查", "enterprise": huge, "title": "案", "facts": "事实", "discovered_on": "2026-02-25"}, format="json")
    assert r.status_code == 400 and "enterprise" in r.json()["fields"]
    r = off.post("/api/v1/cases/transfer-accept/", {"transfer": huge, "title": "案"}, format="json")
    assert r.status_code == 400 and "transfer" in r.json()["fields"]
    assert Case.objects.count() == 0


def test_an_accident_before_the_catalogue_is_refused_not_a_500(cases_world, ent_a, clock):
    off = api(cases_world.user("officer_a"))
    r = off.post("/api/v1/cases/accident/", {"enterprise": ent_a.pk, "occurred_on": "2000-01-01", "deaths": 0, "serious_injuries": 0, "direct_loss": "0", "narrative": "事故经过"}, format="json")
    assert r.status_code in (400, 409, 422), r.content
    assert r.json()["message"]
