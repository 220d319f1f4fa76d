"""Plans under real concurrency (PostgreSQL; ARCHITECTURE.md rule 8)."""

from __future__ import annotations

from typing import Any

import pytest

from anjian.core.errors import DomainError
from anjian.planning import services
from anjian.planning.models import AnnualPlan
from tests.concurrency import race
from tests.planning.conftest import Y

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_generations_of_one_year_make_one_plan(world: Any, units: dict[str, Any]) -> None:
    users = [world.user(n) for n in ("officer_a", "officer_a2", "depthead_a", "officer_a")]

    def generate(i: int) -> object:
        from anjian.core.scoping import forget_scope

        forget_scope(users[i])
        return services.plan_generate(actor=users[i], year=Y)

    ok, errors = race(4, generate)
    assert len(ok) >= 1 and all(isinstance(e, DomainError) and e.code == "plan_exists" for e in errors), errors
    assert AnnualPlan.objects.filter(year=Y).count() == 1
    assert AnnualPlan.objects.get(year=Y).items.count() == 6


def test_concurrent_approvals_approve_once(world: Any, units: dict[str, Any]) -> None:
    from tests.conftest import _person

    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    services.plan_submit(actor=world.user("officer_a"), plan=plan)
    leaders = [world.user("leader_a"), _person({}, "leader_a2", world.agency_a, ["leader"])]

    def approve(i: int) -> object:
        return services.plan_approve(actor=leaders[i], plan=plan)

    ok, errors = race(2, approve)
    assert len(ok) == 1 and len(errors) == 1 and isinstance(errors[0], DomainError)
    plan.refresh_from_db()
    assert plan.status == "approved"
