"""Issue 8 items 6 and 7: staff ids from the client must be visible to the user and of the right
kind; a document names only the issuing agency's officers unless the inspection was joint."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.core.errors import ValidationFailed
from anjian.documents.models import IssuedDocument
from anjian.hazards import services as hazard_services
from anjian.hazards.models import Hazard
from anjian.inspections import services
from anjian.inspections.models import Inspection
from anjian.org.models import Staff
from tests.conftest import _person
from tests.inspections.conftest import officers

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def _payload(world: Any, ent: Any, **over: Any) -> dict[str, Any]:
    p = {"enterprise": ent.pk, "type": "planned", "inspected_on": str(timezone.localdate()), "started_at": timezone.now().isoformat(), "place": "罐区", "officer_ids": officers(world)}
    p.update(over)
    return p


def test_experts_must_be_experts_of_the_inspecting_agency(world: Any, ent_a: Any, checklist: Any, calendar: Any) -> None:
    c = api(world.user("officer_a"))
    # The city's leader (visible to nobody in the district) and another district's officer.
    for name in ("leader_city", "officer_b"):
        sid = world.user(name).staff.pk
        r = c.post("/api/v1/inspections/", _payload(world, ent_a, expert_ids=[sid]), format="json")
        assert r.status_code == 422, r.content
        assert r.json()["fields"]["expert_ids"] == [f"人员编号{sid}不存在。"] and name not in r.content.decode()
    # A visible colleague who is not an expert is named, with what was required.
    r = c.post("/api/v1/inspections/", _payload(world, ent_a, expert_ids=[world.user("leader_a").staff.pk]), format="json")
    assert r.status_code == 422 and "leader_a不是参检机关的专家或辅助人员" in r.json()["fields"]["expert_ids"][0]
    assert not Inspection.objects.exists()
    r = c.post("/api/v1/inspections/", _payload(world, ent_a, expert_ids=[world.user("expert_a").staff.pk]), format="json")
    assert r.status_code == 201 and Inspection.objects.get().experts.get().staff == world.user("expert_a").staff


def test_an_expert_of_another_bureau_answers_like_a_missing_id(world: Any, ent_a: Any, checklist: Any, calendar: Any) -> None:
    expert_b = _person({}, "expert_b", world.agency_b, [], kind="expert", cert=False).staff
    missing = Staff.objects.order_by("-pk").first().pk + 1000
    c = api(world.user("officer_a"))
    r1 = c.post("/api/v1/inspections/", _payload(world, ent_a, expert_ids=[expert_b.pk]), format="json")
    r2 = c.post("/api/v1/inspections/", _payload(world, ent_a, expert_ids=[missing]), format="json")
    assert r1.status_code == r2.status_code == 422
    assert str(r1.json()).replace(str(expert_b.pk), "N") == str(r2.json()).replace(str(missing), "N")


def test_officer_ids_of_another_bureau_are_not_named(world: Any, ent_a: Any, checklist: Any, calendar: Any) -> None:
    ids = [world.user("officer_a").staff.pk, world.user("officer_b").staff.pk]
    with pytest.raises(ValidationFailed) as exc:
        services.inspection_create(actor=world.user("officer_a"), enterprise=ent_a, type="planned", inspected_on=timezone.localdate(), started_at=timezone.now(), place="罐区", officer_ids=ids)
    assert f"人员编号{ids[1]}不存在" in exc.value.message and "officer_b" not in exc.value.message
    r = api(world.user("officer_a")).post("/api/v1/inspections/", _payload(world, ent_a, officer_ids=[ids[0], 2**70]), format="json")
    assert r.status_code in (400, 422)


def _city_inspection(world: Any, ent: Any, **over: Any) -> Inspection:
    kw: dict[str, Any] = dict(actor=world.user("officer_city"), enterprise=ent, type="planned", inspected_on=timezone.localdate() - dt.timedelta(days=3),
                              started_at=timezone.now() - dt.timedelta(days=3), place="厂区")  # fmt: skip
    kw.update(over)
    return services.inspection_create(**kw)


def test_a_district_order_never_names_the_citys_officers(world: Any, ent_a: Any, checklist: Any, calendar: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    city2 = _person({}, "officer_city2", world.agency_city, ["officer"])
    insp = _city_inspection(world, ent_a, officer_ids=[world.user("officer_city").staff.pk, city2.staff.pk])
    # The city's officers cannot be put on a district inspection unless it is joint ...
    with pytest.raises(ValidationFailed):
        services.inspection_create(actor=world.user("officer_a"), enterprise=ent_a, type="planned", inspected_on=timezone.localdate(), started_at=timezone.now(), place="x",
                                   officer_ids=[world.user("officer_a").staff.pk, world.user("officer_city").staff.pk])  # fmt: skip
    # ... the district cannot register a hazard from the city's inspection ...
    with pytest.raises(ValidationFailed) as exc:
        hazard_services.hazard_create(actor=world.user("officer_a"), enterprise=ent_a, source="inspection", inspection=insp, description="x", location="y", severity="major", major_reason="现场确认", found_on=insp.inspected_on)
    assert "不是联合检查" in exc.value.fields["inspection"][0]
    # ... and an order over such a hazard (a row from before this rule) is refused, using no number.
    h = Hazard.objects.create(jurisdiction_id=ent_a.jurisdiction_id, owner_agency=world.agency_a, enterprise=ent_a, source="inspection", inspection=insp, description="x", location="y", severity="general", found_on=insp.inspected_on, period_days=15, created_by=world.user("officer_a"))
    with pytest.raises(ValidationFailed) as exc:
        hazard_services.rectification_order_issue(actor=world.user("officer_a"), hazards=[h], issued_on=timezone.localdate())
    assert exc.value.code == "officers_other_agency" and "烟台市芝罘区应急管理局" in exc.value.message
    r = api(world.user("officer_a")).post("/api/v1/hazards/order/", {"hazards": [h.pk], "issued_on": str(timezone.localdate())}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "officers_other_agency"
    assert not IssuedDocument.objects.exists()


def test_a_joint_inspection_names_the_officers_of_both_agencies(world: Any, ent_a: Any, checklist: Any, calendar: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    # Only an agency with jurisdiction over the unit joins: not another district.
    with pytest.raises(ValidationFailed) as exc:
        _city_inspection(world, ent_a, officer_ids=[world.user("officer_city").staff.pk, world.user("officer_a").staff.pk], joint_agency_ids=[world.agency_b.pk])
    assert "joint_agency_ids" in exc.value.fields
    r = api(world.user("officer_city")).post("/api/v1/inspections/", _payload(world, ent_a, officer_ids=[world.user("officer_city").staff.pk, world.user("officer_a").staff.pk], joint_agency_ids=[world.agency_a.pk]), format="json")
    assert r.status_code == 201, r.content
    assert r.json()["joint"] is True and r.json()["joint_agencies"] == [world.agency_a.pk]
    insp = Inspection.objects.get()
    h = hazard_services.hazard_create(actor=world.user("officer_a"), enterprise=ent_a, source="inspection", inspection=insp, description="x", location="y", severity="major", major_reason="现场确认", found_on=insp.inspected_on)
    doc = hazard_services.rectification_order_issue(actor=world.user("officer_a"), hazards=[h], issued_on=timezone.localdate())
    assert {o["name"] for o in doc.context["officers"]} == {"officer_city", "officer_a"}
    assert doc.number.startswith("芝应急责改〔")
