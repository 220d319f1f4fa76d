"""Permission matrix over the ledger pages: every persona, read and write, district-A record."""

from __future__ import annotations

import pytest

from anjian.core.models import AuditEvent
from anjian.enterprises.models import Enterprise, Site

# persona → (read status, write allowed?)
MATRIX = [
    ("officer_a", 200, True),
    ("supervisor_a", 200, True),
    ("depthead_a", 200, True),
    ("admin_a", 404, False),  # 三员分立: the system administrator reads no business record
    ("legal_a", 200, False),
    ("leader_a", 200, False),
    ("office_a", 200, False),
    ("expert_a", 200, False),
    ("officer_city", 200, False),
    ("leader_city", 200, False),
    ("officer_b", 404, False),
    ("officer_zone", 404, False),
    ("outsider", 404, False),
]


@pytest.mark.parametrize("persona,read,write", MATRIX)
def test_ledger_pages(world, ent_a, client, persona, read, write):
    client.force_login(world.user(persona))
    base = f"/enterprises/{ent_a.pk}/"
    assert client.get(base).status_code == read
    listed = client.get("/enterprises/", {"q": ent_a.name[:4]})
    assert listed.status_code == 200
    assert (ent_a.name in listed.content.decode()) is (read == 200)
    before = AuditEvent.objects.count()
    edit = client.post(f"{base}edit/", {"name": ent_a.name, "uscc": ent_a.uscc, "standardization_level": "none", "contact_name": "改名"})
    site = client.post(f"{base}sites/new/", {"name": "新场所", "address": "地址"})
    status = client.post(f"{base}status/", {"status": "suspended", "effective_date": "2026-11-01", "reason": "检修"})
    if write:
        assert edit.status_code in (200, 302) and site.status_code in (200, 302) and status.status_code in (200, 302)
        assert Enterprise.objects.get(pk=ent_a.pk).declared_status == "suspended"
        assert Site.objects.filter(enterprise=ent_a).exists()
        assert AuditEvent.objects.count() > before
    else:
        expected = 404 if read == 404 else 403
        assert (edit.status_code, site.status_code, status.status_code) == (expected, expected, expected)
        ent = Enterprise.objects.get(pk=ent_a.pk)
        assert ent.declared_status == "operating" and ent.contact_name == "" and not Site.objects.filter(enterprise=ent_a).exists()
        assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("persona,allowed", [("depthead_a", True), ("leader_a", True), ("officer_a", False), ("leader_city", False), ("officer_b", False)])
def test_transfer_page(world, ent_a, client, persona, allowed):
    client.force_login(world.user(persona))
    r = client.post(f"/enterprises/{ent_a.pk}/transfer/", {"to_jurisdiction": world.district_b.pk, "effective_date": "2026-11-01", "reason": "迁址"})
    moved = Enterprise.objects.get(pk=ent_a.pk).jurisdiction_id == world.district_b.pk
    assert moved is allowed
    if not allowed:
        assert r.status_code in (403, 404)


def test_anonymous_is_sent_to_login(client, world, ent_a):
    for url in ("/enterprises/", f"/enterprises/{ent_a.pk}/", "/enterprises/export.xlsx", "/enterprises/import/"):
        r = client.get(url)
        assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.parametrize(
    "persona,outcome",
    [
        ("depthead_a", 302), ("leader_a", 302), ("leader_city", 302),  # the owner's heads, and the city bureau
        ("admin_a", 404),  # 三员分立: the system administrator reads no business record
        ("officer_a", 403), ("supervisor_a", 403), ("officer_city", 403),  # the role
        ("officer_b", 404), ("officer_zone", 404), ("outsider", 404),  # outside the scope
    ],
)
def test_planned_subject_pages(world, ent_a, client, persona, outcome):
    import datetime as dt

    from anjian.enterprises import services
    from anjian.enterprises.models import PlannedSubject

    ps = services.planned_subject_assign(actor=world.user("depthead_a"), enterprise=ent_a, agency=world.agency_a, valid_from=dt.date(2026, 1, 1))
    client.force_login(world.user(persona))
    end = client.post(f"/enterprises/{ent_a.pk}/subject/{ps.pk}/end/", {"valid_to": "2026-03-31"})
    assert end.status_code == outcome
    assert (PlannedSubject.objects.get(pk=ps.pk).valid_to == dt.date(2026, 3, 31)) is (outcome == 302)
    assign = client.post(f"/enterprises/{ent_a.pk}/subject/", {"agency": world.agency_a.pk, "valid_from": "2027-01-01", "valid_to": "2027-12-31", "note": ""})
    assert assign.status_code == outcome
    assert PlannedSubject.objects.filter(enterprise=ent_a, valid_from=dt.date(2027, 1, 1)).exists() is (outcome == 302)


def test_anonymous_is_sent_to_login_from_the_export_pages(client, world):
    for url in ("/enterprises/exports/" + "t" * 32 + "/", "/enterprises/exports/" + "t" * 32 + "/download/"):
        r = client.get(url)
        assert r.status_code == 302 and "/login/" in r["Location"]
