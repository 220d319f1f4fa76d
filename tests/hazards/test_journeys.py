"""The journeys of issue 4, through the services the UI and API call."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.errors import DomainError, PermissionRefused, ValidationFailed
from anjian.core.models import AuditEvent
from anjian.documents.models import IssuedDocument
from anjian.enterprises.selectors import operating_status
from anjian.hazards import services
from anjian.hazards.models import Hazard
from anjian.inspections import services as insp_services
from anjian.org import services as org_services
from tests.inspections.conftest import officers


def _complete_with_finding(world, inspection, note="安全管理人员未经考核"):
    items = list(inspection.items.all())
    insp_services.inspection_record_results(actor=world.user("officer_a"), inspection=inspection, results=[
        {"item": items[0].pk, "result": "noncompliant", "note": note},
        {"item": items[1].pk, "result": "compliant"},
        {"item": items[2].pk, "result": "na"},
    ])
    insp_services.inspection_complete(actor=world.user("officer_a"), inspection=inspection, ended_at=inspection.started_at + dt.timedelta(hours=2), party_representative="张三", party_signature="signed")
    return inspection.findings.get()


def test_general_hazard_from_inspection_to_closed(world, inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = world.user("officer_a")
    finding = _complete_with_finding(world, inspection)
    record = services.inspection_record_issue(actor=officer, inspection=inspection)
    assert record.number == f"芝应急检记〔{inspection.inspected_on.year}〕1号"
    hazard = services.hazard_create(actor=officer, enterprise=inspection.enterprise, source="inspection", inspection=inspection, findings=[finding],
                                    description="安全管理人员未经考核", location="安全管理部门", severity="general", found_on=inspection.inspected_on,
                                    period_days=10, set_aside_reason="经专家论证不属于重大隐患", set_aside_by=world.user("expert_a").staff)
    order = services.rectification_order_issue(actor=officer, hazards=[hazard], issued_on=inspection.inspected_on)
    assert order.number.startswith("芝应急责改〔")
    hazard.refresh_from_db()
    assert hazard.status == "open"
    with pytest.raises(DomainError):
        services.hazard_report_rectified(actor=officer, hazard=hazard, reported_on=timezone.localdate(), description="已整改")
    served = services.rectification_order_served(actor=officer, document=order, method="direct", event_date=inspection.inspected_on, recipient="张三")
    h = served[0]
    assert h.status == "rectifying" and h.served_on == inspection.inspected_on
    assert h.deadline >= inspection.inspected_on + dt.timedelta(days=10)
    with pytest.raises(DomainError) as exc:
        services.hazard_close(actor=officer, hazard=h)
    assert exc.value.code == "close_without_reinspection"
    services.hazard_report_rectified(actor=officer, hazard=h, reported_on=timezone.localdate() - dt.timedelta(days=5), description="已组织考核,取得合格证")
    re = services.reinspection_start(actor=officer, hazards=[h], inspected_on=timezone.localdate() - dt.timedelta(days=2), started_at=timezone.now() - dt.timedelta(days=2), place="厂区", officer_ids=officers(world))
    assert re.type == "reinspection" and re.items.count() == 1
    r = h.reinspections.get()
    services.reinspection_decide(actor=officer, reinspection=r, result="pass", opinion="已整改合格", decided_on=re.inspected_on)
    opinion = services.reinspection_opinion_issue(actor=officer, inspection=re, issued_on=re.inspected_on)
    h.refresh_from_db()
    assert h.status == "closed" and h.closed_on == re.inspected_on
    assert opinion.number.startswith("芝应急复查〔")
    assert list(h.events.values_list("to_status", flat=True)) == ["open", "rectifying", "reported", "closed"]
    assert AuditEvent.objects.filter(action="hazard.close", object_id=str(h.pk)).exists()


def test_failed_reinspection_sets_a_new_period(world, inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = world.user("officer_a")
    finding = _complete_with_finding(world, inspection)
    h = services.hazard_create(actor=officer, enterprise=inspection.enterprise, source="inspection", inspection=inspection, findings=[finding], description="x", location="y", severity="general", found_on=inspection.inspected_on, set_aside_reason="专家认定", set_aside_by=world.user("expert_a").staff)
    order = services.rectification_order_issue(actor=officer, hazards=[h], issued_on=inspection.inspected_on)
    services.rectification_order_served(actor=officer, document=order, method="direct", event_date=inspection.inspected_on, recipient="张三")
    re = services.reinspection_start(actor=officer, hazards=[h], inspected_on=timezone.localdate(), started_at=timezone.now(), place="厂区", officer_ids=officers(world))
    r = h.reinspections.get()
    with pytest.raises(ValidationFailed):
        services.reinspection_decide(actor=officer, reinspection=r, result="fail", opinion="未整改", decided_on=re.inspected_on)
    services.reinspection_decide(actor=officer, reinspection=r, result="fail", opinion="未整改", decided_on=re.inspected_on, new_period_days=7)
    h.refresh_from_db()
    assert h.status == "rectifying" and h.period_days == 7 and h.deadline is None


def test_first_report_date_is_kept_on_the_hazard(world, inspection, settings, tmp_path):
    """The statistics count a hazard as reported from its first report (期内发现且已报整改完成):
    a report after a failed re-inspection does not move that date."""
    settings.MEDIA_ROOT = tmp_path
    officer = world.user("officer_a")
    finding = _complete_with_finding(world, inspection)
    h = services.hazard_create(actor=officer, enterprise=inspection.enterprise, source="inspection", inspection=inspection, findings=[finding], description="x", location="y", severity="general", found_on=inspection.inspected_on, set_aside_reason="专家认定", set_aside_by=world.user("expert_a").staff)
    order = services.rectification_order_issue(actor=officer, hazards=[h], issued_on=inspection.inspected_on)
    h = services.rectification_order_served(actor=officer, document=order, method="direct", event_date=inspection.inspected_on, recipient="张三")[0]
    assert h.first_reported_on is None
    first = timezone.localdate() - dt.timedelta(days=3)
    services.hazard_report_rectified(actor=officer, hazard=h, reported_on=first, description="已整改")
    h.refresh_from_db()
    assert h.first_reported_on == first
    re = services.reinspection_start(actor=officer, hazards=[h], inspected_on=timezone.localdate() - dt.timedelta(days=1), started_at=timezone.now() - dt.timedelta(days=1), place="厂区", officer_ids=officers(world))
    services.reinspection_decide(actor=officer, reinspection=h.reinspections.get(), result="fail", opinion="未整改", decided_on=re.inspected_on, new_period_days=7)
    h.refresh_from_db()
    services.hazard_report_rectified(actor=officer, hazard=h, reported_on=timezone.localdate(), description="重新整改完成")
    h.refresh_from_db()
    assert h.status == "reported" and h.reports.count() == 2 and h.first_reported_on == first
    # The migration that added the date fills it from the reports already recorded.
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    Hazard.objects.filter(pk=h.pk).update(first_reported_on=None)
    # (SQLite's schema editor cannot open inside the test's transaction: a stand-in with what the fill uses)
    editor = SimpleNamespace(connection=connection, execute=lambda sql: connection.cursor().execute(sql))
    importlib.import_module("anjian.hazards.migrations.0007_stats_indexes").fill(apps, editor)
    h.refresh_from_db()
    assert h.first_reported_on == first


def test_matching_criterion_cannot_be_set_aside_without_approval(world, inspection):
    finding = _complete_with_finding(world, inspection)
    from unittest import mock

    with mock.patch.object(services, "_criterion_is_sourced", return_value=True):
        with pytest.raises(ValidationFailed) as exc:
            services.hazard_create(actor=world.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection, findings=[finding], description="x", location="y", severity="general", found_on=inspection.inspected_on)
        assert "重大事故隐患判定标准" in exc.value.fields["severity"][0]
        with pytest.raises(ValidationFailed) as exc:
            services.hazard_create(actor=world.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection, findings=[finding], description="x", location="y", severity="general", found_on=inspection.inspected_on, set_aside_reason="理由", set_aside_by=world.user("officer_a2").staff)
        assert "set_aside_by" in exc.value.fields
        h = services.hazard_create(actor=world.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection, findings=[finding], description="x", location="y", severity="major", found_on=inspection.inspected_on)
        assert h.criterion_id == "HC-01" and h.period_days == 60
    assert not Hazard.objects.filter(severity="general").exists()


def test_escalating_without_criterion_needs_a_reason(world, inspection):
    with pytest.raises(ValidationFailed) as exc:
        services.hazard_create(actor=world.user("officer_a"), enterprise=inspection.enterprise, source="self_check", description="储罐区可燃气体报警器失效", location="罐区", severity="major", found_on=inspection.inspected_on)
    assert "major_reason" in exc.value.fields


def _major(world, inspection):
    return services.hazard_create(actor=world.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection,
                                  description="液氨储罐区未设置紧急切断装置", location="液氨罐区", severity="major", major_reason="现场确认,符合判定标准",
                                  found_on=inspection.inspected_on)


def test_major_hazard_measure_refused_restart_then_approved(world, inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer, leader = world.user("officer_a"), world.user("leader_a")
    org_services.agency_head_designate(actor=world.user("admin_a"), agency=world.agency_a, staff=leader.staff, kind="principal_head", valid_from=dt.date(2024, 1, 1))
    h = _major(world, inspection)
    suggestion = services.measure_suggestion(h)
    assert suggestion["measure_type"] == "stop_facility"
    m = services.measure_decide(actor=officer, hazard=h, measure_type="suspend", scope="unit", reason="罐区无法保证安全", decided_on=inspection.inspected_on)
    assert m.decision_document.number.startswith("芝应急现决〔")
    assert operating_status(h.enterprise).value == "measure_suspended"
    rr = services.restart_apply(actor=officer, measure=m, applied_on=timezone.localdate() - dt.timedelta(days=3), application="已整改,申请复产")
    with pytest.raises(PermissionRefused):
        services.restart_review_decide(actor=officer, review=rr, approved=True, opinion="同意", reviewed_on=timezone.localdate())
    with pytest.raises(DomainError) as exc:
        services.restart_review_decide(actor=leader, review=rr, approved=True, opinion="同意", reviewed_on=timezone.localdate())
    assert exc.value.code == "hazard_open"
    # close the hazard through the loop
    order = services.rectification_order_issue(actor=officer, hazards=[h], issued_on=inspection.inspected_on)
    services.rectification_order_served(actor=officer, document=order, method="direct", event_date=inspection.inspected_on, recipient="张三")
    services.hazard_report_rectified(actor=officer, hazard=h, reported_on=timezone.localdate() - dt.timedelta(days=2), description="已加装紧急切断阀")
    re = services.reinspection_start(actor=officer, hazards=[h], inspected_on=timezone.localdate() - dt.timedelta(days=1), started_at=timezone.now() - dt.timedelta(days=1), place="罐区", officer_ids=officers(world))
    services.reinspection_decide(actor=officer, reinspection=h.reinspections.get(), result="pass", opinion="合格", decided_on=re.inspected_on)
    rr.refresh_from_db()
    services.restart_review_decide(actor=leader, review=rr, approved=True, opinion="经现场审查,同意恢复生产", reviewed_on=timezone.localdate())
    m.refresh_from_db()
    assert m.status == "ended" and operating_status(h.enterprise).value == "operating"


def test_overdue_sweep_flags_for_a_case(world, inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = world.user("officer_a")
    h = _major(world, inspection)
    order = services.rectification_order_issue(actor=officer, hazards=[h], issued_on=inspection.inspected_on)
    services.rectification_order_served(actor=officer, document=order, method="direct", event_date=inspection.inspected_on, recipient="张三")
    h.refresh_from_db()
    assert services.hazards_overdue_sweep(today=h.deadline) == 0
    assert services.hazards_overdue_sweep(today=h.deadline + dt.timedelta(days=1)) == 1
    h.refresh_from_db()
    assert h.case_flag and h.overdue_since == h.deadline + dt.timedelta(days=1)
    assert services.hazards_overdue_sweep(today=h.deadline + dt.timedelta(days=2)) == 0


def test_supervision_only_for_major(world, inspection):
    h = _major(world, inspection)
    with pytest.raises(PermissionRefused):
        services.hazard_supervise(actor=world.user("officer_a"), hazard=h, by="烟台市安委会", on=timezone.localdate())
    services.hazard_supervise(actor=world.user("depthead_a"), hazard=h, by="烟台市安委会", on=timezone.localdate())
    h.refresh_from_db()
    assert h.supervised


def test_transfer_accepted_and_returned(world, inspection):
    from anjian.org.models import Department, Membership

    finding = _complete_with_finding(world, inspection)
    sup = Department.objects.create(agency=world.agency_a, name="危化监管科", kind="supervision", sector_group="hazchem")
    team = Department.objects.get(agency=world.agency_a, kind="enforcement")
    Membership.objects.filter(staff__user=world.user("depthead_a")).update(department=team)
    t = services.transfer_send(actor=world.user("supervisor_a"), enterprise=inspection.enterprise, from_department=sup, to_department=team, facts="安全管理人员未经考核", findings=[finding])
    with pytest.raises(PermissionRefused):
        services.transfer_accept(actor=world.user("officer_a2"), transfer=t)
    services.transfer_accept(actor=world.user("depthead_a"), transfer=t)
    t.refresh_from_db()
    assert t.status == "accepted" and t.decided_at >= t.sent_at
    t2 = services.transfer_send(actor=world.user("supervisor_a"), enterprise=inspection.enterprise, from_department=sup, to_department=team, facts="再次", findings=[finding])
    with pytest.raises(ValidationFailed):
        services.transfer_return(actor=world.user("depthead_a"), transfer=t2, reason="")
    services.transfer_return(actor=world.user("depthead_a"), transfer=t2, reason="证据不足,请补充现场照片")
    t2.refresh_from_db()
    assert t2.status == "returned" and "证据不足" in t2.return_reason


def test_document_with_missing_facts_consumes_no_number(world, inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    h = _major(world, inspection)
    h.inspection = None
    h.save()
    with pytest.raises(ValidationFailed):
        services.rectification_order_issue(actor=world.user("officer_a"), hazards=[h], issued_on=inspection.inspected_on)
    assert not IssuedDocument.objects.exists()


def test_extension_request_and_decision(world, inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = world.user("officer_a")
    h = _major(world, inspection)
    order = services.rectification_order_issue(actor=officer, hazards=[h], issued_on=inspection.inspected_on)
    services.rectification_order_served(actor=officer, document=order, method="direct", event_date=inspection.inspected_on, recipient="张三")
    h.refresh_from_db()
    ext, warnings = services.extension_request(actor=officer, hazard=h, requested_on=timezone.localdate(), requested_until=h.deadline + dt.timedelta(days=30), reason="设备采购周期长")
    with pytest.raises(PermissionRefused):
        services.extension_decide(actor=officer, extension=ext, approve=True, decided_on=timezone.localdate(), note="同意")
    services.extension_decide(actor=world.user("depthead_a"), extension=ext, approve=True, decided_on=timezone.localdate(), note="同意延期")
    h.refresh_from_db()
    assert h.deadline == ext.requested_until


def test_two_lists_are_kept_by_the_units_own_bureau(world, inspection):
    im = services.institutional_create(actor=world.user("officer_a"), enterprise=inspection.enterprise, title="建立有限空间作业审批制度", due_on=timezone.localdate())
    assert im.owner_agency == world.agency_a
    with pytest.raises(PermissionRefused):
        services.institutional_create(actor=world.user("leader_city"), enterprise=inspection.enterprise, title="市局代填")
    with pytest.raises(PermissionRefused):
        services.institutional_done(actor=world.user("officer_city"), measure=im, done_on=timezone.localdate())
    services.institutional_done(actor=world.user("officer_a"), measure=im, done_on=timezone.localdate())
    im.refresh_from_db()
    assert im.done_on == timezone.localdate()
