"""A member of the public in the browser (Playwright + Debian chromium; issue 12 "Tests"): report a
hidden hazard without logging in, answer the challenge, get the tracking code once the submission
is committed, and look up its status with it — which shows the state, not the internals."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.stats.test_workbench_browser import page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DIGITS = "零一二三四五六七八九十"


def _answer(question: str) -> str:
    m = re.search(r"验证题：(.)加(.)等于多少", question)
    assert m, question
    return str(DIGITS.index(m.group(1)) + DIGITS.index(m.group(2)))


def test_public_report_tracking_code_and_status(world: Any, page: Any, live_server: Any) -> None:  # noqa: F811
    from anjian.complaints.models import Submission

    page.goto(f"{live_server.url}/public/report/")
    page.select_option("#id_agency", label=world.agency_a.name)
    page.check("input[name=kind][value=report]")
    page.check("input[name=grounds][value=hidden_hazard]")
    page.fill("#id_summary", "仓库消防通道堆放杂物")
    page.fill("#id_content", "某厂仓库消防通道长期堆放纸箱，夜间无人值守。")
    page.fill("#id_unit_name", "芝罘示例仓储有限公司")
    page.check("#id_anonymous")
    # A wrong answer first: refused, nothing saved, a new question.
    page.fill("[data-testid=challenge]", "99")
    page.click("button[type=submit]")
    assert page.locator("[data-testid=challenge] ~ .invalid-feedback, .invalid-feedback").count() >= 1
    assert Submission.objects.count() == 0
    question = page.locator("label[for=id_challenge_answer]").inner_text()
    page.fill("[data-testid=challenge]", _answer(question))
    page.click("button[type=submit]")
    code = page.locator("[data-testid=tracking-code]").inner_text().strip()
    assert len(code) >= 12
    sub = Submission.objects.get()
    assert sub.kind == "report" and sub.anonymous and sub.channel == "web"
    assert code not in str(sub.tracking_digest)  # kept only as a keyed hash

    page.goto(f"{live_server.url}/public/report/status/")
    page.fill("input[name=code]", code)
    page.click("button[type=submit]")
    result = page.locator("[data-testid=status-result]")
    assert "安全生产举报" in result.inner_text() and "办理状态" in result.inner_text()
    assert "芝罘示例仓储有限公司" not in page.content()  # the page shows the state, not the matter
    page.fill("input[name=code]", "NOTACODE0000")
    page.click("button[type=submit]")
    assert page.locator("[data-testid=not-found]").is_visible()
