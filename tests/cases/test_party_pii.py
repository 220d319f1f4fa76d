"""A natural-person party's ID number: encrypted at rest, found by its blind index (one act, one
case: 行政处罚法第二十九条), masked on the case page with an audited reveal (issue 10, item 6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from anjian.cases import services
from anjian.cases.models import Case
from anjian.core.errors import DomainError
from anjian.core.models import AuditEvent
from tests.cases.conftest import START

pytestmark = pytest.mark.django_db
D = dt.date
NUMBER = "370602198001011234"


def _open(w: Any, ent: Any, number: str) -> Case:
    c = services.case_open(
        actor=w.user("officer_a"), source="other", source_reason="事故调查", enterprise=ent, person_name="王五", person_id_number=number,
        person_address="烟台市芝罘区南大街1号", title="主要负责人未履行安全生产管理职责案", facts="王五作为主要负责人未组织制定安全生产规章制度", discovered_on=D(2026, 2, 25),
    )  # fmt: skip
    services.case_violation_add(actor=w.user("officer_a"), case=c, violation_id="P4", act_date=D(2026, 2, 20), subject="principal")
    return c


def test_the_same_persons_same_act_is_found_through_the_blind_index(cases_world: Any, ent_a: Any) -> None:
    w = cases_world
    first = _open(w, ent_a, NUMBER)
    with connection.cursor() as cur:
        cur.execute("SELECT person_id_number FROM cases_case WHERE id = %s", [first.pk])
        assert NUMBER not in cur.fetchone()[0]
    services.case_file(actor=w.user("depthead_a"), case=first, filed_on=START.date())
    second = _open(w, ent_a, NUMBER.lower())  # the same person, however the number was typed
    with pytest.raises(DomainError) as exc:
        services.case_file(actor=w.user("depthead_a"), case=second, filed_on=START.date())
    assert exc.value.code == "same_act_other_case"
    other = _open(w, ent_a, "11010519491231002X")  # another person: no conflict
    services.case_file(actor=w.user("depthead_a"), case=other, filed_on=START.date())


def test_the_case_page_masks_the_id_number_and_a_reveal_is_audited(client: Any, cases_world: Any, ent_a: Any) -> None:
    w = cases_world
    c = _open(w, ent_a, NUMBER)
    client.force_login(w.user("legal_a"))
    body = client.get(reverse("cases:detail", args=[c.pk])).content.decode()
    assert NUMBER not in body and "370602********1234" in body and reverse("pii-reveal") in body
    resp = client.post(reverse("pii-reveal"), {"target": "case", "id": c.pk, "field": "person_id_number", "reason": "法制审核核对当事人"}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and NUMBER in resp.content.decode()
    assert AuditEvent.objects.filter(action="pii.reveal", object_id=str(c.pk), note="法制审核核对当事人").exists()
    client.force_login(w.user("officer_b"))
    resp = client.post(reverse("pii-reveal"), {"target": "case", "id": c.pk, "field": "person_id_number", "reason": "法制审核核对当事人"}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 404
