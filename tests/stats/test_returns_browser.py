"""The leader's journey in the browser (Playwright + Debian chromium; issue 11 "Tests"): log in, land on
the workbench, follow the overdue count to its list, open the dashboard, then the quarterly return,
and download it. The city of test_indicators.py, read on 5 October 2026 (the third quarter ended)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from tests.inspections.conftest import calendar, officers  # noqa: F401
from tests.stats.test_indicators import SH, city  # noqa: F401
from tests.stats.test_workbench_browser import page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_from_workbench_to_the_quarterly_return(city: Any, page: Any, live_server: Any) -> None:  # noqa: F811
    w = city["world"]
    city["traveller"].move_to(dt.datetime(2026, 10, 5, 10, 0, tzinfo=SH))
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "leader_city")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/workbench/$"))
    count = page.locator("[data-testid=entry-hazards_overdue] [data-testid=entry-count]")
    assert count.inner_text() == "1"  # h4, 福山
    count.click()
    page.wait_for_url(re.compile(r".*/hazards/\?overdue=1$"))
    assert page.locator("[data-testid=hazard-row]").count() == 1
    page.click("[data-testid=nav-workbench]")
    page.click("[data-testid=link-dashboard]")
    page.wait_for_url(re.compile(r".*/stats/dashboard/.*"))
    page.click("[data-testid=nav-stats]")
    page.click("[data-testid=link-returns]")
    page.wait_for_url(re.compile(r".*/stats/returns/$"))
    assert "2026年第三季度" in page.locator("h1").inner_text()  # the last completed quarter
    table = page.locator("[data-testid=return-comparison]")
    assert table.locator(f"tr[data-row='{w.district_a.name}'] td").nth(1).inner_text() == "4（1）"
    with page.expect_download() as info:
        page.click("[data-testid=return-xlsx]")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx") and "第三季度" in download.suggested_filename
    book = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert book.sheetnames[0] == "各区市对比"
    rows = {r[0]: r for r in book["各区市对比"].iter_rows(min_row=4, values_only=True)}
    assert rows[w.district_a.name][1:3] == (4, 1)  # 检查次数 and its rank
