"""The penalty-case screens through the Django test client: who sees which page, the forms calling
the services and showing their refusals with the article, the buttons offered (``available_steps``),
double submits, and the query counts of the list and the board."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from anjian.cases import services, views
from anjian.cases.models import Case, Waiver
from tests.cases.conftest import START, at, filed_case, noticed_case, open_case, scan
from tests.inspections.conftest import officers

D = dt.date


def login(world: Any, name: str) -> Client:
    c = Client()
    c.force_login(world.user(name))
    return c


def slugs(user: Any, case: Case) -> list[str]:
    case.refresh_from_db()
    return [s.slug for s in views.available_steps(user, case)]


def text(r: Any) -> str:
    return re.sub(r"\s+", " ", r.content.decode())


# --- who sees what -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["officer_a", "depthead_a", "leader_a", "legal_a", "office_a"])
def test_case_pages_render_for_the_case_roles(cases_world: Any, ent_a: Any, name: str) -> None:
    c = open_case(cases_world, ent_a)
    client = login(cases_world, name)
    for url in (reverse("cases:list"), reverse("cases:board"), reverse("cases:queue"), reverse("cases:detail", args=[c.pk])):
        r = client.get(url)
        assert r.status_code == 200, (name, url)
    writer = name in ("officer_a", "depthead_a")
    for url in (reverse("cases:new"), reverse("cases:summary_new")):
        assert client.get(url).status_code == (200 if writer else 403), (name, url)
    assert client.get(reverse("cases:accident_new")).status_code == (200 if name in ("officer_a", "depthead_a", "leader_a") else 403)
    home = client.get(reverse("cases:list"))
    assert 'data-testid="nav-cases"' in home.content.decode()


@pytest.mark.parametrize("name", ["supervisor_a", "admin_a", "outsider"])
def test_other_roles_are_refused_and_see_no_menu_entry(cases_world: Any, ent_a: Any, name: str) -> None:
    c = open_case(cases_world, ent_a)
    client = login(cases_world, name)
    for url in (reverse("cases:list"), reverse("cases:board"), reverse("cases:queue"), reverse("cases:new")):
        assert client.get(url).status_code == 403, (name, url)
    r = client.get(reverse("cases:detail", args=[c.pk]))
    assert r.status_code in (403, 404)
    assert 'data-testid="nav-cases"' not in client.get(reverse("enterprises:list")).content.decode()


def test_other_district_gets_404_for_the_case_and_its_steps(cases_world: Any, ent_a: Any) -> None:
    c = open_case(cases_world, ent_a)
    client = login(cases_world, "officer_b")
    assert client.get(reverse("cases:detail", args=[c.pk])).status_code == 404
    for s in views.STEPS:
        assert client.get(reverse(f"cases:step-{s.slug}", args=[c.pk])).status_code == 404, s.slug
        assert client.post(reverse(f"cases:step-{s.slug}", args=[c.pk]), {}).status_code == 404, s.slug
    assert c.title not in client.get(reverse("cases:list")).content.decode()
    assert c.title not in client.get(reverse("cases:board")).content.decode()


def test_a_step_page_the_user_cannot_use_is_refused_before_the_form(cases_world: Any, ent_a: Any) -> None:
    c = open_case(cases_world, ent_a)
    # the applicant does not approve his own filing (行政处罚法第五十四条): no form, a 403 page
    r = login(cases_world, "officer_a").get(reverse("cases:step-file", args=[c.pk]))
    assert r.status_code == 403 and "立案审批" in text(r)
    r = login(cases_world, "officer_a").post(reverse("cases:step-file", args=[c.pk]), {"filed_on": "2026-03-02"})
    assert r.status_code == 403
    c.refresh_from_db()
    assert c.status == "draft"


# --- availability ----------------------------------------------------------------------------------------
def test_available_steps_follow_status_role_and_the_other_person(cases_world: Any, ent_a: Any, clock: Any) -> None:
    w = cases_world
    c = open_case(w, ent_a)
    assert "file" not in slugs(w.user("officer_a"), c)  # the applicant
    assert slugs(w.user("officer_a"), c) == ["violation"]
    assert slugs(w.user("depthead_a"), c) == ["file", "violation", "withdraw"]
    assert slugs(w.user("leader_a"), c) == ["file", "withdraw"]
    assert slugs(w.user("legal_a"), c) == []
    assert slugs(w.user("office_a"), c) == []
    services.case_file(actor=w.user("depthead_a"), case=c, filed_on=START.date())
    assert slugs(w.user("officer_a"), c) == ["violation", "officers", "propose", "extension", "recusal"]
    assert "notice" not in slugs(w.user("officer_a"), c)  # nothing proposed yet
    services.case_assign_officers(actor=w.user("officer_a"), case=c, staff_ids=officers(w))
    services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": c.violations.get().pk, "amount": Decimal("20000.00"), "reasons": "情节一般"}])
    assert "notice" in slugs(w.user("officer_a"), c)
    assert "legal-review" in slugs(w.user("legal_a"), c)
    # the leader is not the agency head of the day in district B: nothing for leader_city
    assert slugs(w.user("leader_city"), c) == []
    services.notice_issue(actor=w.user("officer_a"), case=c, issued_on=START.date())
    assert slugs(w.user("officer_a"), c) == ["officers", "notice-served", "extension", "recusal"]
    assert slugs(w.user("office_a"), c) == ["notice-served"]
    services.notice_served(actor=w.user("officer_a"), case=c, method="direct", event_date=START.date(), recipient="李四")
    # inside the defence window the head has no 作出处罚决定 button; after it, he has
    assert "decide" not in slugs(w.user("leader_a"), c)
    assert "waiver" in slugs(w.user("officer_a"), c)
    at(clock, D(2026, 3, 6))
    assert "decide" in slugs(w.user("leader_a"), c)
    assert "decide" not in slugs(w.user("depthead_a"), c)  # not the head
    services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    assert slugs(w.user("officer_a"), c) == ["decision-served"]
    assert slugs(w.user("leader_a"), c) == []


def test_every_transition_step_targets_an_allowed_edge() -> None:
    from anjian.cases.choices import CASE_TRANSITIONS

    for s in views.STEPS:
        if s.target is not None:
            assert any(s.target in CASE_TRANSITIONS[st] for st in s.statuses), s.slug


def test_the_case_page_shows_only_the_buttons_of_the_user(cases_world: Any, ent_a: Any) -> None:
    c = open_case(cases_world, ent_a)
    officer = text(login(cases_world, "officer_a").get(reverse("cases:detail", args=[c.pk])))
    assert 'data-testid="action-violation"' in officer and 'data-testid="action-file"' not in officer
    head = text(login(cases_world, "depthead_a").get(reverse("cases:detail", args=[c.pk])))
    assert 'data-testid="action-file"' in head and reverse("cases:step-file", args=[c.pk]) in head


# --- forms call services and show refusals ---------------------------------------------------------------------
def test_the_whole_general_procedure_through_the_pages(cases_world: Any, ent_a: Any, clock: Any, settings_media: Any) -> None:
    w = cases_world
    officer, head, leader = login(w, "officer_a"), login(w, "depthead_a"), login(w, "leader_a")
    r = officer.post(
        reverse("cases:new"),
        {
            "source": "other",
            "source_reason": "日常巡查发现",
            "enterprise": ent_a.pk,
            "title": "未消除事故隐患案",
            "facts": "现场发现隐患未消除",
            "discovered_on": "2026-02-25",
            "form_key": "k-open-00001",
        },
    )
    assert r.status_code == 302
    c = Case.objects.get(title="未消除事故隐患案")
    # a double submit of the same form opens nothing more
    again = officer.post(reverse("cases:new"), {"source": "other", "title": "x", "form_key": "k-open-00001"})
    assert again.status_code == 302 and again["Location"] == reverse("cases:detail", args=[c.pk]) and Case.objects.count() == 1

    def step(client: Client, slug: str, data: dict[str, Any], expect: int = 302) -> Any:
        r = client.post(reverse(f"cases:step-{slug}", args=[c.pk]), data)
        assert r.status_code == expect, (slug, text(r)[-3000:])
        return r

    step(officer, "violation", {"violation_id": "P12", "subject": "unit", "circumstance": "base", "act_date": "2026-02-20"})
    step(head, "file", {"filed_on": "2026-03-02"})
    step(officer, "officers", {"staff_ids": [str(i) for i in officers(w)], "on": "2026-03-02"})
    v = c.violations.get()
    # three decimals: the field says so, nothing is written
    r = step(officer, "propose", {"proposed_on": "2026-03-02", f"v{v.pk}_amount": "20000.001", f"v{v.pk}_reasons": "情节一般"}, expect=200)
    assert "金额最多保留两位小数（分）。" in text(r)
    # outside the statutory range: the service refuses, the page shows the article
    r = step(officer, "propose", {"proposed_on": "2026-03-02", f"v{v.pk}_amount": "90000.00", f"v{v.pk}_reasons": "情节一般"}, expect=200)
    body = text(r)
    assert 'data-code="amount_out_of_range"' in body and "适用幅度" in body
    assert re.search(r'data-code="amount_out_of_range">.*?依据：[^<]*条', body)  # the refusal names its article
    assert re.search(r'id="id_v\d+_amount_error">[^<]+', body)  # and by the amount field
    c.refresh_from_db()
    assert c.proposed_on is None
    step(officer, "propose", {"proposed_on": "2026-03-02", f"v{v.pk}_amount": "20000.00", f"v{v.pk}_reasons": "情节一般"})
    step(officer, "notice", {"issued_on": "2026-03-02"})
    step(officer, "notice-served", {"method": "direct", "event_date": "2026-03-02", "recipient": "李四"})
    page = text(leader.get(reverse("cases:detail", args=[c.pk])))
    assert "暂不能作出处罚决定" in page and "2026年3月5日" in page and 'data-testid="action-decide"' not in page
    # the decide page itself refuses while the window is open (no form that can only fail)
    assert leader.get(reverse("cases:step-decide", args=[c.pk])).status_code == 403
    at(clock, D(2026, 3, 6))
    officer, head, leader = login(w, "officer_a"), login(w, "depthead_a"), login(w, "leader_a")  # sessions expire on a moved clock
    step(leader, "decide", {"decided_on": "2026-03-06"})
    step(officer, "decision-served", {"method": "direct", "event_date": "2026-03-06", "recipient": "李四"})
    r = officer.get(reverse("cases:step-payment", args=[c.pk]))
    assert "合计<strong>20000.00</strong>元" in text(r)
    r = step(officer, "payment", {"paid_on": "2026-03-06", "amount": "19000.00", "receipt_no": "R-1"}, expect=200)
    assert "应缴" in text(r) and "第六十七条" in text(r)
    step(officer, "payment", {"paid_on": "2026-03-06", "amount": "20000.00", "receipt_no": "R-1"})
    step(head, "close", {"closed_on": "2026-03-06"})
    c.refresh_from_db()
    assert c.status == "closed"
    page = text(officer.get(reverse("cases:detail", args=[c.pk])))
    for label in ("立案申请", "立案审批", "行政处罚告知", "处罚决定", "结案"):
        assert label in page
    assert "按期办理" in page
    # documents issued on a step are linked from the timeline
    doc_steps = [s for s in c.steps.all() if s.document_id]
    for s in doc_steps:
        assert f"/documents/{s.document_id}/" in page or str(s.document.number) in page


def test_refusal_from_a_service_is_shown_with_its_article(cases_world: Any, ent_a: Any, settings_media: Any) -> None:
    w = cases_world
    c = noticed_case(w, ent_a)
    # a waiver signed before the notice was served: the service refuses with its article
    r = login(w, "officer_a").post(reverse("cases:step-waiver", args=[c.pk]), {"signed_on": "2026-02-01", "signer": "李四", "file": _upload()})
    assert r.status_code == 200
    body = text(r)
    assert "invalid-feedback" in body or "domain-error" in body
    assert not Waiver.objects.filter(case=c).exists()


def test_waiver_upload_allows_the_decision_button(cases_world: Any, ent_a: Any, settings_media: Any, clock: Any) -> None:
    w = cases_world
    c = noticed_case(w, ent_a)
    at(clock, D(2026, 3, 3))
    r = login(w, "officer_a").post(reverse("cases:step-waiver", args=[c.pk]), {"signed_on": "2026-03-03", "signer": "李四", "file": _upload()})
    assert r.status_code == 302, text(r)[-2000:]
    assert "decide" in slugs(w.user("leader_a"), c)
    assert "waiver" not in slugs(w.user("officer_a"), c)


def _upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("放弃声明.png", scan().getvalue(), content_type="image/png")


def test_dates_default_to_today(cases_world: Any, ent_a: Any) -> None:
    c = filed_case(cases_world, ent_a)
    r = login(cases_world, "officer_a").get(reverse("cases:step-notice", args=[c.pk]))
    assert 'value="2026-03-02"' in r.content.decode()
    # a date that today would make impossible is left to the handler, never prefilled with today
    r = login(cases_world, "officer_a").get(reverse("cases:step-extension", args=[c.pk]))
    tag = re.search(r"<input[^>]*name=\"extend_until\"[^>]*>", r.content.decode())
    assert tag is not None and "value=" not in tag.group(0)


def test_transfer_accept_into_a_case_from_the_queue(cases_world: Any, ent_a: Any) -> None:
    from anjian.hazards import services as hazards
    from anjian.org.models import Department

    w = cases_world
    sup = Department.objects.create(agency=w.agency_a, name="监管科", kind="supervision")
    enf = Department.objects.get(agency=w.agency_a, kind="enforcement")
    h = hazards.hazard_create(
        actor=w.user("officer_a"), enterprise=ent_a, source="self_check", description="安全出口堵塞", location="仓库", severity="general", found_on=START.date()
    )
    t = hazards.transfer_send(actor=w.user("depthead_a"), enterprise=ent_a, from_department=sup, to_department=enf, facts="未按规定消除隐患，移交查处", hazards=[h])
    from anjian.org.models import Membership

    Membership.objects.filter(staff=w.user("officer_a").staff).update(department=enf)  # the receiving team
    officer = login(w, "officer_a")
    q = text(officer.get(reverse("cases:queue")))
    assert ent_a.name in q and reverse("cases:transfer_accept", args=[t.pk]) in q
    r = officer.post(reverse("cases:transfer_accept", args=[t.pk]), {"title": "", "facts": "", "form_key": "k-transfer-1"})
    assert r.status_code == 200 and "请填写案由。" in text(r)
    r = officer.post(reverse("cases:transfer_accept", args=[t.pk]), {"title": "未消除隐患案", "facts": "", "form_key": "k-transfer-2"})
    assert r.status_code == 302
    case = Case.objects.get(transfer=t)
    assert case.source == "transfer" and case.facts == "未按规定消除隐患，移交查处"
    assert ent_a.name not in text(officer.get(reverse("cases:queue"))).split("已接收、尚未立案的移交")[1].split("逾期未整改")[0]
    # district B cannot even see it
    assert login(w, "officer_b").get(reverse("cases:transfer_accept", args=[t.pk])).status_code == 404


def test_accident_page_shows_the_grade_and_ranges(cases_world: Any, ent_a: Any) -> None:
    r = login(cases_world, "officer_a").post(
        reverse("cases:accident_new"),
        {"enterprise": ent_a.pk, "occurred_on": "2026-03-01", "deaths": "1", "serious_injuries": "0", "direct_loss": "500000.00", "narrative": "高处坠落"},
    )
    assert r.status_code == 200
    body = text(r)
    assert 'data-testid="accident-result"' in body and "一般事故" in body and "第一百一十四条" in body
    r = login(cases_world, "officer_a").post(
        reverse("cases:accident_new"), {"enterprise": ent_a.pk, "occurred_on": "2026-03-01", "deaths": "-1", "serious_injuries": "0", "direct_loss": "1.234", "narrative": "x"}
    )
    assert "人数不能为负数。" in text(r) and "金额最多保留两位小数（分）。" in text(r)


def test_flagged_hazard_in_the_queue_opens_a_case(cases_world: Any, ent_a: Any) -> None:
    from anjian.hazards import services as hazards
    from anjian.hazards.models import Hazard

    w = cases_world
    h = hazards.hazard_create(
        actor=w.user("officer_a"), enterprise=ent_a, source="self_check", description="消防通道堵塞", location="车间", severity="general", found_on=START.date()
    )
    Hazard.objects.filter(pk=h.pk).update(case_flag=True, deadline=D(2026, 2, 27), overdue_since=D(2026, 2, 28))  # what the overdue sweep sets
    officer = login(w, "officer_a")
    q = text(officer.get(reverse("cases:queue")))
    link = reverse("cases:new") + f"?source=hazard&amp;hazard={h.pk}"
    assert "消防通道堵塞" in q and link in q
    form = text(officer.get(reverse("cases:new") + f"?source=hazard&hazard={h.pk}"))
    assert 'data-testid="linked-source"' in form and "消防通道堵塞" in form
    r = officer.post(
        reverse("cases:new"), {"source": "hazard", "hazard": h.pk, "enterprise": ent_a.pk, "title": "逾期未消除隐患案", "facts": "逾期未整改", "discovered_on": "2026-03-02"}
    )
    assert r.status_code == 302, text(r)[-2000:]
    c = Case.objects.get(hazard=h)
    assert c.source == "hazard" and [v.violation_id for v in c.violations.all()] == ["P12"]
    assert "消防通道堵塞" not in text(officer.get(reverse("cases:queue")))
    # district B's officer cannot open a case from A's hazard: 404
    assert login(w, "officer_b").get(reverse("cases:new") + f"?source=hazard&hazard={h.pk}").status_code == 404


def test_summary_procedure_decides_on_the_spot(cases_world: Any, ent_a: Any) -> None:
    w = cases_world
    data = {
        "enterprise": ent_a.pk, "title": "未消除事故隐患案", "facts": "现场发现隐患未消除", "violation_id": "P12", "subject": "unit", "circumstance": "base",
        "act_date": "2026-03-02", "decided_on": "2026-03-02", "amount": "2000.00", "reasons": "情节轻微", "officer_ids": [str(i) for i in officers(w)],
        "recipient": "李四", "form_key": "k-summary-0001",
    }  # fmt: skip
    client = login(w, "officer_a")
    r = client.post(reverse("cases:summary_new"), {**data, "amount": "2000.123"})
    assert r.status_code == 200 and "金额最多保留两位小数（分）。" in text(r)
    r = client.post(reverse("cases:summary_new"), data)
    assert r.status_code == 302, text(r)[-3000:]
    c = Case.objects.get(procedure="summary")
    assert c.status in ("decided", "served") and c.fine_total == Decimal("2000.00")
    assert client.post(reverse("cases:summary_new"), data).status_code == 302 and Case.objects.filter(procedure="summary").count() == 1


def test_open_from_other_source_needs_a_reason(cases_world: Any, ent_a: Any) -> None:
    r = login(cases_world, "officer_a").post(reverse("cases:new"), {"source": "other", "enterprise": ent_a.pk, "title": "案", "facts": "事实", "discovered_on": "2026-03-01"})
    assert r.status_code == 200 and "须说明来源" in text(r) and "第五十四条" in text(r)


# --- list filters and query counts ---------------------------------------------------------------------------
def test_list_filters(cases_world: Any, ent_a: Any) -> None:
    w = cases_world
    draft = open_case(w, ent_a)
    filed = filed_case(w, ent_a, act_date=D(2026, 2, 21))
    client = login(w, "depthead_a")
    body = text(client.get(reverse("cases:list") + "?status=filed"))
    assert reverse("cases:detail", args=[filed.pk]) in body and reverse("cases:detail", args=[draft.pk]) not in body
    staff = w.user("officer_a2").staff.pk
    body = text(client.get(reverse("cases:list") + f"?officer={staff}"))
    assert reverse("cases:detail", args=[filed.pk]) in body and reverse("cases:detail", args=[draft.pk]) not in body
    body = text(client.get(reverse("cases:list") + "?overdue=1"))
    assert "没有符合条件的案件。" in body
    assert client.get(reverse("cases:list") + "?officer=99999999999999999999&page=abc").status_code == 200


def _many_cases(w: Any, ent_a: Any, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        filed_case(w, ent_a, act_date=D(2026, 1, 1) + dt.timedelta(days=i))


def test_list_and_board_query_counts_do_not_grow(cases_world: Any, ent_a: Any, django_assert_max_num_queries: Any) -> None:
    w = cases_world
    _many_cases(w, ent_a, 3)
    client = login(w, "leader_a")
    client.get(reverse("cases:list"))  # warm the session and the scope
    with django_assert_max_num_queries(14) as small_list:
        client.get(reverse("cases:list"))
    with django_assert_max_num_queries(14) as small_board:
        assert client.get(reverse("cases:board")).status_code == 200
    _many_cases(w, ent_a, 6, start=3)
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        r = client.get(reverse("cases:list"))
    assert r.content.decode().count('href="/cases/') >= 9
    with django_assert_max_num_queries(len(small_board.captured_queries)):
        r = client.get(reverse("cases:board"))
    assert 'data-testid="board-count">9<' in r.content.decode()


def test_board_officer_sees_own_cases_leader_the_agency(cases_world: Any, ent_a: Any) -> None:
    w = cases_world
    mine = filed_case(w, ent_a)
    other = services.case_open(actor=w.user("depthead_a"), source="other", source_reason="举报", enterprise=ent_a, title="他人承办案", facts="事实", discovered_on=D(2026, 3, 1))
    officer = text(login(w, "officer_a").get(reverse("cases:board")))
    assert mine.title in officer and "他人承办案" not in officer
    leader = text(login(w, "leader_a").get(reverse("cases:board")))
    assert mine.title in leader and "他人承办案" in leader and other.pk


def test_board_marks_overdue_in_red(cases_world: Any, ent_a: Any, clock: Any) -> None:
    c = filed_case(cases_world, ent_a)
    c.refresh_from_db()
    at(clock, c.next_due + dt.timedelta(days=2))
    body = text(login(cases_world, "leader_a").get(reverse("cases:board")))
    assert 'class="case-overdue"' in body and "已逾期2日" in body
    assert "style=" not in body.split('id="main"')[1]  # no inline CSS (CSP)
