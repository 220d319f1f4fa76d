"""Outcomes of a substantiated complaint (the seed's 第六条至第八条): a correction linked to the
case, a referral for fault liability naming the officer, an apology for uncivil conduct; only on
grounds found substantiated, and the officer only among those the complaint names."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from anjian.complaints import services
from anjian.core.errors import DomainError, ValidationFailed
from tests.complaints.conftest import START, register, to_investigating

D = START.date()


@pytest.fixture
def investigated(cw: Any) -> Any:
    sub, _ = register(cw, officers=["officer_a"], grounds=["defence", "uncivil"])
    sub = to_investigating(cw, sub, handler="officer_a2")
    services.finding_record(actor=cw.user("officer_a2"), submission=sub, ground="defence", substantiated=False, note="决定金额未高于告知金额", recorded_on=D)
    services.finding_record(actor=cw.user("officer_a2"), submission=sub, ground="uncivil", substantiated=True, note="执法记录仪显示态度生硬", recorded_on=D)
    return sub


def test_apology_and_accountability_on_a_substantiated_ground(cw: Any, investigated: Any) -> None:
    sub = investigated
    officer = cw.user("officer_a").staff.pk
    o = services.outcome_record(actor=cw.user("officer_a2"), submission=sub, kind="apology", ground="uncivil", officer_id=officer, note="已当面解释并赔礼道歉", done_on=D)
    assert o.officer_id == officer and o.kind == "apology"
    services.outcome_record(actor=cw.user("office_a"), submission=sub, kind="accountability", ground="uncivil", officer_id=officer, note="态度粗暴，移送过错责任追究", done_on=D)
    c = Client()
    c.force_login(cw.user("leader_a"))
    page = c.get(f"/complaints/{sub.pk}/").content.decode()
    assert "执法人员解释并赔礼道歉" in page and "移送行政执法过错责任追究" in page
    # the named officer still cannot see any of it
    c.force_login(cw.user("officer_a"))
    assert c.get(f"/complaints/{sub.pk}/").status_code == 404


def test_outcomes_are_refused_without_a_substantiated_finding_or_a_named_officer(cw: Any, investigated: Any) -> None:
    sub = investigated
    with pytest.raises(DomainError) as exc:
        services.outcome_record(actor=cw.user("officer_a2"), submission=sub, kind="correction", ground="defence", note="重新审查", done_on=D)
    assert exc.value.code == "not_substantiated" and "第六条" in exc.value.article
    with pytest.raises(ValidationFailed) as vexc:
        services.outcome_record(actor=cw.user("officer_a2"), submission=sub, kind="accountability", ground="uncivil", note="x", done_on=D)
    assert "officer_id" in vexc.value.fields
    with pytest.raises(ValidationFailed) as vexc:
        services.outcome_record(actor=cw.user("officer_a2"), submission=sub, kind="apology", ground="uncivil", officer_id=cw.user("officer_a2").staff.pk, note="x", done_on=D)
    assert "officer_id" in vexc.value.fields  # not named in the complaint


def test_outcome_through_the_api(cw: Any, investigated: Any) -> None:
    api = APIClient()
    api.force_authenticate(cw.user("officer_a2"))
    r = api.post(f"/api/v1/complaints/{investigated.pk}/outcomes/", {"kind": "apology", "ground": "uncivil", "officer_id": cw.user("officer_a").staff.pk, "note": "已道歉", "done_on": D.isoformat()}, format="json")
    assert r.status_code == 200 and r.json()["outcomes"][0]["kind"] == "apology"
    r = api.post(f"/api/v1/complaints/{investigated.pk}/outcomes/", {"kind": "nonsense", "ground": "uncivil", "note": "x", "done_on": "2026-02-31"}, format="json")
    assert r.status_code in (400, 422) and {"kind", "done_on"} <= set(r.json()["fields"])
