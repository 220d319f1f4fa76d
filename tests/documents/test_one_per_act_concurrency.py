"""One document per act under real concurrency (PostgreSQL; issue 8 item 5): two parallel measure
decisions, two parallel record issues — one document each time, the other request is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from anjian.documents.models import IssuedDocument
from anjian.documents.services import DocumentExists
from anjian.hazards import services
from anjian.hazards.models import Measure
from anjian.inspections import services as insp_services
from tests.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _complete(world, insp):
    items = list(insp.items.all())
    insp_services.inspection_record_results(actor=world.user("officer_a"), inspection=insp, results=[{"item": i.pk, "result": "compliant"} for i in items])
    insp_services.inspection_complete(actor=world.user("officer_a"), inspection=insp, ended_at=insp.started_at + dt.timedelta(hours=2), party_representative="张三", party_signature="signed")


def test_two_parallel_measure_decisions_issue_one(world, inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = world.user("officer_a")
    h = services.hazard_create(
        actor=officer, enterprise=inspection.enterprise, source="inspection", inspection=inspection, description="液氨储罐区未设置紧急切断装置",
        location="液氨罐区", severity="major", major_reason="现场确认,符合判定标准", found_on=inspection.inspected_on,
    )  # fmt: skip
    ok, errors = race(2, lambda i: services.measure_decide(actor=officer, hazard=h, measure_type="suspend", scope="unit", reason="罐区无法保证安全", decided_on=inspection.inspected_on))
    assert len(ok) == 1 and len(errors) == 1 and isinstance(errors[0], DocumentExists), errors
    assert Measure.objects.filter(hazard=h).count() == 1
    assert IssuedDocument.objects.filter(kind="onsite_measure_decision").count() == 1


def test_two_parallel_record_issues_issue_one(world, inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _complete(world, inspection)
    officer = world.user("officer_a")
    ok, errors = race(2, lambda i: services.inspection_record_issue(actor=officer, inspection=inspection))
    assert len(ok) == 1 and len(errors) == 1 and isinstance(errors[0], DocumentExists), errors
    docs = list(IssuedDocument.objects.filter(kind="inspection_record"))
    assert len(docs) == 1 and docs[0].seq == 1


def test_two_parallel_unit_registrations_with_one_key_register_one(world):
    from anjian.enterprises import services as ent_services
    from anjian.enterprises.models import Enterprise

    user = world.user("officer_a")
    ok, errors = race(3, lambda i: ent_services.enterprise_create(actor=user, jurisdiction=world.district_a, name="无照加工点", unlicensed=True, idempotency_key="form-key-0001"))
    assert not errors and len({e.pk for e in ok}) == 1
    assert Enterprise.objects.count() == 1
