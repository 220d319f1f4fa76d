"""Numbers without gaps under real concurrency (PostgreSQL; ARCHITECTURE.md rules 5 and 8)."""

from __future__ import annotations

import pytest
from django.db import transaction

from anjian.documents.models import DocumentCounter, IssuedDocument
from tests.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class Abandon(Exception):
    """The app's own step failed after the document was issued: its transaction rolls back."""


def test_50_concurrent_documents_get_consecutive_numbers(world, issue):
    # The counter row does not exist yet: its creation races too.
    ok, errors = race(50, lambda i: issue(subject_id=i))
    assert not errors
    seqs = sorted(IssuedDocument.objects.filter(agency_id=world.agency_a.pk).values_list("seq", flat=True))
    assert seqs == list(range(1, 51))
    numbers = set(IssuedDocument.objects.values_list("number", flat=True))
    assert numbers == {f"芝应急责改〔2026〕{n}号" for n in range(1, 51)}
    assert DocumentCounter.objects.get(agency_id=world.agency_a.pk, series="责改", year=2026).last == 50


def test_rolled_back_issues_under_concurrency_leave_no_gap(world, issue):
    def work(i: int) -> object:
        with transaction.atomic():
            doc = issue(subject_id=i)
            if i % 4 == 0:
                raise Abandon(doc.number)
        return doc.seq

    ok, errors = race(20, work)
    assert len(errors) == 5 and all(isinstance(e, Abandon) for e in errors)
    assert sorted(ok) == list(range(1, 16))
    assert sorted(IssuedDocument.objects.values_list("seq", flat=True)) == list(range(1, 16))
    assert DocumentCounter.objects.get().last == 15


def test_concurrent_service_records_keep_one_effective(world, issue):
    import datetime as dt

    from anjian.core.errors import DomainError
    from anjian.documents import services
    from anjian.documents.models import ServiceRecord

    doc = issue()
    user = world.user("officer_a")
    ok, errors = race(6, lambda i: services.service_record(actor=user, document=doc, method="direct", event_date=dt.date(2026, 11, 29), recipient=f"签收人{i}"))
    assert len(ok) == 1 and len(errors) == 5 and all(isinstance(e, DomainError) and e.code == "service_already_recorded" for e in errors)
    assert ServiceRecord.objects.filter(document=doc).count() == 1


def test_simultaneous_identical_print_requests_make_one_job(world, issue, monkeypatch):
    """Eight identical batch requests released together: one job, every request answered with it
    (the partial unique constraint printjob_one_active; documents/printing.py)."""
    from anjian.documents import printing
    from anjian.documents.models import PrintJob

    monkeypatch.setattr(printing, "pdf_available", lambda: True)
    a, b = issue(), issue()
    user = world.user("officer_a")
    ok, errors = race(8, lambda i: printing.batch_create(actor=user, document_ids=[a.pk, b.pk]).pk)
    assert not errors, errors
    assert len(ok) == 8 and len(set(ok)) == 1
    assert PrintJob.objects.count() == 1


def test_identical_print_requests_past_the_check_still_make_one_job(world, issue, monkeypatch):
    """The same, with the application's check taken away: only the database keeps them to one."""
    from anjian.documents import printing
    from anjian.documents.models import PrintJob

    monkeypatch.setattr(printing, "pdf_available", lambda: True)
    monkeypatch.setattr(printing, "_existing", lambda *args: None)
    a, b = issue(), issue()
    user = world.user("officer_a")
    ok, errors = race(8, lambda i: printing.batch_create(actor=user, document_ids=[a.pk, b.pk]).pk)
    assert not errors, errors
    assert len(set(ok)) == 1 and PrintJob.objects.count() == 1
