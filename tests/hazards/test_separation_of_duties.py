"""Issue 8 item 4: whoever asked for an approval never grants it (extensions, restart reviews,
transfers), and an extension is capped by the configured maximum."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.core.errors import PermissionRefused, ValidationFailed
from anjian.hazards import services
from anjian.hazards.models import DeadlineExtension
from anjian.org.models import Department, Membership, RoleGrant
from tests.hazards.test_views import _finding, _major, _served

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _ext(world: Any, h: Any, *, actor: str = "depthead_a", days: int = 20) -> DeadlineExtension:
    ext, _ = services.extension_request(actor=world.user(actor), hazard=h, requested_on=timezone.localdate(), requested_until=h.deadline + dt.timedelta(days=days), reason="设备采购周期长")
    return ext


def test_the_person_who_recorded_an_extension_cannot_approve_it(client: Any, world: Any, inspection: Any, media: Any) -> None:
    h = _served(world, _major(world, inspection))
    ext = _ext(world, h)  # recorded by the dept head, who may approve extensions
    assert ext.requested_by == world.user("depthead_a")
    with pytest.raises(PermissionRefused) as exc:
        services.extension_decide(actor=world.user("depthead_a"), extension=ext, approve=True, decided_on=timezone.localdate(), note="同意")
    assert exc.value.code == "self_approval"
    # The page shows him no approval form, and a post is refused; the API answers the same.
    client.force_login(world.user("depthead_a"))
    body = client.get(reverse("hazards:detail", args=[h.pk])).content.decode()
    assert reverse("hazards:extension_decide", args=[h.pk, ext.pk]) not in body
    data = {f"e{ext.pk}-approve": "1", f"e{ext.pk}-decided_on": timezone.localdate().isoformat(), f"e{ext.pk}-note": "同意"}
    assert client.post(reverse("hazards:extension_decide", args=[h.pk, ext.pk]), data).status_code == 403
    r = api(world.user("depthead_a")).post(f"/api/v1/hazards/{h.pk}/extension/{ext.pk}/decide/", {"approve": True, "decided_on": str(timezone.localdate()), "note": "同意"}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "self_approval"
    h.refresh_from_db()
    assert h.deadline == ext.previous_deadline
    # Another approver (the leader) decides.
    client.force_login(world.user("leader_a"))
    assert reverse("hazards:extension_decide", args=[h.pk, ext.pk]) in client.get(reverse("hazards:detail", args=[h.pk])).content.decode()
    assert client.post(reverse("hazards:extension_decide", args=[h.pk, ext.pk]), data).status_code == 302
    h.refresh_from_db()
    assert h.deadline == ext.requested_until


def test_an_extension_to_9999_is_refused_naming_the_rule(client: Any, world: Any, inspection: Any, media: Any, settings: Any) -> None:
    settings.ANJIAN_EXTENSION_MAX_DAYS = 60
    h = _served(world, _major(world, inspection))
    far = dt.date(9999, 12, 31)
    with pytest.raises(ValidationFailed) as exc:
        services.extension_request(actor=world.user("officer_a"), hazard=h, requested_on=timezone.localdate(), requested_until=far, reason="x")
    assert "延期不得超过60日" in exc.value.fields["requested_until"][0] and "整改延期最长期限" in exc.value.fields["requested_until"][0]
    r = api(world.user("officer_a")).post(f"/api/v1/hazards/{h.pk}/extension/", {"requested_on": str(timezone.localdate()), "requested_until": "9999-12-31", "reason": "x"}, format="json")
    assert r.status_code == 422 and "延期不得超过60日" in r.json()["fields"]["requested_until"][0]
    client.force_login(world.user("officer_a"))
    r = client.post(reverse("hazards:extension", args=[h.pk]), {"x-requested_on": timezone.localdate().isoformat(), "x-requested_until": "9999-12-31", "x-reason": "x"})
    assert r.status_code == 200 and "延期不得超过60日" in r.content.decode()
    assert not DeadlineExtension.objects.exists()
    # A request stored before the cap (or written around the service) is not approved beyond it.
    ext = DeadlineExtension.objects.create(hazard=h, requested_on=timezone.localdate(), requested_until=far, reason="x", previous_deadline=h.deadline, requested_by=world.user("officer_a"))
    with pytest.raises(ValidationFailed) as exc:
        services.extension_decide(actor=world.user("leader_a"), extension=ext, approve=True, decided_on=timezone.localdate(), note="同意")
    assert exc.value.code == "extension_too_long"
    h.refresh_from_db()
    assert h.deadline < far
    ok = h.deadline + dt.timedelta(days=60)
    ext.delete()
    ext2, _ = services.extension_request(actor=world.user("officer_a"), hazard=h, requested_on=timezone.localdate(), requested_until=ok, reason="x")
    services.extension_decide(actor=world.user("leader_a"), extension=ext2, approve=True, decided_on=timezone.localdate(), note="同意")
    h.refresh_from_db()
    assert h.deadline == ok


def test_the_person_who_recorded_a_restart_application_cannot_approve_it(client: Any, world: Any, inspection: Any, media: Any) -> None:
    from anjian.org import services as org_services

    leader = world.user("leader_a")
    org_services.agency_head_designate(actor=world.user("admin_a"), agency=world.agency_a, staff=leader.staff, kind="principal_head", valid_from=dt.date(2024, 1, 1))
    RoleGrant.objects.create(membership=Membership.objects.get(staff__user=leader), role="office")  # the head also keeps the office's register
    h = _major(world, inspection)
    m = services.measure_decide(actor=world.user("officer_a"), hazard=h, measure_type="suspend", scope="unit", reason="无法保证安全", decided_on=inspection.inspected_on)
    rr = services.restart_apply(actor=leader, measure=m, applied_on=timezone.localdate(), application="已整改，申请复产")
    assert rr.recorded_by == leader
    with pytest.raises(PermissionRefused) as exc:
        services.restart_review_decide(actor=leader, review=rr, approved=False, opinion="不同意", reviewed_on=timezone.localdate())
    assert exc.value.code == "self_approval"
    client.force_login(leader)
    body = client.get(reverse("hazards:measure", args=[m.pk])).content.decode()
    assert reverse("hazards:restart_review", args=[m.pk, rr.pk]) not in body and "须由其他负责人审查" in body
    r = client.post(reverse("hazards:restart_review", args=[m.pk, rr.pk]), {f"rr{rr.pk}-approved": "0", f"rr{rr.pk}-opinion": "不同意", f"rr{rr.pk}-reviewed_on": timezone.localdate().isoformat()})
    assert r.status_code == 403
    r = api(leader).post(f"/api/v1/measures/{m.pk}/restart-review/", {"review": rr.pk, "approved": False, "opinion": "不同意", "reviewed_on": str(timezone.localdate())}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "self_approval"
    rr.refresh_from_db()
    assert rr.reviewed_on is None


def test_the_sender_of_a_transfer_cannot_accept_or_return_it(client: Any, world: Any, inspection: Any) -> None:
    finding = _finding(world, inspection)
    sup = Department.objects.create(agency=world.agency_a, name="危化监管科", kind="supervision")
    team = Department.objects.get(agency=world.agency_a, kind="enforcement")
    Membership.objects.filter(staff__user=world.user("depthead_a")).update(department=team)
    t = services.transfer_send(actor=world.user("depthead_a"), enterprise=inspection.enterprise, from_department=sup, to_department=team, facts="未经考核", findings=[finding])
    for fn in (lambda: services.transfer_accept(actor=world.user("depthead_a"), transfer=t), lambda: services.transfer_return(actor=world.user("depthead_a"), transfer=t, reason="x")):
        with pytest.raises(PermissionRefused) as exc:
            fn()
        assert exc.value.code == "self_approval"
    client.force_login(world.user("depthead_a"))
    body = client.get(reverse("hazards:transfer_detail", args=[t.pk])).content.decode()
    assert reverse("hazards:transfer_accept", args=[t.pk]) not in body
    assert client.post(reverse("hazards:transfer_accept", args=[t.pk])).status_code == 403
    r = api(world.user("depthead_a")).post(f"/api/v1/transfers/{t.pk}/accept/")
    assert r.status_code == 403 and r.json()["code"] == "self_approval"
    t.refresh_from_db()
    assert t.status == "pending"
    services.transfer_accept(actor=world.user("leader_a"), transfer=t)
    t.refresh_from_db()
    assert t.status == "accepted"
