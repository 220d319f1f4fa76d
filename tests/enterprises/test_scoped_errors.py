"""Errors name no data outside the user's scope (issue 8, Low): a taken credit code, an officer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.core.errors import ValidationFailed
from anjian.enterprises import services
from anjian.inspections.services import check_officers
from tests.enterprises.test_import import preview, reasons, row, xlsx

pytestmark = pytest.mark.django_db


def test_a_code_taken_in_another_district_names_nothing(client, world, ent_b):
    secret = (ent_b.name, "福山区应急管理局", "福山区")
    client.force_login(world.user("officer_a"))
    body = client.post(reverse("enterprises:create"), {"jurisdiction": world.district_a.pk, "name": "芝罘新公司", "uscc": ent_b.uscc, "standardization_level": "none"}).content.decode()
    assert "其他辖区登记" in body and not any(s in body for s in secret)
    api = APIClient()
    api.force_authenticate(world.user("officer_a"))
    r = api.post("/api/v1/enterprises/", {"name": "芝罘新公司", "uscc": ent_b.uscc}, format="json")
    text = r.content.decode()
    assert r.status_code == 400 and "其他辖区登记" in text and not any(s in text for s in secret)
    with pytest.raises(ValidationFailed) as exc:
        services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name="芝罘新公司", uscc=ent_b.uscc)
    assert not any(s in str(exc.value.fields) for s in secret)
    job = preview(world, xlsx([row(name="芝罘新公司", uscc=ent_b.uscc, division="芝罘区")]))
    assert not any(s in reasons(job)[2] for s in secret) and "其他辖区" in reasons(job)[2]


def test_a_code_taken_in_scope_is_named(client, world, ent_a):
    client.force_login(world.user("officer_a"))
    body = client.post(reverse("enterprises:create"), {"jurisdiction": world.district_a.pk, "name": "芝罘新公司", "uscc": ent_a.uscc, "standardization_level": "none"}).content.decode()
    assert ent_a.name in body and "只能登记一次" in body


def test_the_city_sees_the_name_of_a_district_unit(world, ent_b):
    msg = services.uscc_taken_error(ent_b.uscc, exclude_pk=None, scope=services.scope_for(world.user("officer_city")))
    assert ent_b.name in msg


def test_an_officer_check_names_no_other_bureaus_staff(world):
    day = timezone.localdate() - dt.timedelta(days=1)
    other = world.user("officer_b").staff
    with pytest.raises(ValidationFailed) as exc:
        check_officers(agency=world.agency_a, staff_ids=[world.user("officer_a").staff.pk, other.pk], day=day, actor=world.user("officer_a"))
    text = exc.value.message + str(exc.value.fields)
    assert other.name not in text and f"人员编号{other.pk}" in text
    # a member of the bureau itself is still named with the reason
    expert = world.user("expert_a").staff
    with pytest.raises(ValidationFailed) as exc:
        check_officers(agency=world.agency_a, staff_ids=[world.user("officer_a").staff.pk, expert.pk], day=day, actor=world.user("officer_a"))
    assert expert.name in exc.value.message
