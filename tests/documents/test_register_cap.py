"""The register counts up to a cap (a million documents are not counted on every page view) and says so."""

from __future__ import annotations

from typing import Any

import pytest

from anjian.documents import views_register

pytestmark = pytest.mark.django_db


def test_the_count_stops_at_the_cap(world: Any, client: Any, issue: Any, monkeypatch: Any, django_assert_max_num_queries: Any) -> None:
    monkeypatch.setattr(views_register, "COUNT_CAP", 2)
    a, b, c = issue("inspection_record"), issue("inspection_record"), issue("rectification_order")
    client.force_login(world.user("officer_a"))
    with django_assert_max_num_queries(14):
        page = client.get("/documents/").content.decode()
    assert "共 <strong>2</strong> 份以上" in page
    body = client.get("/api/v1/documents/").json()
    assert body["count"] == 2 and body["count_capped"] is True and len(body["results"]) == 2  # the newest COUNT_CAP are listed
    monkeypatch.setattr(views_register, "COUNT_CAP", 10)
    body = client.get("/api/v1/documents/").json()
    assert body["count"] == 3 and body["count_capped"] is False
    assert {r["number"] for r in body["results"]} == {a.number, b.number, c.number}
