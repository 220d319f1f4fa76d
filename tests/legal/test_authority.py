"""One authority rule for shared legal configuration (issue 8 High 3 and the rule itself).

The attack: a development-zone legal reviewer registered ``hearing.fine.organisation = 5,000,000``
with scope 370600 (201 Created), and a district unit fined 200,000 yuan was then no longer told it
may request a hearing. The zone's code ``370600-KFQ`` was cut to ``370600`` (the city) both when the
scopes it may write were computed and when the scopes covering a unit were.
"""

from __future__ import annotations

from typing import Any

import pytest

from anjian.core.errors import PermissionRefused
from anjian.core.models import AuditEvent
from anjian.legal import authority, services
from anjian.legal.models import CollectiveDiscussionConfig, LegalReviewCatalogueEntry, RuleOverride
from tests.legal.personas import add_personas
from tests.legal.test_law_api import API, client_for

pytestmark = pytest.mark.urls("tests.legal.urls_for_law")
ZONE_CODES = ["370671", "370600-KFQ"]  # the tests' form and the demo's form of a zone's code
HEARING = {"rule_code": "hearing.fine.organisation", "value": "5000000", "effective_from": "2026-01-01", "source_document": "烟开应急法〔2026〕1号", "approver": "开发区法规科"}
FINE = {"violation": "P7", "act_date": "2025-06-01", "decision_date": "2026-03-02", "amount": "80000"}


def _hearing_required(user: Any) -> bool:
    r = client_for(user).post(f"{API}/penalties/check/", FINE, format="json")
    assert r.status_code == 200, r.content
    return bool(r.json()["hearing"]["required"])


@pytest.mark.parametrize("zone_code", ZONE_CODES)
def test_a_zone_reviewer_cannot_register_an_override_for_the_city(calendar: None, world: Any, zone_code: str) -> None:
    people = add_personas(world, zone_code=zone_code)
    assert _hearing_required(people.user("officer_a"))
    for scope in ("370600", "370000", "*", "370602"):
        r = client_for(people.user("legal_zone")).post(f"{API}/overrides/", {**HEARING, "scope": scope}, format="json")
        assert r.status_code == 403, (scope, r.content)
        body = r.json()
        assert body["code"] == "scope_refused" and "scope" in body["fields"] and "超出本机关辖区" in body["message"]
    assert not RuleOverride.objects.exists()
    assert _hearing_required(people.user("officer_a"))  # the district unit is still told it may request a hearing


@pytest.mark.parametrize("zone_code", ZONE_CODES)
def test_a_zone_override_applies_to_the_zone_only(calendar: None, world: Any, zone_code: str) -> None:
    people = add_personas(world, zone_code=zone_code)
    r = client_for(people.user("legal_zone")).post(f"{API}/overrides/", {**HEARING, "scope": zone_code}, format="json")
    assert r.status_code == 201, r.content
    ev = AuditEvent.objects.get(action="rule.override", object_id=str(r.json()["id"]))
    assert ev.after["source_document"] == HEARING["source_document"] and ev.jurisdiction_id == people.zone.pk
    assert not _hearing_required(people.user("officer_zone"))  # the zone's own threshold
    assert _hearing_required(people.user("officer_a"))  # a district unit: the default threshold
    assert _hearing_required(people.user("officer_city"))
    assert zone_code not in authority.scope_codes("370602") and zone_code not in authority.scope_codes("370600")
    assert authority.scope_codes(zone_code) == sorted({zone_code, "370600", "370000", "*"})


def test_each_agency_writes_only_its_own_jurisdiction(people: Any) -> None:
    assert authority.writable_scopes(people.user("legal_a")) == {"370602"}
    assert authority.writable_scopes(people.user("legal_zone")) == {"370671"}
    assert authority.writable_scopes(people.user("legal_city")) == {"370600", "370000", "*"}  # not a district's
    assert authority.writable_scopes(people.user("outsider")) == set()
    with pytest.raises(PermissionRefused):
        services.rule_override_create(actor=people.user("legal_city"), rule_code="defence_statement", scope="370602", effective_from=__import__("datetime").date(2026, 2, 1), source_document="烟应急法〔2026〕1号", approver="市局")


def _catalogue(scope: str = "370602", **kw: Any) -> dict[str, Any]:
    import datetime as dt

    return {"scope": scope, "code": "SC-1", "name": "吊销许可证", "kinds": ["licence_revocation"], "source_document": "芝应急法〔2026〕5号", "effective_from": dt.date(2026, 1, 1), **kw}


@pytest.mark.parametrize("model", [LegalReviewCatalogueEntry, CollectiveDiscussionConfig])
def test_catalogue_and_collective_rules_follow_the_rule(calendar: None, people: Any, model: Any) -> None:
    values = _catalogue()
    if model is CollectiveDiscussionConfig:
        values = {k: v for k, v in values.items() if k not in ("code", "name")}
    row = services.config_row_save(actor=people.user("legal_a"), model=model, values=values)
    ev = AuditEvent.objects.get(object_id=str(row.pk), object_type=model._meta.label_lower)
    assert ev.after["source_document"] == "芝应急法〔2026〕5号" and "芝应急法〔2026〕5号" in ev.note
    for persona, scope in (("legal_b", "370602"), ("legal_zone", "370600"), ("legal_city", "370602"), ("officer_a", "370602"), ("admin_zone", "*")):
        with pytest.raises(PermissionRefused):
            services.config_row_save(actor=people.user(persona), model=model, values={**values, "scope": scope})
    with pytest.raises(PermissionRefused):  # another agency cannot change district A's row
        services.config_row_save(actor=people.user("admin_b"), model=model, instance=row, values={**values, "scope": "370611"})
    changed = services.config_row_save(actor=people.user("admin_a"), model=model, instance=row, values={**values, "source_document": "芝应急法〔2026〕6号"})
    assert changed.source_document == "芝应急法〔2026〕6号" and model.objects.count() == 1
