"""Found by schemathesis (issue 8 item 11): the legal calculators' API hands a JSON body to Django
forms; a list or an object where a form expects one value failed inside the field with a 500
(``value.strip()``). Now the field refuses it with its message (a 4xx with the error body)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import PASSWORD

ODD_VALUES: list[Any] = [[None, None], ["2026-01-01", "x"], {"a": 1}, True, 12, None, []]


@pytest.fixture
def legal(client: Any, world: Any) -> Any:
    client.login(username="legal_a", password=PASSWORD)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("value", ODD_VALUES)
def test_penalty_check_refuses_odd_json_values(legal: Any, value: Any) -> None:
    body = {"violation": "0", "act_date": "2026-01-01", "decision_date": value, "amount": "0"}
    r = legal.post("/api/v1/law/penalties/check/", json.dumps(body), content_type="application/json")
    assert 400 <= r.status_code < 500, (value, r.status_code, r.content[:300])
    assert set(r.json()) >= {"code", "message", "fields"}


@pytest.mark.parametrize("value", ODD_VALUES)
def test_rule_override_refuses_odd_json_values(legal: Any, value: Any) -> None:
    body = {"rule_code": "0", "scope": "0", "effective_from": "2026-01-01", "effective_to": value, "value": "0", "unit": "0", "source_document": "x", "approver": "x"}
    r = legal.post("/api/v1/law/overrides/", json.dumps(body), content_type="application/json")
    assert 400 <= r.status_code < 500, (value, r.status_code, r.content[:300])
    assert set(r.json()) >= {"code", "message", "fields"}


def test_a_list_of_kinds_still_reaches_the_multiple_choice_field(legal: Any) -> None:
    body = {"violation": "0", "act_date": "2026-01-01", "decision_date": "2026-02-01", "kinds": ["fine", "warning"]}
    r = legal.post("/api/v1/law/penalties/check/", json.dumps(body), content_type="application/json")
    assert r.status_code < 500


def test_a_multipart_body_with_too_many_fields_is_a_400_not_a_500(legal: Any) -> None:
    """Found by schemathesis on /api/v1/print-jobs/batch/: Django's TooManyFieldsSent escaped the
    API's error handler as a 500. Any route: a malformed request is the client's error."""
    from django.test.client import encode_multipart

    body = encode_multipart("BoUnDaRy", {"documents": ["0"] * 1500})
    r = legal.post("/api/v1/print-jobs/batch/", body, content_type="multipart/form-data; boundary=BoUnDaRy")
    assert r.status_code == 400, (r.status_code, r.content[:300])
    assert r.json()["code"] == "invalid" and set(r.json()) >= {"code", "message", "fields"}
