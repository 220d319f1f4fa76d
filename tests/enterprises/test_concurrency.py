"""Row locks under real concurrency (PostgreSQL; ARCHITECTURE.md rule 8)."""

from __future__ import annotations

import datetime as dt

import pytest

from anjian.core.errors import DomainError
from anjian.enterprises import services
from anjian.enterprises.models import Enterprise, PlannedSubject
from tests.concurrency import race
from tests.conftest import make_uscc

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_planned_subjects_never_overlap(world, ent_a):
    users = [world.user("depthead_a"), world.user("leader_city")] * 4
    agencies = [world.agency_a, world.agency_city] * 4

    def assign(i: int) -> object:
        from anjian.core.scoping import forget_scope

        forget_scope(users[i])
        return services.planned_subject_assign(actor=users[i], enterprise=ent_a, agency=agencies[i], valid_from=dt.date(2026, 1, 1) + dt.timedelta(days=i), valid_to=dt.date(2026, 12, 31))

    ok, errors = race(8, assign)
    assert len(ok) == 1
    assert len(errors) == 7 and all(isinstance(e, DomainError) and "一企一主体" in e.message for e in errors)
    assert PlannedSubject.objects.filter(enterprise=ent_a).count() == 1


def test_concurrent_same_credit_code_registers_once(world):
    code = make_uscc(4242)
    user = world.user("officer_a")

    def create(i: int) -> object:
        return services.enterprise_create(actor=user, jurisdiction=world.district_a, name=f"并发企业{i}", uscc=code)

    ok, errors = race(6, create)
    assert len(ok) == 1
    assert all(isinstance(e, DomainError) for e in errors)
    assert Enterprise.objects.filter(uscc=code).count() == 1


def test_concurrent_edits_do_not_lose_each_other(world, ent_a):
    users = [world.user("officer_a"), world.user("officer_a2")]

    def edit(i: int) -> object:
        field = {"contact_name": "甲"} if i == 0 else {"principal_phone": "13800000000"}
        return services.enterprise_update(actor=users[i], enterprise=ent_a, **field)

    ok, errors = race(2, edit)
    assert not errors
    ent = Enterprise.objects.get(pk=ent_a.pk)
    # The row lock serialises the two edits; each re-reads the row, so neither overwrites the other.
    assert ent.contact_name == "甲" and ent.principal_phone == "13800000000"
