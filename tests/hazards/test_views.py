"""The hazard-loop screens through the Django test client, with the conftest personas."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anjian.documents.models import IssuedDocument
from anjian.hazards import services
from anjian.hazards.models import Hazard, InstitutionalMeasure, Measure, Reinspection, Transfer
from anjian.inspections import services as insp_services
from anjian.inspections.models import Inspection
from tests.inspections.conftest import officers

pytestmark = pytest.mark.django_db


def _login(client: Any, world: Any, name: str) -> Any:
    client.force_login(world.user(name))
    return client


def _finding(world: Any, inspection: Any, note: str = "安全管理人员未经考核") -> Any:
    items = list(inspection.items.all())
    insp_services.inspection_record_results(actor=world.user("officer_a"), inspection=inspection, results=[
        {"item": items[0].pk, "result": "noncompliant", "note": note},
        {"item": items[1].pk, "result": "compliant"},
        {"item": items[2].pk, "result": "na"},
    ])  # fmt: skip
    insp_services.inspection_complete(actor=world.user("officer_a"), inspection=inspection, ended_at=inspection.started_at + dt.timedelta(hours=2), party_representative="张三", party_signature="signed")
    return inspection.findings.get()


def _general(world: Any, inspection: Any, finding: Any | None = None, **over: Any) -> Hazard:
    kw: dict[str, Any] = dict(
        actor=world.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection, findings=[finding] if finding else [],
        description="安全管理人员未经考核", location="安全管理部门", severity="general", found_on=inspection.inspected_on, period_days=10,
    )  # fmt: skip
    kw.update(over)
    return services.hazard_create(**kw)


def _major(world: Any, inspection: Any, **over: Any) -> Hazard:
    kw: dict[str, Any] = dict(
        actor=world.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection,
        description="液氨储罐区未设置紧急切断装置", location="液氨罐区", severity="major", major_reason="现场确认", found_on=inspection.inspected_on,
    )  # fmt: skip
    kw.update(over)
    return services.hazard_create(**kw)


def _served(world: Any, h: Hazard) -> Hazard:
    order = services.rectification_order_issue(actor=world.user("officer_a"), hazards=[h], issued_on=h.found_on)
    services.rectification_order_served(actor=world.user("officer_a"), document=order, method="direct", event_date=h.found_on, recipient="张三")
    h.refresh_from_db()
    return h


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- list ---------------------------------------------------------------------------------------
def test_the_list_shows_the_users_hazards_with_their_badges(client: Any, world: Any, inspection: Any) -> None:
    h = _major(world, inspection)
    Hazard.objects.filter(pk=h.pk).update(status="rectifying", deadline=timezone.localdate() - dt.timedelta(days=3), deadline_provisional=True, overdue_since=timezone.localdate(), supervised=True)
    body = _login(client, world, "officer_a").get(reverse("hazards:list")).content.decode()
    assert "共 <strong>1</strong> 项隐患" in body
    assert h.description in body and "重大事故隐患" in body
    assert "逾期未整改" in body and "挂牌督办" in body and "临时计算" in body
    assert "共 <strong>0</strong> 项隐患" in _login(client, world, "officer_b").get(reverse("hazards:list")).content.decode()


def test_the_list_filters(client: Any, world: Any, inspection: Any) -> None:
    major = _major(world, inspection)
    _general(world, inspection, description="配电箱未接地", set_aside_reason="", set_aside_by=None)
    Hazard.objects.filter(pk=major.pk).update(status="rectifying", overdue_since=timezone.localdate(), supervised=True)
    c = _login(client, world, "officer_a")
    url = reverse("hazards:list")
    assert "共 <strong>1</strong> 项隐患" in c.get(url, {"severity": "major"}).content.decode()
    assert "共 <strong>1</strong> 项隐患" in c.get(url, {"status": "open"}).content.decode()
    assert "共 <strong>1</strong> 项隐患" in c.get(url, {"overdue": "1"}).content.decode()
    assert "共 <strong>1</strong> 项隐患" in c.get(url, {"supervised": "1"}).content.decode()
    assert "共 <strong>1</strong> 项隐患" in c.get(url, {"q": "配电箱"}).content.decode()
    assert "共 <strong>2</strong> 项隐患" in c.get(url, {"enterprise": inspection.enterprise_id}).content.decode()


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_query_count_does_not_grow_with_the_page(client: Any, world: Any, inspection: Any) -> None:
    c = _login(client, world, "officer_a")
    for i in range(3):
        _major(world, inspection, description=f"隐患{i}")
    c.get(reverse("hazards:list"))
    small = _count(c, reverse("hazards:list"))
    for i in range(30):
        _major(world, inspection, description=f"更多隐患{i}")
    assert _count(c, reverse("hazards:list")) == small


# --- register --------------------------------------------------------------------------------------
def test_registering_from_a_finding_prefills_and_creates(client: Any, world: Any, inspection: Any) -> None:
    finding = _finding(world, inspection)
    c = _login(client, world, "officer_a")
    url = reverse("hazards:create") + f"?finding={finding.pk}"
    body = c.get(url).content.decode()
    assert "安全管理人员未经考核" in body and 'name="finding"' in body
    r = c.post(reverse("hazards:create"), {"finding": finding.pk, "source": "inspection", "description": "安全管理人员未经考核", "location": "安全管理部门", "severity": "general", "found_on": inspection.inspected_on.isoformat()})
    h = Hazard.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("hazards:detail", args=[h.pk])
    assert list(h.findings.all()) == [finding] and h.inspection == inspection and h.period_days == 15


def test_the_major_criterion_proposal_and_the_set_aside_approval(client: Any, world: Any, inspection: Any) -> None:
    finding = _finding(world, inspection)
    c = _login(client, world, "officer_a")
    with mock.patch.object(services, "_criterion_is_sourced", return_value=True):
        body = c.get(reverse("hazards:create") + f"?finding={finding.pk}").content.decode()
        assert 'data-testid="major-proposal"' in body
        assert "符合重大事故隐患判定标准（条目 HC-01）" in body
        assert "leader_a（局领导）" in body and "expert_a（专家）" in body  # who may approve setting it aside
        post = {"finding": finding.pk, "source": "inspection", "description": "x", "location": "y", "severity": "general", "found_on": inspection.inspected_on.isoformat(), "criterion_id": "HC-01"}
        r = c.post(reverse("hazards:create"), post)
        assert r.status_code == 200
        assert "认定为一般隐患须经局领导或专家审核并说明理由" in r.content.decode()
        assert not Hazard.objects.exists()
        r = c.post(reverse("hazards:create"), {**post, "set_aside_reason": "经专家论证不属于重大隐患", "set_aside_by": world.user("expert_a").staff.pk})
        assert r.status_code == 302
    # A set-aside is a request: until the named expert approves it the hazard stays major.
    h = Hazard.objects.get()
    assert h.severity == "major" and h.set_aside_by is None and h.period_days == 60
    sa = h.set_asides.get()
    assert sa.status == "pending" and sa.approver == world.user("expert_a").staff
    body = c.get(reverse("hazards:detail", args=[h.pk])).content.decode()
    assert "审核同意前，该隐患按重大事故隐患处理" in body and 'data-testid="set-aside-form"' not in body  # the requester gets no form
    e = _login(client, world, "expert_a")
    assert "x" in e.get(reverse("hazards:approvals")).content.decode()
    body = e.get(reverse("hazards:detail", args=[h.pk])).content.decode()
    assert 'data-testid="set-aside-form"' in body
    r = e.post(reverse("hazards:set_aside_decide", args=[sa.pk]), {f"sa{sa.pk}-approve": "1", f"sa{sa.pk}-note": "同意，不属于重大隐患"})
    assert r.status_code == 302
    h.refresh_from_db()
    assert h.severity == "general" and h.set_aside_by == world.user("expert_a").staff and h.period_days == 15


def test_a_major_hazard_without_criterion_needs_a_reason(client: Any, world: Any, inspection: Any) -> None:
    r = _login(client, world, "officer_a").post(reverse("hazards:create"), {"inspection": inspection.pk, "source": "inspection", "description": "储罐区可燃气体报警器失效", "location": "罐区", "severity": "major", "found_on": inspection.inspected_on.isoformat()})
    assert r.status_code == 200
    assert "须说明理由" in r.content.decode()
    assert not Hazard.objects.exists()


def test_another_district_cannot_register_on_a_finding(client: Any, world: Any, inspection: Any) -> None:
    finding = _finding(world, inspection)
    assert _login(client, world, "officer_b").get(reverse("hazards:create") + f"?finding={finding.pk}").status_code == 404


# --- detail and the loop -----------------------------------------------------------------------------
def test_the_detail_shows_state_timeline_and_forms_by_role(client: Any, world: Any, inspection: Any) -> None:
    h = _major(world, inspection)
    c = _login(client, world, "officer_a")
    body = c.get(reverse("hazards:detail", args=[h.pk])).content.decode()
    assert "待下达整改" in body and "登记" in body  # the first HazardEvent
    assert "下达责令限期整改指令书" in body
    assert 'data-testid="measure-suggestion"' in body and "第六十五条第一款第三项" in body
    assert "挂牌督办" not in re.sub(r"<option.*?</option>", "", body.split('id="measures"')[1].split("移交执法队伍")[0])  # officer: no supervise form
    body = _login(client, world, "depthead_a").get(reverse("hazards:detail", args=[h.pk])).content.decode()
    assert 'action="' + reverse("hazards:supervise", args=[h.pk]) + '"' in body


def test_another_district_gets_404_and_the_city_reads_only(client: Any, world: Any, inspection: Any) -> None:
    h = _major(world, inspection)
    assert _login(client, world, "officer_b").get(reverse("hazards:detail", args=[h.pk])).status_code == 404
    c = _login(client, world, "officer_city")
    r = c.get(reverse("hazards:detail", args=[h.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    assert "只读" in body and "下达责令限期整改指令书" not in body
    r = c.post(reverse("hazards:measure_decide", args=[h.pk]), {"m-measure_type": "suspend", "m-scope": "unit", "m-reason": "无法保证安全", "m-decided_on": timezone.localdate().isoformat()})
    assert r.status_code == 403
    assert "只能查看" in r.content.decode()
    r = c.post(reverse("hazards:supervise", args=[h.pk]), {"sv-by": "烟台市安委会", "sv-on": timezone.localdate().isoformat()})
    assert r.status_code == 403
    assert not Measure.objects.exists()


def test_a_direct_close_is_refused_with_the_article(client: Any, world: Any, inspection: Any) -> None:
    h = _major(world, inspection)
    r = _login(client, world, "officer_a").post(reverse("hazards:close", args=[h.pk]))
    assert r.status_code == 409
    body = r.content.decode()
    assert "隐患须经整改复查合格后才能销号" in body and "依据：《安全生产法》第六十五条" in body
    h.refresh_from_db()
    assert h.status == "open"


def test_supervision_by_a_department_head(client: Any, world: Any, inspection: Any) -> None:
    h = _major(world, inspection)
    r = _login(client, world, "officer_a").post(reverse("hazards:supervise", args=[h.pk]), {"sv-by": "烟台市安委会", "sv-on": timezone.localdate().isoformat()})
    assert r.status_code == 403
    r = _login(client, world, "depthead_a").post(reverse("hazards:supervise", args=[h.pk]), {"sv-by": "烟台市安委会", "sv-on": timezone.localdate().isoformat()})
    assert r.status_code == 302
    h.refresh_from_db()
    assert h.supervised and h.supervised_by == "烟台市安委会"


def test_issuing_the_order_serving_it_and_the_deadline(client: Any, world: Any, inspection: Any, media: Any) -> None:
    finding = _finding(world, inspection)
    h = _general(world, inspection, finding, set_aside_reason="", set_aside_by=None)
    other = _general(world, inspection, description="配电箱未接地", set_aside_reason="", set_aside_by=None)
    c = _login(client, world, "officer_a")
    body = c.get(reverse("hazards:order") + f"?hazard={h.pk}").content.decode()
    assert "配电箱未接地" in body  # the unit's other open hazards may go on the same order
    r = c.post(reverse("hazards:order"), {"enterprise": inspection.enterprise_id, "hazards": [h.pk, other.pk], "issued_on": inspection.inspected_on.isoformat()})
    assert r.status_code == 302
    doc = IssuedDocument.objects.get(kind="rectification_order")
    h.refresh_from_db()
    assert h.order_document == doc and h.status == "open"
    body = c.get(reverse("hazards:detail", args=[h.pk])).content.decode()
    assert doc.number in body and "尚未登记送达" in body and 'data-testid="serve-form"' in body
    assert "下一步：登记整改文书的送达" in body
    # a refusal (留置送达) needs its witness: the rule is named
    p = f"s{doc.pk}-"
    r = c.post(reverse("hazards:serve", args=[h.pk]), {"document": doc.pk, p + "method": "refusal", p + "event_date": inspection.inspected_on.isoformat(), p + "recipient": "张三", p + "refused": "on"})
    assert r.status_code == 200 and "见证人" in r.content.decode()
    r = c.post(reverse("hazards:serve", args=[h.pk]), {"document": doc.pk, p + "method": "direct", p + "event_date": inspection.inspected_on.isoformat(), p + "recipient": "张三"})
    assert r.status_code == 302
    h.refresh_from_db()
    other.refresh_from_db()
    assert h.status == other.status == "rectifying" and h.deadline is not None
    body = c.get(reverse("hazards:detail", args=[h.pk])).content.decode()
    assert h.deadline.strftime("%Y-%m-%d") in body and "直接送达" in body and "整改中" in body
    assert 'data-testid="provisional"' not in body
    Hazard.objects.filter(pk=h.pk).update(deadline_provisional=True)
    body = c.get(reverse("hazards:detail", args=[h.pk])).content.decode()
    assert 'data-testid="provisional"' in body and "临时计算" in body


def test_documents_have_download_links(client: Any, world: Any, inspection: Any, media: Any) -> None:
    h = _served(world, _major(world, inspection))
    body = _login(client, world, "officer_a").get(reverse("hazards:detail", args=[h.pk])).content.decode()
    assert reverse("documents:download", args=[h.order_document_id]) in body


def test_report_reinspect_pass_and_close(client: Any, world: Any, inspection: Any, media: Any) -> None:
    h = _served(world, _general(world, inspection, set_aside_reason="", set_aside_by=None))
    c = _login(client, world, "officer_a")
    today = timezone.localdate()
    r = c.post(reverse("hazards:report", args=[h.pk]), {"rp-reported_on": today.isoformat(), "rp-description": "已组织考核，取得合格证"})
    assert r.status_code == 302
    h.refresh_from_db()
    assert h.status == "reported"
    body = c.get(reverse("hazards:reinspect") + f"?hazard={h.pk}").content.decode()
    assert h.description in body
    # one officer only: refused, naming the rule
    r = c.post(reverse("hazards:reinspect"), {"enterprise": h.enterprise_id, "hazards": [h.pk], "inspected_on": today.isoformat(), "started_time": "09:00", "place": "厂区", "officers": [world.user("officer_a").staff.pk]})
    assert r.status_code == 200 and "执法人员不得少于两人" in r.content.decode()
    r = c.post(reverse("hazards:reinspect"), {"enterprise": h.enterprise_id, "hazards": [h.pk], "inspected_on": today.isoformat(), "started_time": "09:00", "place": "厂区", "officers": officers(world)})
    re_insp = Inspection.objects.get(type="reinspection")
    assert r.status_code == 302 and r["Location"] == reverse("inspections:field", args=[re_insp.pk])
    body = c.get(r["Location"]).content.decode()
    assert "复查：安全管理人员未经考核" in body
    c.post(reverse("inspections:field", args=[re_insp.pk]), {"result_1": "compliant", "note_1": "已取得合格证"})
    r = Reinspection.objects.get()
    body = c.get(reverse("hazards:detail", args=[h.pk])).content.decode()
    assert "登记复查结论" in body
    resp = c.post(reverse("hazards:reinspection_decide", args=[r.pk]), {f"r{r.pk}-result": "pass", f"r{r.pk}-opinion": "已整改合格", f"r{r.pk}-decided_on": today.isoformat()})
    assert resp.status_code == 302
    h.refresh_from_db()
    assert h.status == "closed" and h.closed_on == today
    resp = c.post(reverse("hazards:opinion", args=[h.pk]), {"reinspection": r.pk, "op-issued_on": today.isoformat()})
    assert resp.status_code == 302
    assert IssuedDocument.objects.filter(kind="reinspection_opinion").exists()
    body = c.get(reverse("hazards:detail", args=[h.pk])).content.decode()
    assert "已销号" in body and "整改复查意见书" in body


def test_a_failed_reinspection_needs_a_new_period(client: Any, world: Any, inspection: Any, media: Any) -> None:
    h = _served(world, _general(world, inspection, set_aside_reason="", set_aside_by=None))
    re_insp = services.reinspection_start(actor=world.user("officer_a"), hazards=[h], inspected_on=timezone.localdate(), started_at=timezone.now(), place="厂区", officer_ids=officers(world))
    r = Reinspection.objects.get(inspection=re_insp)
    c = _login(client, world, "officer_a")
    data = {f"r{r.pk}-result": "fail", f"r{r.pk}-opinion": "未整改", f"r{r.pk}-decided_on": timezone.localdate().isoformat()}
    resp = c.post(reverse("hazards:reinspection_decide", args=[r.pk]), data)
    assert resp.status_code == 200 and "须重新确定整改期限" in resp.content.decode()
    resp = c.post(reverse("hazards:reinspection_decide", args=[r.pk]), {**data, f"r{r.pk}-new_period_days": "7"})
    assert resp.status_code == 302
    h.refresh_from_db()
    assert h.status == "rectifying" and h.period_days == 7 and h.deadline is None


def test_extension_request_and_decision(client: Any, world: Any, inspection: Any, media: Any) -> None:
    h = _served(world, _major(world, inspection))
    c = _login(client, world, "officer_a")
    until = h.deadline + dt.timedelta(days=30)
    r = c.post(reverse("hazards:extension", args=[h.pk]), {"x-requested_on": timezone.localdate().isoformat(), "x-requested_until": h.deadline.isoformat(), "x-reason": "设备采购周期长"})
    assert r.status_code == 200 and "须晚于现整改期限" in r.content.decode()
    r = c.post(reverse("hazards:extension", args=[h.pk]), {"x-requested_on": timezone.localdate().isoformat(), "x-requested_until": until.isoformat(), "x-reason": "设备采购周期长"})
    assert r.status_code == 302
    ext = h.extensions.get()
    data = {f"e{ext.pk}-approve": "1", f"e{ext.pk}-decided_on": timezone.localdate().isoformat(), f"e{ext.pk}-note": "同意延期"}
    assert c.post(reverse("hazards:extension_decide", args=[h.pk, ext.pk]), data).status_code == 403  # an officer does not approve
    assert _login(client, world, "depthead_a").post(reverse("hazards:extension_decide", args=[h.pk, ext.pk]), data).status_code == 302
    h.refresh_from_db()
    assert h.deadline == until


def test_measure_restart_apply_and_review(client: Any, world: Any, inspection: Any, media: Any) -> None:
    from anjian.org import services as org_services

    leader = world.user("leader_a")
    org_services.agency_head_designate(actor=world.user("admin_a"), agency=world.agency_a, staff=leader.staff, kind="principal_head", valid_from=dt.date(2024, 1, 1))
    h = _major(world, inspection)
    c = _login(client, world, "officer_a")
    today = timezone.localdate()
    r = c.post(reverse("hazards:measure_decide", args=[h.pk]), {"m-measure_type": "stop_facility", "m-scope": "equipment", "m-reason": "罐区无法保证安全", "m-decided_on": today.isoformat()})
    assert r.status_code == 200 and "须写明具体区域或设备" in r.content.decode()
    r = c.post(reverse("hazards:measure_decide", args=[h.pk]), {"m-measure_type": "stop_facility", "m-scope": "equipment", "m-scope_detail": "1号液氨储罐", "m-reason": "罐区无法保证安全", "m-decided_on": today.isoformat()})
    assert r.status_code == 302
    m = Measure.objects.get()
    assert m.decision_document is not None
    # the measure decision is served through the documents core (no period of the hazard starts)
    p = f"s{m.decision_document_id}-"
    r = c.post(reverse("hazards:serve", args=[h.pk]), {"document": m.decision_document_id, p + "method": "direct", p + "event_date": today.isoformat(), p + "recipient": "张三"})
    assert r.status_code == 302
    assert m.decision_document.service_records.get().recipient == "张三"
    h.refresh_from_db()
    assert h.status == "open" and h.served_on is None
    body = c.get(reverse("hazards:measure", args=[m.pk])).content.decode()
    assert "1号液氨储罐" in body and m.decision_document.number in body
    r = c.post(reverse("hazards:restart_apply", args=[m.pk]), {"ra-applied_on": today.isoformat(), "ra-application": "已加装紧急切断阀，申请恢复使用"})
    assert r.status_code == 302
    rr = m.restart_reviews.get()
    data = {f"rr{rr.pk}-approved": "1", f"rr{rr.pk}-opinion": "同意", f"rr{rr.pk}-reviewed_on": today.isoformat()}
    r = _login(client, world, "leader_a").post(reverse("hazards:restart_review", args=[m.pk, rr.pk]), data)
    assert r.status_code == 409
    assert "重大事故隐患尚未经复查销号" in r.content.decode()
    m.refresh_from_db()
    assert m.status == "active"


def test_another_district_cannot_see_a_measure(client: Any, world: Any, inspection: Any, media: Any) -> None:
    h = _major(world, inspection)
    m = services.measure_decide(actor=world.user("officer_a"), hazard=h, measure_type="suspend", scope="unit", reason="无法保证安全", decided_on=timezone.localdate())
    assert _login(client, world, "officer_b").get(reverse("hazards:measure", args=[m.pk])).status_code == 404


# --- transfers -------------------------------------------------------------------------------------
@pytest.fixture
def departments(world: Any) -> tuple[Any, Any]:
    from anjian.org.models import Department, Membership

    sup = Department.objects.create(agency=world.agency_a, name="危化监管科", kind="supervision", sector_group="hazchem")
    team = Department.objects.get(agency=world.agency_a, kind="enforcement")
    Membership.objects.filter(staff__user=world.user("supervisor_a")).update(department=sup)
    Membership.objects.filter(staff__user=world.user("depthead_a")).update(department=team)
    return sup, team


def test_sending_accepting_and_the_time_to_acceptance(client: Any, world: Any, inspection: Any, departments: Any) -> None:
    sup, team = departments
    finding = _finding(world, inspection)
    c = _login(client, world, "supervisor_a")
    body = c.get(reverse("hazards:transfer_send") + f"?finding={finding.pk}").content.decode()
    assert "安全管理人员未经考核" in body
    r = c.post(reverse("hazards:transfer_send"), {"enterprise": inspection.enterprise_id, "from_department": sup.pk, "to_department": team.pk, "findings": [finding.pk], "facts": ""})
    assert r.status_code == 200 and "请写明违法事实" in r.content.decode()
    r = c.post(reverse("hazards:transfer_send"), {"enterprise": inspection.enterprise_id, "from_department": sup.pk, "to_department": team.pk, "findings": [finding.pk], "facts": "安全管理人员未经考核", "suggested_basis": "《安全生产法》第九十七条"})
    t = Transfer.objects.get()
    assert r.status_code == 302 and list(t.findings.all()) == [finding]
    body = c.get(reverse("hazards:transfer_detail", args=[t.pk])).content.decode()
    assert "待接收" in body and "已等待" in body and "接收</button>" not in body  # the sender does not accept
    # the receiving team's inbox
    d = _login(client, world, "depthead_a")
    body = d.get(reverse("hazards:transfers"), {"box": "inbox"}).content.decode()
    assert "共 <strong>1</strong> 件移交" in body and "待我队接收 1" in body
    assert "接收</button>" in d.get(reverse("hazards:transfer_detail", args=[t.pk])).content.decode()
    assert _login(client, world, "officer_a2").post(reverse("hazards:transfer_accept", args=[t.pk])).status_code == 403  # not in the team
    r = _login(client, world, "depthead_a").post(reverse("hazards:transfer_accept", args=[t.pk]))
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.status == "accepted"
    body = _login(client, world, "supervisor_a").get(reverse("hazards:transfer_detail", args=[t.pk])).content.decode()
    assert "已接收" in body and "用时" in body


def test_returning_needs_a_reason(client: Any, world: Any, inspection: Any, departments: Any) -> None:
    sup, team = departments
    finding = _finding(world, inspection)
    t = services.transfer_send(actor=world.user("supervisor_a"), enterprise=inspection.enterprise, from_department=sup, to_department=team, facts="事实", findings=[finding])
    c = _login(client, world, "depthead_a")
    r = c.post(reverse("hazards:transfer_return", args=[t.pk]), {"reason": ""})
    assert r.status_code == 200 and "退回须说明理由" in r.content.decode()
    r = c.post(reverse("hazards:transfer_return", args=[t.pk]), {"reason": "证据不足，请补充现场照片"})
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.status == "returned"
    assert "证据不足" in c.get(reverse("hazards:transfer_detail", args=[t.pk])).content.decode()


def test_transfers_are_scoped_and_the_city_reads_only(client: Any, world: Any, inspection: Any, departments: Any) -> None:
    sup, team = departments
    finding = _finding(world, inspection)
    t = services.transfer_send(actor=world.user("supervisor_a"), enterprise=inspection.enterprise, from_department=sup, to_department=team, facts="事实", findings=[finding])
    assert _login(client, world, "officer_b").get(reverse("hazards:transfer_detail", args=[t.pk])).status_code == 404
    c = _login(client, world, "leader_city")
    assert c.get(reverse("hazards:transfer_detail", args=[t.pk])).status_code == 200
    assert c.post(reverse("hazards:transfer_accept", args=[t.pk])).status_code == 403
    t.refresh_from_db()
    assert t.status == "pending"


def test_the_accept_button_is_shown_only_to_who_may_accept(client: Any, world: Any, inspection: Any, departments: Any) -> None:
    """A supervisor placed in the receiving team saw 接收 and then got a 403 from the service."""
    from anjian.org.models import Membership

    sup, team = departments
    finding = _finding(world, inspection)
    t = services.transfer_send(actor=world.user("supervisor_a"), enterprise=inspection.enterprise, from_department=sup, to_department=team, facts="事实", findings=[finding])
    accept = reverse("hazards:transfer_accept", args=[t.pk])
    Membership.objects.filter(staff__user=world.user("supervisor_a")).update(department=team)
    c = _login(client, world, "supervisor_a")
    assert accept not in c.get(reverse("hazards:transfer_detail", args=[t.pk])).content.decode()
    assert c.post(accept).status_code == 403
    c = _login(client, world, "depthead_a")
    assert accept in c.get(reverse("hazards:transfer_detail", args=[t.pk])).content.decode()


def test_the_transfer_list_query_count_does_not_grow(client: Any, world: Any, inspection: Any, departments: Any) -> None:
    sup, team = departments
    finding = _finding(world, inspection)
    c = _login(client, world, "depthead_a")
    for i in range(3):
        services.transfer_send(actor=world.user("supervisor_a"), enterprise=inspection.enterprise, from_department=sup, to_department=team, facts=f"事实{i}", findings=[finding])
    c.get(reverse("hazards:transfers"))
    small = _count(c, reverse("hazards:transfers"))
    for i in range(25):
        services.transfer_send(actor=world.user("supervisor_a"), enterprise=inspection.enterprise, from_department=sup, to_department=team, facts=f"更多{i}", findings=[finding])
    assert _count(c, reverse("hazards:transfers")) == small


# --- per enterprise -----------------------------------------------------------------------------------
def test_the_timeline_lists_the_units_history_by_date(client: Any, world: Any, inspection: Any, media: Any) -> None:
    finding = _finding(world, inspection)
    h = _major(world, inspection, findings=[finding])
    services.measure_decide(actor=world.user("officer_a"), hazard=h, measure_type="suspend", scope="unit", reason="无法保证安全", decided_on=timezone.localdate())
    c = _login(client, world, "officer_a")
    url = reverse("hazards:timeline", args=[inspection.enterprise_id])
    body = c.get(url).content.decode()
    for text in ("计划检查", "发现问题", "登记重大事故隐患", "现场处理措施：暂时停产停业（整个单位）"):
        assert text in body
    assert body.index("现场处理措施") < body.index("计划检查")  # newest first
    only = c.get(url, {"kind": "hazard"}).content.decode()
    assert "登记重大事故隐患" in only and "计划检查（" not in only
    assert _login(client, world, "officer_b").get(url).status_code == 404
    with CaptureQueriesContext(connection) as ctx:
        c.get(url)
    few = len(ctx.captured_queries)
    for i in range(10):
        _major(world, inspection, description=f"隐患{i}")
    with CaptureQueriesContext(connection) as ctx:
        c.get(url)
    assert len(ctx.captured_queries) == few


def test_the_two_lists_add_done_and_export(client: Any, world: Any, inspection: Any) -> None:
    from openpyxl import load_workbook

    h = _major(world, inspection)
    ent = inspection.enterprise
    c = _login(client, world, "officer_a")
    url = reverse("hazards:two_lists", args=[ent.pk])
    body = c.get(url).content.decode()
    assert h.description in body and "制度措施清单" in body
    r = c.post(reverse("hazards:institutional_create", args=[ent.pk]), {"title": ""})
    assert r.status_code == 200 and "请填写制度措施" in r.content.decode()
    r = c.post(reverse("hazards:institutional_create", args=[ent.pk]), {"title": "建立有限空间作业审批制度", "due_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(), "hazard": h.pk})
    assert r.status_code == 302
    im = InstitutionalMeasure.objects.get()
    assert im.hazard == h
    r = c.post(reverse("hazards:institutional_done", args=[im.pk]), {"done_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat()})
    assert r.status_code == 200 and "完成日期不能晚于今天" in r.content.decode()
    r = c.post(reverse("hazards:institutional_done", args=[im.pk]), {"done_on": timezone.localdate().isoformat()})
    assert r.status_code == 302
    im.refresh_from_db()
    assert im.done_on == timezone.localdate()
    r = c.get(reverse("hazards:two_lists_export", args=[ent.pk]))
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["问题隐患清单", "制度措施清单"]
    rows = list(wb["问题隐患清单"].iter_rows(values_only=True))
    assert rows[1][0] == "序号" and rows[2][3] == h.description
    rows = list(wb["制度措施清单"].iter_rows(values_only=True))
    assert rows[1][1] == "建立有限空间作业审批制度" and rows[1][3] == h.description and rows[1][6] == "已完成"
    assert _login(client, world, "officer_b").get(url).status_code == 404
    assert _login(client, world, "officer_b").get(reverse("hazards:two_lists_export", args=[ent.pk])).status_code == 404
