"""Browser journey of the workbench (Playwright + Debian chromium; issue 11 "Tests"): log in, land on
the workbench, follow the overdue count to its list and find as many rows as the number said."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def page(live_server: Any, settings: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # The clock is frozen in March 2026 while chromium keeps the real date (tests/cases/test_browser_journey.py).
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.SESSION_COOKIE_AGE = 60 * 24 * 3600
    settings.SESSION_IDLE_MINUTES = 60 * 24 * 60
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        pg = context.new_page()
        pg.set_default_timeout(20000)
        yield pg
        context.close()
        browser.close()


def test_land_on_the_workbench_and_follow_the_overdue_count(bench_world: Any, page: Any, live_server: Any) -> None:
    bench_world.fill(2)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "officer_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/workbench/$"))
    entry = page.locator("[data-testid=entry-hazards_overdue]")
    number = int(entry.locator("[data-testid=entry-count]").inner_text())
    assert number == 2
    entry.locator("[data-testid=entry-count]").click()
    page.wait_for_url(re.compile(r".*/hazards/\?overdue=1$"))
    assert page.locator("[data-testid=hazard-row]").count() == number
    assert page.locator("[data-testid=result-count] strong").inner_text() == str(number)
    # the nav link brings the user back
    page.click("[data-testid=nav-workbench]")
    page.wait_for_url(re.compile(r".*/workbench/$"))
    assert page.locator("[data-testid=entry-hazards_overdue] [data-testid=entry-count]").inner_text() == str(number)
