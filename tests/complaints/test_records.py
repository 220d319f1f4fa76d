"""The records speak (issue 12 item 5): per ground, what anjian's own records say about the case,
the inspection or the officers a complaint names — facts with their dates, never a conclusion.

- the defence: the notice and its service, the defence and its review, the windows, and the
  amount at every stage, so the investigator sees whether the amount rose after the defence;
- the certificate: the officers on the day and each certificate's status that day, including a
  suspension entered later with an earlier effective date;
- the procedure: every deadline of the case, met or missed, and the case-file check.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from anjian.cases import services as cases
from anjian.complaints import records
from anjian.org import services as org
from tests.cases.conftest import cases_world, defence_confirmed, noticed_case  # noqa: F401
from tests.complaints.conftest import START, at, register, to_investigating
from tests.inspections.conftest import checklist, inspection  # noqa: F401

D = dt.date


def _texts(recs: list[records.GroundRecords], ground: str) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for r in recs:
        if r.code == ground:
            for s in r.sections:
                out += [(f.text, f.marked) for f in s.facts]
    return out


@pytest.fixture
def decided(cw: Any, cases_world: Any, ent_a: Any, clock: Any) -> Any:  # noqa: F811
    """A case noticed at 20,000 yuan, a defence, the proposal lowered to 15,000, reviewed, decided."""
    w = cases_world
    c = noticed_case(w, ent_a)
    v = c.violations.get()
    at(clock, D(2026, 3, 4))
    st = cases.defence_record(actor=w.user("officer_a"), case=c, received_on=D(2026, 3, 4), kind="defence", form="written", content="已着手整改，请求从轻")
    cases.case_propose(actor=w.user("officer_a"), case=c, items=[{"violation": v.pk, "amount": Decimal("15000.00"), "reasons": "采纳申辩意见，从轻"}])
    cases.defence_review(actor=w.user("officer_a"), statement=st, review="当事人已着手整改，采纳，从轻处罚")
    at(clock, D(2026, 3, 6))
    c = cases.decision_make(actor=w.user("leader_a"), case=c, decided_on=D(2026, 3, 6))
    return c


def test_the_defence_ground_shows_the_notice_the_defence_and_the_amounts(cw: Any, decided: Any, clock: Any) -> None:
    at(clock, D(2026, 3, 20))
    sub, _ = register(cw, grounds=["defence", "uncivil"], officers=["officer_a"], case_id=decided.pk, received_on=D(2026, 3, 20))
    recs = records.for_submission(sub)
    facts = _texts(recs, "defence")
    text = "\n".join(t for t, _ in facts)
    assert "制作行政处罚告知书" in text and "拟罚款合计2万元" in text
    assert "告知书于2026年3月2日送达" in text
    assert "2026年3月4日收到申辩（书面材料），在期限内：已着手整改，请求从轻；复核意见：当事人已着手整改" in text
    assert "陈述申辩期限" in text or "陈述、申辩" in text  # the window with its dates
    assert "2026年3月6日处罚决定1.5万元" in text
    assert "决定的罚款合计比最后送达的告知书少5000元，没有增加。" in text
    assert [t for t, m in facts if m] == []  # nothing in these records is outside the rule
    # the grounds the records cannot speak to say so instead of guessing
    uncivil = next(r for r in recs if r.code == "uncivil")
    assert not uncivil.sections and "须由承办人调查核实" in uncivil.none_reason


def test_the_certificate_ground_shows_a_suspension_entered_later_with_an_earlier_date(cw: Any, inspection: Any, clock: Any) -> None:  # noqa: F811
    day = inspection.inspected_on
    officer = cw.user("officer_a2").staff
    cert = officer.certificates.order_by("-valid_to").first()
    # Entered today (after the inspection), effective five days before it.
    org.certificate_event_add(actor=cw.user("admin_a"), certificate=cert, kind="suspended", date=day - dt.timedelta(days=5), note="年度审验不合格")
    sub, _ = register(cw, grounds=["no_certificate"], officers=["officer_a2"], inspection_id=inspection.pk)
    facts = _texts(records.for_submission(sub), "no_certificate")
    text = "\n".join(t for t, _ in facts)
    assert f"录入时核验执法证{cert.number}，结果为“有效”" in text  # what the check said that day
    marked = [t for t, m in facts if m]
    assert any(f"执法证{cert.number}" in t and "暂扣" in t for t in marked)  # what the records say now
    cn = lambda d: f"{d.year}年{d.month}月{d.day}日"  # noqa: E731
    assert f"执法证暂扣，自{cn(day - dt.timedelta(days=5))}起生效，{cn(START.date())}录入系统（{cn(day)}执法时系统中尚无此记录）" in text
    # the other officer's certificate was valid that day and is not marked
    other = cw.user("officer_a").staff.name
    assert any(t.startswith(f"{other}：执法证") and not m for t, m in facts)


def test_the_procedure_ground_lists_every_deadline_and_the_case_file_check(cw: Any, decided: Any, clock: Any) -> None:
    at(clock, D(2026, 3, 20))
    sub, _ = register(cw, grounds=["procedure"], case_id=decided.pk, received_on=D(2026, 3, 20))
    recs = records.for_submission(sub)
    text = "\n".join(t for t, _ in _texts(recs, "procedure"))
    active = decided.deadlines.filter(active=True)
    assert active.exists()
    for d in active:
        assert d.name in text
    assert "案卷评查（否决项）：" in text


def test_a_complaint_naming_nothing_and_a_report_have_no_records(cw: Any) -> None:
    sub, _ = register(cw, grounds=["no_certificate"])
    recs = records.for_submission(sub)
    assert recs[0].sections == [] and "没有指明" in recs[0].none_reason
    rep, _ = register(cw, kind="report")
    assert records.for_submission(rep) == []


def test_the_page_and_the_api_show_the_records_to_the_handler_not_to_the_named_officer(cw: Any, decided: Any, clock: Any) -> None:
    at(clock, D(2026, 3, 20))
    sub, _ = register(cw, grounds=["defence"], officers=["officer_a"], case_id=decided.pk, received_on=D(2026, 3, 20))
    sub = to_investigating(cw, sub, handler="officer_a2", day=D(2026, 3, 20))
    c = Client()
    c.force_login(cw.user("officer_a2"))
    page = c.get(f"/complaints/{sub.pk}/").content.decode()
    assert 'data-testid="records"' in page and "没有增加" in page and "不代替调查结论" in page
    api = APIClient()
    api.force_authenticate(cw.user("officer_a2"))
    r = api.get(f"/api/v1/complaints/{sub.pk}/records/")
    assert r.status_code == 200
    assert r.json()[0]["ground"] == "defence" and any("没有增加" in f["text"] for s in r.json()[0]["sections"] for f in s["facts"])
    api.force_authenticate(cw.user("officer_a"))  # named in the complaint
    assert api.get(f"/api/v1/complaints/{sub.pk}/records/").status_code == 404
    for bad in ("abc", "-1", "99999999999999999999"):
        assert api.get(f"/api/v1/complaints/{bad}/records/").status_code == 404
