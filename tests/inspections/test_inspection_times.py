"""Issue 8 A: an inspection that could be completed can always be recorded.

The end time is taken when 完成检查 is pressed (not when the page was loaded); completion and the
现场检查记录 apply one time rule; an inspection whose record was refused has its times corrected,
audited. Through the field form (no JavaScript) and the API, with the conftest personas.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from anjian.core.models import AuditEvent
from anjian.documents.models import IssuedDocument
from anjian.documents.rendering import document_text
from anjian.inspections import services
from anjian.inspections.models import Inspection
from tests.inspections.conftest import officers

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 6, 15)


def at(hour: int, minute: int, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _start_on_the_field_form(client: Any, world: Any, ent: Any) -> Inspection:
    """The officer opens the field form at 9:00, starts and answers every item (no JavaScript)."""
    client.force_login(world.user("officer_a"))
    page = client.get(reverse("inspections:new", args=[ent.pk]))
    assert page.status_code == 200
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "type": "planned",
        "inspected_on": DAY.isoformat(),
        "started_time": "09:00",
        "place": "一号生产车间",
        "officers": [str(i) for i in officers(world)],
        "result_1": "noncompliant",
        "note_1": "安全管理人员未经考核",
        "result_2": "compliant",
        "result_3": "na",
    }
    r = client.post(reverse("inspections:new", args=[ent.pk]), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    return Inspection.objects.get()


def test_the_end_time_is_taken_when_the_inspection_is_completed_and_the_record_issues(client: Any, world: Any, ent_a: Any, checklist: Any, calendar: None, settings: Any) -> None:
    # The field form keeps the session alive while the officer works (inspections:keepalive); this
    # test jumps 40 minutes without it, past the 30-minute idle timeout (core/accounts.py).
    settings.SESSION_IDLE_MINUTES = 120
    with time_machine.travel(at(9, 0), tick=False):
        insp = _start_on_the_field_form(client, world, ent_a)
        # The completion form carries no end time filled in when the page loaded (the old default
        # made end = start, which the record then refused).
        body = client.get(reverse("inspections:field", args=[insp.pk])).content.decode()
        field = re.search(r'<input[^>]*name="c-ended_at"[^>]*>', body)
        assert field is not None and "value=" not in field.group(0)
    with time_machine.travel(at(9, 40), tick=False):
        r = client.post(reverse("inspections:complete", args=[insp.pk]), {"c-party_representative": "张三", "c-party_signature": "signed", "c-ended_at": ""})
        assert r.status_code == 302
        insp.refresh_from_db()
        assert insp.status == "completed" and insp.ended_at == at(9, 40)
        r = client.post(reverse("hazards:inspection_record", args=[insp.pk]))
        assert r.status_code == 302, r.content.decode()[:3000]
    doc = IssuedDocument.objects.get(kind="inspection_record")
    assert "2026年6月15日9时00分至9时40分" in document_text(doc.file.read())


def test_completion_refuses_what_the_record_would_refuse(client: Any, world: Any, ent_a: Any, checklist: Any, calendar: None) -> None:
    """The attack of issue 8: end = start passed completion (``<``) and then no record could be issued (``<=``)."""
    with time_machine.travel(at(9, 0), tick=False):
        insp = _start_on_the_field_form(client, world, ent_a)
        r = client.post(reverse("inspections:complete", args=[insp.pk]), {"c-party_representative": "张三", "c-party_signature": "signed", "c-ended_at": "2026-06-15T09:00"})
        assert r.status_code == 200
        assert "检查结束时间须晚于开始时间" in r.content.decode()
        insp.refresh_from_db()
        assert insp.status == "draft" and insp.ended_at is None


def test_the_api_takes_the_end_at_completion_and_applies_the_same_rule(world: Any, ent_a: Any, checklist: Any, calendar: None) -> None:
    api = APIClient()
    api.force_authenticate(world.user("officer_a"))
    with time_machine.travel(at(9, 0), tick=False):
        r = api.post(
            "/api/v1/inspections/",
            {"enterprise": ent_a.pk, "type": "planned", "inspected_on": DAY.isoformat(), "started_at": at(9, 0).isoformat(), "place": "罐区", "officer_ids": officers(world)},
            format="json",
        )
        assert r.status_code == 201
        pk = r.json()["id"]
        items = r.json()["items"]
        api.post(f"/api/v1/inspections/{pk}/results/", [{"item": i["id"], "result": "compliant"} for i in items], format="json")
        r = api.post(f"/api/v1/inspections/{pk}/complete/", {"ended_at": at(9, 0).isoformat(), "party_representative": "张三", "party_signature": "signed"}, format="json")
        assert r.status_code == 422 and "ended_at" in r.json()["fields"]
    with time_machine.travel(at(10, 5), tick=False):
        r = api.post(f"/api/v1/inspections/{pk}/complete/", {"party_representative": "张三", "party_signature": "signed"}, format="json")
        assert r.status_code == 200 and r.json()["status"] == "completed"
        assert dt.datetime.fromisoformat(r.json()["ended_at"]) == at(10, 5)


def _stuck(world: Any, ent: Any) -> Inspection:
    """A completed inspection stuck as three of four were: end = start, from before the fix."""
    with time_machine.travel(at(9, 30), tick=False):
        insp = services.inspection_create(
            actor=world.user("officer_a"), enterprise=ent, type="planned", inspected_on=DAY, started_at=at(9, 0), place="一号生产车间", officer_ids=officers(world)
        )
        services.inspection_record_results(actor=world.user("officer_a"), inspection=insp, results=[{"item": i.pk, "result": "compliant"} for i in insp.items.all()])
        services.inspection_complete(actor=world.user("officer_a"), inspection=insp, ended_at=at(9, 30), party_representative="张三", party_signature="signed")
    Inspection.objects.filter(pk=insp.pk).update(ended_at=at(9, 0))
    insp.refresh_from_db()
    return insp


def test_a_refused_record_has_its_times_corrected_on_the_page_audited(client: Any, world: Any, ent_a: Any, checklist: Any, calendar: None) -> None:
    insp = _stuck(world, ent_a)
    client.force_login(world.user("officer_a"))
    with time_machine.travel(at(14, 0), tick=False):
        r = client.post(reverse("hazards:inspection_record", args=[insp.pk]))
        body = r.content.decode()
        assert r.status_code == 200 and "检查结束时间须晚于开始时间" in body
        assert not IssuedDocument.objects.exists()
        # The way out is on the same page, open because the refusal was about the times.
        assert reverse("inspections:correct_times", args=[insp.pk]) in body and 'id="times" open' in body
        r = client.post(reverse("inspections:correct_times", args=[insp.pk]), {"started_at": "2026-06-15T09:00", "ended_at": "2026-06-15T09:45", "reason": ""})
        assert r.status_code == 200 and "请写明更正的原因" in r.content.decode()
        r = client.post(
            reverse("inspections:correct_times", args=[insp.pk]),
            {"started_at": "2026-06-15T09:00", "ended_at": "2026-06-15T09:45", "reason": "结束时间误为页面打开时间，按执法记录仪时间更正"},
        )
        assert r.status_code == 302
        insp.refresh_from_db()
        assert insp.ended_at == at(9, 45)
        event = AuditEvent.objects.get(action="inspection.correct_times", object_id=str(insp.pk))
        assert "执法记录仪" in event.note and event.actor == world.user("officer_a")
        assert client.post(reverse("hazards:inspection_record", args=[insp.pk])).status_code == 302
        # Once the record is issued its times stand: no correction, and no form offered.
        body = client.get(reverse("inspections:detail", args=[insp.pk])).content.decode()
        assert reverse("inspections:correct_times", args=[insp.pk]) not in body
        r = client.post(reverse("inspections:correct_times", args=[insp.pk]), {"started_at": "2026-06-15T08:00", "ended_at": "2026-06-15T09:45", "reason": "再改"})
        assert r.status_code == 409 and "现场检查记录已签发" in r.content.decode()
    insp.refresh_from_db()
    assert insp.started_at == at(9, 0)


def test_times_are_corrected_through_the_api_by_the_owning_bureau_only(world: Any, ent_a: Any, checklist: Any, calendar: None) -> None:
    insp = _stuck(world, ent_a)
    url = f"/api/v1/inspections/{insp.pk}/correct-times/"
    body = {"started_at": at(9, 0).isoformat(), "ended_at": at(9, 50).isoformat(), "reason": "更正结束时间"}
    with time_machine.travel(at(14, 0), tick=False):
        city, other = APIClient(), APIClient()
        city.force_authenticate(world.user("officer_city"))
        other.force_authenticate(world.user("officer_b"))
        assert city.post(url, body, format="json").status_code == 403  # reads, never writes
        assert other.post(url, body, format="json").status_code == 404  # another district
        api = APIClient()
        api.force_authenticate(world.user("officer_a"))
        # The start stays on the inspection date (the officers' certificates were checked for it).
        r = api.post(url, {**body, "started_at": at(9, 0, DAY - dt.timedelta(days=1)).isoformat()}, format="json")
        assert r.status_code == 422 and "started_at" in r.json()["fields"]
        r = api.post(url, {**body, "ended_at": at(9, 0).isoformat()}, format="json")
        assert r.status_code == 422 and "检查结束时间须晚于开始时间" in r.json()["fields"]["ended_at"][0]
        r = api.post(url, body, format="json")
        assert r.status_code == 200 and dt.datetime.fromisoformat(r.json()["ended_at"]) == at(9, 50)
    assert AuditEvent.objects.filter(action="inspection.correct_times", object_id=str(insp.pk)).count() == 1
