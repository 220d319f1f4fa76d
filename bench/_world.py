"""A minimal bureau for benchmarks: one city, one district, agencies, two officers, one unit."""

from __future__ import annotations

import datetime as dt
from typing import Any


def build() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from anjian.core.models import Jurisdiction
    from anjian.enterprises import refdata_loader
    from anjian.enterprises.models import Enterprise
    from anjian.org.models import Agency, Certificate, Membership, RoleGrant, Staff

    refdata_loader.load_sectors()
    refdata_loader.load_sample_schemes()
    city, _ = Jurisdiction.objects.get_or_create(code="370600", defaults={"name": "烟台市", "kind": "city", "valid_from": dt.date(2019, 1, 1)})
    dist, _ = Jurisdiction.objects.get_or_create(code="370602", defaults={"name": "芝罘区", "kind": "district", "parent": city, "valid_from": dt.date(2019, 1, 1)})
    Agency.objects.get_or_create(jurisdiction=city, defaults={"name": "烟台市应急管理局", "short_name": "市局", "doc_abbr": "烟应急", "level": "city"})
    agency, _ = Agency.objects.get_or_create(jurisdiction=dist, defaults={"name": "烟台市芝罘区应急管理局", "short_name": "芝罘区局", "doc_abbr": "芝应急", "level": "district"})
    users = []
    for i in range(2):
        user, created = get_user_model().objects.get_or_create(username=f"bench_officer{i}")
        if created:
            staff = Staff.objects.create(user=user, name=f"检查员{i}")
            m = Membership.objects.create(staff=staff, agency=agency, valid_from=dt.date(2020, 1, 1))
            RoleGrant.objects.create(membership=m, role="officer")
            Certificate.objects.create(staff=staff, number=f"BENCH{i:04d}", issuer="山东省人民政府", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2035, 1, 1))
        users.append(user)
    ent, _ = Enterprise.objects.get_or_create(name="基准测试化工有限公司", defaults={"unlicensed": True, "jurisdiction": dist, "owner_agency": agency, "legal_representative": "甲", "registered_address": "芝罘区"})
    return {"city": city, "district": dist, "agency": agency, "users": users, "enterprise": ent}
