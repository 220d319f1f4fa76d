"""Voiding never frees the number (ARCHITECTURE.md rule 5)."""

from __future__ import annotations

import datetime as dt

import pytest

from anjian.core.audit import events_for
from anjian.core.errors import DomainError, PermissionRefused, ValidationFailed
from anjian.documents import services

pytestmark = pytest.mark.django_db


def test_void_keeps_the_number_and_the_next_issue_moves_on(world, issue):
    doc = issue()
    services.document_void(actor=world.user("depthead_a"), document=doc, reason="当事人名称写错")
    doc.refresh_from_db()
    assert doc.status == "voided" and doc.void_reason == "当事人名称写错" and doc.voided_by == world.user("depthead_a")
    assert issue().seq == 2
    (event,) = [e for e in events_for(doc) if e.action == "document.void"]
    assert event.note == "当事人名称写错"


def test_void_needs_a_reason_a_role_and_the_owning_agency(world, issue):
    doc = issue()
    with pytest.raises(ValidationFailed):
        services.document_void(actor=world.user("depthead_a"), document=doc, reason=" ")
    with pytest.raises(PermissionRefused):
        services.document_void(actor=world.user("officer_a"), document=doc, reason="错")
    with pytest.raises(PermissionRefused):
        services.document_void(actor=world.user("leader_city"), document=doc, reason="错")
    services.document_void(actor=world.user("depthead_a"), document=doc, reason="错")
    with pytest.raises(DomainError) as exc:
        services.document_void(actor=world.user("depthead_a"), document=doc, reason="错")
    assert exc.value.code == "document_voided"


def test_a_served_document_is_not_voided(world, issue):
    doc = issue()
    services.service_record(actor=world.user("officer_a"), document=doc, method="direct", event_date=dt.date(2026, 11, 28), recipient="王强")
    with pytest.raises(DomainError) as exc:
        services.document_void(actor=world.user("depthead_a"), document=doc, reason="错")
    assert exc.value.code == "document_served" and "撤销决定" in exc.value.message
