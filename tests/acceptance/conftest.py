"""End-to-end journeys in Debian's chromium (Playwright), on Django's live server."""

from __future__ import annotations

import os
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}

FIELD_ITEMS = [
    ("主要负责人和安全管理人员经考核合格", "《安全生产法》第二十七条"),
    ("特种作业人员持证上岗", "《安全生产法》第三十条"),
    ("有限空间作业审批制度", "《工贸企业有限空间作业安全规定》"),
    ("安全警示标志设置", "《安全生产法》第三十五条"),
    ("应急预案编制与演练", "《安全生产法》第八十一条"),
    ("隐患排查治理记录", "《安全生产法》第四十一条"),
]


@pytest.fixture
def field_checklist(world: Any) -> Any:
    """A published checklist of six items for the unit's sector (hazardous chemicals)."""
    from anjian.inspections import services

    t = services.checklist_create(
        actor=world.user("admin_a"), code="hazchem-field", name="危险化学品企业现场检查表", kind="sector", sectors=["hazchem"],
        items=[{"text": t, "legal_basis": b} for t, b in FIELD_ITEMS],
    )  # fmt: skip
    return services.checklist_publish(actor=world.user("admin_a"), template=t)


@pytest.fixture
def browser_context(live_server: Any) -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(**PHONE)
        context.set_default_timeout(20000)
        yield context
        context.close()
        browser.close()


def shot(page: Any, name: str) -> None:
    """Screenshots for a person to look at, when ANJIAN_SHOTS names a directory."""
    where = os.environ.get("ANJIAN_SHOTS")
    if where:
        os.makedirs(where, exist_ok=True)
        page.screenshot(path=os.path.join(where, f"{name}.png"), full_page=True)
