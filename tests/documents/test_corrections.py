"""Void and erroneous service from the document's own page and the API (issue 14 item 4): the roles,
the reasons, and the deadlines computed from a service taken back with it (or the marking refused
when the unit has acted on them). A penalty case's documents: tests/cases/test_service_correction.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from anjian.core.models import AuditEvent
from anjian.documents.rendering import cn_date
from tests.inspections.conftest import calendar, checklist, inspection, officers  # noqa: F401

pytestmark = pytest.mark.django_db


def test_void_from_the_page_and_the_api(world: Any, client: Any, issue: Any) -> None:
    doc = issue("rectification_order")
    client.force_login(world.user("officer_a"))  # an officer may not void: no form, 403
    page = client.get(f"/documents/{doc.pk}/").content.decode()
    assert 'data-testid="void-form"' not in page and doc.number in page
    assert client.post(f"/api/v1/documents/{doc.pk}/void/", {"reason": "写错"}, content_type="application/json").status_code == 403
    client.force_login(world.user("leader_city"))  # the city reads, does not void another bureau's
    assert 'data-testid="void-form"' not in client.get(f"/documents/{doc.pk}/").content.decode()
    client.force_login(world.user("depthead_a"))
    assert 'data-testid="void-form"' in client.get(f"/documents/{doc.pk}/").content.decode()
    blank = client.post(f"/documents/{doc.pk}/void/", {"reason": ""})
    assert blank.status_code == 400 and "请写明原因。" in blank.content.decode()
    assert client.post(f"/api/v1/documents/{doc.pk}/void/", {"reason": " "}, content_type="application/json").status_code == 400
    done = client.post(f"/documents/{doc.pk}/void/", {"reason": "当事人名称写错"})
    assert done.status_code == 302
    doc.refresh_from_db()
    assert doc.status == "voided" and doc.void_reason == "当事人名称写错"
    again = client.post(f"/api/v1/documents/{doc.pk}/void/", {"reason": "再次"}, content_type="application/json")
    assert again.status_code == 409
    client.force_login(world.user("officer_b"))
    assert client.get(f"/documents/{doc.pk}/").status_code == 404


def test_a_served_document_is_not_voided(world: Any, client: Any, issue: Any) -> None:
    from anjian.documents import services

    doc = issue("rectification_order")
    services.service_record(actor=world.user("officer_a"), document=doc, method="direct", event_date=dt.date(2026, 11, 28), recipient="王强")
    client.force_login(world.user("depthead_a"))
    assert 'data-testid="void-form"' not in client.get(f"/documents/{doc.pk}/").content.decode()
    resp = client.post(f"/api/v1/documents/{doc.pk}/void/", {"reason": "写错"}, content_type="application/json")
    assert resp.status_code == 409 and "已送达" in resp.json()["message"]


@pytest.fixture
def served(world: Any, inspection: Any) -> Any:  # noqa: F811
    """A general hazard of district A, its order issued and served five days ago."""
    from anjian.hazards import services

    day = timezone.localdate() - dt.timedelta(days=5)
    h = services.hazard_create(
        actor=world.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection, description="消防通道堵塞", location="仓库",
        severity="general", found_on=inspection.inspected_on, period_days=15,
    )  # fmt: skip
    order = services.rectification_order_issue(actor=world.user("officer_a"), hazards=[h], issued_on=day, inspection=inspection)
    services.rectification_order_served(actor=world.user("officer_a"), document=order, method="direct", event_date=day, recipient="张三")
    h.refresh_from_db()
    assert h.status == "rectifying" and h.deadline is not None
    return h


def test_erroneous_service_takes_back_the_deadline(world: Any, client: Any, served: Any) -> None:
    from anjian.hazards import services

    h = served
    old_served, old_deadline = h.served_on, h.deadline
    record = h.order_document.service_records.get()
    client.force_login(world.user("officer_a"))
    page = client.get(f"/documents/{h.order_document_id}/").content.decode()
    assert 'data-testid="service-erroneous"' in page
    resp = client.post(f"/api/v1/documents/{h.order_document_id}/service-records/{record.pk}/erroneous/", {"reason": "送达日期登记错误"}, content_type="application/json")
    assert resp.status_code == 200, resp.content
    h.refresh_from_db()
    assert (h.status, h.served_on, h.deadline, h.deadline_from_service) == ("open", None, None, False)
    assert AuditEvent.objects.filter(action="hazard.service_corrected").count() == 1
    # The hazard's own page shows what was withdrawn: the old service date and deadline.
    hazard_page = client.get(f"/hazards/{h.pk}/").content.decode()
    assert f"原登记送达日期{cn_date(old_served)}，原整改期限至{cn_date(old_deadline)}" in hazard_page
    # A correct service starts the clock again.
    day = timezone.localdate() - dt.timedelta(days=2)
    services.rectification_order_served(actor=world.user("officer_a"), document=h.order_document, method="direct", event_date=day, recipient="张三")
    h.refresh_from_db()
    assert h.status == "rectifying" and h.served_on == day and h.deadline is not None


def test_erroneous_service_refused_once_the_unit_acted_on_it(world: Any, client: Any, served: Any) -> None:
    from anjian.hazards import services

    h = served
    services.hazard_report_rectified(actor=world.user("officer_a"), hazard=h, reported_on=timezone.localdate(), description="已整改")
    record = h.order_document.service_records.get()
    client.force_login(world.user("officer_a"))
    resp = client.post(f"/documents/{h.order_document_id}/service/{record.pk}/erroneous/", {f"r{record.pk}-reason": "送达日期登记错误"})
    assert resp.status_code == 409 and "不能将送达登记标为有误" in resp.content.decode()
    record.refresh_from_db()
    h.refresh_from_db()
    assert record.status == "effective" and h.status == "reported" and h.deadline is not None  # nothing changed
    assert client.post(f"/api/v1/documents/{h.order_document_id}/service-records/999999/erroneous/", {"reason": "x"}, content_type="application/json").status_code == 404
    assert client.post(f"/api/v1/documents/{h.order_document_id}/service-records/abc/erroneous/", {"reason": "x"}, content_type="application/json").status_code == 404
