"""Under real concurrency (PostgreSQL): the row lock lets one reply and one acceptance through."""

from __future__ import annotations

from typing import Any

import pytest

from anjian.complaints import services
from anjian.core.errors import DomainError
from anjian.documents.models import IssuedDocument
from tests.complaints.conftest import START, register, to_approved
from tests.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_replies_issue_one_document(cw: Any) -> None:
    sub, _ = register(cw)
    sub = to_approved(cw, sub)
    office = cw.user("office_a")
    ok, errors = race(4, lambda i: services.submission_reply(actor=office, submission=sub, replied_on=START.date()))
    assert len(ok) == 1 and len(errors) == 3 and all(isinstance(e, DomainError) for e in errors), errors
    assert IssuedDocument.objects.filter(kind="complaint_reply").count() == 1


def test_concurrent_acceptances_happen_once(cw: Any) -> None:
    from anjian.core.models import AuditEvent

    sub, _ = register(cw)
    office = cw.user("office_a")
    ok, errors = race(4, lambda i: services.submission_accept(actor=office, submission=sub, accepted_on=START.date()))
    assert len(ok) == 1 and len(errors) == 3
    assert AuditEvent.objects.filter(action="complaint.accept").count() == 1
