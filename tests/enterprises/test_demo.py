"""``anjian demo``: the demo city is complete, valid and consistent, and --if-empty is idempotent."""

from __future__ import annotations

import datetime as dt
import random
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from anjian.core.models import AuditEvent, Jurisdiction
from anjian.core.scoping import scope_for
from anjian.core.validators import id_number_error, uscc_error
from anjian.enterprises import demo
from anjian.enterprises.models import ChemicalPark, Enterprise, KeyPerson, Licence, MajorHazardSource, PlannedSubject, Site
from anjian.org.choices import AgencyLevel, Role, StaffKind
from anjian.org.models import Agency, AgencyHead, Certificate, Department, Membership, RoleGrant, Staff
from tests.enterprises.classification_check import assert_classification_matches_links

N = 200


def _run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """One generation for the whole module, rolled back at its end (each test runs in a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _run("--enterprises", str(N), "--seed", "7", "--ledger-only")
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_the_organisation(demo_city):
    assert Jurisdiction.objects.count() == 13  # the city, 11 districts, 1 zone
    city = Jurisdiction.objects.get(kind="city")
    assert city.code == "370600"
    assert Jurisdiction.objects.filter(parent=city, kind="district").count() == 11
    zone = Jurisdiction.objects.get(kind="zone")
    assert zone.parent == city and list(zone.divisions.values_list("code", flat=True)) == ["370611"]  # part of 福山区
    assert set(Jurisdiction.objects.filter(kind="district").values_list("code", flat=True)) == {
        "370602", "370611", "370612", "370613", "370614", "370681", "370682", "370683", "370685", "370686", "370687",
    }
    assert Agency.objects.count() == 13
    assert Agency.objects.filter(level=AgencyLevel.CITY).get().doc_abbr == "烟应急"
    assert Agency.objects.filter(level=AgencyLevel.ZONE).get().jurisdiction == zone
    assert len(set(Agency.objects.values_list("doc_abbr", flat=True))) == 13
    # Every bureau names its remedies (行政复议法 §24; 行政诉讼法 §18): its government and basic court.
    remedies = {a.name: (a.review_body, a.court) for a in Agency.objects.all()}
    assert remedies["烟台市芝罘区应急管理局"] == ("烟台市芝罘区人民政府", "烟台市芝罘区人民法院")
    assert remedies["龙口市应急管理局"] == ("龙口市人民政府", "龙口市人民法院")
    assert remedies["烟台市应急管理局"] == ("烟台市人民政府", "烟台市莱山区人民法院")
    assert all(body and court for body, court in remedies.values())
    today = timezone.localdate()
    for agency in Agency.objects.all():
        kinds = set(agency.departments.values_list("kind", flat=True))
        assert {"supervision", "enforcement", "office", "legal"} <= kinds, agency
        for head_kind in ("head", "principal_head"):
            current = AgencyHead.objects.filter(agency=agency, kind=head_kind, valid_from__lte=today).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            assert current.count() == 1, (agency, head_kind)
    assert set(Department.objects.filter(kind="enforcement").values_list("setup", flat=True)) == {"internal", "external"}
    assert 70 <= Staff.objects.count() <= 110


def test_every_role_has_a_login_that_works(demo_city):
    assert demo.DEMO_PASSWORD in demo_city
    seen: set[str] = set()
    for persona in demo.PERSONAS:
        assert persona.username in demo_city
        user = authenticate(username=persona.username, password=demo.DEMO_PASSWORD)
        assert user is not None, persona.username
        scope = scope_for(user)
        assert scope.is_member and set(scope.roles) == set(persona.roles)
        seen |= scope.roles
        if _cert_needed(persona.roles):
            cert = Certificate.objects.get(staff__user=user)
            assert cert.valid_on(timezone.localdate()), persona.username
    assert seen == set(Role.values)
    admin = authenticate(username="admin", password=demo.DEMO_PASSWORD)
    assert admin is not None and admin.is_superuser
    assert get_user_model().objects.count() == len(demo.PERSONAS) + 1


def _cert_needed(roles) -> bool:
    return bool({Role.OFFICER, Role.SUPERVISOR, Role.DEPT_HEAD} & set(roles))


def test_the_printed_logins_name_the_three_administrators(demo_city):
    """三员分立 (issue 10, item 9): the city bureau's security and audit administrators, said which is
    which, and one comma-separated line for the crawler's --users."""
    assert "安全管理员：city_security（烟台市应急管理局）" in demo_city
    assert "审计管理员：city_audit（烟台市应急管理局）" in demo_city
    assert "admin仅供开发" in demo_city
    line = next(ln for ln in demo_city.splitlines() if "crawl.py --users" in ln)
    names = line.split("：", 1)[1].split(",")
    assert {"admin", "city_security", "city_audit", "zhifu_admin"} <= set(names)


def test_experts_and_auxiliary_staff_are_never_officers(demo_city):
    others = Staff.objects.exclude(kind=StaffKind.CIVIL_SERVANT)
    assert others.filter(kind=StaffKind.EXPERT).exists() and others.filter(kind=StaffKind.AUXILIARY).exists()
    assert not RoleGrant.objects.filter(membership__staff__in=others).exists()
    assert not Certificate.objects.filter(staff__in=others).exists()


def test_certificates_show_realistic_problems(demo_city):
    today = timezone.localdate()
    certs = list(Certificate.objects.prefetch_related("events"))
    assert sum(1 for c in certs if c.valid_to < today) >= 3  # expired
    assert any(not c.valid_on(today) and c.valid_to >= today for c in certs)  # suspended
    assert sum(1 for c in certs if c.valid_on(today)) > len(certs) // 2
    kinds = {e.kind for c in certs for e in c.events.all()}
    assert {"issued", "annual_review", "suspended"} <= kinds
    reviewers = Staff.objects.filter(memberships__role_grants__role=Role.LEGAL_REVIEWER).distinct()
    assert reviewers.exclude(legal_qualification_no="").count() >= 10
    # A membership history: someone moved between bureaus.
    assert Membership.objects.values("staff").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_the_ledger_is_valid_and_consistent(demo_city):
    today = timezone.localdate()
    ents = list(Enterprise.objects.prefetch_related("planned_subjects__agency", "sectors"))
    assert len(ents) == N
    codes = [e.uscc for e in ents if e.uscc]
    assert len(codes) == len(set(codes))
    assert all(uscc_error(c) is None for c in codes), [c for c in codes if uscc_error(c)]
    assert all(e.unlicensed for e in ents if not e.uscc)
    assert not Enterprise.objects.exclude(owner_agency__jurisdiction=F("jurisdiction")).exists()
    for e in ents:
        current = [p for p in e.planned_subjects.all() if p.covers(today)]
        assert len(current) <= 1
        expected = "none" if not current else ("city" if current[0].agency.level == AgencyLevel.CITY else "district")
        assert e.supervision_level == expected, e
        assert e.search_text, e
        assert e.sites.exists()
    assert {e.supervision_level for e in ents} >= {"city", "district"}
    groups = {s.group_id for e in ents for s in e.sectors.all()}
    assert {"hazchem", "industry"} <= groups
    mines = [e for e in ents if any(s.group_id == "mine" for s in e.sectors.all())]
    assert all(e.supervision_level in ("city", "none") for e in mines)
    assert all(e.jurisdiction.code in {"370612", "370614", "370681", "370683", "370685", "370686", "370687"} for e in mines)
    ids = list(KeyPerson.objects.values_list("id_number", flat=True))
    assert ids and all(id_number_error(n) is None for n in ids)
    assert ChemicalPark.objects.count() == 4
    assert set(ChemicalPark.objects.values_list("grade", flat=True)) == {"A", "B", "C", "D"}
    for park_ent in Enterprise.objects.filter(chemical_park__isnull=False).select_related("chemical_park"):
        assert park_ent.chemical_park.jurisdiction_id == park_ent.jurisdiction_id
    assert not MajorHazardSource.objects.exclude(site__enterprise=F("enterprise")).exists()
    assert Site.objects.filter(latitude__isnull=False).count() == Site.objects.count()
    for lic in Licence.objects.all():
        assert lic.valid_to >= lic.valid_from
    for name in Enterprise.objects.values_list("name", flat=True):
        assert not any(famous in name for famous in ("万华", "张裕", "杰瑞", "冰轮", "玲珑", "南山", "招金", "中石化", "中石油")), name


def test_the_load_is_audited_once(demo_city):
    events = AuditEvent.objects.filter(action="demo.load")
    assert events.count() == 1
    assert events.get().after["enterprises"] == N


def test_if_empty_is_idempotent(demo_city):
    before = (Agency.objects.count(), Enterprise.objects.count(), Staff.objects.count(), PlannedSubject.objects.count(), AuditEvent.objects.count())
    out = _run("--if-empty", "--enterprises", "50")
    out2 = _run("--if-empty")
    after = (Agency.objects.count(), Enterprise.objects.count(), Staff.objects.count(), PlannedSubject.objects.count(), AuditEvent.objects.count())
    assert before == after
    assert out == out2
    for persona in demo.PERSONAS:
        assert persona.username in out
    assert demo.DEMO_PASSWORD in out
    with pytest.raises(CommandError):
        _run("--enterprises", "10")


def test_codes_and_ids_are_valid_and_deterministic():
    rng = random.Random(1)
    codes = [demo.make_uscc(rng, kind, "370602") for kind in ("91", "92", "93", "12", "52", "N2") * 200]
    assert all(uscc_error(c) is None for c in codes)
    assert codes == [demo.make_uscc(r, kind, "370602") for r in [random.Random(1)] for kind in ("91", "92", "93", "12", "52", "N2") * 200]
    people = demo._People(random.Random(2))
    today = dt.date(2026, 6, 1)
    assert all(id_number_error(people.id_number(today)) is None for _ in range(2000))


def test_copied_classification_matches_the_links(demo_city):
    from django.db.models import Exists, OuterRef

    from anjian.enterprises.models import Enterprise

    through = Enterprise.sectors.through.objects.filter(enterprise_id=OuterRef("pk"))
    for group, flag in {"hazchem": "in_hazchem", "mine": "in_mine", "industry": "in_industry"}.items():
        linked = Enterprise.objects.filter(Exists(through.filter(sector__group_id=group))).count()
        assert linked > 0 and Enterprise.objects.filter(**{flag: True}).count() == linked
    # … and the sector/feature bits of every unit (the features come after the sectors in the demo).
    assert_classification_matches_links()
    assert Enterprise.objects.exclude(class_bits=0).count() > 0


def test_todays_planned_subject_is_copied_onto_every_unit(demo_city):
    from anjian.enterprises import services

    assert services.refresh_planned_subjects() == 0  # the demo wrote what the daily refresh would
