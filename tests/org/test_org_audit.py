"""Org audit events carry their agency's jurisdiction (issue 8, Low): a district administrator does
not read other bureaus' staff and certificate events."""

from __future__ import annotations

import datetime as dt

import pytest

from anjian.core import audit
from anjian.core.errors import ValidationFailed
from anjian.core.models import AuditEvent
from anjian.core.scoping import scope_for
from anjian.org import services

pytestmark = pytest.mark.django_db


def _people(world):
    b = services.staff_create(actor=None, name="福山新人甲", kind="civil_servant", agency=world.agency_b)
    services.membership_create(actor=None, staff=b, agency=world.agency_b, roles=["officer"], valid_from=dt.date(2026, 1, 1))
    cert_b = services.certificate_create(actor=None, staff=b, number="3711000099", issuer="山东省人民政府", valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2030, 12, 31))
    services.certificate_event_add(actor=None, certificate=cert_b, kind="suspended", date=dt.date(2026, 3, 1), note="接受调查")
    a = services.staff_create(actor=world.user("admin_a"), name="芝罘新人乙", kind="civil_servant")  # the actor's bureau by default
    return a, b


def test_org_events_carry_the_jurisdiction(world):
    a, b = _people(world)
    for action in ("staff.create", "certificate.create", "certificate.event", "membership.create"):
        ev = AuditEvent.objects.filter(action=action, object_repr__contains="福山新人甲").first() or AuditEvent.objects.filter(action=action).exclude(object_repr__contains="芝罘").first()
        assert ev is not None and ev.jurisdiction_id == world.district_b.pk, action
    assert AuditEvent.objects.get(action="staff.create", object_id=str(a.pk)).jurisdiction_id == world.district_a.pk


def test_a_district_administrator_sees_only_its_own_peoples_events(world, client):
    _people(world)
    admin = world.user("admin_a")
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    seen = audit.visible(AuditEvent.objects.all(), scope_for(admin))
    assert not seen.filter(jurisdiction_id=world.district_b.pk).exists()
    assert seen.filter(action="staff.create", jurisdiction_id=world.district_a.pk).exists()
    # an old org event written without a jurisdiction is not treated as system-wide
    legacy = audit.record_about(actor=None, action="staff.create", object_type="org.staff", object_id=999, object_repr="旧人员", jurisdiction_id=None)
    assert not audit.visible(AuditEvent.objects.all(), scope_for(admin)).filter(pk=legacy.pk).exists()
    # 三员分立: the bureau's audit administrator reads the trail at /audit/ (core/views_admins.py)
    from tests.conftest import _person

    client.force_login(_person({}, "audit_a", world.agency_a, ["audit_admin"], cert=False))
    body = client.get("/audit/").content.decode()
    assert "福山新人甲" not in body and "芝罘新人乙" in body


def test_certificate_dates_are_bounded(world):
    staff = world.user("officer_a").staff
    with pytest.raises(ValidationFailed) as exc:
        services.certificate_create(actor=None, staff=staff, number="X1", issuer="省政府", valid_from=dt.date(2026, 1, 1), valid_to=dt.date(9999, 12, 31))
    assert "valid_to" in exc.value.fields
