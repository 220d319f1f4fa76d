"""The documents register (issue 14 item 3) and the verification code on every document (item 2)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.documents.conftest import PARTY

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(world: Any, issue: Any) -> dict[str, Any]:
    """District A: a record (unserved kind), two orders (served kinds), one served and one voided;
    district B: one order."""
    from anjian.documents import services

    a_record = issue("inspection_record")
    a_order = issue("rectification_order")
    a_served = issue("rectification_order")
    services.service_record(actor=world.user("officer_a"), document=a_served, method="direct", event_date=dt.date(2026, 11, 28), recipient="王强")
    a_void = issue("rectification_order")
    services.document_void(actor=world.user("depthead_a"), document=a_void, reason="当事人名称写错")
    b_order = issue("rectification_order", actor=world.user("officer_b"), agency=world.agency_b)
    return {"a_record": a_record, "a_order": a_order, "a_served": a_served, "a_void": a_void, "b_order": b_order}


def _numbers(resp: Any) -> set[str]:
    return {r["doc"].number for r in resp.context["rows"]}


def test_the_register_lists_what_the_user_may_read(world: Any, client: Any, docs: dict[str, Any]) -> None:
    client.force_login(world.user("officer_a"))
    resp = client.get("/documents/")
    assert resp.status_code == 200
    a = {docs[k].number for k in ("a_record", "a_order", "a_served", "a_void")}
    assert _numbers(resp) == a  # not district B's
    html = resp.content.decode()
    assert PARTY["name"] in html and "已作废" in html and "无需送达" in html and "待送达" in html and "已送达" in html


@pytest.mark.parametrize(
    "params,keys",
    [
        ({"kind": "inspection_record"}, {"a_record"}),
        ({"status": "voided"}, {"a_void"}),
        ({"service": "served"}, {"a_served"}),
        ({"service": "unserved"}, {"a_order", "a_void"}),
        ({"service": "none"}, {"a_record"}),
        ({"year": "2026", "kind": "rectification_order", "status": "issued"}, {"a_order", "a_served"}),
        ({"date_from": "2026-11-29"}, set()),
        ({"q": "示例化工"}, {"a_record", "a_order", "a_served", "a_void"}),
    ],
)
def test_filters(world: Any, client: Any, docs: dict[str, Any], params: dict[str, str], keys: set[str]) -> None:
    client.force_login(world.user("officer_a"))
    assert _numbers(client.get("/documents/", params)) == {docs[k].number for k in keys}
    api = client.get("/api/v1/documents/", params).json()
    assert {r["number"] for r in api["results"]} == {docs[k].number for k in keys}


def test_unit_filter_and_the_ledgers_tab(world: Any, client: Any, issue: Any) -> None:
    from anjian.documents import services
    from anjian.enterprises import services as ents
    from tests.conftest import make_uscc
    from tests.documents.conftest import sample_context

    ent = ents.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name="芝罘文书测试企业", uscc=make_uscc(77), sectors=["industry.machinery"])
    other = issue("rectification_order")
    doc = services.document_issue(
        actor=world.user("officer_a"), kind_code="rectification_order", agency_id=world.agency_a.pk, agency_name=world.agency_a.name, doc_abbr=world.agency_a.doc_abbr,
        jurisdiction=world.district_a, subject_type="tests.subject", subject_id="unit-1", enterprise_id=ent.pk, context=sample_context("rectification_order"), issued_on=dt.date(2026, 11, 28),
    )  # fmt: skip
    client.force_login(world.user("officer_a"))
    assert _numbers(client.get("/documents/", {"enterprise": ent.pk})) == {doc.number}
    page = client.get(f"/enterprises/{ent.pk}/").content.decode()
    assert doc.number in page and other.number not in page and f"?enterprise={ent.pk}" in page
    # The register names the chosen unit and offers the way back to every unit.
    register = client.get("/documents/", {"enterprise": ent.pk, "kind": "rectification_order"}).content.decode()
    assert 'data-testid="register-unit"' in register and "单位：<strong>烟台示例化工有限公司</strong>" in register and 'href="?kind=rectification_order"' in register


def test_the_city_chooses_a_district(world: Any, client: Any, docs: dict[str, Any]) -> None:
    """The city reads every district's documents and narrows them to one by its jurisdiction; a
    district user, with one jurisdiction, is offered no such choice."""
    client.force_login(world.user("officer_a"))
    assert 'data-testid="register-jurisdiction"' not in client.get("/documents/").content.decode()
    client.force_login(world.user("leader_city"))
    page = client.get("/documents/")
    assert 'data-testid="register-jurisdiction"' in page.content.decode() and "福山区" in page.content.decode()
    everything = {docs[k].number for k in docs}
    assert _numbers(page) == everything
    assert _numbers(client.get("/documents/", {"jurisdiction": world.district_b.pk})) == {docs["b_order"].number}
    api = client.get("/api/v1/documents/", {"jurisdiction": world.district_a.pk}).json()
    assert {r["number"] for r in api["results"]} == everything - {docs["b_order"].number}
    assert client.get("/api/v1/documents/", {"jurisdiction": "abc"}).status_code == 400
    client.force_login(world.user("officer_b"))  # another district's id narrows nothing into view
    assert _numbers(client.get("/documents/", {"jurisdiction": world.district_a.pk})) == set()


def test_bad_filters_and_scope(world: Any, client: Any, docs: dict[str, Any]) -> None:
    client.force_login(world.user("officer_a"))
    for params in ({"year": "abc"}, {"date_from": "2026-02-30"}, {"enterprise": "9" * 30}, {"status": "nonsense"}):
        assert client.get("/documents/", params).status_code == 200  # the page drops a tampered filter
        resp = client.get("/api/v1/documents/", params)
        assert resp.status_code == 400 and resp.json()["fields"], params
    assert client.get(f"/api/v1/documents/{docs['b_order'].pk}/").status_code == 404
    assert client.get("/api/v1/documents/abc/").status_code == 404
    assert client.get(f"/api/v1/documents/{docs['a_order'].pk}/").json()["number"] == docs["a_order"].number
    client.force_login(world.user("admin_a"))  # 三员分立: no business documents
    assert client.get("/documents/").context["page"].paginator.count == 0


def test_export(world: Any, client: Any, docs: dict[str, Any]) -> None:
    client.force_login(world.user("officer_a"))
    book = load_workbook(io.BytesIO(client.get("/documents/export/", {"kind": "rectification_order"}).content))
    numbers = [r[0] for r in book.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(numbers) == sorted(docs[k].number for k in ("a_order", "a_served", "a_void"))


def test_the_register_query_count_does_not_grow(world: Any, client: Any, issue: Any, django_assert_max_num_queries: Any) -> None:
    client.force_login(world.user("officer_a"))
    issue("rectification_order")
    client.get("/documents/")
    with django_assert_max_num_queries(14) as few:
        client.get("/documents/")
    for _ in range(6):
        issue("rectification_order")
    with django_assert_max_num_queries(len(few.captured_queries)):
        resp = client.get("/documents/")
    assert resp.context["page"].paginator.count == 7


# ---- 一文一码 ------------------------------------------------------------------------------------------------


def test_every_document_carries_its_code_and_qr_in_the_footer(docs: dict[str, Any]) -> None:
    from anjian.documents.verification import ALPHABET, printed

    doc = docs["a_order"]
    assert len(doc.verify_code) == 16 and set(doc.verify_code) <= set(ALPHABET)
    assert len({d.verify_code for d in docs.values()}) == len(docs)
    with zipfile.ZipFile(doc.file.path) as z:
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert any(f"核验码：{printed(doc.verify_code)}" in f and "<w:drawing>" in f for f in footers)
    assert media  # the QR code's PNG


def test_the_public_page(world: Any, client: Any, docs: dict[str, Any], issue: Any) -> None:
    from anjian.documents.verification import printed

    good = docs["a_order"]
    resp = client.get(f"/v/{good.verify_code}/")  # no login
    html = resp.content.decode()
    assert resp.status_code == 200 and "现行有效" in html and good.number in html and good.sha256 in html
    assert PARTY["name"] not in html and "王强" not in html  # no content, no personal data
    typed = printed(good.verify_code).lower().replace("-", " ")
    assert client.get("/v/", {"code": typed}).status_code == 200  # as a reader types it
    void = client.get(f"/v/{docs['a_void'].verify_code}/").content.decode()
    assert "已作废" in void and "当事人名称写错" not in void
    first = issue("rectification_order", subject_id="same-act")
    issue("rectification_order", subject_id="same-act", reissue_reason="更正整改期限")
    assert "已被重新签发的文书替代" in client.get(f"/v/{first.verify_code}/").content.decode()
    wrong = client.get("/v/0000000000000000/")
    malformed = client.get("/v/x'--/")
    assert wrong.status_code == malformed.status_code == 404
    assert "未找到该核验码对应的文书" in wrong.content.decode() and "未找到该核验码对应的文书" in malformed.content.decode()


def test_the_public_page_is_rate_limited(client: Any, docs: dict[str, Any], settings: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.ANJIAN_VERIFY_PER_MINUTE = 3
    codes = [docs["a_order"].verify_code] * 3
    assert [client.get(f"/v/{c}/").status_code for c in codes] == [200, 200, 200]
    limited = client.get(f"/v/{codes[0]}/")
    assert limited.status_code == 429 and "查询过于频繁" in limited.content.decode()
    cache.clear()
