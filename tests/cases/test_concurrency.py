"""Transitions under real concurrency (PostgreSQL): the row lock lets one request through."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from anjian.cases import services
from anjian.cases.models import Case, CaseStep, Payment
from anjian.core.errors import DomainError
from tests.cases.conftest import at, noticed_case
from tests.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_decisions_and_payments_happen_once(cases_world, ent_a, clock):
    w = cases_world
    c = noticed_case(w, ent_a)
    at(clock, dt.date(2026, 3, 6))
    leader = w.user("leader_a")
    ok, errors = race(4, lambda i: services.decision_make(actor=leader, case=c, decided_on=dt.date(2026, 3, 6)))
    assert len(ok) == 1 and len(errors) == 3 and all(isinstance(e, DomainError) and e.code == "bad_state" for e in errors)
    assert CaseStep.objects.filter(case=c, action="case.decide").count() == 1
    services.decision_served(actor=w.user("officer_a"), case=c, method="direct", event_date=dt.date(2026, 3, 6), recipient="李四")
    officer = w.user("officer_a")
    ok, errors = race(4, lambda i: services.payment_record(actor=officer, case=c, paid_on=dt.date(2026, 3, 6), amount=Decimal("20000.00"), receipt_no=f"R-{i}"))
    assert len(ok) == 1 and len(errors) == 3
    assert Payment.objects.filter(case=c).count() == 1 and Case.objects.get(pk=c.pk).status == "executed"
