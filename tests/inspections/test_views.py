"""The inspection screens through the Django test client, with the conftest personas."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anjian.inspections import services
from anjian.inspections.models import Evidence, Finding, Inspection
from anjian.inspections.views import planned_items, repeat_map
from tests.inspections.conftest import officers

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"


def _login(client: Any, world: Any, name: str) -> Any:
    client.force_login(world.user(name))
    return client


def _new_post(world: Any, *, key: str | None = None, officer_names: tuple[str, ...] = ("officer_a", "officer_a2"), **results: str) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "idempotency_key": key or str(uuid.uuid4()),
        "type": "planned",
        "inspected_on": today.isoformat(),
        "started_time": "08:30",
        "place": "厂区生产车间",
        "officers": [str(world.user(n).staff.pk) for n in officer_names],
    }
    data.update(results)
    return data


def _complete(world: Any, insp: Inspection, **over: Any) -> Inspection:
    items = list(insp.items.all())
    services.inspection_record_results(actor=world.user("officer_a"), inspection=insp, results=[{"item": i.pk, "result": "compliant" if n else "noncompliant", "note": "" if n else "安全管理人员未经考核"} for n, i in enumerate(items)])
    kw = {"ended_at": insp.started_at + dt.timedelta(hours=1), "party_representative": "张三", "party_signature": "signed"}
    kw.update(over)
    return services.inspection_complete(actor=world.user("officer_a"), inspection=insp, **kw)


# --- the field form: a new inspection ----------------------------------------------------------
def test_it_renders_the_field_form_with_the_checklist_by_order(client: Any, world: Any, ent_a: Any, checklist: Any) -> None:
    r = _login(client, world, "officer_a").get(reverse("inspections:new", args=[ent_a.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    assert "危险化学品企业通用检查表（第1版）" in body  # the checklist picked by templates_for, shown to confirm
    for order, text in enumerate(["主要负责人和安全管理人员经考核合格", "特种作业人员持证上岗", "有限空间作业审批制度"], start=1):
        assert f'id="item-{order}" data-order="{order}"' in body
        assert text in body
        assert f'name="result_{order}"' in body
    assert 'capture="environment"' in body and 'accept="image/*"' in body
    assert 'accept="audio/*,video/*"' in body
    me = world.user("officer_a").staff.pk
    assert re.search(rf'<input type="checkbox" name="officers" value="{me}"[^>]*checked', body)  # the current user preselected
    cfg = json.loads(re.search(r'<script id="field-config" type="application/json">(.*?)</script>', body, re.S).group(1))
    assert cfg["mode"] == "new" and cfg["enterprise"] == ent_a.pk and cfg["templateIds"] == [checklist.pk]
    assert [i["order"] for i in cfg["items"]] == [1, 2, 3]
    assert cfg["urls"]["sync"] == "/api/v1/inspections/sync/" and cfg["urls"]["keepalive"] == reverse("inspections:keepalive")
    assert "onclick" not in body and "hx-on" not in body  # CSP: no inline handlers
    assert "anjian/field.js" in body


def test_the_planned_orders_match_what_inspection_create_assigns(world: Any, ent_a: Any, checklist: Any, calendar: None) -> None:
    from anjian.inspections.services import templates_for

    planned = [(i.order, i.text) for i in planned_items(templates_for(ent_a, agency_id=world.agency_a.pk))]
    insp = services.inspection_create(actor=world.user("officer_a"), enterprise=ent_a, type="planned", inspected_on=timezone.localdate(), started_at=timezone.now(), place="厂区", officer_ids=officers(world))
    assert planned == [(i.order, i.text) for i in insp.items.order_by("order")]


def test_posting_the_form_creates_the_inspection_once_with_its_results(client: Any, world: Any, ent_a: Any, checklist: Any) -> None:
    c = _login(client, world, "officer_a")
    data = _new_post(world, result_1="noncompliant", note_1="安全管理人员未经考核", result_2="compliant")
    r = c.post(reverse("inspections:new", args=[ent_a.pk]), data)
    insp = Inspection.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("inspections:field", args=[insp.pk])
    assert insp.idempotency_key == data["idempotency_key"]
    assert dict(insp.items.values_list("order", "result")) == {1: "noncompliant", 2: "compliant", 3: "unchecked"}
    assert Finding.objects.get().description == "安全管理人员未经考核"
    assert insp.officers.count() == 2
    assert timezone.localtime(insp.started_at).strftime("%H:%M") == "08:30"
    # the same draft posted again (a double tap, a retry) does not create a second inspection
    c.post(reverse("inspections:new", args=[ent_a.pk]), data)
    assert Inspection.objects.count() == 1


def test_fewer_than_two_officers_is_refused_naming_the_rule(client: Any, world: Any, ent_a: Any, checklist: Any) -> None:
    r = _login(client, world, "officer_a").post(reverse("inspections:new", args=[ent_a.pk]), _new_post(world, officer_names=("officer_a",), result_1="compliant"))
    assert r.status_code == 200
    body = r.content.decode()
    assert "执法人员不得少于两人" in body
    assert "《行政处罚法》第四十二条" in body
    assert not Inspection.objects.exists()
    assert re.search(r'name="result_1" id="r1-ok" value="compliant"[^>]*checked', body)  # what was filled is kept


def test_an_officer_without_a_valid_certificate_is_named(client: Any, world: Any, ent_a: Any, checklist: Any) -> None:
    from anjian.org.models import CertificateEvent

    cert = world.user("officer_a2").staff.certificates.get()
    CertificateEvent.objects.create(certificate=cert, kind="suspended", date=dt.date(2024, 1, 1))
    body = _login(client, world, "officer_a").post(reverse("inspections:new", args=[ent_a.pk]), _new_post(world)).content.decode()
    assert "officer_a2" in body and "暂扣" in body
    assert not Inspection.objects.exists()


def test_another_district_cannot_open_the_form(client: Any, world: Any, ent_a: Any, checklist: Any) -> None:
    assert _login(client, world, "officer_b").get(reverse("inspections:new", args=[ent_a.pk])).status_code == 404


def test_a_role_that_does_not_inspect_is_refused(client: Any, world: Any, ent_a: Any, checklist: Any) -> None:
    r = _login(client, world, "office_a").get(reverse("inspections:new", args=[ent_a.pk]))
    assert r.status_code == 403
    assert "不能开展监督检查" in r.content.decode()


# --- the field form: an existing inspection ----------------------------------------------------------
def test_the_field_form_of_an_inspection_saves_results_by_order(client: Any, world: Any, inspection: Any) -> None:
    c = _login(client, world, "officer_a2")  # the second officer on the inspection may fill it too
    url = reverse("inspections:field", args=[inspection.pk])
    r = c.get(url)
    assert r.status_code == 200
    body = r.content.decode()
    assert "officer_a（" in body and "完成检查" in body
    cfg = json.loads(re.search(r'<script id="field-config" type="application/json">(.*?)</script>', body, re.S).group(1))
    assert cfg["mode"] == "existing" and cfg["inspection"] == inspection.pk
    assert {i["order"]: i["id"] for i in cfg["items"]} == dict(inspection.items.values_list("order", "id"))
    r = c.post(url, {"result_1": "na", "result_3": "noncompliant", "note_3": "未建立审批制度"})
    assert r.status_code == 302
    assert dict(inspection.items.values_list("order", "result")) == {1: "na", 2: "unchecked", 3: "noncompliant"}


def test_the_city_reads_but_cannot_write(client: Any, world: Any, inspection: Any) -> None:
    c = _login(client, world, "officer_city")
    assert c.get(reverse("inspections:detail", args=[inspection.pk])).status_code == 200
    assert c.get(reverse("inspections:field", args=[inspection.pk])).status_code == 302  # read-only: to the detail page
    r = c.post(reverse("inspections:field", args=[inspection.pk]), {"result_1": "compliant"})
    assert r.status_code == 403
    assert "只能查看" in r.content.decode()
    r = c.post(reverse("inspections:complete", args=[inspection.pk]), {"c-party_representative": "张三", "c-party_signature": "signed", "c-ended_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert r.status_code == 403
    inspection.refresh_from_db()
    assert inspection.status == "draft"
    assert not inspection.items.exclude(result="unchecked").exists()


def test_another_district_gets_404_everywhere(client: Any, world: Any, inspection: Any) -> None:
    c = _login(client, world, "officer_b")
    for name in ("detail", "field", "print"):
        assert c.get(reverse(f"inspections:{name}", args=[inspection.pk])).status_code == 404
    assert c.post(reverse("inspections:complete", args=[inspection.pk]), {}).status_code == 404
    assert c.post(reverse("inspections:scan", args=[inspection.pk]), {}).status_code == 404


# --- completion --------------------------------------------------------------------------------------
def _complete_post(**over: Any) -> dict[str, Any]:
    data = {
        "c-party_representative": "张三",
        "c-party_title": "安全总监",
        "c-party_signature": "signed",
        "c-ended_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "c-summary": "检查了安全管理与现场作业",
    }
    data.update(over)
    return data


def test_completing_needs_every_item_answered(client: Any, world: Any, inspection: Any) -> None:
    r = _login(client, world, "officer_a").post(reverse("inspections:complete", args=[inspection.pk]), _complete_post())
    assert r.status_code == 200
    body = r.content.decode()
    assert "还有3项未检查" in body
    assert "《安全生产法》第六十八条" in body
    inspection.refresh_from_db()
    assert inspection.status == "draft"


def test_a_refusal_to_sign_must_be_recorded(client: Any, world: Any, inspection: Any) -> None:
    services.inspection_record_results(actor=world.user("officer_a"), inspection=inspection, results=[{"item": i.pk, "result": "compliant"} for i in inspection.items.all()])
    r = _login(client, world, "officer_a").post(reverse("inspections:complete", args=[inspection.pk]), _complete_post(**{"c-party_signature": "refused"}))
    assert "拒绝签字的，检查人员应当将情况记录在案" in r.content.decode()
    inspection.refresh_from_db()
    assert inspection.status == "draft"


def test_completing_then_printing_and_uploading_the_signed_scan(client: Any, world: Any, inspection: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    services.inspection_record_results(actor=world.user("officer_a"), inspection=inspection, results=[{"item": i.pk, "result": "compliant"} for i in inspection.items.all()])
    c = _login(client, world, "officer_a")
    ended = (timezone.localtime(inspection.started_at) + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    r = c.post(reverse("inspections:complete", args=[inspection.pk]), _complete_post(**{"c-party_signature": "paper", "c-ended_at": ended}))
    assert r.status_code == 302 and r["Location"] == reverse("inspections:detail", args=[inspection.pk])
    inspection.refresh_from_db()
    assert inspection.status == "completed" and inspection.party_signature == "paper"
    body = c.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert "签发现场检查记录" in body and "待上传" in body
    r = c.get(reverse("inspections:print", args=[inspection.pk]))
    body = r.content.decode()
    assert r.status_code == 200 and "现场检查记录" in body and "<nav" not in body
    cert = world.user("officer_a").staff.certificates.get().number
    assert f"执法证号：{cert}" in body and "data-action=\"print\"" in body
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = c.post(reverse("inspections:scan", args=[inspection.pk]), {"file": SimpleUploadedFile("签字记录.png", PNG, content_type="image/png")})
    assert r.status_code == 302
    ev = Evidence.objects.get(kind="scan")
    assert ev.original_name == "签字记录.png"
    inspection.refresh_from_db()
    assert inspection.party_signature == "signed"


def test_a_scan_that_is_not_a_scan_is_refused_with_the_reason(client: Any, world: Any, inspection: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    _complete(world, inspection)
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = _login(client, world, "officer_a").post(reverse("inspections:scan", args=[inspection.pk]), {"file": SimpleUploadedFile("x.pdf", b"not a pdf at all", content_type="application/pdf")})
    assert r.status_code == 200
    assert "无法识别文件内容" in r.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_and_an_extra_finding_from_the_detail_page(client: Any, world: Any, inspection: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = _login(client, world, "officer_a")
    item = inspection.items.get(order=2)
    r = c.post(reverse("inspections:evidence", args=[inspection.pk]), {"kind": "photo", "item": item.pk, "file": SimpleUploadedFile("现场.png", PNG, content_type="image/png")})
    assert r.status_code == 302
    assert Evidence.objects.get().item == item
    r = c.post(reverse("inspections:finding_add", args=[inspection.pk]), {"description": "消防通道堆放杂物", "legal_basis": "《消防法》第二十八条"})
    assert r.status_code == 302
    body = c.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert "消防通道堆放杂物" in body and "现场.png" in body
    r = c.post(reverse("inspections:finding_add", args=[inspection.pk]), {"description": ""})
    assert "请填写问题描述" in r.content.decode()


# --- repeat history --------------------------------------------------------------------------------
def _earlier_finding(world: Any, ent: Any, days_ago: int) -> Finding:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    old = services.inspection_create(actor=world.user("officer_a"), enterprise=ent, type="planned", inspected_on=day, started_at=timezone.now() - dt.timedelta(days=days_ago), place="厂区", officer_ids=officers(world))
    first = old.items.get(order=1)
    services.inspection_record_results(actor=world.user("officer_a"), inspection=old, results=[{"item": first.pk, "result": "noncompliant", "note": "主要负责人未经考核"}])
    return old.findings.get()


def test_the_field_form_shows_earlier_findings_on_the_same_item(client: Any, world: Any, ent_a: Any, checklist: Any, calendar: None) -> None:
    recent = _earlier_finding(world, ent_a, 400)
    _earlier_finding(world, ent_a, 365 * 3 + 30)  # older than three years: not shown
    body = _login(client, world, "officer_a").get(reverse("inspections:new", args=[ent_a.pk])).content.decode()
    card = body[body.index('id="item-1"') : body.index('id="item-2"')]
    assert "该企业3年内曾在此项被发现问题" in card
    assert recent.found_on.strftime("%Y-%m-%d") in card
    assert body.count('data-testid="repeat-history"') == 1


def test_repeat_map_agrees_with_the_service(world: Any, ent_a: Any, checklist: Any, calendar: None) -> None:
    _earlier_finding(world, ent_a, 200)
    _earlier_finding(world, ent_a, 700)
    insp = services.inspection_create(actor=world.user("officer_a"), enterprise=ent_a, type="planned", inspected_on=timezone.localdate(), started_at=timezone.now(), place="厂区", officer_ids=officers(world))
    items = list(insp.items.all())
    batched = repeat_map(ent_a.pk, items, insp.inspected_on)
    for it in items:
        expected = services.repeat_history(enterprise=ent_a, item=it, day=insp.inspected_on)
        assert [f.pk for f in batched.get(it.order, [])] == [f.pk for f in sorted(expected, key=lambda f: (f.found_on, f.pk), reverse=True)]


def test_the_detail_page_shows_repeat_history_for_a_finding(client: Any, world: Any, inspection: Any) -> None:
    earlier = _earlier_finding(world, inspection.enterprise, 400)
    _complete(world, inspection)
    body = _login(client, world, "officer_a").get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert "该企业3年内曾在此项被发现问题" in body and earlier.found_on.strftime("%Y-%m-%d") in body


# --- the on-site record document ---------------------------------------------------------------------
def test_issuing_the_record_and_downloading_it(client: Any, world: Any, inspection: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    _complete(world, inspection)
    c = _login(client, world, "officer_a")
    r = c.post(reverse("hazards:inspection_record", args=[inspection.pk]))
    assert r.status_code == 302
    body = c.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    number = f"芝应急检记〔{inspection.inspected_on.year}〕1号"
    assert number in body
    link = re.search(r'href="(/documents/\d+/download/)"', body).group(1)
    r = c.get(link)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_record_of_a_draft_is_refused_next_to_the_button(client: Any, world: Any, inspection: Any) -> None:
    r = _login(client, world, "officer_a").post(reverse("hazards:inspection_record", args=[inspection.pk]))
    assert r.status_code == 409
    assert "检查尚未完成，不能签发现场检查记录" in r.content.decode()


def test_the_city_cannot_issue_the_record(client: Any, world: Any, inspection: Any) -> None:
    _complete(world, inspection)
    r = _login(client, world, "officer_city").post(reverse("hazards:inspection_record", args=[inspection.pk]))
    assert r.status_code == 403


# --- keepalive and the service worker -----------------------------------------------------------------
def test_keepalive_touches_the_session(client: Any, world: Any) -> None:
    c = _login(client, world, "officer_a")
    r = c.get(reverse("inspections:keepalive"))
    assert r.status_code == 204
    assert "sessionid" in r.cookies  # the session was saved again: its expiry moves on
    c.logout()
    assert c.get(reverse("inspections:keepalive")).status_code == 403


def test_the_service_worker_is_served_under_inspections(client: Any, world: Any) -> None:
    r = client.get(reverse("inspections:sw"))
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/javascript")
    body = r.content.decode()
    assert reverse("inspections:sw") == "/inspections/sw.js"
    assert "/static/anjian/field.js" in body and "/static/vendor/bootstrap/css/bootstrap.min.css" in body


# --- lists -------------------------------------------------------------------------------------------
def _many(world: Any, ent: Any, n: int) -> None:
    for i in range(n):
        insp = services.inspection_create(actor=world.user("officer_a"), enterprise=ent, type="planned" if i % 2 else "special", inspected_on=timezone.localdate() - dt.timedelta(days=i), started_at=timezone.now() - dt.timedelta(days=i), place="厂区", officer_ids=officers(world))
        first = insp.items.get(order=1)
        services.inspection_record_results(actor=world.user("officer_a"), inspection=insp, results=[{"item": first.pk, "result": "noncompliant", "note": f"问题{i}"}])


def _queries(client: Any, url: str, params: dict[str, Any] | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, params or {})
    assert r.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["inspections:list", "inspections:findings"])
def test_list_query_count_does_not_grow_with_the_page(client: Any, world: Any, ent_a: Any, checklist: Any, calendar: None, name: str) -> None:
    c = _login(client, world, "officer_a")
    _many(world, ent_a, 3)
    c.get(reverse(name))
    small = _queries(c, reverse(name))
    _many(world, ent_a, 30)
    big = _queries(c, reverse(name))
    assert Inspection.objects.count() == 33
    assert small == big


def test_the_inspection_list_filters(client: Any, world: Any, ent_a: Any, ent_b: Any, checklist: Any, calendar: None) -> None:
    _many(world, ent_a, 4)
    services.inspection_create(actor=world.user("officer_b"), enterprise=ent_b, type="planned", inspected_on=timezone.localdate(), started_at=timezone.now(), place="车间", officer_ids=[world.user("officer_b").staff.pk, world.user("depthead_b").staff.pk])
    c = _login(client, world, "officer_a")
    body = c.get(reverse("inspections:list")).content.decode()
    assert "共 <strong>4</strong> 次检查" in body and ent_b.name not in body
    assert "共 <strong>2</strong> 次检查" in c.get(reverse("inspections:list"), {"type": "special"}).content.decode()
    today = timezone.localdate()
    body = c.get(reverse("inspections:list"), {"date_from": (today - dt.timedelta(days=1)).isoformat(), "date_to": today.isoformat()}).content.decode()
    assert "共 <strong>2</strong> 次检查" in body
    assert "共 <strong>0</strong> 次检查" in c.get(reverse("inspections:list"), {"status": "completed"}).content.decode()
    assert "共 <strong>4</strong> 次检查" in c.get(reverse("inspections:list"), {"enterprise": ent_a.pk}).content.decode()
    assert "共 <strong>4</strong> 次检查" in c.get(reverse("inspections:list"), {"q": "示例化工"}).content.decode()
    city = _login(client, world, "officer_city").get(reverse("inspections:list")).content.decode()
    assert "共 <strong>5</strong> 次检查" in city


def test_the_findings_list_filters(client: Any, world: Any, ent_a: Any, checklist: Any, calendar: None) -> None:
    _many(world, ent_a, 3)
    c = _login(client, world, "officer_a")
    assert "共 <strong>3</strong> 个问题" in c.get(reverse("inspections:findings")).content.decode()
    assert "共 <strong>1</strong> 个问题" in c.get(reverse("inspections:findings"), {"q": "问题2"}).content.decode()
    assert "共 <strong>3</strong> 个问题" in c.get(reverse("inspections:findings"), {"hazard": "0"}).content.decode()
    assert "共 <strong>0</strong> 个问题" in c.get(reverse("inspections:findings"), {"hazard": "1"}).content.decode()
    assert "共 <strong>0</strong> 个问题" in _login(client, world, "officer_b").get(reverse("inspections:findings")).content.decode()
