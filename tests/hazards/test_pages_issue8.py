"""Issue 8 K, L, M and the rectification-report attachment, through the pages and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.hazards.models import Hazard, HazardEvent, RectificationReport, Reinspection
from anjian.inspections import services as insp_services
from tests.hazards.test_views import _major, _served
from tests.inspections.conftest import officers
from tests.inspections.test_evidence import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- K: no 销号 button on a hazard that cannot be closed ------------------------------------------------
def test_the_close_button_only_where_the_service_would_close(client: Any, world: Any, inspection: Any, media: Any) -> None:
    h = _served(world, _major(world, inspection))
    client.force_login(world.user("officer_a"))
    close = f'action="{reverse("hazards:close", args=[h.pk])}"'
    body = client.get(reverse("hazards:detail", args=[h.pk])).content.decode()
    assert close not in body and 'data-testid="close-note"' in body
    # A passed re-inspection whose hazard was not closed (a row from before the automatic close):
    # the same predicate shows the button, and the service closes it.
    re_insp = insp_services.inspection_create(actor=world.user("officer_a"), enterprise=h.enterprise, type="reinspection", inspected_on=timezone.localdate(), started_at=timezone.now(), place="罐区", officer_ids=officers(world), template_ids=[])
    Reinspection.objects.create(hazard=h, inspection=re_insp, result="pass", opinion="合格", decided_on=timezone.localdate())
    assert client.get(reverse("hazards:detail", args=[h.pk])).content.decode().count(close) == 1  # one button
    client.force_login(world.user("officer_city"))  # reads, may not close: no button
    assert close not in client.get(reverse("hazards:detail", args=[h.pk])).content.decode()
    client.force_login(world.user("officer_a"))
    assert client.post(reverse("hazards:close", args=[h.pk])).status_code == 302
    h.refresh_from_db()
    assert h.status == "closed" and h.closed_on == timezone.localdate()
    assert close not in client.get(reverse("hazards:detail", args=[h.pk])).content.decode()


# --- L: a hazard found without an inspection ------------------------------------------------------------
def test_a_self_check_hazard_is_registered_from_the_unit(client: Any, world: Any, ent_a: Any) -> None:
    new = reverse("hazards:create") + f"?enterprise={ent_a.pk}"
    client.force_login(world.user("officer_a"))
    for page in (reverse("enterprises:detail", args=[ent_a.pk]), reverse("hazards:timeline", args=[ent_a.pk]), reverse("hazards:two_lists", args=[ent_a.pk]), reverse("hazards:list") + f"?enterprise={ent_a.pk}"):
        assert f'href="{new}"' in client.get(page).content.decode().replace("&amp;", "&"), page
    r = client.get(new)
    assert r.status_code == 200
    body = r.content.decode()
    assert 'value="self_check" checked' in body or 'value="self_check" selected' in body
    r = client.post(reverse("hazards:create"), {"enterprise": ent_a.pk, "source": "self_check", "description": "配电室门未上锁", "location": "配电室", "severity": "general", "found_on": timezone.localdate().isoformat()})
    assert r.status_code == 302
    h = Hazard.objects.get()
    assert (h.source, h.inspection, h.owner_agency, h.period_days) == ("self_check", None, world.agency_a, 15)
    # A read-only role is offered no link (the form would only refuse it).
    client.force_login(world.user("leader_a"))
    assert f'href="{new}"' not in client.get(reverse("hazards:timeline", args=[ent_a.pk])).content.decode().replace("&amp;", "&")
    assert client.get(new).status_code == 403
    # Another district: 404.
    client.force_login(world.user("officer_b"))
    assert client.get(new).status_code == 404


def test_a_reported_hazard_through_the_api(world: Any, ent_a: Any) -> None:
    c = APIClient()
    c.force_authenticate(world.user("officer_a"))
    r = c.post("/api/v1/hazards/", {"enterprise": ent_a.pk, "source": "report", "description": "举报：消防通道堵塞", "location": "仓库", "severity": "general", "found_on": str(timezone.localdate())}, format="json")
    assert r.status_code == 201 and r.json()["inspection"] is None and r.json()["source"] == "report"


# --- M: the timeline orders a day by time and shows it -------------------------------------------------------
def test_the_timeline_orders_a_day_by_time(client: Any, world: Any, ent_a: Any, checklist: Any, calendar: Any) -> None:
    day = timezone.localdate() - dt.timedelta(days=1)
    tz = timezone.get_default_timezone()
    # Inspected in the morning; a hazard from the unit's report registered in the afternoon.
    # (Ordered by kind, inspections came first within the day whatever their time.)
    insp_services.inspection_create(actor=world.user("officer_a"), enterprise=ent_a, type="planned", inspected_on=day, started_at=dt.datetime.combine(day, dt.time(8, 30), tz), place="厂区", officer_ids=officers(world))
    client.force_login(world.user("officer_a"))
    client.post(reverse("hazards:create"), {"enterprise": ent_a.pk, "source": "report", "description": "举报隐患", "location": "仓库", "severity": "general", "found_on": day.isoformat()})
    HazardEvent.objects.update(at=dt.datetime.combine(day, dt.time(16, 5), tz))
    body = client.get(reverse("hazards:timeline", args=[ent_a.pk])).content.decode().split('data-testid="timeline"')[1]
    assert body.index("登记一般事故隐患") < body.index("计划检查")  # newest first: 16:05 before 08:30
    assert '<span class="small text-body-secondary mono me-1" data-testid="entry-time">16:05</span>' in body
    assert '<span class="small text-body-secondary mono me-1" data-testid="entry-time">08:30</span>' in body


# --- the rectification-report attachment: the evidence checks -----------------------------------------------
def test_the_report_attachment_is_checked_like_evidence(client: Any, world: Any, inspection: Any, media: Any) -> None:
    h = _served(world, _major(world, inspection))
    client.force_login(world.user("officer_a"))
    url = reverse("hazards:report", args=[h.pk])
    data = {"rp-reported_on": timezone.localdate().isoformat(), "rp-description": "已整改"}
    html = SimpleUploadedFile("整改.html", b"<html><script>alert(1)</script></html>" * 100, content_type="text/html")
    r = client.post(url, {**data, "rp-evidence": html})
    assert r.status_code == 200 and "不是有效的整改材料" in r.content.decode()
    assert not RectificationReport.objects.exists()
    h.refresh_from_db()
    assert h.status == "rectifying"
    png = SimpleUploadedFile("现场.png", png_bytes(), content_type="image/png")
    assert client.post(url, {**data, "rp-evidence": png}).status_code == 302
    rep = RectificationReport.objects.get()
    assert rep.evidence.name.endswith(".png") and "现场" not in rep.evidence.name
