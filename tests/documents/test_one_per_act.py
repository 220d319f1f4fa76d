"""One document per act (issue 8 item 5): a second live document of the same kind for the same act
is refused, unless it is a deliberate re-issue with its reason (audited) or the first was voided."""

from __future__ import annotations

import pytest

from anjian.core.models import AuditEvent
from anjian.documents import services
from anjian.documents.models import DocumentCounter, IssuedDocument

pytestmark = pytest.mark.django_db


def test_the_same_act_twice_is_refused_and_uses_no_number(world, issue):
    first = issue("inspection_record", subject_id=41)
    with pytest.raises(services.DocumentExists) as exc:
        issue("inspection_record", subject_id=41)
    assert exc.value.http_status == 409 and exc.value.code == "document_exists"
    assert exc.value.document == first and first.number in exc.value.message
    assert IssuedDocument.objects.count() == 1
    assert DocumentCounter.objects.get(series=first.number.split("〔")[0].removeprefix(world.agency_a.doc_abbr)).last == 1  # the refused issue gave its number back


def test_another_kind_or_another_act_is_not_a_duplicate(world, issue):
    issue("inspection_record", subject_id=42)
    issue("rectification_order", subject_id=42)
    issue("inspection_record", subject_id=43)
    issue("inspection_record", subject_id=42, agency=world.agency_b, actor=world.user("officer_b"))
    assert IssuedDocument.objects.count() == 4


def test_a_deliberate_reissue_names_its_reason_and_is_audited(world, issue):
    first = issue("inspection_record", subject_id=44)
    again = issue("inspection_record", subject_id=44, reissue_reason="原记录当事人签名页遗失，重新制作")
    assert again.number != first.number and again.reissue_reason
    ev = AuditEvent.objects.get(action="document.reissue")
    assert ev.after["earlier"] == [first.number] and "签名页遗失" in ev.note


def test_voiding_the_first_frees_the_act(world, issue):
    first = issue("inspection_record", subject_id=45)
    services.document_void(actor=world.user("depthead_a"), document=first, reason="检查时间登记有误")
    second = issue("inspection_record", subject_id=45)
    assert second.status == "issued" and second.pk != first.pk


def test_the_page_answers_a_double_submitted_record_with_the_first(client, world, settings, tmp_path):
    """The inspection record form posted twice: one record, the second post shows it."""
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from anjian.inspections import services as insp_services
    from tests.inspections.conftest import officers

    settings.MEDIA_ROOT = tmp_path
    from anjian.legal import lawcal

    lawcal.seed_from_package(2025, 2026)
    ent = _unit(world)
    insp = insp_services.inspection_create(
        actor=world.user("officer_a"), enterprise=ent, type="planned", inspected_on=timezone.localdate() - dt.timedelta(days=3),
        started_at=timezone.now() - dt.timedelta(days=3, hours=2), place="厂区", officer_ids=officers(world), template_ids=[],
        extra_items=[{"text": "安全出口畅通", "legal_basis": "《安全生产法》第四十二条"}],
    )  # fmt: skip
    item = insp.items.get()
    insp_services.inspection_record_results(actor=world.user("officer_a"), inspection=insp, results=[{"item": item.pk, "result": "compliant"}])
    insp_services.inspection_complete(actor=world.user("officer_a"), inspection=insp, ended_at=insp.started_at + dt.timedelta(hours=1), party_representative="张三", party_signature="signed")
    client.force_login(world.user("officer_a"))
    url = reverse("hazards:inspection_record", args=[insp.pk])
    first = client.post(url)
    second = client.post(url)
    assert first.status_code == second.status_code == 302
    docs = IssuedDocument.objects.filter(kind="inspection_record")
    assert docs.count() == 1
    page = client.get(second["Location"]).content.decode()
    assert "未重复签发" in page and docs.get().number in page


def _unit(world):
    from anjian.enterprises import services as ent_services
    from tests.conftest import make_uscc

    return ent_services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name="烟台示例化工有限公司", uscc=make_uscc(1), sectors=["hazchem.production"], registered_address="烟台市芝罘区示例路8号", legal_representative="李四")


def test_the_measure_api_replays_an_idempotency_key_and_refuses_a_second_decision(world, inspection, settings, tmp_path):
    from rest_framework.test import APIClient

    from anjian.hazards import services as hazard_services
    from anjian.hazards.models import Measure

    settings.MEDIA_ROOT = tmp_path
    h = hazard_services.hazard_create(
        actor=world.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection, description="液氨储罐区未设置紧急切断装置",
        location="液氨罐区", severity="major", major_reason="现场确认,符合判定标准", found_on=inspection.inspected_on,
    )  # fmt: skip
    c = APIClient()
    c.force_authenticate(world.user("officer_a"))
    body = {"measure_type": "suspend", "scope": "unit", "reason": "罐区无法保证安全", "decided_on": inspection.inspected_on.isoformat()}
    r1 = c.post(f"/api/v1/hazards/{h.pk}/measure/", body, format="json", HTTP_IDEMPOTENCY_KEY="measure-0001")
    r2 = c.post(f"/api/v1/hazards/{h.pk}/measure/", body, format="json", HTTP_IDEMPOTENCY_KEY="measure-0001")
    assert r1.status_code == 201, r1.content
    assert r2.status_code == 200 and r2.json()["id"] == r1.json()["id"]
    # without the key (or with another one), the same decision again is refused: one document per act
    r3 = c.post(f"/api/v1/hazards/{h.pk}/measure/", body, format="json")
    assert r3.status_code == 409 and r3.json()["code"] == "document_exists"
    assert Measure.objects.count() == 1 and IssuedDocument.objects.filter(kind="onsite_measure_decision").count() == 1
