"""Fixed personas (STYLE.md: Alice owns, Bob shares, Charlie has no access), one per role.

The world: 烟台市 (city bureau), 芝罘区 (district A), 福山区 (district B) and a development zone
with its own bureau carved out of 福山区. Every persona is a staff member with a current
membership and, for officers, a certificate valid today.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# No per-example deadline: the suite runs on two shared cores beside a database, where one slow
# example is the machine, not the code (speed is measured by bench/, not by tests).
hypothesis_settings.register_profile("anjian", deadline=None)
hypothesis_settings.load_profile("anjian")

os.environ.setdefault("ANJIAN_ALLOW_DEV_SECRET", "1")


@dataclass
class World:
    city: Any
    district_a: Any
    district_b: Any
    zone: Any
    agency_city: Any
    agency_a: Any
    agency_b: Any
    agency_zone: Any
    users: dict[str, Any] = field(default_factory=dict)

    def user(self, name: str) -> Any:
        return self.users[name]


PASSWORD = "Anjian-test-2026"


@pytest.fixture(autouse=True)
def _fresh_cache(request: Any) -> Any:
    """Every test starts with an empty cache. The API throttle (6000 requests a minute per user)
    and the public pages' rate limits count in it; tests reuse the same user ids, so on a fast
    machine one test's count would throttle the next (429s that depend on the machine's speed)."""
    if request.config.pluginmanager.hasplugin("django"):
        from django.core.cache import cache

        cache.clear()
    yield


def _person(world_agencies: dict[str, Any], username: str, agency: Any, roles: list[str], *, kind: str = "civil_servant", cert: bool = True) -> Any:
    from django.contrib.auth import get_user_model

    from anjian.org.models import Certificate, CertificateEvent, Membership, RoleGrant, Staff

    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    staff = Staff.objects.create(user=user, name=username, kind=kind)
    m = Membership.objects.create(staff=staff, agency=agency, valid_from=dt.date(2020, 1, 1))
    for r in roles:
        RoleGrant.objects.create(membership=m, role=r)
    if cert:
        c = Certificate.objects.create(staff=staff, number=f"37{agency.pk:02d}{staff.pk:06d}", issuer="山东省人民政府", valid_from=dt.date(2022, 1, 1), valid_to=dt.date(2030, 12, 31))
        CertificateEvent.objects.create(certificate=c, kind="issued", date=c.valid_from)
    return user


@pytest.fixture
def refdata(db: Any) -> None:
    from anjian.enterprises import refdata_loader

    refdata_loader.load_sectors()
    refdata_loader.load_industries()
    refdata_loader.load_sample_schemes()
    from anjian.core.models import Division

    # Only the demo city's divisions: loading the whole province per test costs time.
    Division.objects.create(code="370000", name="山东省", level="province")
    Division.objects.create(code="370600", name="烟台市", level="city", parent_id="370000")
    for code, name in [("370602", "芝罘区"), ("370611", "福山区"), ("370612", "牟平区")]:
        Division.objects.create(code=code, name=name, level="county", parent_id="370600")


@pytest.fixture
def world(refdata: None) -> World:
    from anjian.core.models import Jurisdiction
    from anjian.org.models import Agency, Department

    start = dt.date(2019, 1, 1)
    city = Jurisdiction.objects.create(code="370600", name="烟台市", kind="city", valid_from=start)
    a = Jurisdiction.objects.create(code="370602", name="芝罘区", kind="district", parent=city, valid_from=start)
    b = Jurisdiction.objects.create(code="370611", name="福山区", kind="district", parent=city, valid_from=start)
    z = Jurisdiction.objects.create(code="370671", name="烟台经济技术开发区", kind="zone", parent=city, valid_from=start)
    a.divisions.add("370602")
    b.divisions.add("370611")
    # The remedies each bureau's decisions name (行政复议法 §24; 行政诉讼法 §18), as configured.
    PAY = "山东省非税收入电子缴款平台或者代收银行营业网点（凭缴款码缴纳）"
    rc, ra, rb, rz = (("烟台市人民政府", "烟台市莱山区人民法院"), ("烟台市芝罘区人民政府", "烟台市芝罘区人民法院"), ("烟台市福山区人民政府", "烟台市福山区人民法院"), ("烟台市人民政府", "烟台经济技术开发区人民法院"))
    ac = Agency.objects.create(name="烟台市应急管理局", short_name="市应急局", doc_abbr="烟应急", level="city", jurisdiction=city, review_body=rc[0], court=rc[1], payment_place=PAY)
    aa = Agency.objects.create(name="烟台市芝罘区应急管理局", short_name="芝罘区应急局", doc_abbr="芝应急", level="district", jurisdiction=a, parent=ac, review_body=ra[0], court=ra[1], payment_place=PAY)
    ab = Agency.objects.create(name="烟台市福山区应急管理局", short_name="福山区应急局", doc_abbr="福应急", level="district", jurisdiction=b, parent=ac, review_body=rb[0], court=rb[1], payment_place=PAY)
    az = Agency.objects.create(name="烟台经济技术开发区应急管理局", short_name="开发区应急局", doc_abbr="烟开应急", level="zone", jurisdiction=z, parent=ac, review_body=rz[0], court=rz[1], payment_place=PAY)
    for ag in (ac, aa, ab, az):
        Department.objects.create(agency=ag, name="执法大队", kind="enforcement", setup="internal")
    w = World(city=city, district_a=a, district_b=b, zone=z, agency_city=ac, agency_a=aa, agency_b=ab, agency_zone=az)
    ags = {}
    w.users = {
        # district A: one persona per role
        "officer_a": _person(ags, "officer_a", aa, ["officer"]),
        "officer_a2": _person(ags, "officer_a2", aa, ["officer"]),
        "supervisor_a": _person(ags, "supervisor_a", aa, ["supervisor"]),
        "depthead_a": _person(ags, "depthead_a", aa, ["dept_head", "officer"]),
        "legal_a": _person(ags, "legal_a", aa, ["legal_reviewer"]),
        "leader_a": _person(ags, "leader_a", aa, ["leader"]),
        "office_a": _person(ags, "office_a", aa, ["office"], cert=False),
        "admin_a": _person(ags, "admin_a", aa, ["admin"], cert=False),
        "expert_a": _person(ags, "expert_a", aa, [], kind="expert", cert=False),
        # other bureaus
        "officer_b": _person(ags, "officer_b", ab, ["officer"]),
        "depthead_b": _person(ags, "depthead_b", ab, ["dept_head", "officer"]),
        "officer_zone": _person(ags, "officer_zone", az, ["officer"]),
        "officer_city": _person(ags, "officer_city", ac, ["officer"]),
        "leader_city": _person(ags, "leader_city", ac, ["leader", "dept_head"]),
    }
    from django.contrib.auth import get_user_model

    w.users["outsider"] = get_user_model().objects.create_user(username="outsider", password=PASSWORD)
    return w


# A valid credit code generator for tests (GB 32100 check character computed, never hard-coded).
def make_uscc(seq: int, prefix: str = "91", region: str = "370602") -> str:
    from anjian.core.validators import USCC_ALPHABET, uscc_check_char

    body = prefix + region
    n = seq
    tail = ""
    for _ in range(9):
        tail = USCC_ALPHABET[n % 31] + tail
        n //= 31
    body17 = (body + tail)[:17]
    assert all(c in USCC_ALPHABET for c in body17)
    return body17 + uscc_check_char(body17)


@pytest.fixture
def ent_a(world: World) -> Any:
    from anjian.enterprises import services

    return services.enterprise_create(
        actor=world.user("officer_a"),
        jurisdiction=world.district_a,
        name="烟台示例化工有限公司",
        uscc=make_uscc(1),
        sectors=["hazchem.production"],
        features=["confined_space"],
        scale="medium",
        employees=120,
        legal_representative="李四",
        registered_address="烟台市芝罘区示例路8号",
    )


@pytest.fixture
def ent_b(world: World) -> Any:
    from anjian.enterprises import services

    return services.enterprise_create(
        actor=world.user("officer_b"),
        jurisdiction=world.district_b,
        name="福山示例机械制造有限公司",
        uscc=make_uscc(2, region="370611"),
        sectors=["industry.machinery"],
        features=["dust_explosion"],
    )


def pytest_configure(config: Any) -> None:
    if not config.pluginmanager.hasplugin("django"):
        return  # `-p no:django`: the pure legal engine's tests prove it needs no Django
    from django.conf import settings

    # Argon2 is the production hasher; tests create many users and need a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # No PDF per issued document (LibreOffice, seconds each) unless a test asks (tests/documents/test_pdf.py).
    settings.ANJIAN_PDF_ON_ISSUE = False
    # No role must have a second factor unless a test says so (override_settings): the fixtures'
    # users sign in with their password only (tests/core/test_otp.py tests the requirement).
    settings.OTP_REQUIRED_FOR = []


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if not config.pluginmanager.hasplugin("django"):
        return
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="行锁与并发测试在 PostgreSQL 上运行(SQLite 以 IMMEDIATE 事务串行写入)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
