"""Discretion (issue 9 item 5) and penalties that are measures (item 6).

Local discretion standards (裁量基准): entered by the legal department, approved by another
person, applied only to the cases of the agencies they cover; cuts outside the legal range are
refused naming the article; the band of a case comes from the standard. Comparable decisions
(同案不同罚): median and spread city-wide, a warning when far, no names from other districts, one
query per violation. A decision ordering 停产停业整顿 or suspending a licence registers a penalty
measure, flips the ledger's operating status and updates the licence.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from anjian.cases import discretion, services
from anjian.cases.models import Case, CaseViolation
from anjian.core.errors import PermissionRefused, ValidationFailed
from anjian.core.models import AuditEvent
from anjian.legal import discretion as legal_discretion
from anjian.legal.models import DiscretionStandard
from tests.cases.conftest import START, at, filed_case
from tests.conftest import make_uscc
from tests.legal.personas import add_personas

D = dt.date
SRC_A = "芝应急发〔2026〕3号（示例）"
SECRET = "福山保密机械制造有限公司"
CUT = {"violation_id": "P12", "subject": "unit", "circumstance": "base", "lenient_to": "10000", "heavy_from": "30000", "note": "逾期未消除一般隐患"}


@pytest.fixture
def dw(cases_world: Any) -> Any:
    return add_personas(cases_world)


def _standard(
    w: Any, *, who: str = "legal_a", approver: str | None = "admin_a", scope: str = "370602", cut: dict[str, str] | None = None, name: str = "芝罘区应急管理局行政处罚裁量基准"
) -> DiscretionStandard:
    std = legal_discretion.standard_create(
        actor=w.user(who), scope=scope, name=name, source_document=SRC_A, effective_from=D(2026, 1, 1), cuts=[cut or CUT],
    )  # fmt: skip
    if approver:
        std = legal_discretion.standard_approve(actor=w.user(approver), standard=std, opinion="同意")
    return std


def _propose(w: Any, c: Case, amount: str, reasons: str = "逾期未消除，情节一般，已部分整改", kinds: list[str] | None = None) -> CaseViolation:
    v = c.violations.get()
    services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal(amount), "reasons": reasons, "other_kinds": kinds or []}])
    v.refresh_from_db()
    return v


# --- standards -------------------------------------------------------------------------------------------
def test_a_district_standard_sets_the_band_of_its_own_cases(dw: Any, ent_a: Any) -> None:
    w = dw
    c = filed_case(w, ent_a, amount=None)
    v = _propose(w, c, "12000.00")
    assert v.band == "lenient"  # default: 5万元以下 → lenient up to 30 % (1.5万)
    assert discretion.DEFAULT_SOURCE in v.range_basis
    std = _standard(w)
    v = _propose(w, c, "12000.00")
    assert v.band == "ordinary"  # the standard: lenient up to 1万, heavy from 3万
    assert std.citation in v.range_basis and SRC_A in v.range_basis and "第一百零二条" in v.range_basis
    v = _propose(w, c, "30000.00", reasons="拒不配合检查，隐患逾期未消除且危害较大")
    assert v.band == "heavy"
    assert AuditEvent.objects.filter(action="discretion.approve", object_id=str(std.pk)).exists()


def test_a_standard_applies_only_to_its_agency_the_city_one_to_the_rest(dw: Any) -> None:
    w = dw
    _standard(w)
    key = ("P12", "unit", "base")
    on = D(2026, 3, 2)
    assert legal_discretion.cuts_for(jurisdiction_code="370602", violation_id="P12", subject="unit", circumstance="base", on=on) is not None
    assert legal_discretion.cuts_for_many(jurisdiction_code="370611", keys=[key], on=on) == {}  # 福山区: the default thirds
    city = _standard(w, who="legal_city", approver="admin_city", scope="370600", name="烟台市应急管理局行政处罚裁量基准", cut={**CUT, "lenient_to": "5000", "heavy_from": "40000"})
    b = legal_discretion.cuts_for(jurisdiction_code="370611", violation_id="P12", subject="unit", circumstance="base", on=on)
    assert b is not None and b.standard_id == city.pk and b.cuts.lenient_to == Decimal("5000.00")
    a = legal_discretion.cuts_for(jurisdiction_code="370602", violation_id="P12", subject="unit", circumstance="base", on=on)
    assert a is not None and a.standard_id != city.pk and a.cuts.lenient_to == Decimal("10000.00")  # the district's own wins
    assert legal_discretion.cuts_for(jurisdiction_code="370602", violation_id="P12", subject="unit", circumstance="base", on=D(2025, 12, 31)) is None  # not yet in force


def test_approval_needs_another_person_and_a_pending_standard_does_not_apply(dw: Any) -> None:
    w = dw
    std = _standard(w, approver=None)
    assert std.status == "pending" and std.created_by == w.user("legal_a")
    assert legal_discretion.cuts_for(jurisdiction_code="370602", violation_id="P12", subject="unit", circumstance="base", on=D(2026, 3, 2)) is None
    with pytest.raises(PermissionRefused) as exc:
        legal_discretion.standard_approve(actor=w.user("legal_a"), standard=std)
    assert "职责分离" in exc.value.message
    with pytest.raises(PermissionRefused):
        legal_discretion.standard_approve(actor=w.user("officer_a"), standard=std)  # not the legal department
    with pytest.raises(ValidationFailed):
        legal_discretion.standard_approve(actor=w.user("admin_a"), standard=std, approved=False)  # a refusal needs its reason
    std = legal_discretion.standard_approve(actor=w.user("admin_a"), standard=std)
    assert std.status == "approved" and std.approved_by == w.user("admin_a")
    # An overlapping second standard for the same violation and scope is refused at approval.
    second = _standard(w, approver=None, name="第二版")
    with pytest.raises(Exception) as exc2:
        legal_discretion.standard_approve(actor=w.user("admin_a"), standard=second)
    assert getattr(exc2.value, "code", "") == "discretion_overlap"
    legal_discretion.standard_end(actor=w.user("legal_a"), standard=std, effective_to=D(2026, 1, 31))
    second.effective_from = D(2026, 2, 1)
    second.save(update_fields=["effective_from"])
    assert legal_discretion.standard_approve(actor=w.user("admin_a"), standard=second).status == "approved"


def test_one_district_cannot_change_another_or_the_city(dw: Any) -> None:
    w = dw
    for scope in ("370600", "370611", "*"):
        with pytest.raises(PermissionRefused) as exc:
            legal_discretion.standard_create(actor=w.user("legal_a"), scope=scope, name="x", source_document=SRC_A, effective_from=D(2026, 1, 1), cuts=[CUT])
        assert exc.value.code == "scope_refused"
    b_std = _standard(w, who="legal_b", approver=None, scope="370611", name="福山区裁量基准")
    with pytest.raises(PermissionRefused):
        legal_discretion.standard_approve(actor=w.user("admin_a"), standard=b_std)
    city = _standard(w, who="legal_city", approver=None, scope="370600", name="市级")
    with pytest.raises(PermissionRefused):
        legal_discretion.standard_approve(actor=w.user("admin_a"), standard=city)
    with pytest.raises(PermissionRefused):
        legal_discretion.standard_end(actor=w.user("legal_a"), standard=city, effective_to=D(2026, 12, 31))
    assert not DiscretionStandard.objects.filter(scope__in=["370600", "*"], created_by=w.user("legal_a")).exists()


@pytest.mark.parametrize(
    ("lenient_to", "heavy_from", "field"), [("10000", "50000", "cuts_0"), ("60000", "70000", "cuts_0"), ("30000", "10000", "cuts_0"), ("abc", "10000", "cuts_0")]
)
def test_a_cut_outside_the_legal_range_is_refused_naming_the_article(dw: Any, lenient_to: str, heavy_from: str, field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _standard(dw, approver=None, cut={**CUT, "lenient_to": lenient_to, "heavy_from": heavy_from})
    assert field in exc.value.fields
    if lenient_to != "abc":
        assert "第一百零二条" in exc.value.article or "第三十四条" in exc.value.article
    assert not DiscretionStandard.objects.exists()


def test_a_standard_needs_its_source_and_known_violations(dw: Any) -> None:
    w = dw
    with pytest.raises(ValidationFailed) as exc:
        legal_discretion.standard_create(actor=w.user("legal_a"), scope="370602", name="", source_document="", effective_from=None, cuts=[CUT])
    assert {"name", "source_document", "effective_from"} <= set(exc.value.fields)
    with pytest.raises(ValidationFailed):
        legal_discretion.standard_create(
            actor=w.user("legal_a"), scope="370602", name="x", source_document=SRC_A, effective_from=D(2026, 1, 1), cuts=[{**CUT, "violation_id": "P999"}]
        )
    with pytest.raises(ValidationFailed):
        legal_discretion.standard_create(actor=w.user("legal_a"), scope="370602", name="x", source_document=SRC_A, effective_from=D(2026, 1, 1), cuts=[CUT, CUT])
    with pytest.raises(ValidationFailed):
        legal_discretion.standard_create(actor=w.user("legal_a"), scope="370602", name="x", source_document=SRC_A, effective_from=D(2026, 1, 1), cuts=[])
    with pytest.raises(PermissionRefused):
        legal_discretion.standard_create(actor=w.user("officer_a"), scope="370602", name="x", source_document=SRC_A, effective_from=D(2026, 1, 1), cuts=[CUT])


# --- reasons ---------------------------------------------------------------------------------------------
def test_reasons_are_required_and_state_the_circumstances_outside_the_ordinary_band(dw: Any, ent_a: Any) -> None:
    w = dw
    c = filed_case(w, ent_a, amount=None)
    v = c.violations.get()
    with pytest.raises(ValidationFailed):
        services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal("12000"), "reasons": "  "}])
    _standard(w)
    with pytest.raises(ValidationFailed) as exc:
        services.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal("40000"), "reasons": "从重"}])
    assert exc.value.code == "reasons_missing" and "从重" in exc.value.message
    v.refresh_from_db()
    assert v.proposed_amount is None  # nothing half-written
    assert _propose(w, c, "20000.00", reasons="一般").band == "ordinary"  # the ordinary band: any reasons


# --- comparables ----------------------------------------------------------------------------------------------
@pytest.fixture
def decided_elsewhere(dw: Any) -> list[Case]:
    """Six decided P12 cases of 福山区 (a unit whose name must never leave the district)."""
    from anjian.enterprises import services as enterprises

    w = dw
    ent = enterprises.enterprise_create(
        actor=w.user("officer_b"), jurisdiction=w.district_b, name=SECRET, uscc=make_uscc(77, region="370611"), sectors=["industry.machinery"], features=[]
    )
    out = []
    for i, amount in enumerate(("16000", "18000", "20000", "20000", "22000", "25000")):
        c = Case.objects.create(
            jurisdiction=w.district_b, owner_agency=w.agency_b, title=f"福山保密案{i}", party_type="unit", enterprise=ent, source="other", facts="f",
            discovered_on=D(2026, 1, 5), opened_by=w.user("officer_b"), decided_on=D(2026, 2, 1), status="decided",
        )  # fmt: skip
        CaseViolation.objects.create(case=c, violation_id="P12", act_date=D(2026, 1, 2), proposed_amount=Decimal(amount), band="ordinary", reasons="r")
        out.append(c)
    return out


def test_comparables_give_count_median_and_spread_and_warn_when_far(dw: Any, ent_a: Any, decided_elsewhere: list[Case]) -> None:
    w = dw
    c = filed_case(w, ent_a, amount=None)
    v = _propose(w, c, "29000.00")  # ordinary under the default (1.5万–3万)
    [row] = discretion.comparables(c, on=START.date())
    s = row.spread
    assert (s.count, s.minimum, s.q1, s.median, s.q3, s.maximum) == (6, Decimal("16000.00"), Decimal("18000.00"), Decimal("20000.00"), Decimal("22000.00"), Decimal("25000.00"))
    assert row.own_agency_count == 0
    assert row.far is not None and row.far.far and "明显高于" in row.far.message  # above 2.2万 + 1.5 × 4000 = 2.8万
    step = c.steps.filter(action="case.propose").latest("id")
    assert "明显高于" in step.summary and "提示" in step.summary
    v = _propose(w, c, "21000.00")
    [row] = discretion.comparables(c, on=START.date())
    assert row.far is not None and not row.far.far
    assert "明显" not in c.steps.filter(action="case.propose").latest("id").summary
    # A case not yet proposed compares with every band; a lenient amount with the lenient ones (none).
    v = _propose(w, c, "9000.00")
    [row] = discretion.comparables(c, on=START.date())
    assert row.band == "lenient" and row.spread.count == 0 and row.far is not None and not row.far.far
    assert v.pk == row.violation.pk


def test_comparables_api_shows_amounts_and_counts_never_names_in_one_query_per_violation(dw: Any, ent_a: Any, decided_elsewhere: list[Case]) -> None:
    w = dw
    c = filed_case(w, ent_a, amount=None)
    _propose(w, c, "21000.00")
    api = APIClient()
    api.force_authenticate(w.user("officer_a"))
    r = api.get(f"/api/v1/cases/{c.pk}/comparables/")
    assert r.status_code == 200, r.content
    body = r.json()
    [row] = body["results"]
    assert row["count"] == 6 and row["median"] == "20000.00" and row["q1"] == "18000.00" and row["q3"] == "22000.00" and row["far"] is False
    assert row["band"] == "ordinary" and row["standard"] == discretion.DEFAULT_SOURCE and len(row["bands"]) == 3
    text = r.content.decode()
    assert SECRET not in text and "福山保密案" not in text
    # Only counts and amounts about the others: no case, party, title or number field at all.
    assert set(row) == {"violation", "violation_id", "proposed_amount", "band", "band_label", "legal_range", "standard", "bands", "count", "own_agency_count",
                        "minimum", "q1", "median", "q3", "maximum", "comparable", "far", "message"}  # fmt: skip
    assert row["violation"] == c.violations.get().pk and all(x.pk != row["violation"] for x in CaseViolation.objects.filter(case__in=decided_elsewhere))
    page = Client()
    page.force_login(w.user("officer_a"))
    html = page.get(f"/cases/{c.pk}/discretion/").content.decode()
    assert "20000.00" in html and SECRET not in html and "福山保密案" not in html
    # District B's officer does not reach district A's case; a malformed id is 404.
    other = APIClient()
    other.force_authenticate(w.user("officer_b"))
    assert other.get(f"/api/v1/cases/{c.pk}/comparables/").status_code == 404
    assert api.get("/api/v1/cases/99999999999999999999/comparables/").status_code == 404
    # One query per violation: a second violation adds exactly one comparables query.
    with CaptureQueriesContext(connection) as one:
        assert api.get(f"/api/v1/cases/{c.pk}/comparables/").status_code == 200
    services.case_violation_add(actor=w.user("officer_a"), case=c, violation_id="P9", act_date=D(2026, 2, 20), act_group=2)
    services.case_violation_add(actor=w.user("officer_a"), case=c, violation_id="P7", act_date=D(2026, 2, 20), act_group=3)
    with CaptureQueriesContext(connection) as three:
        assert len(api.get(f"/api/v1/cases/{c.pk}/comparables/").json()["results"]) == 3
    assert len(three) - len(one) == 2, [q["sql"] for q in three.captured_queries]
    assert len(three) <= 12


# --- penalties that are measures -----------------------------------------------------------------------------
def _decide_with(w: Any, ent: Any, clock: Any, kinds: list[str]) -> Case:
    c = filed_case(w, ent, amount=None)
    _propose(w, c, "20000.00", reasons="拒不执行整改指令，情节严重", kinds=kinds)
    services.notice_issue(actor=w.user("officer_a"), case=c, issued_on=START.date())
    services.notice_served(actor=w.user("officer_a"), case=c, method="direct", event_date=START.date(), recipient="李四")
    at(clock, D(2026, 3, 10))  # the defence and hearing-request windows have passed
    services.legal_review_record(actor=w.user("legal_a"), case=c, reviewed_on=D(2026, 3, 10), passed=True, opinion="事实清楚，证据确凿")
    services.collective_discussion_record(
        actor=w.user("leader_a"), case=c, held_on=D(2026, 3, 10), attendee_ids=[w.user("leader_a").staff.pk, w.user("depthead_a").staff.pk], conclusion="同意"
    )  # fmt: skip
    return services.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 10))


def test_a_decision_ordering_suspension_creates_the_measure_and_flips_the_operating_status(dw: Any, ent_a: Any, clock: Any) -> None:
    from anjian.enterprises import selectors as ent_selectors
    from anjian.hazards.models import Measure

    assert ent_selectors.operating_status(ent_a) == "operating"
    c = _decide_with(dw, ent_a, clock, ["order_stop"])
    m = Measure.objects.get(enterprise=ent_a)
    assert (m.kind, m.measure_type, m.scope, m.status, m.decided_on) == ("penalty", "suspend", "unit", "active", D(2026, 3, 10))
    assert "第一百零二条" in m.legal_basis and "行政处罚法》第九条" in m.legal_basis and m.owner_agency_id == c.owner_agency_id
    assert ent_selectors.operating_status(ent_a) == "measure_suspended"
    step = c.steps.get(action="case.decide")
    assert "责令停产停业" in step.summary and "停产整顿（措施）" in step.summary
    assert AuditEvent.objects.filter(action="measure.penalty", object_id=str(m.pk)).exists()


def test_a_licence_suspension_updates_the_licence_through_the_ledger(dw: Any, ent_a: Any, clock: Any) -> None:
    from anjian.enterprises import services as enterprises
    from anjian.enterprises.models import Licence

    w = dw
    lic = enterprises.child_create(
        actor=w.user("officer_a"), enterprise=ent_a, model=Licence, kind="safety_production", number="（鲁）WH安许证字〔2024〕060001", issuer="山东省应急管理厅",
        valid_from=D(2024, 1, 1), valid_to=D(2027, 1, 1),
    )  # fmt: skip
    other = enterprises.child_create(
        actor=w.user("officer_a"), enterprise=ent_a, model=Licence, kind="hazchem_registration", number="370610001", issuer="登记中心", valid_from=D(2024, 1, 1), valid_to=D(2027, 1, 1)
    )  # fmt: skip
    c = _decide_with(w, ent_a, clock, ["licence_suspension"])
    lic.refresh_from_db()
    other.refresh_from_db()
    assert lic.status == "suspended" and other.status == "valid"
    assert "暂扣许可证：安全生产许可证" in c.steps.get(action="case.decide").summary
    ev = AuditEvent.objects.get(action="licence.penalty")
    assert ev.object_id == str(ent_a.pk) and ev.after["status"] == "suspended"
    # The ledger service refuses anyone but an agency head, and a revoked licence cannot change.
    with pytest.raises(PermissionRefused):
        enterprises.licence_penalty_status(actor=w.user("officer_a"), licence=lic, status="revoked", effective_date=D(2026, 3, 10), reason="x")
    enterprises.licence_penalty_status(actor=w.user("leader_a"), licence=lic, status="revoked", effective_date=D(2026, 3, 10), reason="吊销")
    with pytest.raises(Exception) as exc:
        enterprises.licence_penalty_status(actor=w.user("leader_a"), licence=lic, status="suspended", effective_date=D(2026, 3, 10), reason="x")
    assert getattr(exc.value, "code", "") == "licence_ended"


def test_a_decision_without_such_penalties_creates_no_measure(dw: Any, ent_a: Any, clock: Any) -> None:
    from anjian.hazards.models import Measure

    c = _decide_with(dw, ent_a, clock, ["warning"])
    assert discretion.proposal_warnings(c, [], START.date()) == []
    assert not Measure.objects.filter(enterprise=ent_a).exists()


# --- pages ------------------------------------------------------------------------------------------------------
def test_standard_pages_enter_and_approve(dw: Any) -> None:
    w = dw
    legal = Client()
    legal.force_login(w.user("legal_a"))
    assert legal.get("/cases/discretion-standards/").status_code == 200
    assert legal.get("/cases/discretion-standards/new/").status_code == 200
    form = {"scope": "370602", "name": "芝罘区裁量基准", "source_document": SRC_A, "issuing_agency": "", "effective_from": "2026-01-01", "effective_to": "",
            "cuts": "P12,unit,base,10000,30000,逾期未消除\n", "note": ""}  # fmt: skip
    bad = legal.post("/cases/discretion-standards/new/", {**form, "cuts": "P12,unit,base,10000,60000"})
    assert bad.status_code == 200 and "不在法定幅度" in bad.content.decode() and not DiscretionStandard.objects.exists()
    r = legal.post("/cases/discretion-standards/new/", form)
    assert r.status_code == 302, r.content.decode()
    std = DiscretionStandard.objects.get()
    assert std.issuing_agency == w.agency_a.name and std.status == "pending"
    page = legal.get(f"/cases/discretion-standards/{std.pk}/").content.decode()
    assert SRC_A in page and "提交审批" not in page  # the one who entered it is not offered the approval
    assert legal.post(f"/cases/discretion-standards/{std.pk}/approve/", {"decision": "approve"}).status_code == 403
    admin = Client()
    admin.force_login(w.user("admin_a"))
    assert "提交审批" in admin.get(f"/cases/discretion-standards/{std.pk}/").content.decode()
    assert admin.post(f"/cases/discretion-standards/{std.pk}/approve/", {"decision": "approve", "opinion": "同意"}).status_code == 302
    std.refresh_from_db()
    assert std.status == "approved" and std.approved_by == w.user("admin_a")
    assert "终止裁量基准" in admin.get(f"/cases/discretion-standards/{std.pk}/").content.decode()
    assert legal.post(f"/cases/discretion-standards/{std.pk}/end/", {"effective_to": "2025-12-31"}).status_code == 200  # before it began: refused
    assert legal.post(f"/cases/discretion-standards/{std.pk}/end/", {"effective_to": "2026-12-31"}).status_code == 302
    std.refresh_from_db()
    assert std.effective_to == D(2026, 12, 31)
    officer = Client()
    officer.force_login(w.user("officer_a"))
    assert officer.post(f"/cases/discretion-standards/{std.pk}/end/", {"effective_to": "2026-06-30"}).status_code == 403
    assert officer.get("/cases/discretion-standards/new/").status_code == 403
    assert officer.get(f"/cases/discretion-standards/{std.pk}/").status_code == 200  # its own district's, read-only
    neighbour = Client()
    neighbour.force_login(w.user("officer_b"))
    assert neighbour.get(f"/cases/discretion-standards/{std.pk}/").status_code == 404
    assert "芝罘区裁量基准" not in neighbour.get("/cases/discretion-standards/").content.decode()
