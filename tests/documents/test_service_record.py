"""Proof of service: the date of service by method (XZCF §61; MSSSF §87–§95) starts the clocks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from anjian.core.audit import events_for
from anjian.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from anjian.documents import selectors, services
from anjian.documents.models import ServiceRecord

pytestmark = pytest.mark.django_db


def _serve(world, doc, method="direct", event_date=dt.date(2026, 11, 29), actor=None, **kw):
    kw.setdefault("recipient", "王强")
    return services.service_record(actor=actor or world.user("officer_a"), document=doc, method=method, event_date=event_date, **kw)


@pytest.mark.parametrize(
    ("method", "extra", "served_on"),
    [
        ("direct", {}, dt.date(2026, 11, 29)),  # the date signed
        ("refusal", {"witness": "社区网格员刘洋"}, dt.date(2026, 11, 29)),  # the date left, with a witness
        ("mail", {}, dt.date(2026, 11, 29)),  # the return-receipt date
        ("electronic", {"consent_ref": "送达地址确认书(2026-11-28签署)"}, dt.date(2026, 11, 29)),  # reached the system
        ("announcement", {}, dt.date(2026, 12, 29)),  # publication + 30 days
    ],
)
def test_date_of_service_by_method(world, issue, method, extra, served_on):
    doc = issue()
    assert selectors.date_of_service(doc) is None
    record = _serve(world, doc, method=method, **extra)
    assert record.served_on == served_on and record.event_date == dt.date(2026, 11, 29)
    assert record.basis.startswith("行政处罚法第六十一条")
    assert selectors.date_of_service(doc) == served_on
    assert record.refused is (method == "refusal")
    (event,) = [e for e in events_for(doc) if e.action == "document.service"]
    assert event.after["served_on"] == served_on.isoformat() and event.after["method"] == method


def test_announcement_counts_30_days_across_the_month_end(world, issue):
    doc = issue()
    assert _serve(world, doc, method="announcement", event_date=dt.date(2026, 12, 2)).served_on == dt.date(2027, 1, 1)


def test_refusal_without_a_witness_is_refused(world, issue):
    doc = issue()
    with pytest.raises(ValidationFailed) as exc:
        _serve(world, doc, method="refusal", witness=" ")
    assert "见证人" in exc.value.message and "第八十九条" in exc.value.message
    assert "witness" in exc.value.fields
    assert not ServiceRecord.objects.exists()


def test_electronic_service_without_signed_consent_is_refused(world, issue):
    doc = issue()
    with pytest.raises(ValidationFailed) as exc:
        _serve(world, doc, method="electronic")
    assert "电子送达须经当事人书面同意" in exc.value.message and "行政处罚法第六十一条" in exc.value.article
    assert "consent_ref" in exc.value.fields
    assert not ServiceRecord.objects.exists()


def test_a_refusal_must_be_recorded_as_service_by_leaving(world, issue):
    with pytest.raises(ValidationFailed) as exc:
        _serve(world, issue(), method="direct", refused=True)
    assert "留置送达" in exc.value.fields["refused"][0]


@pytest.mark.parametrize(
    ("event_date", "message"),
    [(dt.date(2027, 1, 1), "不能晚于今天"), (dt.date(2026, 11, 27), "不能早于文书签发日期")],
)
def test_event_date_in_the_future_or_before_issue_is_refused(world, issue, event_date, message):
    with pytest.raises(ValidationFailed) as exc:
        _serve(world, issue(), event_date=event_date)
    assert message in exc.value.fields["event_date"][0]


def test_recipient_and_method_are_required(world, issue):
    with pytest.raises(ValidationFailed) as exc:
        _serve(world, issue(), method="fax", recipient="")
    assert {"method", "recipient"} <= set(exc.value.fields)


def test_one_effective_record_until_the_first_is_marked_erroneous(world, issue):
    doc = issue()
    first = _serve(world, doc, event_date=dt.date(2026, 11, 29))
    with pytest.raises(DomainError) as exc:
        _serve(world, doc, event_date=dt.date(2026, 11, 30))
    assert exc.value.code == "service_already_recorded" and "登记有误" in exc.value.message
    with pytest.raises(ValidationFailed):
        services.service_record_mark_erroneous(actor=world.user("officer_a"), record=first, reason="")
    services.service_record_mark_erroneous(actor=world.user("officer_a"), record=first, reason="签收日期录错,回证上为11月30日")
    second = _serve(world, doc, event_date=dt.date(2026, 11, 30))
    assert selectors.date_of_service(doc) == dt.date(2026, 11, 30) == second.served_on
    first.refresh_from_db()
    assert first.status == "erroneous" and first.error_reason.startswith("签收日期录错")
    assert [e.action for e in events_for(doc)][:3] == ["document.service", "document.service_error", "document.service"]


def test_an_unserved_kind_and_a_voided_document_get_no_service(world, issue):
    record = issue("inspection_record")
    with pytest.raises(DomainError) as exc:
        _serve(world, record)
    assert exc.value.code == "document_not_served"
    doc = issue()
    services.document_void(actor=world.user("depthead_a"), document=doc, reason="当事人名称写错")
    with pytest.raises(DomainError) as exc:
        _serve(world, doc)
    assert exc.value.code == "document_voided"


def test_only_the_issuing_agency_records_service(world, issue):
    doc = issue()
    with pytest.raises(NotFound):
        _serve(world, doc, actor=world.user("officer_b"))  # another district does not even see it
    with pytest.raises(PermissionRefused):
        _serve(world, doc, actor=world.user("officer_city"))  # the city reads but acts in its own name
    with pytest.raises(PermissionRefused):
        _serve(world, doc, actor=world.user("expert_a"))  # no role to serve


def test_a_scan_of_the_signed_receipt_is_kept(world, issue):
    record = _serve(world, issue(), scan=ContentFile(b"%PDF-1.4 scan", name="回证.pdf"))
    assert record.scan.name.startswith("documents/service/2026/") and record.scan.read() == b"%PDF-1.4 scan"
