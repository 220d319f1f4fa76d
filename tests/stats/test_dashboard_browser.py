"""The dashboard in a browser (Playwright + Debian chromium): the vendored ECharts draws every chart
under the page's CSP, and the page prints on A4 landscape with the navigation hidden."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.stats.test_workbench_browser import page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_charts_draw_and_the_page_prints_on_a4_landscape(bench_world: Any, page: Any, live_server: Any, tmp_path: Any) -> None:  # noqa: F811
    bench_world.fill(2)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "leader_city")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/workbench/$"))
    page.click("[data-testid=link-dashboard]")
    page.wait_for_url(re.compile(r".*/stats/dashboard/$"))
    for name in ("trends", "comparison", "funnel", "major_open", "cases"):
        page.wait_for_selector(f"[data-chart={name}] svg")
    assert problems == []
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    pdf = tmp_path / "dashboard.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=False)
    data = pdf.read_bytes()
    sizes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert sizes and all(float(w) > float(h) for w, h in sizes)  # landscape
    assert abs(float(sizes[0][0]) - 841.9) < 2 and abs(float(sizes[0][1]) - 595.3) < 2  # A4 in points
    assert len(sizes) <= 2, len(sizes)
