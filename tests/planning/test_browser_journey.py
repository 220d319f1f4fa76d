"""From generating the annual plan to starting an inspection from a plan item, in the browser
(Playwright + Debian chromium; issue 13 "Tests"): the officer generates and submits this year's
plan, a leader approves it, the officer opens the plan, follows 开始检查 on a unit's item, and the
field form (field.js, synced through the API) creates the inspection linked to that item."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.stats.test_workbench_browser import page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(pg: Any, base: str, username: str) -> None:
    pg.goto(f"{base}/login/")
    pg.fill("input[name=username]", username)
    pg.fill("input[name=password]", PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_url(re.compile(r".*/workbench/$"))


def test_generate_approve_and_start_an_inspection_from_a_plan_item(world: Any, units: dict[str, Any], checklist: Any, page: Any, live_server: Any) -> None:  # noqa: F811
    from anjian.inspections.models import Inspection
    from anjian.planning.models import AnnualPlan

    base = live_server.url
    year = timezone.localdate().year
    _login(page, base, "officer_a")
    page.goto(f"{base}/planning/")
    page.fill("#id_year", str(year))
    page.check("#id_provisional")  # harmless when the year's calendar is loaded
    page.check("#id_acknowledge_over_capacity")
    page.locator("[data-testid=generate-form] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/planning/\d+/$"))
    assert page.locator("[data-testid=status]").inner_text() == "草稿"
    assert "己化工" in page.locator("[data-testid=items]").inner_text()
    page.locator("[data-testid=submit-form] button[type=submit]").click()
    page.wait_for_selector("[data-testid=status]:has-text('已提交审批')")
    plan = AnnualPlan.objects.get()
    # A leader other than the submitter approves, in a browser of their own.
    leader = page.context.browser.new_context(locale="zh-CN").new_page()
    _login(leader, base, "leader_a")
    leader.goto(f"{base}/planning/{plan.pk}/")
    leader.locator("form[action$='/approve/'] button").click()
    leader.wait_for_selector("[data-testid=status]:has-text('已批准')")
    leader.context.close()
    # The officer sees the execution and starts the inspection of 己化工 from its item.
    page.goto(f"{base}/planning/{plan.pk}/")
    assert page.locator("[data-testid=progress]").is_visible()
    item = plan.items.get(enterprise=units["chem"])
    page.locator(f"#item-{item.pk} [data-testid=start-inspection]").click()
    page.wait_for_url(re.compile(rf".*/inspections/new/{units['chem'].pk}/\?plan_item={item.pk}$"))
    page.wait_for_selector("html[data-field-ready='1']", state="attached")
    page.wait_for_selector("html[data-offline-ready='1']", state="attached")  # the local draft is set up
    assert page.locator("#id_plan_item").input_value() == str(item.pk)
    page.fill("#id_place", "液氨储罐区")  # the place keeps the focus: the next tap first blurs it (its change saves the draft)
    # The user is preselected; the second officer is added by a tap on their toggle button, as a
    # user does (the checkbox itself is hidden behind it: btn-check).
    assert page.locator(f"input[name=officers][value='{world.user('officer_a').staff.pk}']").is_checked()
    second = page.locator(f"input[name=officers][value='{world.user('officer_a2').staff.pk}']")
    assert not second.is_checked()
    page.locator(f"label[for='{second.get_attribute('id')}']").click()
    assert second.is_checked() and page.locator("input[name=officers]:checked").count() == 2
    page.wait_for_selector("#draft-discard:not([hidden])")  # the draft was saved, the bar changed only after the tap
    page.locator("label[for='r1-ok']").click()  # the first answer creates the inspection on the server
    try:
        page.wait_for_selector("#sync-bar[data-state='synced']", state="attached")
    except Exception:
        raise AssertionError(page.locator("#sync-bar").inner_text() + " | " + page.locator("#sync-error").inner_text()) from None
    page.wait_for_url(re.compile(r".*/inspections/\d+/field/$"))
    insp = Inspection.objects.get()
    assert insp.enterprise_id == units["chem"].pk and insp.plan_item_id == item.pk and insp.type == "planned"
