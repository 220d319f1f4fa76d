"""The copies the list filters read (class_bits, subject_agency) and the exact count built on them."""

from __future__ import annotations

import datetime as dt
import itertools
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.core.paging import Counted
from anjian.enterprises import classification, selectors, services
from anjian.enterprises.classification import ClassTable, TaxonomyFull
from anjian.enterprises.models import Enterprise, Feature, GradingScheme, PlannedSubject, Sector
from anjian.enterprises.refdata_loader import load_sectors
from tests.conftest import make_uscc
from tests.enterprises.classification_check import assert_classification_matches_links

pytestmark = pytest.mark.django_db

SECTORS = ["hazchem.production", "hazchem.storage", "industry.machinery", "industry.light", "industry.tobacco", "mine.tailings"]
FEATURES = ["dust_explosion", "confined_space", "ammonia_refrigeration"]


def test_every_sector_and_feature_has_its_own_bit_and_keeps_it(refdata):
    masks = list(Sector.objects.values_list("mask", flat=True)) + list(Feature.objects.values_list("mask", flat=True))
    assert all(m and m & (m - 1) == 0 for m in masks)  # one bit each
    assert len(set(masks)) == len(masks)
    before = dict(Sector.objects.values_list("code", "mask"))
    load_sectors()  # reloading the taxonomy changes nobody's bit
    assert dict(Sector.objects.values_list("code", "mask")) == before
    new = Feature.objects.create(code="test_new_feature", name="新特征", order=99)
    assert classification.assign_masks() == 1
    new.refresh_from_db()
    assert new.mask not in masks and new.mask & (new.mask - 1) == 0


def test_a_taxonomy_beyond_63_codes_is_refused_and_nothing_is_given(refdata):
    used = Sector.objects.count() + Feature.objects.count()
    for i in range(classification.MAX_BITS - used + 1):
        Feature.objects.create(code=f"extra_{i:02d}", name=f"特征{i}", order=100 + i)
    with pytest.raises(TaxonomyFull) as exc:
        classification.assign_masks()
    assert "超过63项" in str(exc.value)
    assert Feature.objects.filter(code__startswith="extra_", mask__isnull=False).count() == 0  # one transaction


def test_class_table_decodes_in_display_order(world):
    table = ClassTable.load()
    ent = services.enterprise_create(
        actor=world.user("officer_a"), jurisdiction=world.district_a, name="解码测试", uscc=make_uscc(7),
        sectors=["industry.machinery", "hazchem.storage"], features=["confined_space", "dust_explosion"],
    )
    ent.refresh_from_db()
    assert [c.code for c in table.sectors_of(ent.class_bits)] == [s.code for s in ent.sectors.all()]
    assert [c.label for c in table.sectors_of(ent.class_bits)] == ["危险化学品·储存", "工贸·机械"]
    assert [c.code for c in table.features_of(ent.class_bits)] == [f.code for f in ent.features.all()]


def test_service_edits_keep_the_bits_with_the_links(world, ent_a):
    actor = world.user("officer_a")
    assert_classification_matches_links()
    services.enterprise_update(actor=actor, enterprise=ent_a, sectors=["industry.light"])
    assert_classification_matches_links()
    services.enterprise_update(actor=actor, enterprise=ent_a, features=["dust_explosion", "ammonia_refrigeration"])
    assert_classification_matches_links()
    services.enterprise_update(actor=actor, enterprise=ent_a, sectors=[], features=[])
    ent_a.refresh_from_db()
    assert ent_a.class_bits == 0 and not ent_a.in_hazchem


@pytest.fixture
def varied(world: Any) -> list[Enterprise]:
    """Units in two districts with every mix of a few sectors and features, some with subjects."""
    out = []
    scheme = GradingScheme.objects.get(code="general")
    combos = list(itertools.product(SECTORS + [None], FEATURES + [None]))
    for i, (sector, feature) in enumerate(combos):
        district, actor = (world.district_a, "officer_a") if i % 2 else (world.district_b, "officer_b")
        ent = services.enterprise_create(
            actor=world.user(actor), jurisdiction=district, name=f"测试企业{i:02d}", uscc=make_uscc(300 + i, region="370602" if i % 2 else "370611"),
            sectors=[s for s in (sector, "industry.light" if i % 3 == 0 else None) if s], features=[feature] if feature else [],
            risk_scheme=scheme, risk_grade="ABC"[i % 3],
        )
        if i % 5 == 0:
            services.enterprise_set_status(actor=world.user(actor), enterprise=ent, status="suspended", effective_date=dt.date(2026, 11, 1), reason="检修")
        out.append(ent)
    day = timezone.localdate()
    for e in out[::4]:
        services.planned_subject_assign(actor=world.user("leader_city"), enterprise=e, agency=world.agency_city, valid_from=day)
    return out


FILTERS: list[dict[str, Any]] = (
    [{}]
    + [{"sector": s} for s in SECTORS + ["hazchem", "mine", "industry", "no.such.sector"]]
    + [{"feature": f} for f in FEATURES + ["metal_smelting", "no_such_feature"]]
    + [{"sector": "industry.light", "feature": "dust_explosion"}, {"sector": "industry.machinery", "grade": "A"}, {"feature": "confined_space", "status": "suspended"}]
    + [{"supervision": "city"}, {"supervision": "city", "feature": "dust_explosion"}, {"q": "测试企业1", "sector": "industry.light"}]
)


@pytest.mark.parametrize("who", ["officer_city", "officer_a"])
def test_the_count_equals_the_rows_for_every_filter(world, varied, who):
    user = world.user(who)
    seen = set()
    for f in FILTERS + [{"jurisdiction": world.district_a.pk, "feature": "dust_explosion"}, {"subject": world.agency_city.pk}, {"subject": world.agency_a.pk}]:
        rows = list(selectors.enterprise_list(user=user, filters=f))
        assert selectors.enterprise_count(user=user, filters=f) == len(rows), f
        seen.add(len(rows))
    assert len(seen) > 5  # the filters really split the units


def test_the_api_and_the_page_report_the_count_and_decode_the_rows(client, world, varied):
    api = APIClient()
    api.force_authenticate(world.user("officer_city"))
    body = api.get("/api/v1/enterprises/", {"sector": "industry.machinery", "page_size": 3}).json()
    want = Enterprise.objects.filter(sectors="industry.machinery").count()
    assert body["count"] == want and len(body["results"]) == 3
    for r in body["results"]:
        ent = Enterprise.objects.get(pk=r["id"])
        assert r["sectors"] == [s.code for s in ent.sectors.all()] and r["features"] == [f.code for f in ent.features.all()]
    client.force_login(world.user("officer_city"))
    page = client.get("/enterprises/", {"feature": "dust_explosion"})
    assert page.context["page"].paginator.count == Enterprise.objects.filter(features="dust_explosion").count()
    html = page.content.decode()
    assert "工贸·机械" in html and "粉尘涉爆" in html


def test_counted_pages_the_queryset_with_the_given_total(world, varied):
    from django.core.paginator import Paginator

    qs = Enterprise.objects.order_by("name", "id")
    page = Paginator(Counted(qs, qs.count()), 10).page(2)  # type: ignore[arg-type]
    assert [e.pk for e in page.object_list] == [e.pk for e in qs[10:20]]
    assert page.paginator.num_pages == -(-qs.count() // 10)


# --- today's planned subject, copied onto the unit ---------------------------------------------
def test_a_subject_that_starts_tomorrow_counts_from_tomorrow(world, ent_a):
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    services.planned_subject_assign(actor=world.user("leader_city"), enterprise=ent_a, agency=world.agency_city, valid_from=tomorrow)
    ent_a.refresh_from_db()
    assert (ent_a.subject_agency_id, ent_a.supervision_level) == (None, "none")
    city = world.user("officer_city")
    assert selectors.enterprise_count(user=city, filters={"subject": world.agency_city.pk}) == 0

    assert services.refresh_planned_subjects(day=tomorrow) == 1
    ent_a.refresh_from_db()
    assert (ent_a.subject_agency_id, ent_a.supervision_level) == (world.agency_city.pk, "city")
    assert [e.pk for e in selectors.enterprise_list(user=city, filters={"subject": world.agency_city.pk})] == [ent_a.pk]
    assert services.refresh_planned_subjects(day=tomorrow) == 0  # nothing left to change


def test_an_ended_subject_leaves_the_unit_without_one_the_day_after(world, ent_a):
    today = timezone.localdate()
    services.planned_subject_assign(actor=world.user("depthead_a"), enterprise=ent_a, agency=world.agency_a, valid_from=today - dt.timedelta(days=30), valid_to=today)
    ent_a.refresh_from_db()
    assert (ent_a.subject_agency_id, ent_a.supervision_level) == (world.agency_a.pk, "district")
    assert services.refresh_planned_subjects(day=today + dt.timedelta(days=1)) == 1
    ent_a.refresh_from_db()
    assert (ent_a.subject_agency_id, ent_a.supervision_level) == (None, "none")


def test_ending_a_subject_through_the_service_updates_the_copy_at_once(world, ent_a):
    today = timezone.localdate()
    ps = services.planned_subject_assign(actor=world.user("depthead_a"), enterprise=ent_a, agency=world.agency_a, valid_from=today - dt.timedelta(days=10))
    services.planned_subject_end(actor=world.user("depthead_a"), subject=ps, valid_to=today - dt.timedelta(days=1))
    ent_a.refresh_from_db()
    assert (ent_a.subject_agency_id, ent_a.supervision_level) == (None, "none")


def test_the_daily_command_repairs_a_stale_copy(world, ent_a):
    today = timezone.localdate()
    PlannedSubject.objects.create(enterprise=ent_a, agency=world.agency_a, valid_from=today)  # written behind the services' back
    out = StringIO()
    call_command("ledger", "refresh", stdout=out)
    assert "1 家企业有变化" in out.getvalue()
    ent_a.refresh_from_db()
    assert (ent_a.subject_agency_id, ent_a.supervision_level) == (world.agency_a.pk, "district")
