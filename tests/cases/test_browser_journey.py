"""Browser journey of a penalty case (Playwright + Debian chromium) on a frozen clock: an officer
accepts a transfer into a case, the department head files it, the officer proposes, issues and
serves the notice; the defence window runs out on the moved clock; the agency head decides and the
officer serves the decision. Every step through the buttons the case page offers."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.cases.conftest import START, at
from tests.conftest import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = os.environ.get("ANJIAN_SHOTS", "/tmp/anjian-cases")


@pytest.fixture
def browser(live_server: Any, settings: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # The clock is frozen in March 2026 while chromium keeps the real date: a session cookie with
    # an Expires date from the frozen clock would be dropped by the browser, and a session of
    # 8 hours would end when the clock moves days ahead.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.SESSION_COOKIE_AGE = 60 * 24 * 3600
    settings.SESSION_IDLE_MINUTES = 60 * 24 * 60  # the clock jumps days between steps; the idle timeout has its own tests
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def as_user(browser: Any, live_server: Any) -> Iterator[Callable[[str], Any]]:
    contexts: list[Any] = []

    def login(name: str) -> Any:
        ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(20000)
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    yield login
    for ctx in contexts:
        ctx.close()


def shot(page: Any, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def action(page: Any, slug: str) -> None:
    page.click(f"[data-testid=action-{slug}]")
    page.wait_for_load_state()


def submit(page: Any) -> None:
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_transfer_to_served_decision_in_the_browser(cases_world: Any, ent_a: Any, clock: Any, live_server: Any, as_user: Any, settings_media: Any) -> None:
    from anjian.cases.models import Case
    from anjian.hazards import services as hazards
    from anjian.org.models import Department, Membership

    w = cases_world
    sup = Department.objects.create(agency=w.agency_a, name="监管科", kind="supervision")
    enf = Department.objects.get(agency=w.agency_a, kind="enforcement")
    Membership.objects.filter(staff__user__username__in=["officer_a", "officer_a2"]).update(department=enf)
    h = hazards.hazard_create(
        actor=w.user("officer_a2"), enterprise=ent_a, source="self_check", description="安全出口堵塞", location="仓库", severity="general", found_on=START.date()
    )
    hazards.transfer_send(actor=w.user("depthead_a"), enterprise=ent_a, from_department=sup, to_department=enf, facts="仓库安全出口堵塞，逾期未消除，移交查处", hazards=[h])

    officer = as_user("officer_a")
    officer.click("[data-testid=nav-cases]")
    officer.click("[data-testid=queue-link]")
    assert "仓库安全出口堵塞" in officer.inner_text("[data-testid=queue-pending]")
    shot(officer, "01-queue")
    officer.click("text=接收并立案")
    officer.fill("input[name=title]", "未消除事故隐患案")
    submit(officer)
    assert "已接收移交并登记立案申请" in officer.inner_text("main")
    assert officer.inner_text("[data-testid=case-status]") == "待立案审批"
    case = Case.objects.get(title="未消除事故隐患案")
    case_url = f"{live_server.url}/cases/{case.pk}/"
    # the applicant has no 立案审批 button: another person approves (行政处罚法第五十四条)
    assert officer.locator("[data-testid=action-file]").count() == 0
    action(officer, "violation")
    officer.select_option("select[name=violation_id]", "P12")
    officer.fill("input[name=act_date]", "2026-02-20")
    submit(officer)
    assert "已办理：登记违法行为" in officer.inner_text("main")

    head = as_user("depthead_a")
    head.goto(case_url)
    action(head, "file")
    submit(head)
    assert head.inner_text("[data-testid=case-status]") == "已立案（调查取证）"
    assert "办案期限" in head.inner_text("[data-testid=case-deadlines]") or "作出行政处罚决定" in head.inner_text("[data-testid=case-deadlines]")

    officer.goto(case_url)
    action(officer, "officers")
    officer.check(f"input[name=staff_ids][value='{w.user('officer_a').staff.pk}']")
    officer.check(f"input[name=staff_ids][value='{w.user('officer_a2').staff.pk}']")
    submit(officer)
    action(officer, "propose")
    amount = officer.locator("input[name$=_amount]")
    amount.fill("20000.005")
    officer.locator("textarea[name$=_reasons]").fill("隐患逾期未消除，情节一般")
    submit(officer)
    assert "金额最多保留两位小数（分）。" in officer.inner_text("main")
    shot(officer, "02a-propose-refused")
    officer.locator("input[name$=_amount]").fill("20000")
    submit(officer)
    assert "拟罚款：20000.00元" in officer.inner_text("[data-testid=case-violations]")
    action(officer, "notice")
    submit(officer)
    assert officer.inner_text("[data-testid=case-status]") == "已制作行政处罚告知书"
    action(officer, "notice-served")
    officer.fill("input[name=recipient]", "李四")
    submit(officer)
    assert officer.inner_text("[data-testid=case-status]") == "告知书已送达（陈述申辩）"
    shot(officer, "02-notice-served")

    leader = as_user("leader_a")
    leader.goto(case_url)
    waiting = leader.inner_text("[data-testid=case-waiting]")
    assert "陈述申辩期限至2026年3月5日届满" in waiting
    assert leader.locator("[data-testid=action-decide]").count() == 0

    # the window runs out: on 6 March the head decides
    at(clock, dt.date(2026, 3, 6))
    leader.goto(case_url)
    assert leader.locator("[data-testid=case-waiting]").count() == 0
    action(leader, "decide")
    assert "20000.00" in leader.inner_text("main")
    submit(leader)
    assert leader.inner_text("[data-testid=case-status]") == "已作出处罚决定"
    assert "行政处罚决定" in leader.inner_text("[data-testid=case-timeline]")

    officer.goto(case_url)
    action(officer, "decision-served")
    officer.fill("input[name=recipient]", "李四")
    submit(officer)
    assert officer.inner_text("[data-testid=case-status]") == "决定书已送达（履行期）"
    timeline = officer.inner_text("[data-testid=case-timeline]")
    for label in ("立案申请", "立案审批", "拟处罚意见", "行政处罚告知", "处罚决定"):
        assert label in timeline, label
    shot(officer, "03-case-served")
    officer.goto(f"{live_server.url}/cases/board/")
    board = officer.inner_text("[data-testid=board]")
    assert "未消除事故隐患案" in board and "当事人缴纳罚款" in board and "2026-03-23" in board
    shot(officer, "04-board")
    officer.goto(f"{live_server.url}/cases/?status=served")
    assert "未消除事故隐患案" in officer.inner_text("main")
    shot(officer, "05-list")
