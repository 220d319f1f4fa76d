"""Browser journey (Playwright + Debian chromium): log in, search, edit, see the audit entry."""

from __future__ import annotations

import os

import pytest

from tests.conftest import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        pg = context.new_page()
        pg.set_default_timeout(15000)
        yield pg
        context.close()
        browser.close()


def test_login_search_edit_and_see_the_audit_entry(world, ent_a, ent_b, page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "officer_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/workbench/")  # every user lands on the workbench (issue 11)
    page.goto(f"{live_server.url}/enterprises/")
    # a 2-character search; district B's unit never appears
    page.fill("#id_q", "化工")
    page.press("#id_q", "Enter")
    page.wait_for_selector(f"text={ent_a.name}")
    assert page.locator(f"text={ent_b.name}").count() == 0
    page.click(f"text={ent_a.name}")
    page.wait_for_url(f"**/enterprises/{ent_a.pk}/")
    page.goto(f"{live_server.url}/enterprises/{ent_a.pk}/edit/")
    page.fill("input[name=contact_name]", "王联络")
    page.fill("input[name=contact_phone]", "13900000001")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/enterprises/{ent_a.pk}/")
    page.goto(f"{live_server.url}/enterprises/{ent_a.pk}/#tab-audit")
    audit = page.locator("#tab-audit")
    audit.wait_for(state="visible")
    assert "修改企业信息" in audit.inner_text()
    assert "王联络" in audit.inner_text()
    ent_a.refresh_from_db()
    assert ent_a.contact_name == "王联络"
