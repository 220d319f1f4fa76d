"""``anjian demo_cases``: the demo city has penalty cases at every stage, opened through the services,
including one late payment with its surcharge and one hearing (issue 9, item 13)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from anjian.cases.models import Case, CaseDeadline
from anjian.legal.models import RuleOverride

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_cases(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """One demo city with its cases for the module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("refdata", "load", stdout=StringIO())
        call_command("calendar", "seed", stdout=StringIO())
        call_command("checklists", "sync", stdout=StringIO())
        call_command("demo", "--enterprises", "120", "--seed", "7", "--ledger-only", stdout=StringIO())
        out = StringIO()
        call_command("demo_cases", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_every_stage_is_there(demo_cases: str) -> None:
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"draft", "filed", "notice_served", "hearing", "served", "executed", "closed", "no_penalty", "referred"} <= statuses
    assert "演示案件已生成，共16件" in demo_cases
    # Each case was walked through the services: its steps are recorded, on the days they happened.
    for c in Case.objects.all():
        steps = list(c.steps.order_by("id").values_list("on", flat=True))
        assert steps, c.title
        assert steps == sorted(steps), f"{c.title}: steps out of order {steps}"


def test_the_late_payment_carries_its_surcharge(demo_cases: str) -> None:
    c = Case.objects.get(title="未与承包单位签订安全生产管理协议案")
    p = c.payments.get()
    assert c.status == "executed"
    assert p.amount == Decimal("60000.00") and p.surcharge == Decimal("30000.00")  # 3 % a day, capped at the fine (行政处罚法第七十二条)


def test_the_hearing_was_held_with_its_notice_in_time(demo_cases: str) -> None:
    c = Case.objects.get(title="建设项目安全设施未经验收合格投入使用案")
    h = c.hearings.get()
    assert h.held_on is not None and c.status == "served"
    assert c.legal_reviews.filter(passed=True).exists() and c.discussions.exists()
    # The payment deadline after service is a stored clock with its article.
    assert CaseDeadline.objects.filter(case=c, code="payment", active=True).exists()


def test_the_demo_shows_evidence_documents_publication_and_a_demand(demo_cases: str) -> None:
    from anjian.cases.models_evidence import InterviewRecord
    from anjian.cases.models_publication import Publication
    from anjian.documents.models import IssuedDocument

    closed = Case.objects.get(status="closed")
    assert InterviewRecord.objects.filter(case=closed).exists()
    assert Publication.objects.get(case=closed).status == "released"
    kinds = set(IssuedDocument.objects.filter(subject_type="cases.case").values_list("kind", flat=True))
    assert {"case_filing_approval", "penalty_notice", "penalty_decision_unit", "hearing_meeting_notice", "hearing_record", "hearing_report", "fine_demand_notice", "penalty_decision_onsite", "case_referral"} <= kinds


def test_the_legal_department_confirmed_the_defence_window_with_a_marked_example(demo_cases: str) -> None:
    row = RuleOverride.objects.get(rule_code="defence_statement")
    assert "示例" in row.source_document and row.effective_from == dt.date(2026, 2, 1)


def test_other_district_case_is_isolated(demo_cases: str) -> None:
    assert Case.objects.filter(jurisdiction__code="370611").count() == 1


def test_a_second_run_is_refused_or_skipped(demo_cases: str) -> None:
    with pytest.raises(CommandError):
        call_command("demo_cases", stdout=StringIO())
    out = StringIO()
    call_command("demo_cases", "--if-empty", stdout=out)
    assert "未生成" in out.getvalue()
