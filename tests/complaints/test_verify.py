"""A safety report verified on site (issue 12 item 6): an inspection of type 投诉举报核查 of the
reported unit, linked to the report, once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from anjian.complaints import services
from anjian.core.errors import DomainError, PermissionRefused
from anjian.inspections.choices import InspectionType
from tests.complaints.conftest import START, register, to_investigating


def test_report_verified_by_an_inspection_of_type_complaint(cw: Any, ent_a: Any) -> None:
    sub, _ = register(cw, kind="report", grounds=["hidden_hazard"], enterprise_id=ent_a.pk)
    sub = to_investigating(cw, sub, handler="officer_a2")
    officers = [cw.user("officer_a").staff.pk, cw.user("officer_a2").staff.pk]
    with pytest.raises(PermissionRefused):  # the office does not inspect
        services.report_verify(actor=cw.user("office_a"), submission=sub, officer_ids=officers, inspected_on=START.date(), place="仓库")
    insp = services.report_verify(actor=cw.user("officer_a2"), submission=sub, officer_ids=officers, inspected_on=START.date(), place="仓库")
    sub.refresh_from_db()
    assert insp.type == InspectionType.COMPLAINT and insp.enterprise_id == ent_a.pk and sub.verification_id == insp.pk
    with pytest.raises(DomainError) as exc:
        services.report_verify(actor=cw.user("officer_a2"), submission=sub, officer_ids=officers, inspected_on=START.date(), place="仓库")
    assert exc.value.code == "verification_exists"
    c = Client()
    c.force_login(cw.user("officer_a2"))
    page = c.get(f"/complaints/{sub.pk}/").content.decode()
    assert 'data-testid="verification"' in page and 'data-testid="step-verify"' not in page


def test_complaints_are_not_verified_by_inspection(cw: Any, ent_a: Any) -> None:
    sub, _ = register(cw)
    sub = to_investigating(cw, sub, handler="officer_a2")
    with pytest.raises(DomainError) as exc:
        services.report_verify(actor=cw.user("officer_a2"), submission=sub, enterprise_id=ent_a.pk, officer_ids=[1, 2], inspected_on=START.date(), place="x")
    assert exc.value.code == "not_a_report"


def test_verify_page_and_api(cw: Any, ent_a: Any) -> None:
    from rest_framework.test import APIClient

    sub, _ = register(cw, kind="report", grounds=["unlicensed"])
    sub = to_investigating(cw, sub, handler="officer_a2")
    c = Client()
    c.force_login(cw.user("officer_a2"))
    assert c.get(f"/complaints/{sub.pk}/verify/").status_code == 200
    api = APIClient()
    api.force_authenticate(cw.user("officer_a2"))
    r = api.post(f"/api/v1/complaints/{sub.pk}/verify/", {"officer_ids": [cw.user("officer_a").staff.pk, cw.user("officer_a2").staff.pk], "inspected_on": START.date().isoformat(), "place": "厂区"}, format="json")
    assert r.status_code == 422 and "enterprise_id" in r.json()["fields"]
    r = api.post(f"/api/v1/complaints/{sub.pk}/verify/", {"enterprise_id": ent_a.pk, "officer_ids": [cw.user("officer_a").staff.pk, cw.user("officer_a2").staff.pk], "inspected_on": START.date().isoformat(), "place": "厂区"}, format="json")
    assert r.status_code == 200 and r.json()["verification"] is not None
