"""Fixes from the review of the merged hazards and legal changes (the attack is the test)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from anjian.hazards.models import Hazard
from anjian.inspections.models import Finding, Inspection

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def _other_agencys_inspection(world: Any, inspection: Inspection) -> tuple[Inspection, Finding]:
    """A non-joint inspection of the same unit made by the city bureau, with one finding."""
    other = Inspection.objects.get(pk=inspection.pk)
    other.pk = None
    other.owner_agency = world.agency_city
    other.joint = False
    if hasattr(other, "idempotency_key"):
        other.idempotency_key = None
    other.save()
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
