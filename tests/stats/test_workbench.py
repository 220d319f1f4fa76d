"""工作台 (issue 11 item 3): every user lands on it; each entry's count equals the rows of the list
its link opens; a user's own request is never waiting for the user's approval; a district sees
its own; the query count does not grow with the data."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

ROW_MARKERS = {
    # the list page behind a link → the marker of one of its rows
    "/hazards/approvals/#extensions": 'data-testid="extension-row"',
    "/hazards/approvals/#restarts": 'data-testid="restart-row"',
    "/hazards/approvals/#set-asides": 'data-testid="set-aside-row"',
    "/hazards/transfers/": 'data-testid="transfer-row"',
    "/hazards/": 'data-testid="hazard-row"',
    "/cases/board/": 'data-testid="board-row"',
    "/complaints/": 'data-testid="complaint-row"',
    "/workbench/": 'data-testid="row"',
}


def client_for(world: Any, name: str) -> Client:
    c = Client()
    assert c.login(username=name, password=PASSWORD)
    return c


def bench(world: Any, name: str) -> dict[str, Any]:
    api = APIClient()
    api.force_authenticate(world.user(name))
    r = api.get("/api/v1/workbench/")
    assert r.status_code == 200, r.content
    return r.json()


def entries(world: Any, name: str) -> dict[str, dict[str, Any]]:
    return {e["key"]: e for e in bench(world, name)["entries"]}


def rows_behind(c: Client, url: str) -> int:
    """Follow an entry's link and count the rows of the list it opens."""
    r = c.get(url)
    assert r.status_code == 200, (url, r.status_code)
    html = r.content.decode()
    path, _, anchor = url.split("?")[0].partition("#")
    if not anchor and "#" in url:
        anchor = url.split("#", 1)[1]
    marker = ROW_MARKERS.get(f"{path}#{anchor}") or ROW_MARKERS.get(path) or ROW_MARKERS["/workbench/"]
    return html.count(marker)


def assert_counts_match(world: Any, name: str) -> dict[str, dict[str, Any]]:
    es = entries(world, name)
    c = client_for(world, name)
    for key, e in es.items():
        assert rows_behind(c, e["url"]) == e["count"], f"{name}: {key} says {e['count']}, its list {e['url']} shows another number"
    return es


# --- landing ------------------------------------------------------------------------------------
def test_home_lands_on_the_workbench(world: Any) -> None:
    c = client_for(world, "officer_a")
    r = c.get("/")
    assert r.status_code == 302 and r["Location"] == reverse("workbench")
    page = c.get(reverse("workbench")).content.decode()
    assert "工作台" in page and 'data-testid="nav-workbench"' in page


def test_login_lands_on_the_workbench(world: Any) -> None:
    r = Client().post(reverse("login"), {"username": "leader_a", "password": PASSWORD}, follow=True)
    assert r.redirect_chain[-1][0] == reverse("workbench")


# --- per role: counts equal the lists behind them -------------------------------------------------
def test_officer(bench_world: Any) -> None:
    bench_world.fill(1)
    w = bench_world.w
    es = assert_counts_match(w, "officer_a")
    assert set(es) == {"transfers_to_decide", "hazards_due", "case_deadlines", "hazards_overdue", "transfers_sent_pending", "documents_unserved"}
    assert es["hazards_overdue"]["count"] == 1 and es["hazards_due"]["count"] == 1
    assert es["transfers_to_decide"]["count"] == 2  # in the receiving team; none sent by the officer
    assert es["documents_unserved"]["count"] == 1
    # next deadlines carry days left and the article
    top = es["hazards_due"]["items"][0]
    assert top["days_left"] == 3 and "第一百零二条" in top["article"]


def test_dept_head(bench_world: Any) -> None:
    bench_world.fill(1)
    es = assert_counts_match(bench_world.w, "depthead_a")
    assert es["hazard_extensions"]["count"] == 1  # officer_a's request; not the head's own
    assert es["case_filing"]["count"] == 1  # officer_a's case; not the one the head opened
    assert "restart_reviews" not in es and "case_decision" not in es  # leader's and head's steps


def test_leader_who_is_the_head(bench_world: Any) -> None:
    bench_world.fill(1)
    es = assert_counts_match(bench_world.w, "leader_a")
    assert es["restart_reviews"]["count"] == 1  # not the one the leader recorded
    assert es["transfers_to_decide"]["count"] == 1  # any team's, not the one the leader sent
    assert es["case_filing"]["count"] == 2  # officer_a's and depthead_a's
    assert es["case_decision"]["count"] == 2
    assert es["hazard_extensions"]["count"] == 2


def test_legal_reviewer(bench_world: Any) -> None:
    bench_world.fill(1)
    es = assert_counts_match(bench_world.w, "legal_a")
    assert es["case_legal_review"]["count"] == 1  # not the case the reviewer proposed
    assert es["case_deadlines"]["count"] >= 4  # the reviewer sees the agency's board


def test_office(bench_world: Any) -> None:
    bench_world.fill(1)
    es = assert_counts_match(bench_world.w, "office_a")
    assert {"documents_unserved", "hazards_overdue", "case_deadlines"} <= set(es)
    assert not any(e["group"] == "approvals" for e in es.values())


def test_city_users_see_the_city(bench_world: Any) -> None:
    bench_world.fill(1)
    es = assert_counts_match(bench_world.w, "leader_city")
    assert es["hazards_overdue"]["count"] == 2  # district A's and district B's
    # approvals are the owning bureau's: the city bureau approves none of the districts' requests
    assert es["hazard_extensions"]["count"] == 0 and es["case_filing"]["count"] == 0
    es = assert_counts_match(bench_world.w, "officer_city")
    assert es["hazards_due"]["count"] == 2


def test_set_aside_named_to_an_expert(bench_world: Any) -> None:
    from anjian.hazards.models import SetAsideRequest

    bench_world.fill(1)
    w = bench_world.w
    h = bench_world.hazard(bench_world.enterprise(), deadline=None, status="open")
    SetAsideRequest.objects.create(hazard=h, criterion_id="ITC-11-1", reason="粉尘浓度远低于爆炸下限", requested_by=w.user("officer_a"), approver=w.user("expert_a").staff)
    es = assert_counts_match(w, "expert_a")  # an expert holds no role: the request named to them is their only entry
    assert list(es) == ["hazard_set_asides"] and es["hazard_set_asides"]["count"] == 1
    assert "hazard_set_asides" not in entries(w, "leader_a")  # named to someone else


def test_head_case_steps(bench_world: Any) -> None:
    """The steps the agency head decides, each once requested by another person (listed) and once by
    the head (never listed); a leader who is not the head sees none of them."""
    import datetime as dt

    from anjian.cases.models import DecisionExtension, Recusal
    from anjian.cases.models_evidence import Preservation
    from anjian.cases.models_execution import PaymentPlan
    from anjian.cases.models_publication import DishonestyEntry, Publication
    from tests.stats.conftest import TODAY

    b, w = bench_world, bench_world.w
    for by in ("officer_a", "leader_a"):
        ent = b.enterprise()
        filed = b.case(ent, status="filed", proposed_by=None)
        DecisionExtension.objects.create(case=filed, requested_by=w.user(by), requested_on=TODAY, extend_until=TODAY + dt.timedelta(days=60), reason="案情复杂")
        Preservation.objects.create(case=filed, seq=1, requested_by=w.user(by), requested_on=TODAY, reason="证据可能灭失", place="仓库")
        Recusal.objects.create(case=filed, staff=w.user(by).staff, applicant="当事人", requested_on=TODAY, reason="与当事人有利害关系", recorded_by=w.user("officer_a2"))
        served = b.case(ent, status="served", proposed_by=by)
        PaymentPlan.objects.create(case=served, kind="deferral", requested_on=TODAY, reason="经营困难", requested_by=w.user(by))
        b.case(ent, status="executed", proposed_by=by)  # awaiting the closing approval
        Publication.objects.create(
            case=served, jurisdiction=w.district_a, owner_agency=w.agency_a, enterprise=ent, status="prepared", party_name=ent.name, decided_on=TODAY,
            agency_name=w.agency_a.name, district_name="芝罘区", text="公开文本", due_on=TODAY + dt.timedelta(days=9), credit_due_on=TODAY + dt.timedelta(days=28), prepared_by=w.user(by), prepared_on=TODAY,
        )  # fmt: skip
        DishonestyEntry.objects.create(
            jurisdiction=w.district_a, owner_agency=w.agency_a, enterprise=ent, condition="unlicensed", condition_text="未依法取得安全生产许可擅自生产经营", article="11号第八条",
            reason="无证生产", proposed_by=w.user(by), proposed_on=TODAY,
        )  # fmt: skip
    es = assert_counts_match(w, "leader_a")
    for key in ("case_extensions", "case_preservations", "case_recusals", "case_deferrals", "case_close", "publication_release", "dishonesty_decide"):
        assert es[key]["count"] == 1, key
    for key in ("case_extensions", "case_preservations", "case_deferrals", "case_close", "publication_release", "dishonesty_decide", "case_recusals"):
        assert es[key]["items"][0]["url"], key
    # a leader (and dept head) of the city bureau, not the district's head: none of the district's steps
    city = entries(w, "leader_city")
    assert all(key not in city or city[key]["count"] == 0 for key in ("case_extensions", "case_close", "publication_release", "dishonesty_decide"))
    # the department head closes and releases (not a head: no head-only steps)
    dh = assert_counts_match(w, "depthead_a")
    assert dh["case_close"]["count"] == 2 and dh["publication_release"]["count"] == 2
    assert "case_deferrals" not in dh and "case_extensions" not in dh


# --- never one's own request -----------------------------------------------------------------------
def test_own_requests_never_wait_for_own_approval(bench_world: Any) -> None:
    from anjian.stats import workbench as wb

    bench_world.fill(2)
    w = bench_world.w
    checks = {
        "depthead_a": {"hazard_extensions": "requested_by", "case_filing": "opened_by", "case_close": "opened_by"},
        "leader_a": {"restart_reviews": "recorded_by", "transfers_to_decide": "sent_by", "case_decision": "proposed_by"},
        "legal_a": {"case_legal_review": "proposed_by"},
    }
    for name, keys in checks.items():
        user = w.user(name)
        ctx = wb.context_for(user)
        for key, requester in keys.items():
            rows = list(wb.entry_rows(ctx, key))
            assert all(getattr(r, f"{requester}_id") != user.pk for r in rows), (name, key)
    # and the drill-down page shows none of them either
    from anjian.cases.models import Case

    own = Case.objects.filter(opened_by=w.user("depthead_a"), status="draft").first()
    page = client_for(w, "depthead_a").get(reverse("workbench-list", args=["case_filing"])).content.decode()
    assert own is not None and own.title not in page


# --- district isolation ----------------------------------------------------------------------------
def test_a_district_sees_only_its_own(bench_world: Any) -> None:
    bench_world.fill(1)
    w = bench_world.w
    a = entries(w, "officer_a")
    b = assert_counts_match(w, "officer_b")
    assert a["hazards_overdue"]["count"] == 1 and b["hazards_overdue"]["count"] == 1
    assert all("芝罘" not in i["title"] for e in b.values() for i in e["items"])
    page = client_for(w, "officer_b").get(reverse("workbench")).content.decode()
    assert "芝罘工作台测试企业" not in page
    assert all("福山" not in i["title"] for e in a.values() for i in e["items"])


# --- administrators and the empty state ------------------------------------------------------------
@pytest.mark.parametrize("role,url_name", [("admin", "admin:index"), ("security_admin", "security"), ("audit_admin", "audit")])
def test_an_administrator_gets_the_administration_pages_only(bench_world: Any, role: str, url_name: str) -> None:
    from anjian.org.models import RoleGrant

    bench_world.fill(1)
    w = bench_world.w
    RoleGrant.objects.filter(membership__staff__user=w.user("admin_a")).update(role=role)
    data = bench(w, "admin_a")
    assert data["admin_only"] is True and data["entries"] == []
    assert reverse(url_name) in [a["url"] for a in data["admin_links"]]
    page = client_for(w, "admin_a").get(reverse("workbench"))
    assert page.status_code == 200 and reverse(url_name) in page.content.decode() and 'data-testid="entry-' not in page.content.decode()


def test_roles_without_entries_see_an_empty_state(world: Any) -> None:
    for name in ("expert_a", "outsider"):  # a member with no role; a login with no membership
        r = client_for(world, name).get(reverse("workbench"))
        assert r.status_code == 200 and 'data-testid="workbench-empty"' in r.content.decode()
        data = bench(world, name)
        assert data["entries"] == [] and data["admin_links"] == []


def test_unknown_entry_is_404_and_anothers_entry_is_empty(world: Any) -> None:
    c = client_for(world, "officer_a")
    assert c.get(reverse("workbench-list", args=["nope"])).status_code == 404
    assert c.get(reverse("workbench-list", args=["hazards_overdue"])).status_code == 404  # listed by the hazard list
    r = c.get(reverse("workbench-list", args=["case_decision"]))
    assert r.status_code == 200 and "您的角色不办理此类事项" in r.content.decode()


# --- the list filters the workbench added --------------------------------------------------------------
def test_hazard_list_due_filter_is_validated(bench_world: Any) -> None:
    bench_world.fill(1)
    c = client_for(bench_world.w, "officer_a")
    assert c.get("/hazards/?due=7").content.decode().count('data-testid="hazard-row"') == 1
    assert c.get("/hazards/?due=30").content.decode().count('data-testid="hazard-row"') == 4
    # a tampered value is dropped, not a 500: the whole list
    r = c.get("/hazards/?due=abc")
    assert r.status_code == 200 and r.content.decode().count('data-testid="hazard-row"') == 5


def test_transfer_list_decide_box(bench_world: Any) -> None:
    bench_world.fill(1)
    w = bench_world.w
    assert client_for(w, "supervisor_a").get("/hazards/transfers/?box=decide").content.decode().count('data-testid="transfer-row"') == 0
    assert client_for(w, "leader_a").get("/hazards/transfers/?box=decide").content.decode().count('data-testid="transfer-row"') == 1


# --- cost ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["officer_a", "depthead_a", "leader_a", "legal_a", "office_a", "leader_city"])
def test_query_count_is_constant(bench_world: Any, name: str, django_assert_num_queries: Any) -> None:
    from django.contrib.auth import get_user_model

    from anjian.stats import workbench as wb

    def measure() -> int:
        wb.workbench(get_user_model().objects.get(username=name))  # warm the process caches (the loaded calendar)
        user = get_user_model().objects.get(username=name)  # a fresh user: its scope is resolved again
        with CaptureQueriesContext(connection) as q:
            wb.workbench(user)
        return len(q.captured_queries)

    empty = measure()  # nothing waits for anyone: every entry counts 0 and has no rows
    bench_world.fill(1)
    small = measure()
    assert small == empty, f"{name}: the workbench's queries differ between an empty and a populated database"
    bench_world.fill(4)
    assert measure() == small, f"{name}: the workbench's queries grow with the data"
    print(f"{name}: {small} queries")
    # One query for every count and first rows' ids, one per model for the rows (workbench._fetch).
    assert small <= 25
    # and through the API, at the larger size: the same number (plus the request's own session and user)
    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(username=name))
    api.get("/api/v1/workbench/")
    with CaptureQueriesContext(connection) as first:
        api.get("/api/v1/workbench/")
    bench_world.fill(1)
    with django_assert_num_queries(len(first.captured_queries)):
        assert api.get("/api/v1/workbench/").status_code == 200


def test_a_deadline_names_its_article_not_the_calendar_version() -> None:
    from anjian.hazards.models import Hazard
    from anjian.stats.workbench import _deadline_article

    h = Hazard(deadline_rule="《民事诉讼法》第八十五条（期间计算）；日历 f4efc35f09ea")
    assert _deadline_article(h) == "《中华人民共和国安全生产法》第一百零二条（责令限期整改）；期限按《民事诉讼法》第八十五条（期间计算）"
    assert _deadline_article(Hazard(deadline_rule="")) == "《中华人民共和国安全生产法》第一百零二条（责令限期整改）"
