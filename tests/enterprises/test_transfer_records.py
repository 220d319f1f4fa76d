"""A unit that moves to another jurisdiction (issue 8, Low; docs/architecture.md): its records stay
with the bureau that made them, open hazards included, which that bureau re-inspects and closes;
the receiving bureau's two lists show only its own records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.core.errors import DomainError
from anjian.core.models import AuditEvent
from anjian.enterprises import services as ent_services
from anjian.hazards import selectors, services
from anjian.hazards.models import Hazard
from anjian.inspections import services as insp_services
from tests.inspections.conftest import officers

pytestmark = pytest.mark.django_db


def _ordered_hazard(world, inspection):
    officer = world.user("officer_a")
    items = list(inspection.items.all())
    insp_services.inspection_record_results(actor=officer, inspection=inspection, results=[{"item": items[0].pk, "result": "noncompliant", "note": "安全出口堵塞"}, *({"item": i.pk, "result": "compliant"} for i in items[1:])])
    insp_services.inspection_complete(actor=officer, inspection=inspection, ended_at=inspection.started_at + dt.timedelta(hours=2), party_representative="张三", party_signature="signed")
    finding = inspection.findings.get()
    h = services.hazard_create(actor=officer, enterprise=inspection.enterprise, source="inspection", inspection=inspection, findings=[finding], description="安全出口堵塞",
                               location="一号车间", severity="general", found_on=inspection.inspected_on, period_days=10, set_aside_reason="经专家论证不属于重大隐患", set_aside_by=world.user("expert_a").staff)  # fmt: skip
    order = services.rectification_order_issue(actor=officer, hazards=[h], issued_on=inspection.inspected_on)
    services.rectification_order_served(actor=officer, document=order, method="direct", event_date=inspection.inspected_on, recipient="张三")
    closed = services.hazard_create(actor=officer, enterprise=inspection.enterprise, source="inspection", inspection=inspection, description="灭火器过期",
                                    location="二号车间", severity="general", found_on=inspection.inspected_on, period_days=10, set_aside_reason="不属于重大隐患", set_aside_by=world.user("expert_a").staff)  # fmt: skip
    return Hazard.objects.get(pk=h.pk), closed


def test_open_hazards_stay_with_the_ordering_bureau_which_reinspects_and_closes_them(client, world, inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ent = inspection.enterprise
    h, other = _ordered_hazard(world, inspection)
    ent_services.enterprise_transfer(actor=world.user("depthead_a"), enterprise=ent, to_jurisdiction=world.district_b, effective_date=timezone.localdate(), reason="注册地址迁入福山区")
    h.refresh_from_db()
    assert (h.jurisdiction_id, h.owner_agency_id) == (world.district_a.pk, world.agency_a.pk)
    ev = AuditEvent.objects.filter(action="enterprise.transfer").order_by("id").first()
    assert sorted(ev.after["open_hazards_kept"]) == sorted([h.pk, other.pk])

    # The receiving bureau's two lists: none of district A's hazards, one line saying who holds them.
    b = world.user("officer_b")
    data = selectors.two_lists(user=b, enterprise=ent)
    assert data["hazards"] == [] and data["held_elsewhere"] == [(world.agency_a.name, 2)]
    client.force_login(b)
    page = client.get(reverse("hazards:two_lists", args=[ent.pk])).content.decode()
    assert "安全出口堵塞" not in page and "另有2项未销号隐患由烟台市芝罘区应急管理局跟踪" in page
    export = client.get(reverse("hazards:two_lists_export", args=[ent.pk]))
    assert "安全出口堵塞".encode() not in b"".join(getattr(export, "streaming_content", [export.content]))

    # The old bureau still works them: report, re-inspection, opinion, closed.
    officer = world.user("officer_a")
    assert list(selectors.hazard_list(user=officer).filter(pk=h.pk)) == [h]
    services.hazard_report_rectified(actor=officer, hazard=h, reported_on=timezone.localdate(), description="已清理")
    re = services.reinspection_start(actor=officer, hazards=[h], inspected_on=timezone.localdate(), started_at=timezone.now() - dt.timedelta(hours=1), place="一号车间", officer_ids=officers(world))
    assert re.jurisdiction_id == world.district_a.pk and re.owner_agency_id == world.agency_a.pk
    services.reinspection_decide(actor=officer, reinspection=h.reinspections.get(), result="pass", opinion="已整改合格", decided_on=re.inspected_on)
    opinion = services.reinspection_opinion_issue(actor=officer, inspection=re, issued_on=re.inspected_on)
    h.refresh_from_db()
    assert h.status == "closed" and opinion.jurisdiction_id == world.district_a.pk
    # The receiving bureau cannot act on them.
    with pytest.raises(DomainError) as exc:
        services.hazard_report_rectified(actor=world.user("officer_b"), hazard=other, reported_on=timezone.localdate(), description="代报")
    assert exc.value.http_status in (403, 404)
