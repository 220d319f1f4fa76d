"""Grading profiles edited on a page and the API (issue 13 item 4): per province in the database,
the sample labelled 示例配置 and never changed, edits validated, versioned and audited, changed only
by the top (city) bureau's leaders and administrator, a plan recording the version it used."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from anjian.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from anjian.core.models import AuditEvent
from anjian.law import planning as pl
from anjian.planning import selectors, services
from anjian.planning.models import GradingProfile, GradingProfileVersion
from tests.legal.personas import add_personas
from tests.planning.conftest import Y

pytestmark = pytest.mark.django_db
SOURCE = "鲁应急发〔2026〕1号"


def own(world: Any) -> GradingProfile:
    return services.profile_create(actor=world.user("leader_city"), name="山东省分级检查频次", source=SOURCE, reason="按本省规定")


def edited(data: dict[str, Any], rule: int = 2, **changes: Any) -> dict[str, Any]:
    """The profile's data with one rule (by default the third, 其他行业) changed, e.g. frequency={"3": 2}."""
    out = copy.deepcopy(data)
    for key, value in changes.items():
        if isinstance(value, dict):
            out["rules"][rule][key].update(value)
        else:
            out["rules"][rule][key] = value
    return out


def form_data(p: GradingProfile, **overrides: Any) -> dict[str, Any]:
    """The page's edit form as submitted unchanged (then ``overrides``)."""
    body: dict[str, Any] = {"name": p.name, "source": p.source, "reason": "按本省规定调整", "key_rules": p.data["key_rules"], "active": "on" if p.active else ""}
    for i, rule in enumerate(p.data["rules"]):
        body[f"rname_{i}"] = rule["name"]
        body[f"ungraded_{i}"] = rule["ungraded"]
        for j, g in enumerate(rule["frequency"]):
            body[f"f_{i}_{j}"] = rule["frequency"][g]
            body[f"c_{i}_{j}"] = rule["cap"][g]
    body.update(overrides)
    return body


def test_the_city_builds_the_province_profile_from_the_sample_and_plans_use_it(world: Any, units: dict[str, Any]) -> None:
    sample = services.sample_profile_sync()
    before = services.plan_generate(actor=world.user("officer_a"), year=Y)
    assert before.profile == sample and before.profile_version is not None and before.profile_version.version == 1
    p = own(world)
    assert (p.province, p.is_sample, p.version, p.data) == ("370000", False, 1, pl.SAMPLE_PROFILE) and "示例配置" not in str(p)
    assert selectors.profile_for(world.agency_a) == p  # every bureau of the province now plans with it
    v1 = GradingProfileVersion.objects.get(profile=p)
    assert (v1.version, v1.reason, v1.created_by) == (1, "按本省规定", world.user("leader_city"))
    with pytest.raises(DomainError) as info:
        own(world)  # one profile per province is edited here
    assert info.value.code == "profile_exists"
    # A change: other industries at standardization level 3 twice a year instead of four times.
    data = edited(p.data, frequency={"3": 2}, cap={"3": 3})
    p = services.profile_update(actor=world.user("leader_city"), profile=p, data=data, name=p.name, source=SOURCE, reason="本省规定三级企业每年2次")
    assert p.version == 2 and p.data["rules"][2]["frequency"]["3"] == 2
    assert list(p.versions.values_list("version", flat=True)) == [2, 1] and p.versions.get(version=1).data == pl.SAMPLE_PROFILE
    event = AuditEvent.objects.filter(action="planning.profile", object_id=str(p.pk)).order_by("-id").first()
    assert event is not None and event.before["version"] == 1 and event.after["version"] == 2 and event.after["reason"] == "本省规定三级企业每年2次"
    assert event.before["data"]["rules"][2]["frequency"]["3"] == 4 and event.after["data"]["rules"][2]["frequency"]["3"] == 2
    # A new plan records version 2 and applies it; the earlier plan keeps the sample's version.
    services.plan_generate(actor=world.user("officer_a"), year=2025)
    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    assert plan.profile == p and plan.profile_version is not None and plan.profile_version.version == 2
    assert plan.items.get(enterprise=units["std3"]).count == 2 and plan.items.get(enterprise=units["std3"]).cap == 3
    c = Client()
    c.force_login(world.user("officer_a"))
    page = c.get(f"/planning/{plan.pk}/").content.decode()
    assert f"/planning/profiles/{p.pk}/?version=2" in page and "（第2版）" in page


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"frequency": {"3": 5}}, "频次应为不超过上限的非负整数"),  # frequency above the yearly cap
        ({"cap": {"3": 0}}, "上限为1至366"),
        ({"cap": {"3": 400}, "frequency": {"3": 1}}, "上限为1至366"),
        ({"groups": ["moon"]}, "不是计划的行业"),
        ({"features": ["metal_smelting", "flying"], "rule": 1}, "不在企业分类表中"),
        ({"ungraded": "9"}, "未定级单位"),
        ({"name": ""}, "应有编码和名称"),
    ],
)
def test_bad_edits_are_refused_with_nothing_saved(world: Any, change: dict[str, Any], words: str) -> None:
    p = own(world)
    with pytest.raises(ValidationFailed) as info:
        services.profile_update(actor=world.user("leader_city"), profile=p, data=edited(p.data, **change), name=p.name, source=SOURCE, reason="调整")
    assert words in info.value.message and "data" in info.value.fields
    p.refresh_from_db()
    assert p.version == 1 and p.versions.count() == 1 and p.data == pl.SAMPLE_PROFILE


def test_other_bad_edits(world: Any) -> None:
    p = own(world)
    leader = world.user("leader_city")
    no_catch_all = copy.deepcopy(p.data)
    no_catch_all["rules"] = no_catch_all["rules"][:2]
    cases = [
        ({"data": no_catch_all}, "兜底规则"),
        ({"data": {**p.data, "key_rules": ["moon"]}}, "未知的重点单位规则"),
        ({"data": "x"}, "配置应为对象"),
        ({"reason": " "}, "请填写修改理由"),
        ({"source": ""}, "请填写依据文件"),
        ({}, "配置没有变化"),
    ]
    for kw, words in cases:
        args: dict[str, Any] = {"data": p.data, "name": p.name, "source": SOURCE, "reason": "调整", **kw}
        with pytest.raises(ValidationFailed) as info:
            services.profile_update(actor=leader, profile=p, **args)
        assert words in str(info.value.message) + str(info.value.fields), (kw, info.value.message)
    sample = services.sample_profile_sync()
    with pytest.raises(DomainError) as d:
        services.profile_update(actor=leader, profile=sample, data=edited(sample.data, frequency={"3": 2}), name="x", source=SOURCE, reason="改示例")
    assert d.value.code == "profile_sample"
    assert sample.versions.count() <= 1 and GradingProfile.objects.get(pk=sample.pk).data == pl.SAMPLE_PROFILE


def test_only_the_city_bureaus_leaders_and_administrator_change_it(world: Any) -> None:
    add_personas(world)
    for name in ("leader_a", "admin_a", "admin_zone", "officer_city", "legal_city", "officer_a"):
        with pytest.raises(PermissionRefused):
            services.profile_create(actor=world.user(name), name="x", source=SOURCE)
    p = services.profile_create(actor=world.user("admin_city"), name="山东省分级检查频次", source=SOURCE)
    # A district's leader: the province's profile is not theirs to change (scope), whatever their role.
    with pytest.raises(PermissionRefused) as info:
        services.profile_update(actor=world.user("leader_a"), profile=p, data=edited(p.data, frequency={"3": 2}), name=p.name, source=SOURCE, reason="区局自行调整")
    assert info.value.code == "scope_refused" and "370000" in info.value.message
    with pytest.raises(PermissionRefused) as info:
        services.profile_update(actor=world.user("legal_city"), profile=p, data=edited(p.data, frequency={"3": 2}), name=p.name, source=SOURCE, reason="x")
    assert info.value.code == "role_refused"
    assert services.profile_update(actor=world.user("leader_city"), profile=p, data=edited(p.data, frequency={"3": 2}), name=p.name, source=SOURCE, reason="x").version == 2


def test_another_provinces_profile_is_not_found(world: Any) -> None:
    other = services.profile_load(actor=None, code="fj-2026", name="福建省分级检查频次", province="350000", data=pl.SAMPLE_PROFILE, source="闽应急〔2026〕1号")
    assert other.versions.get().version == 1
    with pytest.raises(NotFound):
        selectors.profile_get(user=world.user("officer_a"), pk=other.pk)
    api = APIClient()
    api.force_authenticate(world.user("leader_city"))
    assert api.get(f"/api/v1/planning/profiles/{other.pk}/").status_code == 404
    assert api.put(f"/api/v1/planning/profiles/{other.pk}/", {}, format="json").status_code == 404
    assert other.pk not in [r["id"] for r in api.get("/api/v1/planning/profiles/").json()]
    c = Client()
    c.force_login(world.user("leader_city"))
    assert c.get(f"/planning/profiles/{other.pk}/").status_code == 404
    assert c.post(f"/planning/profiles/{other.pk}/", {}).status_code == 404
    # Loading again by the command is a new version too.
    assert services.profile_load(actor=None, code="fj-2026", name="福建省", province="350000", data=pl.SAMPLE_PROFILE, source="x").version == 2


def test_pages(world: Any) -> None:
    services.sample_profile_sync()
    officer, leader = Client(), Client()
    officer.force_login(world.user("officer_a"))
    leader.force_login(world.user("leader_city"))
    page = officer.get("/planning/profiles/").content.decode()
    assert "示例配置" in page and 'data-testid="profile-create-form"' not in page and 'data-testid="in-use"' in page
    assert officer.post("/planning/profiles/", {"name": "x", "source": "y"}).status_code == 403
    assert 'data-testid="profile-create-form"' in leader.get("/planning/profiles/").content.decode()
    assert leader.post("/planning/profiles/", {"name": "", "source": ""}).status_code == 422
    r = leader.post("/planning/profiles/", {"name": "山东省分级检查频次", "source": SOURCE})
    assert r.status_code == 302
    p = GradingProfile.objects.get(province="370000")
    assert 'data-testid="profile-create-form"' not in leader.get("/planning/profiles/").content.decode()  # one per province
    detail = leader.get(f"/planning/profiles/{p.pk}/").content.decode()
    assert 'data-testid="profile-form"' in detail and "保存为第2版" in detail
    read_only = officer.get(f"/planning/profiles/{p.pk}/").content.decode()
    assert 'data-testid="profile-form"' not in read_only and 'data-testid="profile-rules"' in read_only
    assert officer.post(f"/planning/profiles/{p.pk}/", form_data(p)).status_code == 403
    # other industries, level 3 (rule 3, grade "3" is the third key): frequency above the cap
    bad = leader.post(f"/planning/profiles/{p.pk}/", form_data(p, f_2_2="9"))
    assert bad.status_code == 422 and "频次应为不超过上限的非负整数" in bad.content.decode()
    assert leader.post(f"/planning/profiles/{p.pk}/", form_data(p, reason="")).status_code == 422
    assert leader.post(f"/planning/profiles/{p.pk}/", form_data(p, f_2_2="-1")).status_code == 422
    r = leader.post(f"/planning/profiles/{p.pk}/", form_data(p, f_2_2="2", c_2_2="3", key_rules=["major_hazard_source"]))
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.version == 2 and p.data["rules"][2]["frequency"]["3"] == 2 and p.data["key_rules"] == ["major_hazard_source"]
    old = officer.get(f"/planning/profiles/{p.pk}/?version=1").content.decode()
    assert 'data-testid="old-version"' in old and "构成重大危险源" in old and "存在未销号的重大事故隐患" in old
    sample = GradingProfile.objects.get(is_sample=True)
    assert 'data-testid="profile-form"' not in leader.get(f"/planning/profiles/{sample.pk}/").content.decode()
    assert leader.post(f"/planning/profiles/{sample.pk}/", form_data(sample)).status_code == 403


def test_api(world: Any) -> None:
    services.sample_profile_sync()
    api, officer = APIClient(), APIClient()
    api.force_authenticate(world.user("leader_city"))
    officer.force_authenticate(world.user("officer_a"))
    assert officer.post("/api/v1/planning/profiles/", {"name": "x", "source": "y"}, format="json").status_code == 403
    assert api.post("/api/v1/planning/profiles/", {"name": "", "source": ""}, format="json").status_code == 400
    bad = api.post("/api/v1/planning/profiles/", {"name": "山东", "source": SOURCE, "data": edited(pl.SAMPLE_PROFILE, frequency={"3": 9})}, format="json")
    assert bad.status_code == 422 and "频次应为不超过上限" in bad.json()["fields"]["data"][0]
    r = api.post("/api/v1/planning/profiles/", {"name": "山东", "source": SOURCE}, format="json")
    assert r.status_code == 201 and r.json()["version"] == 1 and r.json()["may_edit"] is True and not r.json()["is_sample"]
    pk = r.json()["id"]
    body = {"name": "山东", "source": SOURCE, "reason": "调整", "data": edited(pl.SAMPLE_PROFILE, frequency={"3": 2})}
    assert officer.put(f"/api/v1/planning/profiles/{pk}/", body, format="json").status_code == 403
    assert api.put(f"/api/v1/planning/profiles/{pk}/", {**body, "reason": ""}, format="json").status_code == 400
    r = api.put(f"/api/v1/planning/profiles/{pk}/", body, format="json")
    assert r.status_code == 200 and r.json()["version"] == 2 and [v["version"] for v in r.json()["versions"]] == [2, 1]
    assert officer.get(f"/api/v1/planning/profiles/{pk}/").json()["may_edit"] is False
    listed = officer.get("/api/v1/planning/profiles/").json()
    assert [x["is_sample"] for x in listed] == [False, True]
    sample = next(x for x in listed if x["is_sample"])
    assert api.put(f"/api/v1/planning/profiles/{sample['id']}/", body, format="json").status_code == 409
    assert api.get("/api/v1/planning/profiles/abc/").status_code == 404 and api.get(f"/api/v1/planning/profiles/{'9' * 30}/").status_code == 404


ROUTES = {
    # (method, url maker, body maker, is_api)
    "page: create": ("post", lambda p, s: "/planning/profiles/", lambda p, s: {"name": "山东省", "source": SOURCE}, False),
    "page: edit the province's": ("post", lambda p, s: f"/planning/profiles/{p.pk}/", lambda p, s: form_data(p, f_2_2="2"), False),
    "page: edit the sample": ("post", lambda p, s: f"/planning/profiles/{s.pk}/", lambda p, s: form_data(s, f_2_2="2"), False),
    "api: create": ("post", lambda p, s: "/api/v1/planning/profiles/", lambda p, s: {"name": "山东省", "source": SOURCE}, True),
    "api: edit the province's": (
        "put", lambda p, s: f"/api/v1/planning/profiles/{p.pk}/", lambda p, s: {"name": p.name, "source": SOURCE, "reason": "x", "data": edited(p.data, frequency={"3": 2})}, True,
    ),
    "api: edit the sample": (
        "put", lambda p, s: f"/api/v1/planning/profiles/{s.pk}/", lambda p, s: {"name": "x", "source": SOURCE, "reason": "x", "data": edited(s.data, frequency={"3": 2})}, True,
    ),
}  # fmt: skip
PERSONAS = ("leader_city", "admin_city", "officer_city", "legal_city", "leader_a", "admin_a", "officer_a", "office_a", "depthead_a", "admin_zone", "outsider")
ALLOWED = {"page: create": {"leader_city", "admin_city"}, "page: edit the province's": {"leader_city", "admin_city"}, "api: create": {"leader_city", "admin_city"}, "api: edit the province's": {"leader_city", "admin_city"}}


class _Rollback(Exception):
    pass


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_permission_matrix(world: Any, route: str) -> None:
    """Every new write route × every persona: only the city bureau's leaders and administrator change
    anything (a version or a profile is written and audited); everyone else is refused with a 4xx."""
    from django.db import transaction

    add_personas(world)
    sample = services.sample_profile_sync()
    method, url, body, is_api = ROUTES[route]
    failures = []
    for persona in PERSONAS:
        try:
            with transaction.atomic():
                if route.endswith("create"):
                    p = GradingProfile(pk=0, data=pl.SAMPLE_PROFILE, name="x", source="x")
                else:
                    p = services.profile_load(actor=None, code="sd", name="山东省", province="370000", data=pl.SAMPLE_PROFILE, source=SOURCE)
                before = (GradingProfileVersion.objects.count(), AuditEvent.objects.filter(action="planning.profile").count())
                client: Any = APIClient() if is_api else Client()
                if is_api:
                    client.force_authenticate(world.user(persona))
                else:
                    client.force_login(world.user(persona))
                r = getattr(client, method)(url(p, sample), body(p, sample), **({"format": "json"} if is_api else {}))
                after = (GradingProfileVersion.objects.count(), AuditEvent.objects.filter(action="planning.profile").count())
                raise _Rollback(r.status_code, after[0] > before[0] and after[1] > before[1])
        except _Rollback as done:
            status, took = done.args
        expected = persona in ALLOWED.get(route, set())
        if status >= 500 or took != expected or (not took and status < 400):
            failures.append(f"{persona}: HTTP {status}, {'changed' if took else 'unchanged'}; expected {'allowed' if expected else 'refused'}")
    assert not failures, "\n".join(failures)


def test_the_profiles_page_links_to_the_plans_only_for_who_may_read_them(world: Any, client: Any) -> None:
    """The administrator edits the profile but reads no plan (三员分立): no link that answers 403."""
    add_personas(world)
    services.sample_profile_sync()
    client.force_login(world.user("admin_city"))
    page = client.get("/planning/profiles/")
    assert page.status_code == 200 and 'data-testid="plans-link"' not in page.content.decode()
    assert client.get("/planning/").status_code == 403
    client.force_login(world.user("leader_city"))
    assert 'data-testid="plans-link"' in client.get("/planning/profiles/").content.decode()
