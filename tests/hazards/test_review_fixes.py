"""Fixes from the review of the merged hazards and legal changes (the attack is the test)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.core.errors import DomainError, ValidationFailed
from anjian.core.models import AuditEvent
from anjian.documents.rendering import cn_date
from anjian.hazards import services
from anjian.hazards.models import DeadlineExtension, Hazard, Reinspection, SetAsideRequest
from anjian.inspections.models import Finding, Inspection
from anjian.org.models import Membership, Staff
from tests.hazards.test_set_aside import _ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def sourced() -> Any:
    with mock.patch.object(services, "_criterion_is_sourced", return_value=True):
        yield


def api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def _copy(inspection: Inspection, **over: Any) -> Inspection:
    other = Inspection.objects.get(pk=inspection.pk)
    other.pk = None
    other.idempotency_key = None
    for k, v in over.items():
        setattr(other, k, v)
    other.save()
    return other


def _other_agencys_inspection(world: Any, inspection: Inspection) -> tuple[Inspection, Finding]:
    """A non-joint inspection of the same unit made by the city bureau, with one finding."""
    other = _copy(inspection, owner_agency=world.agency_city, joint=False)
    f = Finding.objects.create(inspection=other, enterprise=inspection.enterprise, jurisdiction_id=inspection.jurisdiction_id, description="市局检查发现的问题", found_on=other.inspected_on)
    return other, f


def test_a_finding_of_another_bureaus_inspection_is_refused_over_the_api(world: Any, inspection: Inspection) -> None:
    _, theirs = _other_agencys_inspection(world, inspection)
    c = api(world.user("officer_a"))
    r = c.post("/api/v1/hazards/", {
        "enterprise": inspection.enterprise_id, "source": "inspection", "inspection": inspection.pk, "findings": [theirs.pk],
        "description": "借用他局问题登记", "location": "罐区", "severity": "major", "major_reason": "现场确认", "found_on": str(inspection.inspected_on),
    }, format="json")  # fmt: skip
    assert r.status_code == 422, r.content
    assert "findings" in r.json()["fields"]
    # Without an inspection, the finding's own (another bureau's, not joint) inspection is checked.
    r = c.post("/api/v1/hazards/", {
        "enterprise": inspection.enterprise_id, "source": "inspection", "findings": [theirs.pk],
        "description": "借用他局问题登记", "location": "罐区", "severity": "major", "major_reason": "现场确认", "found_on": str(inspection.inspected_on),
    }, format="json")  # fmt: skip
    assert r.status_code == 422 and "inspection" in r.json()["fields"]
    assert not Hazard.objects.exists()


# --- set-aside approvers need a login; a pending request can be withdrawn ---------------------------------
def _no_login_expert(world: Any) -> Staff:
    s = Staff.objects.create(user=None, name="无账号专家", kind="expert")
    Membership.objects.create(staff=s, agency=world.agency_a, valid_from=dt.date(2020, 1, 1))
    return s


def test_staff_without_a_login_are_not_offered_nor_accepted_as_approvers(world: Any, inspection: Inspection, sourced: Any) -> None:
    ghost = _no_login_expert(world)
    assert not services.set_aside_approvers(agency_id=world.agency_a.pk, on=timezone.localdate()).filter(pk=ghost.pk).exists()
    assert services.set_aside_approvers(agency_id=world.agency_a.pk, on=timezone.localdate()).filter(pk=world.user("expert_a").staff.pk).exists()
    with pytest.raises(ValidationFailed) as exc:
        _ask(world, inspection, ghost)
    assert "set_aside_by" in exc.value.fields
    assert not Hazard.objects.exists()


def test_the_requester_withdraws_a_pending_set_aside_over_the_api(world: Any, inspection: Inspection, sourced: Any) -> None:
    h = _ask(world, inspection, world.user("expert_a").staff)
    sa = h.set_asides.get()
    url = f"/api/v1/set-asides/{sa.pk}/withdraw/"
    assert api(world.user("officer_b")).post(url, {"note": "撤回"}, format="json").status_code == 404  # another bureau
    r = api(world.user("supervisor_a")).post(url, {"note": "撤回"}, format="json")  # neither requester nor approver
    assert r.status_code == 403 and r.json()["code"] == "not_withdrawer"
    c = api(world.user("officer_a"))
    assert c.post(url, {"note": ""}, format="json").status_code == 422
    r = c.post(url, {"note": "审核人长期出差，撤回后重新申请"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    h.refresh_from_db()
    assert h.severity == "major"
    assert AuditEvent.objects.filter(action="hazard.set_aside_withdraw", object_id=str(h.pk)).exists()
    assert h.events.filter(note__contains="撤回不予认定").exists()
    assert c.post(url, {"note": "再撤"}, format="json").status_code == 409
    assert services.pending_set_aside(h) is None


def test_an_approver_of_the_bureau_withdraws_a_stuck_request_on_the_page(world: Any, inspection: Inspection, sourced: Any, client: Any) -> None:
    h = _ask(world, inspection, world.user("expert_a").staff)
    sa = h.set_asides.get()
    client.force_login(world.user("depthead_a"))
    page = client.get(reverse("hazards:detail", args=[h.pk]))
    assert page.status_code == 200
    assert reverse("hazards:set_aside_withdraw", args=[sa.pk]) in page.content.decode()
    r = client.post(reverse("hazards:set_aside_withdraw", args=[sa.pk]), {f"saw{sa.pk}-note": "审核人已调离"})
    assert r.status_code == 302
    sa.refresh_from_db()
    assert sa.status == "withdrawn"
    client.force_login(world.user("supervisor_a"))
    assert reverse("hazards:set_aside_withdraw", args=[sa.pk]) not in client.get(reverse("hazards:detail", args=[h.pk])).content.decode()


# --- set_aside_decide: closed hazards, the timeline, supervision ------------------------------------------
def test_a_set_aside_on_a_closed_hazard_is_not_decided(world: Any, inspection: Inspection, sourced: Any) -> None:
    h = _ask(world, inspection, world.user("expert_a").staff)
    Hazard.objects.filter(pk=h.pk).update(status="closed", closed_on=timezone.localdate())
    with pytest.raises(DomainError) as exc:
        services.set_aside_decide(actor=world.user("expert_a"), request=h.set_asides.get(), approve=True, note="同意")
    assert exc.value.code == "hazard_closed"
    sa = SetAsideRequest.objects.select_related("hazard").get(hazard_id=h.pk)
    assert sa.status == "pending"
    assert not services.may_decide_set_aside(world.user("expert_a"), sa)  # the page offers no form either


def test_a_set_aside_decision_is_on_the_timeline_and_ends_supervision(world: Any, inspection: Inspection, sourced: Any) -> None:
    h = _ask(world, inspection, world.user("expert_a").staff)
    services.hazard_supervise(actor=world.user("leader_a"), hazard=h, by="区安委会", on=timezone.localdate())
    services.set_aside_decide(actor=world.user("expert_a"), request=h.set_asides.get(), approve=True, note="经论证不属于重大隐患")
    h.refresh_from_db()
    assert (h.severity, h.supervised, h.supervised_by, h.supervised_on) == ("general", False, "", None)
    ev = h.events.order_by("-id").first()
    assert ev is not None and "同意不予认定" in ev.note and ev.to_status == h.status
    audit_ev = AuditEvent.objects.get(action="hazard.set_aside", object_id=str(h.pk))
    assert audit_ev.before["supervised"] is True and audit_ev.before["supervised_by"] == "区安委会" and audit_ev.after["supervised"] is False


def test_a_refused_set_aside_is_on_the_timeline(world: Any, inspection: Inspection, sourced: Any) -> None:
    h = _ask(world, inspection, world.user("expert_a").staff)
    n = h.events.count()
    services.set_aside_decide(actor=world.user("expert_a"), request=h.set_asides.get(), approve=False, note="符合判定标准")
    assert h.events.count() == n + 1 and "不同意不予认定" in h.events.order_by("-id").first().note  # type: ignore[union-attr]


# --- extensions are capped against the first deadline after service ----------------------------------------
def _served_major(world: Any, inspection: Inspection, settings: Any, tmp_path: Any) -> Hazard:
    settings.MEDIA_ROOT = tmp_path
    settings.ANJIAN_EXTENSION_MAX_DAYS = 60
    officer = world.user("officer_a")
    h = services.hazard_create(actor=officer, enterprise=inspection.enterprise, source="inspection", inspection=inspection, description="液氨储罐区未设置紧急切断装置",
                               location="液氨罐区", severity="major", major_reason="现场确认", found_on=inspection.inspected_on)  # fmt: skip
    order = services.rectification_order_issue(actor=officer, hazards=[h], issued_on=inspection.inspected_on)
    services.rectification_order_served(actor=officer, document=order, method="direct", event_date=inspection.inspected_on, recipient="张三")
    h.refresh_from_db()
    return h


def test_extensions_cannot_be_chained_past_the_cap(world: Any, inspection: Inspection, settings: Any, tmp_path: Any) -> None:
    h = _served_major(world, inspection, settings, tmp_path)
    first = h.deadline
    assert first is not None
    today = timezone.localdate()
    ext, _ = services.extension_request(actor=world.user("officer_a"), hazard=h, requested_on=today, requested_until=first + dt.timedelta(days=50), reason="设备采购周期长")
    with pytest.raises(DomainError) as exc:  # one pending request at a time
        services.extension_request(actor=world.user("officer_a"), hazard=h, requested_on=today, requested_until=first + dt.timedelta(days=20), reason="再申请")
    assert exc.value.code == "extension_pending"
    services.extension_decide(actor=world.user("depthead_a"), extension=ext, approve=True, decided_on=today, note="同意延期")
    h.refresh_from_db()
    with pytest.raises(ValidationFailed) as vexc:  # 50 + 30 days beyond the first deadline: past the 60-day cap
        services.extension_request(actor=world.user("officer_a"), hazard=h, requested_on=today, requested_until=h.deadline + dt.timedelta(days=30), reason="再延期")
    assert "requested_until" in vexc.value.fields and cn_date(first + dt.timedelta(days=60)) in vexc.value.fields["requested_until"][0]
    with pytest.raises(ValidationFailed) as vexc:  # a request dated before the service would escape the cap
        services.extension_request(actor=world.user("officer_a"), hazard=h, requested_on=h.served_on - dt.timedelta(days=1), requested_until=first + dt.timedelta(days=60), reason="倒签")  # type: ignore[operator]
    assert "requested_on" in vexc.value.fields
    # Up to the cap is still possible.
    ext2, _ = services.extension_request(actor=world.user("officer_a"), hazard=h, requested_on=today, requested_until=first + dt.timedelta(days=60), reason="再延期")
    assert ext2.previous_deadline == first + dt.timedelta(days=50)


def test_an_approval_is_capped_against_the_first_deadline(world: Any, inspection: Inspection, settings: Any, tmp_path: Any) -> None:
    h = _served_major(world, inspection, settings, tmp_path)
    first = h.deadline
    assert first is not None
    today = timezone.localdate()
    ext, _ = services.extension_request(actor=world.user("officer_a"), hazard=h, requested_on=today, requested_until=first + dt.timedelta(days=40), reason="设备采购周期长")
    services.extension_decide(actor=world.user("depthead_a"), extension=ext, approve=True, decided_on=today, note="同意延期")
    # A request recorded before the cap was measured from the first deadline (as old rows may be).
    h.refresh_from_db()
    late = DeadlineExtension.objects.create(hazard=h, requested_on=today, requested_until=first + dt.timedelta(days=90), reason="旧数据", previous_deadline=h.deadline, requested_by=world.user("officer_a"))
    with pytest.raises(ValidationFailed) as exc:
        services.extension_decide(actor=world.user("depthead_a"), extension=late, approve=True, decided_on=today, note="同意")
    assert exc.value.code == "extension_too_long"


# --- 销号 rests on the most recent re-inspection ------------------------------------------------------------
def test_a_pass_followed_by_a_fail_does_not_close(world: Any, inspection: Inspection, settings: Any, tmp_path: Any) -> None:
    h = _served_major(world, inspection, settings, tmp_path)
    today = timezone.localdate()
    Reinspection.objects.create(hazard=h, inspection=_copy(inspection), result="pass", opinion="合格", decided_on=today - dt.timedelta(days=5))
    Reinspection.objects.create(hazard=h, inspection=_copy(inspection), result="fail", opinion="又发现未整改", new_period_days=10, decided_on=today - dt.timedelta(days=1))
    assert services.close_refusal(h) is not None
    r = api(world.user("officer_a")).post(f"/api/v1/hazards/{h.pk}/close/")
    assert r.status_code == 409 and r.json()["code"] == "close_without_reinspection"
    h.refresh_from_db()
    assert h.status == "rectifying"
    # A later pass closes it.
    Reinspection.objects.create(hazard=h, inspection=_copy(inspection), result="pass", opinion="已整改", decided_on=today)
    assert api(world.user("officer_a")).post(f"/api/v1/hazards/{h.pk}/close/").status_code == 200
    h.refresh_from_db()
    assert h.status == "closed" and h.closed_on == today


# --- 登记隐患 is offered only where the service would register -------------------------------------------
def test_registering_from_another_bureaus_inspection_is_refused_before_the_form(world: Any, inspection: Inspection, client: Any) -> None:
    other, theirs = _other_agencys_inspection(world, inspection)
    client.force_login(world.user("officer_a"))
    for url in (reverse("hazards:create") + f"?finding={theirs.pk}", reverse("hazards:create") + f"?inspection={other.pk}"):
        r = client.get(url)
        assert r.status_code == 403, url
        assert "联合检查" in r.content.decode() and 'name="description"' not in r.content.decode()
    # Our own inspection still opens the form.
    assert client.get(reverse("hazards:create") + f"?inspection={inspection.pk}").status_code == 200


def test_the_register_link_follows_the_services_predicate(world: Any, ent_a: Any, client: Any) -> None:
    new = f'href="{reverse("hazards:create")}?enterprise={ent_a.pk}"'
    pages = [reverse("hazards:timeline", args=[ent_a.pk]), reverse("hazards:two_lists", args=[ent_a.pk]), reverse("hazards:list") + f"?enterprise={ent_a.pk}"]
    client.force_login(world.user("officer_city"))  # the city reads district A's unit and may register there
    scope_ok = services.may_register(services.scope_for(world.user("officer_city")), ent_a)
    for page in pages:
        r = client.get(page)
        assert r.status_code == 200, page
        assert (new in r.content.decode().replace("&amp;", "&")) is scope_ok, page
    client.force_login(world.user("officer_b"))  # another district: the list filtered by A's unit offers nothing
    r = client.get(reverse("hazards:list") + f"?enterprise={ent_a.pk}")
    assert r.status_code == 200
    assert new not in r.content.decode().replace("&amp;", "&")


def test_my_approvals_link_only_for_approvers_or_pending_requests(world: Any, inspection: Inspection, sourced: Any, client: Any) -> None:
    link = 'data-testid="approvals-link"'
    client.force_login(world.user("officer_a"))
    assert link not in client.get(reverse("hazards:list")).content.decode()
    client.force_login(world.user("depthead_a"))
    assert link in client.get(reverse("hazards:list")).content.decode()
    client.force_login(world.user("expert_a"))  # no approving role ...
    assert link not in client.get(reverse("hazards:list")).content.decode()
    _ask(world, inspection, world.user("expert_a").staff)  # ... but a request named to the expert
    assert link in client.get(reverse("hazards:list")).content.decode()


# --- no internal codes or zero-padded dates shown to officers -------------------------------------------
def test_an_extended_deadline_is_described_in_chinese(world: Any, inspection: Inspection, settings: Any, tmp_path: Any, client: Any) -> None:
    h = _served_major(world, inspection, settings, tmp_path)
    today = timezone.localdate()
    until = h.deadline + dt.timedelta(days=20)  # type: ignore[operator]
    ext, _ = services.extension_request(actor=world.user("officer_a"), hazard=h, requested_on=today, requested_until=until, reason="设备采购周期长")
    services.extension_decide(actor=world.user("depthead_a"), extension=ext, approve=True, decided_on=today, note="同意延期")
    h.refresh_from_db()
    assert h.deadline_rule == f"经批准延期至{cn_date(until)}（{cn_date(today)}批准）"
    client.force_login(world.user("officer_a"))
    assert h.deadline_rule in client.get(reverse("hazards:detail", args=[h.pk])).content.decode()
