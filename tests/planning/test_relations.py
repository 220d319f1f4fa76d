"""Declared relations (利害关系申报, 回避; issue 13 item 5): an officer declares their own relation
with a unit, the office and the leaders read those in their scope, and a random draw never puts
the officer on that unit, with the exclusion recorded so that verification reproduces the draw."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from anjian.law import draw as dr
from anjian.planning import selectors, services
from anjian.planning.models import DeclaredRelation, Draw
from tests.planning.conftest import unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(world: Any, calendar: None) -> list[Any]:
    return [unit(world, i, f"化工{i:02d}", sectors=("hazchem.production",)) for i in range(1, 7)]


def declare(world: Any, who: str, ent: Any, kind: str = "kinship", **kw: Any) -> DeclaredRelation:
    return services.relation_declare(actor=world.user(who), enterprise=str(ent.pk), kind=kind, **kw)  # type: ignore[no-any-return]


def commit(world: Any, **kw: Any) -> Draw:
    args: dict[str, Any] = {"title": "危化企业抽查", "filters": {"sector": "hazchem"}, "count": 6, "per_inspection": 2, "planned_on": timezone.localdate() + dt.timedelta(days=5)}
    args.update(kw)
    return services.draw_commit(actor=world.user("depthead_a"), draw_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=1), **args)  # type: ignore[no-any-return]


def test_an_officer_declares_their_own_relation(world: Any, pool: list[Any], ent_b: Any) -> None:
    r = services.relation_declare(actor=world.user("officer_a"), enterprise=pool[0].uscc.lower(), kind="kinship", description="配偶在该厂任安全科长")
    assert (r.staff, r.enterprise, r.owner_agency, r.jurisdiction, r.ended_on) == (world.user("officer_a").staff, pool[0], world.agency_a, world.district_a, None)
    assert str(r) == f"officer_a与{pool[0].name}（近亲属在该单位任职或为其出资人）"
    by_id = declare(world, "officer_a", pool[1], "shareholding")
    assert by_id.enterprise == pool[1]
    bad = [
        ({"enterprise": str(ent_b.pk)}, "enterprise"),  # another district's unit: not in the officer's ledger
        ({"enterprise": "91370000XXXXXXXXXX"}, "enterprise"),
        ({"enterprise": "x" * 30}, "enterprise"),
        ({"kind": "friendship"}, "kind"),
        ({"kind": "other", "description": " "}, "description"),
        ({"description": "长" * 301}, "description"),
    ]
    for kw, field in bad:
        args = {"enterprise": str(pool[2].pk), "kind": "kinship", "description": "", **kw}
        with pytest.raises(ValidationFailed) as info:
            services.relation_declare(actor=world.user("officer_a"), **args)
        assert field in info.value.fields, (kw, info.value.fields)
    with pytest.raises(DomainError) as d:
        declare(world, "officer_a", pool[0])
    assert d.value.code == "relation_exists"
    with pytest.raises(PermissionRefused):
        declare(world, "outsider", pool[0])
    assert DeclaredRelation.objects.count() == 2


def test_who_reads_and_who_ends_a_declaration(world: Any, pool: list[Any]) -> None:
    r = declare(world, "officer_a", pool[0])
    assert list(selectors.relations_visible(world.user("officer_a"))) == [r]
    assert not selectors.relations_visible(world.user("officer_a2")).exists()  # a colleague does not read it
    assert not selectors.relations_visible(world.user("depthead_a")).exists()
    for reader in ("office_a", "leader_a", "leader_city"):  # the office and the leaders, the city's too
        assert list(selectors.relations_visible(world.user(reader))) == [r], reader
    for other in ("officer_b", "officer_a2"):
        with pytest.raises(NotFound):
            selectors.relation_get(user=world.user(other), pk=r.pk)
    with pytest.raises(PermissionRefused):
        services.relation_end(actor=world.user("office_a"), relation=r, reason="代为终止")  # only the officer
    with pytest.raises(ValidationFailed):
        services.relation_end(actor=world.user("officer_a"), relation=r, reason=" ")
    done = services.relation_end(actor=world.user("officer_a"), relation=r, reason="已离婚")
    assert done.ended_on == timezone.localdate() and done.end_reason == "已离婚"
    with pytest.raises(DomainError):
        services.relation_end(actor=world.user("officer_a"), relation=r, reason="再次")
    again = declare(world, "officer_a", pool[0])  # a new declaration of the same relation after the end
    assert again.pk != r.pk


def test_the_draw_excludes_declared_relations_and_verification_reproduces_it(world: Any, pool: list[Any], checklist: Any) -> None:
    from anjian.inspections import services as inspections
    from tests.conftest import _person

    officer3 = _person({}, "officer_a3", world.agency_a, ["officer"]).staff.pk  # a fourth officer: pool[3] keeps two
    officer, officer2, head = (world.user(n).staff.pk for n in ("officer_a", "officer_a2", "depthead_a"))
    declare(world, "officer_a", pool[0], "former_employment")
    declare(world, "officer_a2", pool[1], "shareholding")
    ended = declare(world, "depthead_a", pool[2], "kinship")
    services.relation_end(actor=world.user("depthead_a"), relation=ended, reason="已转让")
    # officer_a2 and depthead_a also inspected pool[3] last time.
    inspections.inspection_create(
        actor=world.user("officer_a2"), enterprise=pool[3], type="planned", inspected_on=timezone.localdate(), started_at=timezone.now(), place="厂区", officer_ids=[officer2, head],
    )  # fmt: skip
    d = commit(world)
    assert d.exclusion_sources == {"last_inspection": {str(pool[3].pk): sorted([officer2, head])}, "declared": {str(pool[0].pk): [officer], str(pool[1].pk): [officer2]}}
    assert d.exclusions == {str(pool[0].pk): [officer], str(pool[1].pk): [officer2], str(pool[3].pk): sorted([officer2, head])}
    assert d.commitment["exclusions_sha256"] == dr.sha256({k: sorted(v) for k, v in d.exclusions.items()})
    with time_machine.travel(d.draw_at + dt.timedelta(minutes=1)):
        done = services.draw_perform(actor=world.user("depthead_a"), draw=d)
    got = {r["unit"]: set(r["officers"]) for r in done.result}
    assert officer not in got[pool[0].pk] and officer2 not in got[pool[1].pk] and got[pool[3].pk] == {officer, officer3}
    assert {o for r in done.result for o in r["officers"]} <= {officer, officer2, head, officer3}
    ok, message = services.draw_verify(Draw.objects.get(pk=done.pk))
    assert ok, message
    # Tampering with the recorded grounds is found: they must add up to the committed exclusions.
    Draw.objects.filter(pk=done.pk).update(exclusion_sources={**done.exclusion_sources, "declared": {}})
    ok, message = services.draw_verify(Draw.objects.get(pk=done.pk))
    assert not ok and "回避记录" in message
    # Public page: the counts, never who declared what.
    Draw.objects.filter(pk=done.pk).update(exclusion_sources=done.exclusion_sources)
    page = Client().get(f"/public/draws/{done.public_id}/").content.decode()
    assert "上次检查2人次，申报利害关系2人次" in page and "核验通过" in page and "配偶" not in page


def test_a_declaration_that_leaves_too_few_officers_refuses_the_draw(world: Any, pool: list[Any]) -> None:
    declare(world, "officer_a", pool[0])
    declare(world, "officer_a2", pool[0], "shareholding")
    d = commit(world)
    with time_machine.travel(d.draw_at + dt.timedelta(minutes=1)), pytest.raises(ValidationFailed) as info:
        services.draw_perform(actor=world.user("depthead_a"), draw=d)
    assert "回避后可抽取的执法人员只有1名" in info.value.fields["officers"][0]


def test_pages_and_api(world: Any, pool: list[Any]) -> None:
    c, office = Client(), Client()
    c.force_login(world.user("officer_a"))
    office.force_login(world.user("office_a"))
    page = c.get("/planning/relations/").content.decode()
    assert 'data-testid="relation-form"' in page and "没有申报" in page
    bad = c.post("/planning/relations/", {"enterprise": "91370000XXXXXXXXXX", "kind": "kinship"})
    assert bad.status_code == 422 and "没有找到该单位" in bad.content.decode()
    assert c.post("/planning/relations/", {"enterprise": "", "kind": ""}).status_code == 422
    assert c.post("/planning/relations/", {"enterprise": pool[0].uscc, "kind": "kinship", "description": "胞弟任该厂车间主任"}).status_code == 302
    r = DeclaredRelation.objects.get()
    listed = office.get("/planning/relations/").content.decode()
    assert "胞弟任该厂车间主任" in listed and 'data-testid="relation-end"' not in listed  # the office reads, does not end
    assert office.post(f"/planning/relations/{r.pk}/end/", {"reason": "x"}).status_code == 403
    b = Client()
    b.force_login(world.user("officer_b"))
    assert b.post(f"/planning/relations/{r.pk}/end/", {"reason": "x"}).status_code == 404
    assert "胞弟" not in b.get("/planning/relations/").content.decode()
    assert c.post(f"/planning/relations/{r.pk}/end/", {"reason": ""}).status_code == 422
    assert c.post(f"/planning/relations/{r.pk}/end/", {"reason": "已调离"}).status_code == 302
    assert c.post(f"/planning/relations/{r.pk}/end/", {"reason": "再次"}).status_code == 409
    assert Client().get("/planning/relations/").status_code == 302
    api = APIClient()
    api.force_authenticate(world.user("officer_a2"))
    assert api.post("/api/v1/planning/relations/", {"enterprise": str(pool[1].pk), "kind": "moon"}, format="json").status_code == 400
    made = api.post("/api/v1/planning/relations/", {"enterprise": str(pool[1].pk), "kind": "other", "description": "曾为该厂提供咨询"}, format="json")
    assert made.status_code == 201 and made.json()["kind_label"] == "其他可能影响公正执法的关系"
    assert api.get("/api/v1/planning/relations/").json()["count"] == 1  # their own only
    lead = APIClient()
    lead.force_authenticate(world.user("leader_a"))
    assert lead.get("/api/v1/planning/relations/").json()["count"] == 2
    assert lead.post(f"/api/v1/planning/relations/{made.json()['id']}/end/", {"reason": "x"}, format="json").status_code == 403
    assert api.post(f"/api/v1/planning/relations/{made.json()['id']}/end/", {}, format="json").status_code == 400
    assert api.post(f"/api/v1/planning/relations/{made.json()['id']}/end/", {"reason": "咨询结束"}, format="json").json()["ended_on"] == str(timezone.localdate())
    assert api.post(f"/api/v1/planning/relations/{'9' * 30}/end/", {"reason": "x"}, format="json").status_code == 404


def test_the_list_keeps_a_fixed_number_of_queries(world: Any, pool: list[Any]) -> None:
    office = Client()
    office.force_login(world.user("office_a"))
    api = APIClient()
    api.force_authenticate(world.user("office_a"))

    def measure() -> tuple[int, int]:
        out = []
        for call in (lambda: office.get("/planning/relations/"), lambda: api.get("/api/v1/planning/relations/")):
            with CaptureQueriesContext(connection) as ctx:
                assert call().status_code == 200
            out.append(len(ctx.captured_queries))
        return out[0], out[1]

    declare(world, "officer_a", pool[0])
    before = measure()
    for i, who in enumerate(("officer_a", "officer_a2", "depthead_a", "leader_a")):
        declare(world, who, pool[1 + i], "shareholding")
    assert measure() == before
