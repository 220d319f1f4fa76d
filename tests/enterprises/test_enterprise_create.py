from __future__ import annotations

import pytest

from anjian.core.errors import PermissionRefused, ValidationFailed
from anjian.core.models import AuditEvent
from anjian.enterprises import services
from anjian.enterprises.models import Enterprise
from tests.conftest import make_uscc


def test_it_creates_and_audits(world, ent_a):
    assert ent_a.owner_agency == world.agency_a
    assert [s.code for s in ent_a.sectors.all()] == ["hazchem.production"]
    ev = AuditEvent.objects.get(action="enterprise.create", object_id=str(ent_a.pk))
    assert ev.actor == world.user("officer_a")
    assert ev.after["uscc"] == ent_a.uscc


def test_it_refuses_a_bad_credit_code(world):
    code = make_uscc(5)
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as exc:
        services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name="甲", uscc=bad)
    assert "校验位" in exc.value.fields["uscc"][0]
    assert not Enterprise.objects.exists()


def test_it_refuses_a_duplicate_credit_code(world, ent_a):
    with pytest.raises(ValidationFailed) as exc:
        services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name="乙", uscc=ent_a.uscc.lower())
    assert ent_a.name in exc.value.fields["uscc"][0]


def test_unlicensed_operator_may_have_no_code(world):
    ent = services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name="无名加工点", unlicensed=True)
    assert ent.uscc is None
    with pytest.raises(ValidationFailed) as exc:
        services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name="丙")
    assert "无证无照" in exc.value.fields["uscc"][0]


def test_city_cannot_register_in_a_district(world):
    with pytest.raises(PermissionRefused):
        services.enterprise_create(actor=world.user("officer_city"), jurisdiction=world.district_a, name="丁", uscc=make_uscc(9))


def test_district_cannot_register_in_another_district(world):
    with pytest.raises(ValidationFailed) as exc:
        services.enterprise_create(actor=world.user("officer_b"), jurisdiction=world.district_a, name="戊", uscc=make_uscc(10))
    assert "jurisdiction" in exc.value.fields


def test_unknown_sector_is_refused(world):
    with pytest.raises(ValidationFailed) as exc:
        services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name="己", uscc=make_uscc(11), sectors=["nope"])
    assert "nope" in exc.value.fields["sectors"][0]
    assert not Enterprise.objects.exists()
