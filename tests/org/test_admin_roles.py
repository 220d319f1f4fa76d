"""三员分立: the three administrator roles are mutually exclusive (issue 10, item 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from anjian.core import admins
from anjian.core.errors import ValidationFailed
from anjian.org import services
from anjian.org.choices import ADMIN_ROLES, Role
from anjian.org.models import Membership


def test_core_names_match_org_roles() -> None:
    assert admins.ADMIN_ROLES == ADMIN_ROLES
    for role in admins.ADMIN_ROLES:
        assert admins.LABELS[role] == Role(role).label


@pytest.mark.parametrize("pair", [("admin", "security_admin"), ("security_admin", "audit_admin"), ("admin", "audit_admin")])
def test_one_person_holds_one_administrator_role(world, pair: tuple[str, str]) -> None:
    staff = services.staff_create(actor=None, name="张三", kind="civil_servant", agency=world.agency_a)
    with pytest.raises(ValidationFailed) as exc:
        services.membership_create(actor=None, staff=staff, agency=world.agency_a, roles=list(pair), valid_from=dt.date(2026, 1, 1))
    assert "三员分立" in str(exc.value)
    assert "roles" in exc.value.fields
    assert not Membership.objects.filter(staff=staff).exists()


def test_unknown_role_refused(world) -> None:
    staff = services.staff_create(actor=None, name="李四", kind="civil_servant", agency=world.agency_a)
    with pytest.raises(ValidationFailed) as exc:
        services.membership_create(actor=None, staff=staff, agency=world.agency_a, roles=["root"], valid_from=dt.date(2026, 1, 1))
    assert "roles" in exc.value.fields
