"""Issue 8 (Low): dates of facts are sanity-checked. A date recorded as something that happened
(found, supervised, requested, decided, inspected, issued, served) is neither in the future nor
before 1949-10-01 (``core.validators.DateBounds("fact")``); the refusal names the field in Chinese
and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.core.errors import ValidationFailed
from anjian.documents.models import IssuedDocument, ServiceRecord
from anjian.hazards import services
from anjian.hazards.models import DeadlineExtension, Hazard, Measure, RestartReview
from anjian.inspections.models import Inspection
from tests.hazards.test_views import _major, _served
from tests.inspections.conftest import officers

pytestmark = pytest.mark.django_db

ABSURD = ["0001-01-01", "1949-09-30", "2099-01-01"]


def api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _refused(r: Any, field: str) -> str:
    assert r.status_code in (400, 422), r.content
    msg = "".join(r.json()["fields"][field])
    assert "日期" in msg
    return msg


@pytest.mark.parametrize("day", ABSURD)
def test_supervision_date_is_bounded(world: Any, inspection: Any, day: str) -> None:
    h = _major(world, inspection)
    r = api(world.user("leader_a")).post(f"/api/v1/hazards/{h.pk}/supervise/", {"by": "区安委会", "on": day}, format="json")
    _refused(r, "on")
    h.refresh_from_db()
    assert not h.supervised and h.supervised_on is None


def test_supervision_cannot_precede_the_hazard(world: Any, inspection: Any) -> None:
    h = _major(world, inspection)
    before = str(h.found_on - dt.timedelta(days=1))
    r = api(world.user("leader_a")).post(f"/api/v1/hazards/{h.pk}/supervise/", {"by": "区安委会", "on": before}, format="json")
    assert "不能早于隐患发现日期" in _refused(r, "on")
    r = api(world.user("leader_a")).post(f"/api/v1/hazards/{h.pk}/supervise/", {"by": "区安委会", "on": str(h.found_on)}, format="json")
    assert r.status_code == 200 and r.json()["supervised_on"] == str(h.found_on)


@pytest.mark.parametrize("day", ABSURD)
def test_hazard_found_on_is_bounded(world: Any, inspection: Any, day: str) -> None:
    r = api(world.user("officer_a")).post("/api/v1/hazards/", {
        "enterprise": inspection.enterprise_id, "source": "other", "description": "液氨罐区未设紧急切断", "location": "罐区",
        "severity": "general", "period_days": 10, "found_on": day,
    }, format="json")  # fmt: skip
    _refused(r, "found_on")
    assert not Hazard.objects.exists()


@pytest.mark.parametrize("day", ABSURD)
def test_extension_request_date_is_bounded(world: Any, inspection: Any, media: Any, day: str) -> None:
    h = _served(world, _major(world, inspection))
    until = str(h.deadline + dt.timedelta(days=10))
    r = api(world.user("officer_a")).post(f"/api/v1/hazards/{h.pk}/extension/", {"requested_on": day, "requested_until": until, "reason": "设备到货延迟"}, format="json")
    _refused(r, "requested_on")
    assert not DeadlineExtension.objects.exists()


@pytest.mark.parametrize("day", ABSURD)
def test_inspection_date_is_bounded(world: Any, ent_a: Any, checklist: Any, day: str) -> None:
    r = api(world.user("officer_a")).post("/api/v1/inspections/", {
        "enterprise": ent_a.pk, "type": "planned", "inspected_on": day, "started_at": timezone.now().isoformat(), "place": "罐区", "officer_ids": officers(world),
    }, format="json")  # fmt: skip
    _refused(r, "inspected_on")
    assert not Inspection.objects.exists()


@pytest.mark.parametrize("day", ABSURD)
def test_order_issue_and_service_dates_are_bounded(world: Any, inspection: Any, media: Any, day: str) -> None:
    h = _major(world, inspection)
    c = api(world.user("officer_a"))
    r = c.post("/api/v1/hazards/order/", {"hazards": [h.pk], "issued_on": day}, format="json")
    _refused(r, "issued_on")
    assert not IssuedDocument.objects.filter(kind="rectification_order").exists()
    order = services.rectification_order_issue(actor=world.user("officer_a"), hazards=[h], issued_on=h.found_on)
    r = c.post("/api/v1/hazards/serve/", {"document": order.pk, "method": "direct", "event_date": day, "recipient": "张三"}, format="json")
    _refused(r, "event_date")
    assert not ServiceRecord.objects.exists()


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(2099, 1, 1)])
def test_the_other_hazard_dates_are_bounded(world: Any, inspection: Any, media: Any, day: dt.date) -> None:
    """Report, extension decision, re-inspection, measure and restart dates: each names its field."""
    officer, leader = world.user("officer_a"), world.user("leader_a")
    h = _served(world, _major(world, inspection))

    def refused(field: str, call: Any, **kw: Any) -> None:
        with pytest.raises(ValidationFailed) as exc:
            call(**kw)
        assert field in exc.value.fields, exc.value.fields

    refused("reported_on", services.hazard_report_rectified, actor=officer, hazard=h, reported_on=day, description="已加装紧急切断装置")
    ext = DeadlineExtension.objects.create(hazard=h, requested_on=h.served_on, requested_until=h.deadline + dt.timedelta(days=10), reason="x", previous_deadline=h.deadline, requested_by=officer)
    refused("decided_on", services.extension_decide, actor=leader, extension=ext, approve=True, decided_on=day, note="同意")
    insp = services.reinspection_start(actor=officer, hazards=[h], inspected_on=timezone.localdate(), started_at=timezone.now(), place="罐区", officer_ids=officers(world))
    refused("decided_on", services.reinspection_decide, actor=officer, reinspection=insp.reinspections.get(), result="pass", opinion="已整改", decided_on=day)
    refused("decided_on", services.measure_decide, actor=officer, hazard=h, measure_type="suspend", scope="unit", reason="无法保证安全", decided_on=day, issue_document=False)
    assert not Measure.objects.exists()
    m = services.measure_decide(actor=officer, hazard=h, measure_type="suspend", scope="unit", reason="无法保证安全", decided_on=h.found_on, issue_document=False)
    refused("applied_on", services.restart_apply, actor=officer, measure=m, applied_on=day, application="已整改完毕，申请恢复生产")
    assert not RestartReview.objects.exists()
    rr = services.restart_apply(actor=officer, measure=m, applied_on=timezone.localdate(), application="已整改完毕，申请恢复生产")
    refused("reviewed_on", services.restart_review_decide, actor=leader, review=rr, approved=True, opinion="同意", reviewed_on=day)
    h.refresh_from_db()
    ext.refresh_from_db()
    rr.refresh_from_db()
    assert h.status == "rectifying" and ext.status == "pending" and rr.reviewed_on is None


def test_the_supervision_page_shows_the_refusal_at_the_field(client: Any, world: Any, inspection: Any) -> None:
    h = _major(world, inspection)
    client.force_login(world.user("leader_a"))
    r = client.post(reverse("hazards:supervise", args=[h.pk]), {"sv-by": "区安委会", "sv-on": "2099-01-01"})
    assert r.status_code in (200, 400, 422) and "日期2099年1月1日晚于今天" in r.content.decode()
    h.refresh_from_db()
    assert not h.supervised
