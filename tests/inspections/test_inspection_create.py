from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.errors import NotFound, PermissionRefused, ValidationFailed
from anjian.inspections import services
from anjian.inspections.models import Inspection
from anjian.org import services as org_services
from anjian.org.models import Certificate
from tests.inspections.conftest import officers


def _create(world, ent, **kw):
    args = dict(actor=world.user("officer_a"), enterprise=ent, type="planned", inspected_on=timezone.localdate(), started_at=timezone.now(), place="厂区", officer_ids=officers(world))
    args.update(kw)
    return services.inspection_create(**args)


def test_it_picks_the_checklist_and_stores_the_certificate_check(world, ent_a, checklist):
    insp = _create(world, ent_a)
    assert [t.code for t in insp.templates.all()] == ["hazchem-general"]
    assert insp.items.count() == 3
    assert [c["valid"] for c in insp.certificate_check] == [True, True]
    assert all(o.certificate_number for o in insp.officers.all())


def test_a_published_change_applies_to_new_inspections_only(world, ent_a, checklist):
    first = _create(world, ent_a)
    v2 = services.checklist_new_version(actor=world.user("admin_a"), template=checklist, items=[{"text": "新增检查项"}])
    services.checklist_publish(actor=world.user("admin_a"), template=v2)
    second = _create(world, ent_a)
    assert first.items.count() == 3
    assert [i.text for i in second.items.all()] == ["新增检查项"]


def test_fewer_than_two_officers_is_refused(world, ent_a):
    with pytest.raises(ValidationFailed) as exc:
        _create(world, ent_a, officer_ids=officers(world, "officer_a"))
    assert "不得少于两人" in exc.value.message
    assert not Inspection.objects.exists()


def test_expired_certificate_is_refused_naming_who(world, ent_a):
    cert = Certificate.objects.get(staff__user=world.user("officer_a2"))
    Certificate.objects.filter(pk=cert.pk).update(valid_to=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationFailed) as exc:
        _create(world, ent_a)
    assert "officer_a2" in exc.value.message and "到期" in exc.value.message
    assert exc.value.article.startswith("《行政处罚法》第四十二条")


def test_suspended_certificate_is_refused(world, ent_a):
    cert = Certificate.objects.get(staff__user=world.user("officer_a2"))
    org_services.certificate_event_add(actor=None, certificate=cert, kind="suspended", date=timezone.localdate() - dt.timedelta(days=3), note="暂扣")
    with pytest.raises(ValidationFailed) as exc:
        _create(world, ent_a)
    assert "暂扣" in exc.value.message


def test_experts_never_count_as_officers(world, ent_a):
    with pytest.raises(ValidationFailed) as exc:
        _create(world, ent_a, officer_ids=officers(world, "officer_a", "expert_a"))
    assert "专家" in exc.value.message
    insp = _create(world, ent_a, type="expert", expert_ids=[world.user("expert_a").staff.pk])
    assert insp.experts.count() == 1 and insp.officers.count() == 2


def test_future_date_is_refused(world, ent_a):
    with pytest.raises(ValidationFailed) as exc:
        _create(world, ent_a, inspected_on=timezone.localdate() + dt.timedelta(days=1))
    assert "inspected_on" in exc.value.fields


def test_other_district_cannot_inspect_and_city_can(world, ent_a):
    with pytest.raises(NotFound):
        _create(world, ent_a, actor=world.user("officer_b"), officer_ids=officers(world, "officer_b", "depthead_b"))
    with pytest.raises(ValidationFailed):
        # city officers are not members of district A: they inspect with city officers
        _create(world, ent_a, actor=world.user("officer_city"))


def test_roles_without_inspection_duty_are_refused(world, ent_a):
    with pytest.raises(PermissionRefused):
        _create(world, ent_a, actor=world.user("office_a"))


def test_idempotency_key_returns_the_same_inspection(world, ent_a, checklist):
    a = _create(world, ent_a, idempotency_key="k-1")
    b = _create(world, ent_a, idempotency_key="k-1")
    assert a.pk == b.pk and Inspection.objects.count() == 1


def test_results_make_findings_and_completion_rules(world, ent_a, checklist):
    insp = _create(world, ent_a)
    items = list(insp.items.all())
    services.inspection_record_results(actor=world.user("officer_a"), inspection=insp, results=[
        {"item": items[0].pk, "result": "noncompliant", "note": "安全管理人员未经考核"},
        {"item": items[1].pk, "result": "compliant"},
    ])
    assert insp.findings.count() == 1
    with pytest.raises(ValidationFailed) as exc:
        services.inspection_complete(actor=world.user("officer_a"), inspection=insp, ended_at=timezone.now(), party_representative="张三", party_signature="refused")
    assert "items" in exc.value.fields and "refusal_note" in exc.value.fields
    services.inspection_record_results(actor=world.user("officer_a"), inspection=insp, results=[{"item": items[2].pk, "result": "na"}])
    services.inspection_complete(actor=world.user("officer_a"), inspection=insp, ended_at=timezone.now(), party_representative="张三", party_signature="refused", refusal_note="张三拒绝签字,执法人员二人在场见证")
    insp.refresh_from_db()
    assert insp.status == "completed"
    from anjian.core.errors import DomainError

    with pytest.raises(DomainError):
        services.inspection_record_results(actor=world.user("officer_a"), inspection=insp, results=[{"item": items[1].pk, "result": "noncompliant"}])
