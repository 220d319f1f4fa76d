"""The register's "select all on this page" for batch printing, in Debian's chromium (Playwright):
reached and toggled with the keyboard, the count said in a live region, the cap of one batch
honoured with a clear message, and the chosen documents printed as one job (issue 14 item 7)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from anjian.documents import printing
from anjian.documents.models import PrintJob
from tests.conftest import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def page(live_server: Any, world: Any, monkeypatch: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    monkeypatch.setattr(printing, "pdf_available", lambda: True)  # asking for a job; the PDF is not built here
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
        pg = ctx.new_page()
        pg.set_default_timeout(20000)
        pg.goto(f"{live_server.url}/login/")
        pg.fill("input[name=username]", "officer_a")
        pg.fill("input[name=password]", PASSWORD)
        pg.click("button[type=submit]")
        pg.wait_for_load_state()
        yield pg
        ctx.close()
        browser.close()


def _checked(pg: Any) -> list[bool]:
    return [pg.locator('[data-testid="print-pick"]').nth(i).is_checked() for i in range(pg.locator('[data-testid="print-pick"]').count())]


def test_select_all_by_keyboard_and_print(live_server: Any, world: Any, issue: Any, page: Any) -> None:
    docs = [issue("inspection_record"), issue("rectification_order"), issue("rectification_order")]
    pg = page
    pg.goto(f"{live_server.url}/documents/")
    box = pg.get_by_label("全选本页文书")
    assert box.is_visible()
    box.focus()  # a native checkbox: in the tab order, toggled with Space
    pg.keyboard.press("Space")
    assert _checked(pg) == [True, True, True]
    assert pg.get_by_test_id("print-count").inner_text() == "已选3份"
    pg.keyboard.press("Space")
    assert _checked(pg) == [False, False, False] and pg.get_by_test_id("print-count").inner_text() == ""
    pg.locator('[data-testid="print-pick"]').nth(1).check()
    assert box.evaluate("el => el.indeterminate") and pg.get_by_test_id("print-count").inner_text() == "已选1份"
    box.focus()
    pg.keyboard.press("Space")  # from some to all
    assert _checked(pg) == [True, True, True]
    pg.get_by_test_id("print-batch").focus()
    pg.keyboard.press("Enter")
    pg.wait_for_url("**/documents/print/*/")
    job = PrintJob.objects.get()
    assert sorted(job.document_ids) == sorted(d.pk for d in docs)


def test_select_all_honours_the_cap_of_one_batch(live_server: Any, world: Any, issue: Any, page: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(printing, "BATCH_MAX", 2)  # the page (data-max) and the server read the same cap
    for _ in range(3):
        issue("rectification_order")
    pg = page
    pg.goto(f"{live_server.url}/documents/")
    pg.get_by_label("全选本页文书").check()
    assert _checked(pg) == [True, True, False]
    assert pg.get_by_test_id("print-count").inner_text() == "已选2份（一次最多2份：本页其余1份请分批打印）"
    pg.locator('[data-testid="print-pick"]').nth(2).check()
    assert "已选3份，超过一次最多2份" in pg.get_by_test_id("print-count").inner_text()
    assert pg.get_by_test_id("print-batch").is_disabled()
    pg.locator('[data-testid="print-pick"]').nth(0).uncheck()
    assert pg.get_by_test_id("print-batch").is_enabled() and pg.get_by_test_id("print-count").inner_text() == "已选2份（一次最多2份：本页其余1份请分批打印）"
    pg.locator('[data-testid="print-pick"]').nth(1).uncheck()
    assert pg.get_by_test_id("print-count").inner_text() == "已选1份"
