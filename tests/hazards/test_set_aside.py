"""Issue 8 C and 7: setting aside a major-hazard criterion is a request the named leader or expert
decides in the system; the approver id from a client is checked like any staff id."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.core.errors import DomainError, PermissionRefused, ValidationFailed
from anjian.hazards import services
from anjian.hazards.forms import approver_choices
from anjian.hazards.models import Hazard, SetAsideRequest
from anjian.org.models import Membership, RoleGrant, Staff
from tests.conftest import _person
from tests.hazards.test_views import _finding

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def sourced() -> Any:
    with mock.patch.object(services, "_criterion_is_sourced", return_value=True):
        yield


def _ask(world: Any, inspection: Any, approver: Any, *, actor: str = "officer_a", **over: Any) -> Hazard:
    kw: dict[str, Any] = dict(
        actor=world.user(actor), enterprise=inspection.enterprise, source="inspection", inspection=inspection, description="未设置紧急切断",
        location="罐区", severity="general", found_on=inspection.inspected_on, criterion_id="HC-01", set_aside_reason="经论证不属于重大隐患",
        set_aside_by=approver, period_days=10,
    )  # fmt: skip
    kw.update(over)
    return services.hazard_create(**kw)


def test_a_set_aside_stays_major_until_the_named_leader_approves(world: Any, inspection: Any, sourced: Any) -> None:
    leader = world.user("leader_a")
    h = _ask(world, inspection, leader.staff)
    sa = h.set_asides.get()
    assert (h.severity, h.period_days, h.set_aside_reason, sa.status, sa.approver_id) == ("major", 60, "", "pending", leader.staff.pk)
    # While pending the measure logic treats it as major.
    assert services.measure_suggestion(h) is not None
    with pytest.raises(PermissionRefused) as exc:  # not the named approver
        services.set_aside_decide(actor=world.user("expert_a"), request=sa, approve=True, note="同意")
    assert exc.value.code == "not_approver"
    with pytest.raises(ValidationFailed):
        services.set_aside_decide(actor=leader, request=sa, approve=True, note="")
    services.set_aside_decide(actor=leader, request=sa, approve=True, note="同意不予认定")
    h.refresh_from_db()
    sa.refresh_from_db()
    assert (h.severity, h.period_days, h.set_aside_by, sa.status, sa.decided_by) == ("general", 10, leader.staff, "approved", leader.staff)
    with pytest.raises(DomainError):
        services.set_aside_decide(actor=leader, request=sa, approve=False, note="再审")


def test_a_refused_set_aside_leaves_the_hazard_major(world: Any, inspection: Any, sourced: Any) -> None:
    h = _ask(world, inspection, world.user("expert_a").staff)
    services.set_aside_decide(actor=world.user("expert_a"), request=h.set_asides.get(), approve=False, note="符合判定标准，应认定为重大隐患")
    h.refresh_from_db()
    assert h.severity == "major" and h.period_days == 60 and h.set_asides.get().status == "refused"


def test_the_requester_never_approves(world: Any, inspection: Any, sourced: Any) -> None:
    # A dept head who is also a leader cannot name himself ...
    m = Membership.objects.get(staff__user=world.user("depthead_a"))
    RoleGrant.objects.create(membership=m, role="leader")
    me = world.user("depthead_a")
    with pytest.raises(ValidationFailed) as exc:
        _ask(world, inspection, me.staff, actor="depthead_a")
    assert "申请人本人" in exc.value.fields["set_aside_by"][0]
    assert str(me.staff.pk) not in dict(approver_choices(services.scope_for(me)))  # nor is he offered
    # ... and a request he made that names him (a row written around the service) is refused.
    h = _ask(world, inspection, world.user("leader_a").staff, actor="depthead_a")
    sa = h.set_asides.get()
    SetAsideRequest.objects.filter(pk=sa.pk).update(approver=me.staff)
    sa.refresh_from_db()
    with pytest.raises(PermissionRefused) as exc2:
        services.set_aside_decide(actor=me, request=sa, approve=True, note="同意")
    assert exc2.value.code == "self_approval"
    h.refresh_from_db()
    assert h.severity == "major"


def test_the_service_accepts_exactly_what_the_form_offers(world: Any, inspection: Any, sourced: Any) -> None:
    scope = services.scope_for(world.user("officer_a"))
    offered = {int(k) for k, _ in approver_choices(scope)}
    assert offered == {world.user("leader_a").staff.pk, world.user("expert_a").staff.pk}
    # A leader whose membership ended, the city's leader, an officer: not offered, and refused.
    gone = _person({}, "leader_gone", world.agency_a, ["leader"], cert=False)
    Membership.objects.filter(staff__user=gone).update(valid_to=timezone.localdate() - dt.timedelta(days=1))
    for name in ("leader_gone", "leader_city", "officer_a2"):
        with pytest.raises(ValidationFailed) as exc:
            _ask(world, inspection, world.user(name).staff if name != "leader_gone" else gone.staff)
        assert "set_aside_by" in exc.value.fields
    assert not Hazard.objects.exists()


def test_api_another_bureaus_expert_answers_like_a_missing_id(world: Any, inspection: Any, sourced: Any) -> None:
    expert_b = _person({}, "expert_b", world.agency_b, [], kind="expert", cert=False).staff
    missing = Staff.objects.order_by("-pk").first().pk + 1000
    c = api(world.user("officer_a"))
    body = {"enterprise": inspection.enterprise_id, "source": "inspection", "inspection": inspection.pk, "description": "x", "location": "y",
            "severity": "general", "found_on": str(inspection.inspected_on), "criterion_id": "HC-01", "set_aside_reason": "专家认定"}  # fmt: skip
    r_foreign = c.post("/api/v1/hazards/", {**body, "set_aside_by": expert_b.pk}, format="json")
    r_missing = c.post("/api/v1/hazards/", {**body, "set_aside_by": missing}, format="json")
    assert r_foreign.status_code == r_missing.status_code == 422
    assert r_foreign.json()["fields"]["set_aside_by"] == [f"人员编号{expert_b.pk}不存在。"]
    assert str(r_foreign.json()).replace(str(expert_b.pk), "N") == str(r_missing.json()).replace(str(missing), "N")
    assert "expert_b" not in r_foreign.content.decode()
    assert not Hazard.objects.exists()


def test_api_request_then_decide(world: Any, inspection: Any, sourced: Any) -> None:
    c = api(world.user("officer_a"))
    r = c.post("/api/v1/hazards/", {"enterprise": inspection.enterprise_id, "source": "inspection", "inspection": inspection.pk, "description": "x", "location": "y",
                                   "severity": "general", "found_on": str(inspection.inspected_on), "criterion_id": "HC-01", "set_aside_reason": "专家认定",
                                   "set_aside_by": world.user("expert_a").staff.pk}, format="json")  # fmt: skip
    assert r.status_code == 201 and r.json()["severity"] == "major" and r.json()["set_aside_pending"]
    sa = r.json()["set_aside_pending"]
    r = c.post(f"/api/v1/set-asides/{sa}/decide/", {"approve": True, "note": "同意"}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "self_approval"  # the requester
    r = api(world.user("leader_a")).post(f"/api/v1/set-asides/{sa}/decide/", {"approve": True, "note": "同意"}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "not_approver"  # a leader, but not the one named
    assert api(world.user("officer_b")).post(f"/api/v1/set-asides/{sa}/decide/", {"approve": True, "note": "同意"}, format="json").status_code == 404
    e = api(world.user("expert_a"))
    assert [x["id"] for x in e.get("/api/v1/set-asides/", {"mine": "1"}).json()["results"]] == [sa]
    r = e.post(f"/api/v1/set-asides/{sa}/decide/", {"approve": True, "note": "同意"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert c.get(f"/api/v1/hazards/{r.json()['hazard']}/").json()["severity"] == "general"


def test_page_from_a_finding_the_requester_sees_no_decision_form(client: Any, world: Any, inspection: Any, sourced: Any) -> None:
    finding = _finding(world, inspection)
    client.force_login(world.user("officer_a"))
    r = client.post(reverse("hazards:create"), {"finding": finding.pk, "source": "inspection", "description": "x", "location": "y", "severity": "general",
                                                "found_on": inspection.inspected_on.isoformat(), "criterion_id": "HC-01", "set_aside_reason": "理由",
                                                "set_aside_by": world.user("leader_a").staff.pk})  # fmt: skip
    assert r.status_code == 302
    sa = SetAsideRequest.objects.get()
    r = client.post(reverse("hazards:set_aside_decide", args=[sa.pk]), {f"sa{sa.pk}-approve": "1", f"sa{sa.pk}-note": "同意"})
    assert r.status_code == 403
    sa.refresh_from_db()
    assert sa.status == "pending"
