"""Gapless 文号 per agency, 文号 word and year (ARCHITECTURE.md rule 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from anjian.core.errors import ValidationFailed
from anjian.documents.models import DocumentCounter, IssuedDocument
from anjian.documents.numbering import allocate_number, format_number
from tests.documents.conftest import sample_context

pytestmark = pytest.mark.django_db


def test_it_formats_the_number_like_an_official_document():
    assert format_number(doc_abbr="芝应急", word="责改", year=2026, seq=3) == "芝应急责改〔2026〕3号"


def test_numbers_run_1_2_3_per_agency_kind_and_year(world, issue):
    docs = [issue() for _ in range(3)]
    assert [d.seq for d in docs] == [1, 2, 3]
    assert [d.number for d in docs] == ["芝应急责改〔2026〕1号", "芝应急责改〔2026〕2号", "芝应急责改〔2026〕3号"]


def test_another_agency_kind_or_year_starts_at_1(world, issue):
    issue()
    issue()
    other_agency = issue(actor=world.user("officer_b"), agency=world.agency_b)
    other_kind = issue("onsite_measure_decision")
    other_year = issue(issued_on=dt.date(2025, 12, 30), context={**sample_context("rectification_order"), "inspection_date": dt.date(2025, 12, 30), "deadline": dt.date(2026, 1, 15)})
    assert other_agency.number == "福应急责改〔2026〕1号"
    assert other_kind.number == "芝应急现决〔2026〕1号"
    assert other_year.number == "芝应急责改〔2025〕1号"
    assert issue().seq == 3


def test_a_rolled_back_issue_returns_its_number(world, issue):
    issue()
    with pytest.raises(RuntimeError), transaction.atomic():
        doc = issue()
        assert doc.seq == 2
        raise RuntimeError("the app's own step failed after the document was issued")
    assert not IssuedDocument.objects.filter(seq=2).exists()
    assert issue().seq == 2


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused():
    # In autocommit the increment would commit at once and a later failure would leave a gap.
    with pytest.raises(RuntimeError, match="inside the issuing transaction"):
        allocate_number(agency_id=1, doc_abbr="芝应急", kind="rectification_order", year=2026)
    assert not DocumentCounter.objects.exists()


def test_kinds_sharing_a_word_share_the_sequence(world):
    from anjian.documents import registry

    base = registry.get("rectification_order")
    twin = registry.register(registry.DocumentKind(**{**base.__dict__, "code": "test_twin_order", "defaults": {}}), replace=True)
    try:
        with transaction.atomic():
            a = allocate_number(agency_id=world.agency_a.pk, doc_abbr="芝应急", kind=base, year=2026)
            b = allocate_number(agency_id=world.agency_a.pk, doc_abbr="芝应急", kind=twin, year=2026)
        assert (a[0], b[0]) == (1, 2)
        assert DocumentCounter.objects.get(agency_id=world.agency_a.pk, series="责改", year=2026).last == 2
    finally:
        registry._KINDS.pop("test_twin_order")


def test_missing_doc_abbr_is_refused_in_chinese(world):
    with pytest.raises(ValidationFailed) as exc, transaction.atomic():
        allocate_number(agency_id=world.agency_a.pk, doc_abbr=" ", kind="rectification_order", year=2026)
    assert "文书代字" in exc.value.message
    assert not DocumentCounter.objects.exists()
