"""The ledger screens through the Django test client, with the conftest personas."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anjian.core.models import AuditEvent
from anjian.enterprises import services
from anjian.enterprises.models import Enterprise, EnterpriseStatusEvent, PlannedSubject
from anjian.enterprises.selectors import enterprise_audit
from tests.conftest import make_uscc

pytestmark = pytest.mark.django_db

LIST = reverse("enterprises:list")


def _login(client: Any, world: Any, name: str) -> Any:
    client.force_login(world.user(name))
    return client


def _make(world: Any, n: int, *, start: int = 100, name: str = "测试机械厂", **extra: Any) -> list[Enterprise]:
    out = []
    for i in range(n):
        out.append(
            services.enterprise_create(
                actor=world.user("officer_a"),
                jurisdiction=world.district_a,
                name=f"{name}{i:03d}",
                uscc=make_uscc(start + i),
                sectors=["industry.machinery"],
                features=["dust_explosion"],
                **extra,
            )
        )
    return out


def _valid_post(**over: Any) -> dict[str, Any]:
    data = {
        "jurisdiction": "",
        "name": "芝罘新建涂料有限公司",
        "uscc": make_uscc(77),
        "legal_representative": "王五",
        "principal": "王五",
        "scale": "small",
        "employees": "30",
        "standardization_level": "none",
        "sectors": ["hazchem.production"],
        "features": ["confined_space"],
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


# --- list --------------------------------------------------------------------------------------
def test_it_renders_the_list_with_the_users_enterprises_only(client: Any, world: Any, ent_a: Any, ent_b: Any) -> None:
    r = _login(client, world, "officer_a").get(LIST)
    assert r.status_code == 200
    body = r.content.decode()
    assert ent_a.name in body
    assert ent_b.name not in body  # another district's unit is absent
    assert "共 <strong>1</strong> 家企业" in body
    assert 'lang="zh-hans"' in body
    assert "新建企业" in body  # officer_a may write
    assert reverse("enterprises:export") in body and reverse("enterprises:import") in body
    assert "officer_a" in body and "芝罘区应急管理局" in body  # nav: staff name + agency


def test_it_finds_a_two_character_term(client: Any, world: Any, ent_a: Any) -> None:
    _make(world, 2)
    r = _login(client, world, "officer_a").get(LIST, {"q": "化工"})
    body = r.content.decode()
    assert ent_a.name in body
    assert "测试机械厂000" not in body
    assert "共 <strong>1</strong> 家企业" in body


def test_it_searches_by_credit_code(client: Any, world: Any, ent_a: Any) -> None:
    _make(world, 1)
    r = _login(client, world, "officer_a").get(LIST, {"q": ent_a.uscc})
    assert "共 <strong>1</strong> 家企业" in r.content.decode()


def test_it_filters(client: Any, world: Any, ent_a: Any) -> None:
    _make(world, 2)
    c = _login(client, world, "officer_a")
    body = c.get(LIST, {"sector": "hazchem"}).content.decode()
    assert ent_a.name in body and "测试机械厂000" not in body
    body = c.get(LIST, {"sector": "industry.machinery"}).content.decode()
    assert ent_a.name not in body and "测试机械厂000" in body
    body = c.get(LIST, {"feature": "dust_explosion"}).content.decode()
    assert ent_a.name not in body and "测试机械厂001" in body
    services.enterprise_set_status(actor=world.user("officer_a"), enterprise=ent_a, status="suspended", effective_date=timezone.localdate(), reason="检修")
    body = c.get(LIST, {"status": "suspended"}).content.decode()
    assert ent_a.name in body and "测试机械厂000" not in body
    body = c.get(LIST, {"jurisdiction": world.district_a.pk}).content.decode()
    assert "共 <strong>3</strong> 家企业" in body


def test_a_filter_outside_the_scope_is_ignored_not_leaked(client: Any, world: Any, ent_a: Any, ent_b: Any) -> None:
    r = _login(client, world, "officer_a").get(LIST, {"jurisdiction": world.district_b.pk})
    body = r.content.decode()
    assert ent_b.name not in body
    assert ent_a.name in body  # the foreign jurisdiction is not a choice: the filter is dropped


def test_the_city_sees_every_district(client: Any, world: Any, ent_a: Any, ent_b: Any) -> None:
    body = _login(client, world, "officer_city").get(LIST).content.decode()
    assert ent_a.name in body and ent_b.name in body
    assert "新建企业" in body  # the city officer writes its own jurisdiction's ledger


def test_it_sorts(client: Any, world: Any) -> None:
    _make(world, 3)
    body = _login(client, world, "officer_a").get(LIST, {"sort": "-name"}).content.decode()
    assert body.index("测试机械厂002") < body.index("测试机械厂000")


def test_it_paginates(client: Any, world: Any) -> None:
    _make(world, 53)
    c = _login(client, world, "officer_a")
    body = c.get(LIST).content.decode()
    assert "共 <strong>53</strong> 家企业" in body
    assert "测试机械厂049" in body and "测试机械厂050" not in body
    body = c.get(LIST, {"page": 2}).content.decode()
    assert "测试机械厂050" in body and "测试机械厂049" not in body
    assert "第 2/2 页" in body


def test_htmx_gets_only_the_table(client: Any, world: Any, ent_a: Any) -> None:
    c = _login(client, world, "officer_a")
    r = c.get(LIST, {"q": "化工"}, headers={"HX-Request": "true", "HX-Target": "ledger-results"})
    body = r.content.decode()
    assert ent_a.name in body
    assert "<html" not in body and 'id="filter-form"' not in body
    assert "HX-Request" in r["Vary"]
    full = c.get(LIST, {"q": "化工"}).content.decode()
    assert "<html" in full and 'id="filter-form"' in full


def _list_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(LIST)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_query_count_does_not_depend_on_the_page_size(client: Any, world: Any) -> None:
    c = _login(client, world, "officer_a")
    _make(world, 5)
    c.get(LIST)  # warm caches that are not per-request (content types …)
    small = _list_queries(c)
    _make(world, 55, start=500, name="批量工厂")
    big = _list_queries(c)
    assert Enterprise.objects.count() == 60
    assert small == big


def test_the_outsider_sees_an_empty_list_and_no_detail(client: Any, world: Any, ent_a: Any) -> None:
    c = _login(client, world, "outsider")
    r = c.get(LIST)
    assert r.status_code == 200
    body = r.content.decode()
    assert ent_a.name not in body
    assert "新建企业" not in body
    assert "尚未分配" in body
    assert c.get(reverse("enterprises:detail", args=[ent_a.pk])).status_code == 404


def test_login_is_required(client: Any, world: Any) -> None:
    r = client.get(LIST)
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


def test_the_login_page_renders_and_logs_in(client: Any, world: Any) -> None:
    from tests.conftest import PASSWORD

    r = client.get(reverse("login"))
    assert r.status_code == 200 and "登录" in r.content.decode()
    r = client.post(reverse("login"), {"username": "officer_a", "password": "wrong-password"})
    assert "用户名或密码错误" in r.content.decode()
    r = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    assert r.status_code == 302


# --- detail ------------------------------------------------------------------------------------
def test_detail_shows_the_unit(client: Any, world: Any, ent_a: Any) -> None:
    r = _login(client, world, "officer_a").get(reverse("enterprises:detail", args=[ent_a.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    for text in (ent_a.name, ent_a.uscc, "基本信息", "经营场所", "关键人员", "许可证", "重大危险源", "执法主体", "状态变更历史", "修改历史", "审计记录", "新建企业", "危险化学品·生产"):
        assert text in body, text
    assert reverse("enterprises:edit", args=[ent_a.pk]) in body
    assert reverse("enterprises:transfer", args=[ent_a.pk]) not in body  # an officer does not transfer


def test_detail_is_404_for_another_districts_officer(client: Any, world: Any, ent_a: Any) -> None:
    assert _login(client, world, "officer_b").get(reverse("enterprises:detail", args=[ent_a.pk])).status_code == 404


def test_the_city_reads_a_district_unit_but_may_not_edit_it(client: Any, world: Any, ent_a: Any) -> None:
    c = _login(client, world, "officer_city")
    r = c.get(reverse("enterprises:detail", args=[ent_a.pk]))
    assert r.status_code == 200
    assert reverse("enterprises:edit", args=[ent_a.pk]) not in r.content.decode()
    audits = AuditEvent.objects.count()
    r = c.post(reverse("enterprises:edit", args=[ent_a.pk]), _valid_post(name="市局改的名字", uscc=ent_a.uscc))
    assert r.status_code == 403
    assert "本机关只能查看" in r.content.decode()
    ent_a.refresh_from_db()
    assert ent_a.name == "烟台示例化工有限公司"
    assert AuditEvent.objects.count() == audits
    assert c.get(reverse("enterprises:edit", args=[ent_a.pk])).status_code == 403


# --- create / edit -----------------------------------------------------------------------------
def test_create_with_a_bad_credit_code_shows_the_field_error_and_writes_nothing(client: Any, world: Any) -> None:
    c = _login(client, world, "officer_a")
    bad = make_uscc(77)[:-1] + ("0" if make_uscc(77)[-1] != "0" else "1")
    r = c.post(reverse("enterprises:create"), _valid_post(jurisdiction=world.district_a.pk, uscc=bad))
    assert r.status_code == 200
    body = r.content.decode()
    assert 'id="fld-uscc"' in body
    uscc_block = body[body.index('id="fld-uscc"') :][:2000]
    assert "invalid-feedback" in uscc_block and "统一社会信用代码校验位错误" in uscc_block
    assert "is-invalid" in uscc_block
    assert Enterprise.objects.count() == 0
    assert not AuditEvent.objects.exclude(action__startswith="auth.").exists()  # the login is audited (auth.login)


def test_create_success_audits_and_redirects(client: Any, world: Any) -> None:
    c = _login(client, world, "officer_a")
    r = c.post(reverse("enterprises:create"), _valid_post(jurisdiction=world.district_a.pk))
    ent = Enterprise.objects.get(name="芝罘新建涂料有限公司")
    assert r.status_code == 302 and r["Location"] == reverse("enterprises:detail", args=[ent.pk])
    assert ent.owner_agency == world.agency_a
    assert sorted(ent.sectors.values_list("code", flat=True)) == ["hazchem.production"]
    assert AuditEvent.objects.filter(action="enterprise.create", object_id=str(ent.pk)).count() == 1
    body = c.get(r["Location"]).content.decode()
    assert "已登记企业" in body  # the success message


def test_create_form_offers_only_scoped_jurisdictions(client: Any, world: Any) -> None:
    body = _login(client, world, "officer_a").get(reverse("enterprises:create")).content.decode()
    assert "芝罘区" in body and ">福山区<" not in body


def test_create_is_refused_to_a_role_without_ledger_rights(client: Any, world: Any) -> None:
    c = _login(client, world, "legal_a")
    assert c.get(reverse("enterprises:create")).status_code == 403
    assert "新建企业" not in c.get(LIST).content.decode()


def test_edit_shows_the_audit_entry_and_history_on_the_detail_page(client: Any, world: Any, ent_a: Any) -> None:
    c = _login(client, world, "officer_a")
    url = reverse("enterprises:edit", args=[ent_a.pk])
    form = c.get(url).content.decode()
    assert ent_a.name in form and 'value="hazchem.production"' in form
    r = c.post(url, _valid_post(name="烟台示例化工股份有限公司", uscc=ent_a.uscc, employees="150", scale="medium", version=ent_a.version))
    assert r.status_code == 302
    ent_a.refresh_from_db()
    assert ent_a.name == "烟台示例化工股份有限公司" and ent_a.employees == 150
    body = c.get(reverse("enterprises:detail", args=[ent_a.pk])).content.decode()
    audit = body[body.index('data-testid="audit-table"') :]
    assert "修改企业信息" in audit
    assert "烟台示例化工股份有限公司" in audit and "烟台示例化工有限公司" in audit
    history = body[body.index('id="tab-history"') : body.index('id="tab-audit"')]
    assert "单位名称" in history and "从业人数" in history


# --- status, transfer, planned subject ---------------------------------------------------------
def test_status_change_without_a_reason_is_a_field_error(client: Any, world: Any, ent_a: Any) -> None:
    c = _login(client, world, "officer_a")
    url = reverse("enterprises:status", args=[ent_a.pk])
    r = c.post(url, {"status": "suspended", "effective_date": timezone.localdate().isoformat(), "reason": ""})
    assert r.status_code == 200
    body = r.content.decode()
    block = body[body.index('id="fld-reason"') :][:1500]
    assert "必须填写原因" in block
    assert EnterpriseStatusEvent.objects.count() == 0
    r = c.post(url, {"status": "suspended", "effective_date": timezone.localdate().isoformat(), "reason": "企业申请停产检修"})
    assert r.status_code == 302
    ent_a.refresh_from_db()
    assert ent_a.declared_status == "suspended"
    body = c.get(reverse("enterprises:detail", args=[ent_a.pk])).content.decode()
    assert "企业申请停产检修" in body


def test_transfer_moves_the_unit(client: Any, world: Any, ent_a: Any) -> None:
    c = _login(client, world, "depthead_a")
    url = reverse("enterprises:transfer", args=[ent_a.pk])
    assert world.district_a.name not in c.get(url).content.decode().split('name="to_jurisdiction"')[1].split("</select>")[0]
    r = c.post(url, {"to_jurisdiction": world.district_b.pk, "effective_date": timezone.localdate().isoformat(), "reason": "注册地址迁入福山区"})
    assert r.status_code == 302 and r["Location"] == LIST
    ent_a.refresh_from_db()
    assert ent_a.jurisdiction == world.district_b and ent_a.owner_agency == world.agency_b
    assert c.get(reverse("enterprises:detail", args=[ent_a.pk])).status_code == 404  # out of scope now
    assert AuditEvent.objects.filter(action="enterprise.transfer").exists()


def test_transfer_without_reason_is_refused_on_the_field(client: Any, world: Any, ent_a: Any) -> None:
    c = _login(client, world, "depthead_a")
    r = c.post(reverse("enterprises:transfer", args=[ent_a.pk]), {"to_jurisdiction": world.district_b.pk, "effective_date": timezone.localdate().isoformat(), "reason": ""})
    assert r.status_code == 200 and "移交必须填写原因" in r.content.decode()
    ent_a.refresh_from_db()
    assert ent_a.jurisdiction == world.district_a


def test_an_officer_cannot_transfer(client: Any, world: Any, ent_a: Any) -> None:
    c = _login(client, world, "officer_a")
    assert c.get(reverse("enterprises:transfer", args=[ent_a.pk])).status_code == 403
    r = c.post(reverse("enterprises:transfer", args=[ent_a.pk]), {"to_jurisdiction": world.district_b.pk, "effective_date": timezone.localdate().isoformat(), "reason": "x"})
    assert r.status_code == 403
    ent_a.refresh_from_db()
    assert ent_a.jurisdiction == world.district_a


def test_planned_subject_overlap_names_the_holding_agency(client: Any, world: Any, ent_a: Any) -> None:
    year = timezone.localdate().year
    services.planned_subject_assign(actor=world.user("leader_city"), enterprise=ent_a, agency=world.agency_city, valid_from=dt.date(year, 1, 1), valid_to=dt.date(year, 12, 31))
    c = _login(client, world, "depthead_a")
    detail = c.get(reverse("enterprises:detail", args=[ent_a.pk])).content.decode()
    assert "烟台市应急管理局" in detail and "市管" in detail
    r = c.post(reverse("enterprises:subject", args=[ent_a.pk]), {"agency": world.agency_a.pk, "valid_from": dt.date(year, 6, 1).isoformat(), "valid_to": "", "note": ""})
    assert r.status_code == 200
    body = r.content.decode()
    block = body[body.index('id="fld-valid_from"') :][:1500]
    assert "烟台市应急管理局" in block and "一企一主体" in block
    assert PlannedSubject.objects.filter(enterprise=ent_a).count() == 1


def test_planned_subject_assign_succeeds(client: Any, world: Any, ent_a: Any) -> None:
    c = _login(client, world, "depthead_a")
    today = timezone.localdate()
    r = c.post(reverse("enterprises:subject", args=[ent_a.pk]), {"agency": world.agency_a.pk, "valid_from": today.isoformat(), "valid_to": "", "note": "年度计划"})
    assert r.status_code == 302
    ps = PlannedSubject.objects.get(enterprise=ent_a)
    assert ps.agency == world.agency_a
    ent_a.refresh_from_db()
    assert ent_a.supervision_level == "district"


def test_ending_a_planned_subject_from_the_detail_page(client: Any, world: Any, ent_a: Any) -> None:
    today = timezone.localdate()
    ps = services.planned_subject_assign(actor=world.user("depthead_a"), enterprise=ent_a, agency=world.agency_a, valid_from=today - dt.timedelta(days=40))
    c = _login(client, world, "depthead_a")
    end_url = reverse("enterprises:subject_end", args=[ent_a.pk, ps.pk])
    assert end_url in c.get(reverse("enterprises:detail", args=[ent_a.pk])).content.decode()
    page = c.get(end_url)
    assert page.status_code == 200 and "结束年度计划执法主体" in page.content.decode()

    r = c.post(end_url, {"valid_to": (today - dt.timedelta(days=60)).isoformat()})  # before its start
    assert r.status_code == 200 and "截止日期不能早于起始日期" in r.content.decode()
    ps.refresh_from_db()
    assert ps.valid_to is None

    r = c.post(end_url, {"valid_to": (today - dt.timedelta(days=1)).isoformat()})
    assert r.status_code == 302 and r["Location"].endswith("#tab-subjects")
    ps.refresh_from_db()
    ent_a.refresh_from_db()
    assert ps.valid_to == today - dt.timedelta(days=1)
    assert (ent_a.subject_agency_id, ent_a.supervision_level) == (None, "none")
    assert enterprise_audit(ent_a).filter(action="enterprise.subject_end").exists()
    # Ended: no more button; moving the end later is refused (it could meet the next subject).
    assert end_url not in c.get(reverse("enterprises:detail", args=[ent_a.pk])).content.decode()
    r = c.post(end_url, {"valid_to": (today + dt.timedelta(days=30)).isoformat()})
    assert r.status_code == 200 and "只能提前结束" in r.content.decode()


def test_ending_a_planned_subject_is_refused_to_others(client: Any, world: Any, ent_a: Any) -> None:
    ps = services.planned_subject_assign(actor=world.user("depthead_a"), enterprise=ent_a, agency=world.agency_a, valid_from=timezone.localdate())
    end_url = reverse("enterprises:subject_end", args=[ent_a.pk, ps.pk])
    assert _login(client, world, "officer_a").get(end_url).status_code == 403  # the role
    r = _login(client, world, "officer_a").post(end_url, {"valid_to": timezone.localdate().isoformat()})
    assert r.status_code == 403
    assert _login(client, world, "depthead_b").get(end_url).status_code == 404  # another district
    ps.refresh_from_db()
    assert ps.valid_to is None


# --- child records -----------------------------------------------------------------------------
def test_child_records_create_edit_delete(client: Any, world: Any, ent_a: Any) -> None:
    c = _login(client, world, "officer_a")
    r = c.post(reverse("enterprises:child_create", args=[ent_a.pk, "sites"]), {"name": "一号厂区", "address": "芝罘区化工路1号", "street": "", "latitude": "", "longitude": "", "is_primary": "on"})
    assert r.status_code == 302 and r["Location"].endswith("#tab-sites")
    site = ent_a.sites.get()
    assert site.is_primary
    r = c.post(reverse("enterprises:child_edit", args=[ent_a.pk, "sites", site.pk]), {"name": "一号厂区", "address": "芝罘区化工路2号"})
    assert r.status_code == 302
    site.refresh_from_db()
    assert site.address == "芝罘区化工路2号" and not site.is_primary
    r = c.post(
        reverse("enterprises:child_create", args=[ent_a.pk, "hazard-sources"]),
        {"site": site.pk, "name": "液氨储罐区", "level": "2", "substance": "液氨", "quantity_t": "35.5", "record_no": ""},
    )
    assert r.status_code == 302
    body = c.get(reverse("enterprises:detail", args=[ent_a.pk])).content.decode()
    assert "液氨储罐区" in body and "芝罘区化工路2号" in body
    # delete: GET asks, POST deletes
    url = reverse("enterprises:child_delete", args=[ent_a.pk, "sites", site.pk])
    assert "确认删除" in c.get(url).content.decode()
    assert ent_a.sites.count() == 1
    assert c.post(url).status_code == 302
    assert ent_a.sites.count() == 0
    assert AuditEvent.objects.filter(action="site.delete").count() == 1


def test_child_form_shows_service_errors_on_fields(client: Any, world: Any, ent_a: Any) -> None:
    c = _login(client, world, "officer_a")
    r = c.post(reverse("enterprises:child_create", args=[ent_a.pk, "key-people"]), {"role": "principal", "name": "张三", "id_number": "370602199001011234"})
    assert r.status_code == 200
    block = r.content.decode().split('id="fld-id_number"')[1][:1500]
    assert "invalid-feedback" in block
    assert ent_a.key_people.count() == 0


def test_child_of_another_unit_is_404(client: Any, world: Any, ent_a: Any, ent_b: Any) -> None:
    from anjian.enterprises.models import Site

    site = services.child_create(actor=world.user("officer_b"), enterprise=ent_b, model=Site, name="B厂", address="福山区")
    c = _login(client, world, "officer_a")
    assert c.get(reverse("enterprises:child_edit", args=[ent_a.pk, "sites", site.pk])).status_code == 404
    assert c.get(reverse("enterprises:child_create", args=[ent_a.pk, "nonsense"])).status_code == 404
    assert c.post(reverse("enterprises:child_delete", args=[ent_b.pk, "sites", site.pk])).status_code == 404


def test_delete_by_get_does_not_delete(client: Any, world: Any, ent_a: Any) -> None:
    from anjian.enterprises.models import Site

    site = services.child_create(actor=world.user("officer_a"), enterprise=ent_a, model=Site, name="A厂", address="芝罘区")
    c = _login(client, world, "officer_city")
    assert c.get(reverse("enterprises:child_delete", args=[ent_a.pk, "sites", site.pk])).status_code == 403
    r = c.post(reverse("enterprises:child_delete", args=[ent_a.pk, "sites", site.pk]))
    assert r.status_code == 403
    assert Site.objects.filter(pk=site.pk).exists()


# --- the page contract other screens rely on ----------------------------------------------------
def test_base_template_loads_local_assets_only(client: Any, world: Any) -> None:
    body = _login(client, world, "officer_a").get(LIST).content.decode()
    for asset in ("vendor/bootstrap/css/bootstrap.min.css", "vendor/bootstrap-icons/font/bootstrap-icons.min.css", "vendor/bootstrap/js/bootstrap.bundle.min.js", "django_htmx/htmx-2", "anjian/app.js"):
        assert asset in body, asset
    # Nothing loaded from another host (a bare "cdn" search also hit random CSRF tokens now and then).
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", body)
    logout = body[body.index('action="' + reverse("logout") + '"') - 40 :][:200]
    assert 'method="post"' in logout


def test_templates_have_no_inline_script_or_handlers() -> None:
    """CSP-friendly pages: no inline event handlers, hx-on, inline <script> bodies or style attributes."""
    import re
    from pathlib import Path

    import anjian

    root = Path(anjian.__file__).parent / "templates"
    bad = re.compile(r"""\son[a-z]+\s*=|hx-on|<script(?![^>]*\bsrc=)[^>]*>|\sstyle\s*=""", re.IGNORECASE)
    offenders = [f"{p.relative_to(root)}: {m.group(0)}" for p in root.rglob("*.html") if not p.name.startswith("import_") for m in bad.finditer(p.read_text())]
    assert offenders == []
