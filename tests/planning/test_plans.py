"""Plan generation, cuts, edits, approval and versions (issue 13 items 2 and 3)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from anjian.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from anjian.law import planning as pl
from anjian.planning import selectors, services
from anjian.planning.models import AnnualPlan, GradingProfile, PlanItem
from tests.planning.conftest import Y, capacity, unit

pytestmark = pytest.mark.django_db


def counts(plan: AnnualPlan) -> dict[str, int]:
    return {i.enterprise_name: i.count for i in plan.items.all()}


def test_the_sample_profile_is_shipped_and_labelled(db: Any) -> None:
    from importlib import import_module

    # Shipped by the data migration; ``sample_profile_sync`` returns that row (or recreates it in a
    # database flushed by a transactional test earlier in the run).
    p = services.sample_profile_sync()
    assert p.is_sample and str(p).endswith("（示例配置）") and p.province == ""
    assert p.data == import_module("anjian.planning.migrations.0002_sample_profile").SAMPLE == pl.SAMPLE_PROFILE
    pl.profile_from_data(p.data)


def test_a_province_profile_replaces_the_sample(world: Any) -> None:
    services.sample_profile_sync()
    own = GradingProfile.objects.create(code="sd", name="山东省分级检查频次", province="370000", is_sample=False, data=pl.SAMPLE_PROFILE)
    assert selectors.profile_for(world.agency_a) == own
    own.active = False
    own.save()
    assert selectors.profile_for(world.agency_a).code == "sample-shanxi-2025"  # type: ignore[union-attr]


def test_generation_proposes_counts_by_grade_and_months(world: Any, units: dict[str, Any]) -> None:
    # A unit whose subject is the city, and a closed unit, are not in district A's plan.
    unit(world, 20, "市管化工", agency=world.agency_city, sectors=("hazchem.production",))
    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    assert counts(plan) == {"甲机械厂": 1, "乙机械厂": 4, "丙机械厂": 6, "丁露天矿": 1, "戊露天矿": 4, "己化工": 4}
    items = {i.enterprise_name: i for i in plan.items.all()}
    assert items["戊露天矿"].key and items["戊露天矿"].key_reasons == ["风险等级为最高一级"]
    assert items["己化工"].key_reasons == ["构成重大危险源"] and items["己化工"].cap == 4
    assert not items["丁露天矿"].key and items["丁露天矿"].grade_label == "风险等级A"
    assert all(len(i.months) == i.count for i in items.values())
    assert plan.status == "draft" and plan.demand == 58 and plan.available > 58 and not plan.cut_units and "力量充足" in plan.fit_summary
    assert plan.capacity["lines"][0]["label"] == "法定工作日" and plan.profile_name.endswith("（示例配置）")


def test_open_major_hazards_make_a_key_unit(world: Any, units: dict[str, Any]) -> None:
    from anjian.hazards import services as hazards

    hazards.hazard_create(
        actor=world.user("officer_a"),
        enterprise=units["none"],
        source="self_check",
        description="除尘系统未设锁气卸灰装置",
        location="车间",
        severity="major",
        major_reason="现场确认",
        found_on=units["none"].created_at.date(),
    )
    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    assert plan.items.get(enterprise=units["none"]).key_reasons == ["存在未销号的重大事故隐患"]


def test_short_capacity_cuts_lowest_risk_general_units_never_key_units(world: Any, units: dict[str, Any]) -> None:
    capacity(world, deductions={"duty": "700"})  # 744 − 700 = 44, reserve 10% → 39.6 available
    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    assert counts(plan) == {"甲机械厂": 0, "乙机械厂": 1, "丙机械厂": 1, "丁露天矿": 0, "戊露天矿": 4, "己化工": 4}
    assert plan.demand == 36 and plan.available == Decimal("39.6") and not plan.over_capacity
    assert "缺口18.4" in plan.fit_summary and "重点单位未削减" in plan.fit_summary
    cut = plan.items.filter(cut_from__isnull=False)
    assert set(cut.values_list("enterprise_name", flat=True)) == {"甲机械厂", "乙机械厂", "丙机械厂", "丁露天矿"}
    assert (plan.cut_units, plan.cut_inspections) == (4, sum(i.cut_from - i.count for i in cut))
    # The cut units are listed a page at a time (page and API), not stored as a list on the plan.
    c = Client()
    c.force_login(world.user("officer_a"))
    page = c.get(f"/planning/{plan.pk}/").content.decode()
    assert "削减明细：4户一般检查单位" in page and "?cut=1" in page
    listed = c.get(f"/planning/{plan.pk}/?cut=1").content.decode()
    assert "削减检查次数的 <strong>4</strong> 户单位" in listed and "甲机械厂" in listed and "己化工" not in listed
    api = APIClient()
    api.force_authenticate(world.user("officer_a"))
    body = api.get(f"/api/v1/plans/{plan.pk}/").json()
    assert (body["cut_units"], body["cut_inspections"]) == (plan.cut_units, plan.cut_inspections) and "cuts" not in body
    rows = api.get(f"/api/v1/plans/{plan.pk}/items/", {"cut": "1"}).json()
    assert rows["count"] == 4 and all(r["cut_from"] is not None and r["cut_from"] > r["count"] for r in rows["results"])


def test_general_inspections_keep_to_their_share_even_when_the_total_would_hold_them(world: Any, units: dict[str, Any]) -> None:
    # 669.60 days, 97 % of them the key share (649.51): general inspections get 20.09 although the
    # total (58 needed) would hold everything. The plan document prints that split; the fit and the
    # submission check it (LEGAL.md §6, 安监总政法〔2017〕150号).
    capacity(world, key_share="0.97")
    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    assert (plan.key_available, plan.key_demand) == (Decimal("649.51"), 32) and plan.general_available == Decimal("20.09")
    assert plan.general_demand <= Decimal("20.09") and plan.cut_units > 0 and not plan.over_capacity
    assert counts(plan)["戊露天矿"] == 4 and counts(plan)["己化工"] == 4  # key units untouched
    assert "不调剂给一般检查" in plan.fit_summary and "一般检查20.09个" in plan.fit_summary
    # Raising a general unit past the share makes the plan over capacity although the total fits.
    item = plan.items.get(enterprise=units["std3"])
    assert (item.cut_from, item.count) == (4, 1)  # the lowest-risk general unit with inspections to spare
    services.plan_item_update(actor=world.user("officer_a"), item=item, count=4, months=[1, 4, 7, 10])
    plan.refresh_from_db()
    assert plan.demand == 58 < plan.available and plan.over_capacity
    with pytest.raises(ValidationFailed) as info:
        services.plan_submit(actor=world.user("officer_a"), plan=plan)
    assert "比一般检查可安排的20.09个多" in info.value.message and "重点检查份额649.51个，不调剂给一般检查" in info.value.message
    c = Client()
    c.force_login(world.user("officer_a"))
    page = c.get(f"/planning/{plan.pk}/").content.decode()
    assert 'data-testid="share-check"' in page and "649.51" in page and "比一般检查可安排的20.09个多" in page


def test_over_capacity_needs_an_acknowledgement_and_saves_nothing_without(world: Any, units: dict[str, Any]) -> None:
    capacity(world, deductions={"duty": "730"})  # 12.6 available, key units alone need 32
    with pytest.raises(ValidationFailed) as info:
        services.plan_generate(actor=world.user("officer_a"), year=Y)
    assert info.value.code == "over_capacity" and "重点单位不得削减" in info.value.message and "acknowledge_over_capacity" in info.value.fields
    assert not AnnualPlan.objects.exists() and not PlanItem.objects.exists()
    plan = services.plan_generate(actor=world.user("officer_a"), year=Y, acknowledge_over_capacity=True)
    assert plan.over_capacity and plan.over_capacity_ack and counts(plan)["戊露天矿"] == 4


def test_a_year_without_its_calendar_needs_provisional(world: Any, units: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as info:
        services.plan_generate(actor=world.user("officer_a"), year=2027)
    assert info.value.code == "calendar_not_loaded" and not AnnualPlan.objects.exists()
    plan = services.plan_generate(actor=world.user("officer_a"), year=2027, provisional=True)
    assert plan.provisional and "临时结果" in plan.capacity["lines"][0]["formula"]


def test_regenerating_replaces_the_draft_but_not_a_submitted_plan(world: Any, units: dict[str, Any]) -> None:
    first = services.plan_generate(actor=world.user("officer_a"), year=Y)
    second = services.plan_generate(actor=world.user("officer_a"), year=Y)
    assert not AnnualPlan.objects.filter(pk=first.pk).exists() and second.version == 1
    services.plan_submit(actor=world.user("officer_a"), plan=second)
    with pytest.raises(DomainError) as info:
        services.plan_generate(actor=world.user("officer_a"), year=Y)
    assert info.value.code == "plan_exists"


def test_officers_edit_counts_and_months_within_the_cap(world: Any, units: dict[str, Any]) -> None:
    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    item = plan.items.get(enterprise=units["std3"])
    services.plan_item_update(actor=world.user("officer_a2"), item=item, count=2, months=[11, "3"], note="上半年已专项检查")
    item.refresh_from_db()
    plan.refresh_from_db()
    assert (item.count, item.months, item.edited) == (2, [3, 11], True) and plan.demand == 54
    with pytest.raises(ValidationFailed) as info:
        services.plan_item_update(actor=world.user("officer_a"), item=item, count=5, months=[1, 2, 3, 4, 5])
    assert info.value.fields["count"] == ["该单位年度检查次数上限为4次（按风险分级公布的上限），不能安排5次。"] and info.value.article == pl.ARTICLE_CAP
    for count, months, field in [(2, [1], "months"), (1, [13], "months"), (1, ["一月"], "months"), ("x", [], "count")]:
        with pytest.raises(ValidationFailed) as info:
            services.plan_item_update(actor=world.user("officer_a"), item=item, count=count, months=months)
        assert field in info.value.fields
    with pytest.raises(PermissionRefused):
        services.plan_item_update(actor=world.user("office_a"), item=item, count=1, months=[1])
    with pytest.raises(NotFound):
        services.plan_item_update(actor=world.user("officer_b"), item=item, count=1, months=[1])


def test_submit_approve_by_another_leader_and_revise_with_a_reason(world: Any, units: dict[str, Any]) -> None:
    from tests.conftest import _person

    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    with pytest.raises(DomainError):
        services.plan_approve(actor=world.user("leader_a"), plan=plan)  # not submitted
    with pytest.raises(PermissionRefused):
        services.plan_submit(actor=world.user("office_a"), plan=plan)
    services.plan_submit(actor=world.user("leader_a"), plan=plan)
    with pytest.raises(PermissionRefused) as info:
        services.plan_approve(actor=world.user("leader_a"), plan=plan)
    assert info.value.code == "self_approval"
    with pytest.raises(PermissionRefused):
        services.plan_approve(actor=world.user("depthead_a"), plan=plan)  # not a leader
    with pytest.raises(ValidationFailed):
        services.plan_return(actor=world.user("leader_a"), plan=plan, reason=" ")
    services.plan_return(actor=world.user("leader_a"), plan=plan, reason="重点单位月份过于集中")
    with pytest.raises(DomainError):
        services.plan_revise(actor=world.user("officer_a"), plan=plan, reason="x")  # a draft is edited, not revised
    services.plan_submit(actor=world.user("officer_a"), plan=plan)
    leader2 = _person({}, "leader_a2", world.agency_a, ["leader"])
    approved = services.plan_approve(actor=leader2, plan=plan)
    assert approved.status == "approved" and approved.approved_by == leader2
    item = approved.items.first()
    assert item is not None
    with pytest.raises(DomainError) as d:
        services.plan_item_update(actor=world.user("officer_a"), item=item, count=1, months=[1])
    assert d.value.code == "plan_not_draft"
    with pytest.raises(ValidationFailed) as v:
        services.plan_revise(actor=world.user("officer_a"), plan=approved, reason="")
    assert v.value.fields == {"reason": ["请填写修订理由。"]}
    v2 = services.plan_revise(actor=world.user("officer_a"), plan=approved, reason="新增重大危险源企业")
    assert (v2.version, v2.status, v2.previous_id, v2.change_reason) == (2, "draft", approved.pk, "新增重大危险源企业")
    assert counts(v2) == counts(approved)
    # The items are copied whole by the database (INSERT … SELECT): every field but the plan.
    fields = [f.name for f in PlanItem._meta.concrete_fields if f.name not in ("id", "plan")]
    assert list(v2.items.order_by("enterprise_id").values_list(*fields)) == list(approved.items.order_by("enterprise_id").values_list(*fields))
    assert (v2.cut_units, v2.cut_inspections, v2.demand) == (approved.cut_units, approved.cut_inspections, approved.demand)
    with pytest.raises(DomainError):
        services.plan_revise(actor=world.user("officer_a"), plan=approved, reason="再次修订")
    services.plan_submit(actor=world.user("officer_a"), plan=v2)
    services.plan_approve(actor=leader2, plan=v2)
    approved.refresh_from_db()
    assert approved.status == "superseded" and approved.items.count() == 6  # the old version stays readable
    from anjian.core.models import AuditEvent

    assert set(AuditEvent.objects.filter(action__startswith="plan.").values_list("action", flat=True)) == {
        "plan.generate",
        "plan.submit",
        "plan.return",
        "plan.approve",
        "plan.revise",
    }


def test_scoping_another_districts_plan_is_404_the_city_reads_it(world: Any, units: dict[str, Any]) -> None:
    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    with pytest.raises(NotFound):
        selectors.plan_get(user=world.user("officer_b"), pk=plan.pk)
    assert selectors.plan_get(user=world.user("leader_city"), pk=plan.pk) == plan
    with pytest.raises(PermissionRefused):
        services.plan_submit(actor=world.user("leader_city"), plan=plan)  # the city reads, the district writes
    b = APIClient()
    b.force_authenticate(world.user("officer_b"))
    assert b.get(f"/api/v1/plans/{plan.pk}/").status_code == 404
    assert b.get(f"/api/v1/plans/{plan.pk}/items/").status_code == 404
    assert b.post(f"/api/v1/plans/{plan.pk}/submit/", {}, format="json").status_code == 404
    c = Client()
    c.force_login(world.user("officer_b"))
    assert c.get(f"/planning/{plan.pk}/").status_code == 404
    assert plan.pk not in [p["id"] for p in b.get("/api/v1/plans/").json()["results"]]


def test_api_round_trip_and_malformed_input(world: Any, units: dict[str, Any]) -> None:
    api = APIClient()
    api.force_authenticate(world.user("officer_a"))
    assert api.post("/api/v1/plans/", {"year": "二〇二六"}, format="json").json()["fields"]["year"] == ["年度应为四位数字。"]
    r = api.post("/api/v1/plans/", {"year": Y}, format="json")
    assert r.status_code == 201 and r.json()["status"] == "draft" and r.json()["conflicts"] == []
    pk = r.json()["id"]
    items = api.get(f"/api/v1/plans/{pk}/items/").json()["results"]
    std3 = next(i for i in items if i["enterprise_name"] == "乙机械厂")
    r = api.post(f"/api/v1/plans/{pk}/items/{std3['id']}/", {"count": 9, "months": [1, 2, 3, 4, 5, 6, 7, 8, 9]}, format="json")
    assert r.status_code == 422 and "上限为4次" in r.json()["fields"]["count"][0]
    assert api.post(f"/api/v1/plans/{pk}/items/{std3['id']}/", {"count": "9" * 30, "months": []}, format="json").status_code == 400
    assert api.post(f"/api/v1/plans/{pk}/items/{std3['id']}/", {"count": 1, "months": [0]}, format="json").json()["fields"]["months"] == ["月份应为1至12。"]
    assert api.post(f"/api/v1/plans/{pk}/items/{'9' * 30}/", {"count": 1, "months": [1]}, format="json").status_code == 404
    assert api.post(f"/api/v1/plans/{pk}/items/abc/", {"count": 1, "months": [1]}, format="json").status_code == 404
    assert api.get(f"/api/v1/plans/{'9' * 30}/").status_code == 404
    assert api.get("/api/v1/plans/", {"year": "x"}).status_code == 400
    r = api.post(f"/api/v1/plans/{pk}/items/{std3['id']}/", {"count": 1, "months": [5]}, format="json")
    assert r.status_code == 200 and r.json()["months"] == [5]
    assert api.post(f"/api/v1/plans/{pk}/submit/", {}, format="json").json()["status"] == "submitted"
    leader = APIClient()
    leader.force_authenticate(world.user("leader_a"))
    assert leader.post(f"/api/v1/plans/{pk}/return/", {"reason": ""}, format="json").status_code == 422
    assert leader.post(f"/api/v1/plans/{pk}/approve/", {}, format="json").json()["status"] == "approved"
    r = api.post(f"/api/v1/plans/{pk}/revise/", {"reason": "调整"}, format="json")
    assert r.status_code == 201 and r.json()["version"] == 2
    assert api.get("/api/v1/planning/profiles/").json()[0]["is_sample"] is True


def test_pages(world: Any, units: dict[str, Any]) -> None:
    c = Client()
    c.force_login(world.user("officer_a"))
    page = c.get("/planning/")
    assert page.status_code == 200 and 'data-testid="generate-form"' in page.content.decode() and 'data-testid="nav-planning"' in page.content.decode()
    bad = c.post("/planning/", {"year": "abc"})
    assert bad.status_code == 422 and "年度应为四位数字。" in bad.content.decode()
    capacity(world, deductions={"duty": "730"})
    over = c.post("/planning/", {"year": Y})
    assert over.status_code == 422 and "重点单位不得削减" in over.content.decode() and not AnnualPlan.objects.exists()
    r = c.post("/planning/", {"year": Y, "acknowledge_over_capacity": "on"})
    assert r.status_code == 302
    plan = AnnualPlan.objects.get()
    detail = c.get(f"/planning/{plan.pk}/").content.decode()
    assert "己化工" in detail and "构成重大危险源" in detail and "超出力量（已确认）" in detail
    item = plan.items.get(enterprise=units["std3"])
    r = c.post(f"/planning/{plan.pk}/items/{item.pk}/", {"count": "9", "months": "1,2,3,4,5,6,7,8,9"})
    assert r.status_code == 422 and "上限为4次" in r.content.decode()
    assert c.post(f"/planning/{plan.pk}/items/{item.pk}/", {"count": "2", "months": "3、9"}).status_code == 302
    assert c.post(f"/planning/{plan.pk}/submit/", {}).status_code == 302
    r = c.post(f"/planning/{plan.pk}/approve/", {})
    assert r.status_code == 403  # an officer does not approve
    leader = Client()
    leader.force_login(world.user("leader_a"))
    assert leader.post(f"/planning/{plan.pk}/approve/", {}).status_code == 302
    r = c.post(f"/planning/{plan.pk}/revise/", {"reason": ""})
    assert r.status_code == 422 and "请填写修订理由。" in r.content.decode()
    # Roles that do not plan see no menu entry and may not generate.
    office = Client()
    office.force_login(world.user("office_a"))
    assert 'data-testid="nav-planning"' not in office.get("/planning/").content.decode()
    assert office.post("/planning/", {"year": Y}).status_code == 403


def test_list_endpoints_have_a_fixed_query_count(world: Any, units: dict[str, Any]) -> None:
    api = APIClient()
    api.force_authenticate(world.user("officer_a"))
    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    c = Client()
    c.force_login(world.user("officer_a"))

    def measure() -> tuple[int, int, int, int]:
        out = []
        for call in (lambda: api.get("/api/v1/plans/"), lambda: api.get(f"/api/v1/plans/{plan.pk}/items/"), lambda: c.get(f"/planning/{plan.pk}/"), lambda: c.get("/planning/")):
            with CaptureQueriesContext(connection) as ctx:
                assert call().status_code == 200
            out.append(len(ctx.captured_queries))
        return tuple(out)  # type: ignore[return-value]

    before = measure()
    for n in range(30):
        unit(world, 100 + n, f"新增单位{n:02d}")
    services.plan_generate(actor=world.user("officer_a"), year=2025)
    services.plan_generate(actor=world.user("officer_a"), year=Y)
    plan = AnnualPlan.objects.get(year=Y)
    assert plan.items.count() == 36
    assert measure() == before


def test_a_province_loads_its_own_profile_by_command(world: Any, tmp_path: Any) -> None:
    import json
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "sd.json"
    path.write_text(json.dumps(pl.SAMPLE_PROFILE), encoding="utf-8")
    out = StringIO()
    call_command("planning", "load-profile", str(path), code="sd-2026", name="山东省分级检查频次", province="370000", source="鲁应急发〔2026〕1号", stdout=out)
    assert "已载入并启用" in out.getvalue() and selectors.profile_for(world.agency_a).code == "sd-2026"  # type: ignore[union-attr]
    path.write_text(json.dumps({"rules": []}), encoding="utf-8")
    with pytest.raises(CommandError, match="至少应有一条规则"):
        call_command("planning", "load-profile", str(path), code="sd-2027", name="x", province="370000", source="x")
    with pytest.raises(CommandError, match="区划代码"):
        call_command("planning", "load-profile", str(path), code="sd-2027", name="x", province="37", source="x")
    with pytest.raises(CommandError, match="无法读取"):
        call_command("planning", "load-profile", str(tmp_path / "none.json"), code="x", name="x", province="370000", source="x")
    with pytest.raises(ValidationFailed, match="示例配置不能被覆盖"):
        services.profile_load(actor=None, code="sample-shanxi-2025", name="x", province="370000", data=pl.SAMPLE_PROFILE, source="x")
    with pytest.raises(ValidationFailed):
        services.profile_load(actor=None, code="x", name="x", province="370000", data=pl.SAMPLE_PROFILE, source=" ")


def test_a_plan_raised_over_capacity_needs_an_acknowledgement_to_submit(world: Any, units: dict[str, Any]) -> None:
    capacity(world, deductions={"duty": "700"})  # 39.6 available; generation cuts to 36
    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    item = plan.items.get(enterprise=units["none"])
    services.plan_item_update(actor=world.user("officer_a"), item=item, count=4, months=[1, 4, 7, 10])  # 36 + 6 = 42 days
    plan.refresh_from_db()
    assert plan.over_capacity and not plan.over_capacity_ack
    with pytest.raises(ValidationFailed) as info:
        services.plan_submit(actor=world.user("officer_a"), plan=plan)
    assert info.value.code == "over_capacity" and "一般检查需要10.00个工作日，比一般检查可安排的7.60个多2.40个" in info.value.message
    assert "重点单位需要32.00个，不得削减" in info.value.message
    plan.refresh_from_db()
    assert plan.status == "draft"
    done = services.plan_submit(actor=world.user("officer_a"), plan=plan, acknowledge_over_capacity=True)
    assert done.status == "submitted" and done.over_capacity_ack
    months = selectors.plan_months(done)
    assert [m["inspections"] for m in months][0] >= 1 and sum(m["inspections"] for m in months) == sum(i.count for i in done.items.all())


def test_teams_are_assigned_by_sector_and_editable(world: Any, units: dict[str, Any]) -> None:
    from anjian.org.models import Department

    mine_dept = Department.objects.create(agency=world.agency_a, name="非煤矿山监管科", kind="supervision", sector_group="mine")
    team = Department.objects.get(agency=world.agency_a, kind="enforcement")
    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    by_name = {i.enterprise_name: i for i in plan.items.all()}
    assert by_name["丁露天矿"].department == mine_dept and by_name["甲机械厂"].department == team
    teams = {t["team"]: t["total"] for t in selectors.plan_team_months(plan)}
    assert teams == {"非煤矿山监管科": 5, "执法大队": 15}
    item = by_name["己化工"]
    services.plan_item_update(actor=world.user("officer_a"), item=item, count=item.count, months=item.months, department=str(mine_dept.pk))
    item.refresh_from_db()
    assert item.department == mine_dept
    other = Department.objects.get(agency=world.agency_b, kind="enforcement")
    for bad in (other.pk, "abc", "9" * 30):
        with pytest.raises(ValidationFailed) as info:
            services.plan_item_update(actor=world.user("officer_a"), item=item, count=item.count, months=item.months, department=bad)
        assert info.value.fields == {"department": ["承担科室应为本机关的科室。"]}
    c = Client()
    c.force_login(world.user("officer_a"))
    page = c.get(f"/planning/{plan.pk}/").content.decode()
    assert "非煤矿山监管科（" in page and 'name="department"' in page


def test_the_sample_profile_comes_back_if_the_table_was_emptied(world: Any, units: dict[str, Any]) -> None:
    from anjian.planning.models import GradingProfileVersion

    GradingProfileVersion.objects.all().delete()
    GradingProfile.objects.all().delete()
    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    assert plan.profile.code == services.SAMPLE_CODE and plan.profile.data == pl.SAMPLE_PROFILE and plan.profile.is_sample
    assert plan.profile_version is not None and (plan.profile_version.version, plan.profile_version.data) == (1, pl.SAMPLE_PROFILE)


def test_unit_names_with_copy_control_characters_are_stored_as_they_are(world: Any, units: dict[str, Any]) -> None:
    # PostgreSQL inserts the items by COPY in text format: a backslash, tab or line break in a name
    # must be escaped, not read as a column or row separator (SQLite takes the same values as parameters).
    from anjian.enterprises.models import Enterprise

    odd = "甲\\乙\t丙\n丁\r戊\\N机械厂"
    Enterprise.objects.filter(pk=units["std3"].pk).update(name=odd)
    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    item = plan.items.get(enterprise=units["std3"])
    assert item.enterprise_name == odd and item.count == 4 and len(item.months) == 4
    assert item.key_reasons == [] and plan.items.get(enterprise=units["chem"]).key_reasons == ["构成重大危险源"]
    assert item.department is not None and item.cut_from is None and item.note == "" and not item.edited
