"""Random draws (双随机, issue 13 item 5): committed pools, reproducible, verifiable by anyone."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from anjian.law import draw as dr
from anjian.planning import selectors, services
from anjian.planning.models import Draw
from tests.planning.conftest import unit

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


def draw_at() -> dt.datetime:
    return timezone.now().replace(microsecond=0) + dt.timedelta(days=1)


def commit(world: Any, **kw: Any) -> Draw:
    args: dict[str, Any] = {
        "title": "2026年第一批危化企业抽查",
        "filters": {"sector": "hazchem"},
        "count": 2,
        "per_inspection": 2,
        "planned_on": timezone.localdate() + dt.timedelta(days=5),
        "draw_at": draw_at(),
    }
    args.update(kw)
    return services.draw_commit(actor=world.user("depthead_a"), **args)  # type: ignore[no-any-return]


@pytest.fixture
def pool(world: Any, calendar: None) -> list[Any]:
    return [unit(world, i, f"化工{i:02d}", sectors=("hazchem.production",)) for i in range(1, 7)] + [unit(world, 9, "机械厂")]


def test_commit_fixes_the_pools_and_publishes_their_hashes(world: Any, pool: list[Any]) -> None:
    d = commit(world)
    chem = sorted(u.pk for u in pool[:6])
    assert d.units == chem and d.status == "committed" and d.filters_text == "监管行业：全部危险化学品"
    # district A's officers with a certificate valid on the planned date: officer_a, officer_a2, depthead_a
    assert sorted(d.officer_names.values())[0].startswith("depthead_a（执法证") and len(d.officers) == 3
    assert d.commitment["units_sha256"] == dr.sha256(chem) and d.commitment["count"] == 2 and d.commitment["algorithm"] == dr.ALGORITHM
    assert not d.seed and not d.result


def test_the_officers_of_the_last_inspection_are_excluded(world: Any, pool: list[Any], checklist: Any) -> None:
    from anjian.inspections import services as inspections

    insp = inspections.inspection_create(
        actor=world.user("officer_a"), enterprise=pool[0], type="planned", inspected_on=timezone.localdate(), started_at=timezone.now(), place="厂区",
        officer_ids=[world.user("officer_a").staff.pk, world.user("officer_a2").staff.pk],
    )  # fmt: skip
    assert insp.pk
    d = commit(world, count=6)
    assert d.exclusions == {str(pool[0].pk): sorted([world.user("officer_a").staff.pk, world.user("officer_a2").staff.pk])}
    with time_machine.travel(d.draw_at + dt.timedelta(minutes=1)), pytest.raises(ValidationFailed) as info:
        services.draw_perform(actor=world.user("depthead_a"), draw=d)  # one officer left for that unit
    assert info.value.fields["officers"][0].startswith(f"单位{pool[0].pk}回避后可抽取的执法人员只有1名")


def test_bad_draws_are_refused_and_save_nothing(world: Any, pool: list[Any]) -> None:
    from anjian.org.models import Certificate

    cases = [
        ({"filters": {"sector": "mine"}}, "pool"),  # no mine in the ledger: an empty pool
        ({"count": 7}, "count"),
        ({"draw_at": timezone.now() - dt.timedelta(minutes=1)}, "draw_at"),
        ({"planned_on": timezone.localdate() - dt.timedelta(days=1)}, "planned_on"),
        ({"filters": {"jurisdiction": str(world.district_b.pk)}}, "filters.jurisdiction"),
        ({"title": " "}, "title"),
    ]
    for kw, field in cases:
        with pytest.raises(ValidationFailed) as info:
            commit(world, **kw)
        assert field in info.value.fields, (kw, info.value.fields)
    # Fewer than two officers with a certificate valid on the planned date.
    Certificate.objects.filter(staff__in=[world.user("officer_a").staff, world.user("officer_a2").staff]).update(valid_to=timezone.localdate())
    with pytest.raises(ValidationFailed) as info:
        commit(world)
    assert "少于每户所需的2名" in info.value.fields["officers"][0]
    assert not Draw.objects.exists()
    with pytest.raises(PermissionRefused):
        services.draw_commit(actor=world.user("officer_a"), title="x", filters={}, count=1, planned_on=timezone.localdate(), draw_at=draw_at())


def test_draw_at_the_published_time_verify_and_publish(world: Any, pool: list[Any]) -> None:
    d = commit(world)
    with pytest.raises(DomainError) as info:
        services.draw_perform(actor=world.user("depthead_a"), draw=d)
    assert info.value.code == "too_early"
    with time_machine.travel(d.draw_at + dt.timedelta(minutes=1)):
        with pytest.raises(PermissionRefused):
            services.draw_perform(actor=world.user("officer_a"), draw=d)
        done = services.draw_perform(actor=world.user("depthead_a"), draw=d, beacon="2026001期 03 08 15 21 27 30+12")
        with pytest.raises(DomainError):
            services.draw_perform(actor=world.user("depthead_a"), draw=done)
    assert done.status == "drawn" and len(done.result) == 2 and all(len(r["officers"]) == 2 for r in done.result)
    assert {r["unit"] for r in done.result} <= set(done.units)
    assert done.publish_due == timezone.localtime(done.drawn_at).date() + dt.timedelta(days=20)
    assert services.draw_verify(done)[0]
    # The same stored inputs re-run to the same result; any change is detected.
    again = dr.run(services.draw_inputs(done))
    assert again.as_list() == done.result and again.seed == done.seed
    out = StringIO()
    call_command("draw", "verify", str(done.pk), stdout=out)
    assert "核验通过" in out.getvalue() and done.seed in out.getvalue()
    Draw.objects.filter(pk=done.pk).update(units=done.units[:-1] + [999999])
    with pytest.raises(CommandError, match="核验未通过"):
        call_command("draw", "verify", str(done.pk), stdout=StringIO())
    with pytest.raises(CommandError, match="不存在"):
        call_command("draw", "verify", "abc", stdout=StringIO())


def test_the_public_page_needs_no_login_and_verifies(world: Any, pool: list[Any]) -> None:
    d = commit(world)
    anon = Client()
    page = anon.get(f"/public/draws/{d.public_id}/").content.decode()
    assert "尚未抽取" in page and d.commitment["units_sha256"] in page
    with time_machine.travel(d.draw_at + dt.timedelta(minutes=1)):
        services.draw_perform(actor=world.user("depthead_a"), draw=d)
    page = anon.get(f"/public/draws/{d.public_id}/").content.decode()
    assert "核验通过" in page and 'data-testid="draw-result"' in page
    assert anon.get("/public/draws/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert anon.get(f"/planning/draws/{d.pk}/").status_code == 302  # the staff page needs a login


def test_scope_api_and_pages(world: Any, pool: list[Any]) -> None:
    d = commit(world)
    with pytest.raises(NotFound):
        selectors.draw_get(user=world.user("officer_b"), pk=d.pk)
    b = APIClient()
    b.force_authenticate(world.user("officer_b"))
    assert b.get(f"/api/v1/draws/{d.pk}/").status_code == 404 and b.get("/api/v1/draws/").json()["count"] == 0
    api = APIClient()
    api.force_authenticate(world.user("depthead_a"))
    r = api.post(
        "/api/v1/draws/",
        {"title": "抽查", "filters": {"sector": "hazchem"}, "count": 1, "planned_on": str(timezone.localdate() + dt.timedelta(days=10)), "draw_at": draw_at().isoformat()},
        format="json",
    )
    assert r.status_code == 201 and r.json()["commitment"]["units"] == 6
    assert api.post("/api/v1/draws/", {"title": "抽查", "count": "很多", "planned_on": "x", "draw_at": "y"}, format="json").json()["fields"].keys() == {
        "count",
        "planned_on",
        "draw_at",
    }
    assert api.post(f"/api/v1/draws/{d.pk}/perform/", {}, format="json").status_code == 409
    assert api.get(f"/api/v1/draws/{d.pk}/verify/").json() == {"verified": False, "message": "尚未抽取。"}
    c = Client()
    c.force_login(world.user("depthead_a"))
    assert 'data-testid="draw-form"' in c.get("/planning/draws/").content.decode()
    when = timezone.localtime(draw_at()).strftime("%Y-%m-%dT%H:%M")
    r = c.post(
        "/planning/draws/",
        {
            "title": "页面抽查",
            "filters": "?sector=hazchem&page=2",
            "count": "1",
            "per_inspection": "2",
            "planned_on": str(timezone.localdate() + dt.timedelta(days=10)),
            "draw_at": when,
        },
    )
    assert r.status_code == 302
    made = Draw.objects.get(title="页面抽查")
    assert made.filters == {"sector": "hazchem"}
    assert c.post(f"/planning/draws/{made.pk}/perform/", {}).status_code == 409
    assert c.post("/planning/draws/", {"title": "", "count": "0"}).status_code == 422
    officer = Client()
    officer.force_login(world.user("officer_a"))
    assert officer.post("/planning/draws/", {"title": "x"}).status_code == 403
    with time_machine.travel(made.draw_at + dt.timedelta(minutes=1)):
        c.force_login(world.user("depthead_a"))  # a day later: the idle session has ended
        assert c.post(f"/planning/draws/{made.pk}/perform/", {"beacon": ""}).status_code == 302
        assert "核验通过" in c.get(f"/planning/draws/{made.pk}/").content.decode()


def test_a_share_of_the_pool(world: Any, pool: list[Any]) -> None:
    d = commit(world, count=None, share="0.5")
    assert d.count == 3 and d.filters_text.endswith("按50%抽取")
    assert commit(world, count=None, share="0.01").count == 1  # rounded up
    for kw, field in [({"count": None}, "count"), ({"count": 2, "share": "0.5"}, "count"), ({"count": None, "share": "2"}, "share"), ({"count": None, "share": "0"}, "share")]:
        with pytest.raises(ValidationFailed) as info:
            commit(world, **kw)
        assert field in info.value.fields


def test_draw_lists_have_a_fixed_query_count(world: Any, pool: list[Any]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    commit(world)
    api = APIClient()
    api.force_authenticate(world.user("depthead_a"))
    c = Client()
    c.force_login(world.user("depthead_a"))

    def measure() -> list[int]:
        out = []
        for call in (lambda: api.get("/api/v1/draws/"), lambda: c.get("/planning/draws/")):
            with CaptureQueriesContext(connection) as ctx:
                assert call().status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    before = measure()
    for _ in range(4):
        commit(world)
    assert measure() == before
    assert "6 / 2" in c.get("/planning/draws/").content.decode()
