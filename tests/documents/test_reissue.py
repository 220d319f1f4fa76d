"""Re-issue from the document's page and the API (issue 14 item 4): the roles, the reason, the new
document naming the one it replaces, the old one kept and shown as superseded (register, page and
the public verification page), and every refusal without a number used."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from anjian.core.models import AuditEvent
from anjian.documents.models import DocumentCounter, IssuedDocument
from tests.documents.conftest import sample_context

pytestmark = pytest.mark.django_db


def _last(agency: Any) -> int:
    return sum(DocumentCounter.objects.filter(agency_id=agency.pk).values_list("last", flat=True))


def test_reissue_from_the_page(world: Any, client: Any, issue: Any) -> None:
    ctx = sample_context("rectification_order")
    ctx["deadline"] = dt.date(2027, 1, 20)  # still ahead on the day of the re-issue
    doc = issue("rectification_order", context=ctx)
    client.force_login(world.user("officer_a"))  # an officer may not re-issue: no form, 403
    assert 'data-testid="reissue-form"' not in client.get(f"/documents/{doc.pk}/").content.decode()
    assert client.post(f"/documents/{doc.pk}/reissue/", {"reason": "当事人名称有误"}).status_code == 403
    client.force_login(world.user("leader_city"))  # another bureau reads, never re-issues
    assert 'data-testid="reissue-form"' not in client.get(f"/documents/{doc.pk}/").content.decode()
    assert client.post(f"/documents/{doc.pk}/reissue/", {"reason": "x"}).status_code == 403
    client.force_login(world.user("depthead_a"))
    assert 'data-testid="reissue-form"' in client.get(f"/documents/{doc.pk}/").content.decode()
    used = _last(world.agency_a)
    blank = client.post(f"/documents/{doc.pk}/reissue/", {"reason": " "})
    assert blank.status_code == 400 and "请写明原因。" in blank.content.decode()
    assert _last(world.agency_a) == used
    done = client.post(f"/documents/{doc.pk}/reissue/", {"reason": "整改期限笔误"})
    assert done.status_code == 302
    new = IssuedDocument.objects.get(replaces=doc)
    assert done["Location"] == f"/documents/{new.pk}/"
    assert new.number != doc.number and new.verify_code != doc.verify_code and new.context == doc.context
    assert new.source == doc.source and "整改期限笔误" in new.reissue_reason and doc.number in new.reissue_reason
    doc.refresh_from_db()
    assert doc.status == "issued" and doc.file.storage.exists(doc.file.name)  # the old file is kept
    page = client.get(f"/documents/{doc.pk}/").content.decode()
    assert 'data-testid="superseded-by"' in page and new.number in page and 'data-testid="reissue-form"' not in page
    assert 'data-testid="replaces"' in client.get(f"/documents/{new.pk}/").content.decode()
    register = client.get("/documents/").content.decode()
    assert register.count('data-testid="superseded"') == 1
    assert client.get(f"/v/{doc.verify_code}/").context["state"] == "superseded"
    assert client.get(f"/v/{new.verify_code}/").context["state"] == "valid"
    assert AuditEvent.objects.filter(action="document.reissue").count() >= 2
    # double submit: the second re-issue of the same document is refused, no number used
    used = _last(world.agency_a)
    again = client.post(f"/documents/{doc.pk}/reissue/", {"reason": "整改期限笔误"})
    assert again.status_code == 409 and "已被重新签发的文书替代" in again.content.decode()
    assert _last(world.agency_a) == used and IssuedDocument.objects.filter(replaces=doc).count() == 1


def test_reissue_api(world: Any, client: Any, issue: Any) -> None:
    doc = issue("inspection_record")
    client.force_login(world.user("leader_a"))
    url = f"/api/v1/documents/{doc.pk}/reissue/"
    assert client.post(url, {}, content_type="application/json").status_code == 400
    resp = client.post(url, {"reason": "检查场所漏写"}, content_type="application/json")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["replaces"] == doc.pk and body["superseded"] is False
    old = client.get(f"/api/v1/documents/{doc.pk}/").json()
    assert old["superseded"] is True
    assert client.post(url, {"reason": "再来"}, content_type="application/json").status_code == 409
    for bad in ("-1", "abc", "99999999999999999999", "0"):
        assert client.post(f"/api/v1/documents/{bad}/reissue/", {"reason": "x"}, content_type="application/json").status_code == 404
    client.force_login(world.user("depthead_b"))  # another district: not found
    assert client.post(url, {"reason": "x"}, content_type="application/json").status_code == 404
    client.logout()
    assert client.post(url, {"reason": "x"}, content_type="application/json").status_code in (401, 403)


def test_facts_that_no_longer_hold_are_refused(world: Any, client: Any, issue: Any) -> None:
    """The re-issue is dated today: an order whose deadline has passed cannot be issued again as it was."""
    doc = issue("rectification_order")  # deadline 2026-12-10, "today" is 2026-12-31
    client.force_login(world.user("depthead_a"))
    used = _last(world.agency_a)
    resp = client.post(f"/api/v1/documents/{doc.pk}/reissue/", {"reason": "重新签发"}, content_type="application/json")
    assert resp.status_code == 422 and "整改期限不能早于指令书签发日期" in resp.content.decode()
    assert _last(world.agency_a) == used and not IssuedDocument.objects.filter(replaces=doc).exists()


def test_a_voided_document_is_not_reissued(world: Any, client: Any, issue: Any) -> None:
    from anjian.documents import services

    doc = issue("rectification_order")
    services.document_void(actor=world.user("depthead_a"), document=doc, reason="名称写错")
    client.force_login(world.user("depthead_a"))
    page = client.get(f"/documents/{doc.pk}/").content.decode()
    assert 'data-testid="reissue-form"' not in page and "文书已作废，不能重新签发" in page
    used = _last(world.agency_a)
    resp = client.post(f"/api/v1/documents/{doc.pk}/reissue/", {"reason": "重新签发"}, content_type="application/json")
    assert resp.status_code == 409 and "文书已作废，不能重新签发" in resp.json()["message"]
    assert _last(world.agency_a) == used and not IssuedDocument.objects.filter(replaces=doc).exists()
    assert client.get(f"/v/{doc.verify_code}/").context["state"] == "voided"


def test_a_served_document_is_not_reissued(world: Any, client: Any, issue: Any) -> None:
    from anjian.documents import services

    doc = issue("rectification_order")
    services.service_record(actor=world.user("officer_a"), document=doc, method="direct", event_date=dt.date(2026, 11, 28), recipient="王强")
    client.force_login(world.user("depthead_a"))
    resp = client.post(f"/api/v1/documents/{doc.pk}/reissue/", {"reason": "重新签发"}, content_type="application/json")
    assert resp.status_code == 409 and "已送达" in resp.json()["message"]


def test_a_case_kind_is_refused_with_its_reason(world: Any, client: Any, issue: Any) -> None:
    doc = issue("penalty_decision_unit")
    client.force_login(world.user("depthead_a"))
    used = _last(world.agency_a)
    resp = client.post(f"/api/v1/documents/{doc.pk}/reissue/", {"reason": "金额有误"}, content_type="application/json")
    assert resp.status_code == 409 and "第五十九条" in resp.json()["message"]
    assert _last(world.agency_a) == used
    assert "不能在此重新签发" in client.get(f"/documents/{doc.pk}/").content.decode()


def test_a_hazard_holds_the_reissued_order(world: Any, inspection: Any) -> None:  # noqa: F811
    from anjian.documents import services as document_services
    from anjian.hazards import services

    h = services.hazard_create(
        actor=world.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection, description="消防通道堵塞", location="仓库",
        severity="general", found_on=inspection.inspected_on, period_days=15,
    )  # fmt: skip
    order = services.rectification_order_issue(actor=world.user("officer_a"), hazards=[h], issued_on=inspection.inspected_on, inspection=inspection)
    new = document_services.document_reissue(actor=world.user("depthead_a"), document=order, reason="检查日期笔误")
    h.refresh_from_db()
    assert h.order_document_id == new.pk and new.replaces_id == order.pk


from tests.inspections.conftest import calendar, checklist, inspection  # noqa: E402, F401
