"""The public page of a bureau's published plans and draws (issue 13 item 6): no login, totals only
(no unit, person or internal note), the draws linked to their public pages with whether each result
was published within the configured days, rate-limited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.planning import selectors, services
from anjian.planning.models import AnnualPlan, Draw
from tests.conftest import _person
from tests.planning.conftest import Y

pytestmark = pytest.mark.django_db


def published(world: Any, settings: Any, tmp_path: Any) -> AnnualPlan:
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    item = plan.items.get(enterprise__name="乙机械厂")
    services.plan_item_update(actor=world.user("officer_a"), item=item, count=2, months=[3, 9], note="内部备注：上半年已专项检查")
    services.plan_submit(actor=world.user("officer_a"), plan=plan)
    plan = services.plan_approve(actor=world.user("leader_a"), plan=plan)
    services.plan_file(actor=world.user("leader_a"), plan=plan)
    return services.plan_publish(actor=world.user("leader_a"), plan=plan)


def draw(world: Any, **kw: Any) -> Draw:
    return services.draw_commit(  # type: ignore[no-any-return]
        actor=world.user("depthead_a"), title=kw.pop("title", "工贸企业抽查"), filters={}, count=2, planned_on=timezone.localdate() + dt.timedelta(days=5),
        draw_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=1), **kw,
    )  # fmt: skip


def test_the_public_page_shows_totals_only(world: Any, units: dict[str, Any], settings: Any, tmp_path: Any) -> None:
    plan = published(world, settings, tmp_path)
    s = plan.public_summary
    assert s == selectors.plan_public_summary(plan)
    assert (s["units"], s["inspections"], s["key_units"], s["key_inspections"]) == (6, 18, 2, 8) and s["general_inspections"] == 10
    assert sum(s["months"]) == 18 and {g["group"] for g in s["groups"]} == {"industry", "mine", "hazchem"}
    anon = Client()
    index = anon.get("/public/plans/").content.decode()
    assert "烟台市芝罘区应急管理局" in index and "/public/plans/370602/" in index and "福山" not in index
    page = anon.get("/public/plans/370602/")
    body = page.content.decode()
    assert page.status_code == 200 and f"{Y}年度安全生产监督检查计划（第1版）" in body and "检查 <strong>18</strong> 次" in body
    assert "重点检查单位2户、8次" in body and 'data-testid="public-months"' in body
    # Nothing beyond the totals: no unit, no person, no internal note, no capacity or cut details.
    for secret in ("己化工", "乙机械厂", "officer_a", "leader_a", "内部备注", plan.fit_summary, "工作日"):
        assert secret not in body, secret
    assert anon.get("/public/plans/999999/").status_code == 404
    # A draft or an approved plan not yet published is not there.
    assert AnnualPlan.objects.filter(published_at__isnull=False).count() == 1


def test_a_replaced_published_version_stays_listed_and_marked(world: Any, units: dict[str, Any], settings: Any, tmp_path: Any) -> None:
    plan = published(world, settings, tmp_path)
    v2 = services.plan_revise(actor=world.user("officer_a"), plan=plan, reason="新增重大危险源企业")
    services.plan_submit(actor=world.user("officer_a"), plan=v2)
    services.plan_approve(actor=_person({}, "leader_a2", world.agency_a, ["leader"]), plan=v2)
    body = Client().get("/public/plans/370602/").content.decode()
    assert "（第1版）" in body and "已被新版本替代" in body and "（第2版）" not in body  # version 2 is approved, not yet published


def test_draws_are_listed_with_their_publication(world: Any, units: dict[str, Any]) -> None:
    d = draw(world)
    waiting = draw(world, title="尚未抽取")
    late = draw(world, title="过时未抽")
    anon = Client()
    with time_machine.travel(d.draw_at + dt.timedelta(minutes=1)):
        services.draw_perform(actor=world.user("depthead_a"), draw=d)
    d.refresh_from_db()
    body = anon.get("/public/plans/370602/").content.decode()
    assert f"/public/draws/{d.public_id}/" in body and f"/public/draws/{waiting.public_id}/" in body
    assert "按期公示" in body and f"结果已于{timezone.localtime(d.drawn_at):%Y年%-m月%-d日}公示" in body and "抽取条件已公示" in body
    # Twenty-one days after the published draw time a draw not drawn is flagged.
    with time_machine.travel(late.draw_at + dt.timedelta(days=21)):
        anon = Client()
        body = anon.get("/public/plans/370602/").content.decode()
        assert "逾期未公示" in body
    # The draw's own page links back to the bureau's page.
    assert "/public/plans/370602/" in anon.get(f"/public/draws/{d.public_id}/").content.decode()


@override_settings(ANJIAN_DRAW_PUBLISH_DAYS=10)
def test_the_publication_period_is_configured(world: Any, units: dict[str, Any]) -> None:
    d = draw(world)
    with time_machine.travel(d.draw_at + dt.timedelta(minutes=1)):
        done = services.draw_perform(actor=world.user("depthead_a"), draw=d)
    assert done.publish_due == timezone.localtime(done.drawn_at).date() + dt.timedelta(days=10)
    assert "抽取后10日内公示" in Client().get("/public/plans/370602/").content.decode()


@override_settings(ANJIAN_PUBLIC_PLANS_PER_MINUTE=3)
def test_the_public_pages_are_rate_limited(world: Any, units: dict[str, Any]) -> None:
    d = draw(world)
    anon = Client()
    codes = [anon.get(u).status_code for u in ("/public/plans/", "/public/plans/370602/", f"/public/draws/{d.public_id}/", "/public/plans/370602/")]
    assert codes == [200, 200, 200, 429]
    assert "请一分钟后再试" in anon.get("/public/plans/").content.decode()


def test_the_public_page_keeps_a_fixed_number_of_queries(world: Any, units: dict[str, Any], settings: Any, tmp_path: Any) -> None:
    published(world, settings, tmp_path)
    draw(world)
    anon = Client()

    def count() -> tuple[int, int]:
        out = []
        for url in ("/public/plans/", "/public/plans/370602/"):
            with CaptureQueriesContext(connection) as ctx:
                assert anon.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out[0], out[1]

    before = count()
    services.plan_generate(actor=world.user("officer_a"), year=2025)
    for _ in range(3):
        draw(world)
    assert count() == before
