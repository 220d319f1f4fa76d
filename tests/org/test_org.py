from __future__ import annotations

import datetime as dt

import pytest

from anjian.core.errors import ValidationFailed
from anjian.core.models import AuditEvent
from anjian.core.scoping import scope_for
from anjian.org import selectors, services
from anjian.org.models import AgencyHead, Certificate


def test_scope_of_district_and_city(world):
    a = scope_for(world.user("officer_a"))
    assert a.agency_id == world.agency_a.pk and a.jurisdiction_ids == {world.district_a.pk}
    assert a.has_role("officer") and not a.has_role("leader")
    city = scope_for(world.user("officer_city"))
    assert city.jurisdiction_ids == {world.city.pk, world.district_a.pk, world.district_b.pk, world.zone.pk}
    assert scope_for(world.user("outsider")).jurisdiction_ids == frozenset()


def test_membership_dates_decide_the_scope(world):
    from anjian.org.models import Membership

    m = Membership.objects.get(staff__user=world.user("officer_b"))
    m.valid_to = dt.date(2021, 12, 31)
    m.save()
    assert not scope_for(world.user("officer_b")).is_member  # a fresh user object: no cache


def test_certificate_valid_on_with_events(world):
    staff = world.user("officer_a").staff
    cert = services.certificate_create(actor=None, staff=staff, number="370000X1", issuer="山东省人民政府", valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2028, 12, 31))
    assert cert.valid_on(dt.date(2025, 6, 1))
    services.certificate_event_add(actor=None, certificate=cert, kind="suspended", date=dt.date(2025, 7, 1), note="违规执法,暂扣")
    services.certificate_event_add(actor=None, certificate=cert, kind="reinstated", date=dt.date(2025, 9, 1))
    cert = Certificate.objects.get(pk=cert.pk)
    assert cert.valid_on(dt.date(2025, 6, 30))
    ok, why = cert.status_on(dt.date(2025, 8, 1))
    assert not ok and "暂扣" in why
    assert cert.valid_on(dt.date(2025, 9, 1))
    ok, why = cert.status_on(dt.date(2029, 1, 1))
    assert not ok and "到期" in why
    assert not cert.valid_on(dt.date(2023, 12, 31))
    services.certificate_event_add(actor=None, certificate=cert, kind="revoked", date=dt.date(2026, 1, 5), note="吊销")
    assert not Certificate.objects.get(pk=cert.pk).valid_on(dt.date(2026, 2, 1))


def test_certificate_that_ends_before_it_starts_is_refused(world):
    staff = world.user("officer_a").staff
    with pytest.raises(ValidationFailed) as exc:
        services.certificate_create(actor=None, staff=staff, number="370000X2", issuer="山东省人民政府", valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2025, 1, 1))
    assert "valid_to" in exc.value.fields
    assert not Certificate.objects.filter(number="370000X2").exists()


def test_suspension_needs_a_reason(world):
    cert = Certificate.objects.filter(staff__user=world.user("officer_a")).get()
    with pytest.raises(ValidationFailed):
        services.certificate_event_add(actor=None, certificate=cert, kind="suspended", date=dt.date(2025, 1, 1))


def test_head_designations_are_dated(world):
    s1 = world.user("leader_a").staff
    s2 = world.user("depthead_a").staff
    services.agency_head_designate(actor=world.user("admin_a"), agency=world.agency_a, staff=s1, kind="principal_head", valid_from=dt.date(2024, 1, 1))
    services.agency_head_designate(actor=world.user("admin_a"), agency=world.agency_a, staff=s2, kind="principal_head", valid_from=dt.date(2026, 3, 1))
    assert selectors.agency_head_on(agency=world.agency_a, day=dt.date(2026, 2, 28)).staff == s1
    assert selectors.agency_head_on(agency=world.agency_a, day=dt.date(2026, 3, 1)).staff == s2
    assert AgencyHead.objects.get(staff=s1).valid_to == dt.date(2026, 2, 28)
    assert AuditEvent.objects.filter(action="agency.head").count() == 2


def test_overlapping_membership_is_refused(world):
    staff = world.user("officer_a").staff
    with pytest.raises(ValidationFailed):
        services.membership_create(actor=None, staff=staff, agency=world.agency_b, roles=["officer"], valid_from=dt.date(2026, 1, 1))


def test_admin_role_opens_the_django_admin(world):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="new_admin", password="x-Anjian-2026")
    staff = services.staff_create(actor=None, name="新管理员", kind="civil_servant", user=user)
    services.membership_create(actor=None, staff=staff, agency=world.agency_b, roles=["admin"], valid_from=dt.date(2026, 1, 1))
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
