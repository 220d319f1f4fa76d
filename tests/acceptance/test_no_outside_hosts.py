"""Every page works with no route to the internet, under the site's CSP (issue 8, items O and headers).

A real browser (Debian's chromium) visits the key pages. Any request whose host is not this
machine fails the test (and is aborted, as an intranet would), and so does any console error:
a script or style refused by the Content-Security-Policy, a resource that failed to load, an
uncaught exception.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.acceptance.conftest import CHROMIUM_ARGS, shot
from tests.conftest import PASSWORD
from tests.inspections import conftest as inspection_fixtures

# The inspection fixtures (a seeded calendar, a checklist, an inspection of district A's unit).
calendar = inspection_fixtures.calendar
checklist = inspection_fixtures.checklist
inspection = inspection_fixtures.inspection

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}

# Every console error and CSP report is collected here (the event is also reported as an error by
# chromium; listening to it directly names the directive).
REPORT_CSP = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


class Watch:
    def __init__(self) -> None:
        self.outside: list[str] = []
        self.errors: list[str] = []

    def route(self, route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS:
            self.outside.append(url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    def attach(self, page: Any, where: list[str]) -> None:
        page.on("console", lambda msg: self.errors.append(f"{where[0]}: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(f"{where[0]}: uncaught {exc}"))


@pytest.fixture
def hazard(world: Any, inspection: Any) -> Any:
    from anjian.hazards import services

    return services.hazard_create(
        actor=world.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection,
        description="安全管理人员未经考核", location="安全管理部门", severity="general", found_on=inspection.inspected_on, period_days=10,
    )  # fmt: skip


@pytest.fixture
def browser(live_server: Any) -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/workbench/$"))  # every user lands on the workbench (issue 11)


def visit(page: Any, where: list[str], url: str, ready: str = "main") -> None:
    where[0] = url
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, f"{url}: {response.status if response else 'no response'}"
    page.wait_for_selector(ready, state="attached")
    page.wait_for_load_state("networkidle")


def test_key_pages_load_nothing_from_outside_and_raise_no_console_error(world: Any, ent_a: Any, inspection: Any, hazard: Any, browser: Any, live_server: Any) -> None:
    base = live_server.url
    watch = Watch()
    where = ["(start)"]

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(20000)
    context.route("**/*", watch.route)
    context.add_init_script(REPORT_CSP)
    page = context.new_page()
    watch.attach(page, where)

    visit(page, where, f"{base}/login/", "form")
    login(page, base, "officer_a")
    # the officer's menu has no API link; the main navigation neither
    assert page.locator("[data-testid=api-docs-link]").count() == 0 and page.locator("nav >> text=API文档").count() == 0
    for path, ready in [
        ("/enterprises/", "main table"),
        (f"/enterprises/{ent_a.pk}/", "main"),
        ("/inspections/", "main"),
        (f"/inspections/{inspection.pk}/", "main"),
        ("/hazards/", "main"),
        (f"/hazards/{hazard.pk}/", "main"),
        ("/hazards/transfers/", "main"),
        ("/law/deadlines/", "main form"),
        ("/law/penalties/", "main form"),
    ]:
        visit(page, where, f"{base}{path}", ready)
    shot(page, "no-outside-officer-law")
    context.close()

    # an administrator opens the API reference from the user menu
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(30000)
    context.route("**/*", watch.route)
    context.add_init_script(REPORT_CSP)
    page = context.new_page()
    watch.attach(page, where)
    where[0] = "login as admin_a"
    admin_user = world.user("admin_a")
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    login(page, base, "admin_a")
    page.click("[data-testid=current-user]")
    page.click("[data-testid=api-docs-link]")
    where[0] = "/api/docs/"
    page.wait_for_url(re.compile(r".*/api/docs/$"))
    page.wait_for_selector(".swagger-ui .information-container .title")
    page.wait_for_selector(".opblock-tag")
    page.wait_for_load_state("networkidle")
    shot(page, "no-outside-swagger")
    # the admin site runs under the same policy (the system administrator's configuration; the audit
    # trail and the login locks are the audit and security administrators' pages since 三员分立)
    for path in ["/admin/", "/admin/inspections/checklisttemplate/"]:
        visit(page, where, f"{base}{path}", "#content")
    visit(page, where, f"{base}/api/redoc/", "redoc")
    page.wait_for_selector("[role=menuitem], .menu-content li")
    page.wait_for_selector("h1")
    page.wait_for_load_state("networkidle")
    shot(page, "no-outside-redoc")
    context.close()

    assert watch.outside == [], "requests left this machine"
    assert watch.errors == [], "console errors"


def test_the_field_form_works_under_the_csp(world: Any, ent_a: Any, inspection: Any, browser: Any, live_server: Any) -> None:
    """The inspection field form (service worker, IndexedDB, evidence inputs) on a phone."""
    from tests.acceptance.conftest import PHONE

    base = live_server.url
    watch = Watch()
    where = ["(start)"]
    context = browser.new_context(**PHONE)
    context.set_default_timeout(20000)
    context.route("**/*", watch.route)
    context.add_init_script(REPORT_CSP)
    page = context.new_page()
    watch.attach(page, where)
    login(page, base, "officer_a")
    visit(page, where, f"{base}/inspections/{inspection.pk}/field/", "main")
    page.wait_for_selector("html[data-field-ready='1']", state="attached")
    page.wait_for_selector("html[data-offline-ready]", state="attached", timeout=20000)
    assert page.get_attribute("html", "data-offline-ready") == "1"
    context.close()
    assert watch.outside == [] and watch.errors == []
