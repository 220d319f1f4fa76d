"""The journeys of issue 9 on a frozen clock, through the services the API and the pages call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from anjian.cases import services
from anjian.cases.models import Case, CaseDeadline
from anjian.core.errors import DomainError, PermissionRefused, ValidationFailed
from anjian.core.models import AuditEvent
from tests.cases.conftest import START, at, filed_case, noticed_case, open_case, scan
from tests.inspections.conftest import officers

D = dt.date


def test_filing_to_closing_with_payment_on_time(cases_world, ent_a, clock):
    w = cases_world
    c = open_case(w, ent_a)
    assert c.status == "draft"
    with pytest.raises(PermissionRefused) as exc:  # the applicant does not approve his own filing
        services.case_file(actor=w.user("officer_a"), case=c, filed_on=START.date())
    assert exc.value.code in ("same_person", "role_refused")
    services.case_file(actor=w.user("depthead_a"), case=c, filed_on=START.date())
    c.refresh_from_db()
    assert c.status == "filed" and c.repeat_dates == []
    limit = CaseDeadline.objects.get(case=c, code="decision_deadline", active=True)
    assert limit.due >= D(2026, 5, 31) and "第六十条" in limit.article and not limit.provisional
    services.case_assign_officers(actor=w.user("officer_a"), case=c, staff_ids=officers(w))
    v = c.violations.get()
    services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal("20000.00"), "reasons": "逾期未消除，情节一般"}])
    v.refresh_from_db()
    assert v.band == "ordinary" and v.range_max == Decimal("50000.00")
    n = services.notice_issue(actor=w.user("officer_a"), case=c, issued_on=START.date())
    assert not n.hearing_offered and n.fine_total == Decimal("20000.00")
    services.notice_served(actor=w.user("officer_a"), case=c, method="direct", event_date=START.date(), recipient="李四")
    defence = CaseDeadline.objects.get(case=c, code="defence_statement", active=True)
    assert defence.due == D(2026, 3, 5) and not defence.unverified and not defence.provisional  # 3 working days after 3/2
    at(clock, D(2026, 3, 6))
    c = services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    assert c.status == "decided" and c.fine_total == Decimal("20000.00")
    services.decision_served(actor=w.user("officer_a"), case=c, method="direct", event_date=D(2026, 3, 6), recipient="李四")
    pay = CaseDeadline.objects.get(case=c, code="payment", active=True)
    assert pay.due == D(2026, 3, 23)  # 15 days → Saturday 3/21 rolls to Monday
    at(clock, D(2026, 3, 10))
    with pytest.raises(ValidationFailed):
        services.payment_record(actor=w.user("officer_a"), case=c, paid_on=D(2026, 3, 10), amount=Decimal("20000.001"), receipt_no="R1")
    services.payment_record(actor=w.user("officer_a"), case=c, paid_on=D(2026, 3, 10), amount=Decimal("20000.00"), receipt_no="3706020001")
    with pytest.raises(PermissionRefused):
        services.case_close(actor=w.user("officer_a"), case=c, closed_on=D(2026, 3, 10))
    c = services.case_close(actor=w.user("depthead_a"), case=c, closed_on=D(2026, 3, 10))
    assert c.status == "closed"
    steps = list(c.steps.values_list("action", flat=True))
    assert steps == ["case.open", "case.violation", "case.file", "case.officers", "case.propose", "case.notice", "case.notice_served", "case.decide", "case.decision_served", "case.payment", "case.close"]
    assert c.steps.get(action="case.payment").deadline_met is True
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(c.pk), action="case.decide").exists()
