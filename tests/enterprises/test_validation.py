"""Input checks shared by the pages, the API and the import (issue 8 item I, Low "dates"):
telephone numbers, every error at once, invisible characters named, date bounds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.core.errors import ValidationFailed
from anjian.core.validators import date_bounds_error, invisible_chars_error, phone_error, uscc_error
from anjian.enterprises import services
from anjian.enterprises.models import Enterprise, EnterpriseStatusEvent, KeyPerson, Licence, PlannedSubject
from tests.conftest import make_uscc
from tests.enterprises.test_import import commit, good, preview, reasons, row, xlsx

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def page_post(**over: Any) -> dict[str, Any]:
    data = {"name": "芝罘新建涂料有限公司", "uscc": make_uscc(77), "standardization_level": "none", "scale": "small"}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


# --- telephone numbers ---------------------------------------------------------------------------
@pytest.mark.parametrize("good_phone", ["13812345678", "138 1234 5678", "+86 13812345678", "0535-1234567", "05356231234", "0535-6231234-801", "(0535)6231234", "010-12345678", "400-123-4567", "8001234567", "13812345678、0535-6231234"])
def test_valid_phone_numbers_pass(good_phone):
    assert phone_error(good_phone) is None


@pytest.mark.parametrize("bad_phone", ["abc", "12", "1381234567", "23812345678", "0535-123", "1234567", "电话"])
def test_invalid_phone_numbers_are_refused(bad_phone):
    assert "格式不正确" in phone_error(bad_phone)


@pytest.mark.parametrize("bad_phone", ["abc", "12"])
def test_the_page_refuses_a_bad_phone(client, world, bad_phone):
    client.force_login(world.user("officer_a"))
    r = client.post(reverse("enterprises:create"), page_post(jurisdiction=world.district_a.pk, contact_phone=bad_phone, principal_phone=bad_phone))
    assert r.status_code == 200
    body = r.content.decode()
    assert body.count("格式不正确") >= 2  # both telephone fields at once
    assert not Enterprise.objects.exists()


def test_the_api_refuses_a_bad_phone(world):
    r = api(world.user("officer_a")).post("/api/v1/enterprises/", {"name": "甲公司", "uscc": make_uscc(78), "contact_phone": "abc"}, format="json")
    assert r.status_code == 400 and "格式不正确" in r.json()["fields"]["contact_phone"][0]
    assert not Enterprise.objects.exists()


def test_the_service_refuses_a_bad_phone(world):
    with pytest.raises(ValidationFailed) as exc:
        services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name="甲公司", uscc=make_uscc(79), principal_phone="12")
    assert "principal_phone" in exc.value.fields


def test_a_key_persons_phone_is_checked_too(world, ent_a):
    r = api(world.user("officer_a")).post(f"/api/v1/enterprises/{ent_a.pk}/key-people/", {"role": "principal", "name": "王五", "phone": "abc"}, format="json")
    assert r.status_code == 400 and "phone" in r.json()["fields"]
    assert not KeyPerson.objects.exists()


def test_the_import_refuses_a_bad_phone(world):
    job = preview(world, xlsx([good(1, contact_phone="abc"), good(2, principal_phone="12"), good(3, contact_phone="0535-6231234")]))
    got = reasons(job)
    assert set(got) == {2, 3} and "格式不正确" in got[2] and "格式不正确" in got[3]
    commit(world, job)
    assert Enterprise.objects.count() == 1


# --- every error at once ---------------------------------------------------------------------------
def test_the_page_shows_every_error_at_once(client, world):
    client.force_login(world.user("officer_a"))
    bad = make_uscc(77)[:-1] + ("0" if make_uscc(77)[-1] != "0" else "1")
    r = client.post(reverse("enterprises:create"), page_post(jurisdiction=world.district_a.pk, name="", uscc=bad, contact_phone="12", risk_grade="A"))
    body = r.content.decode()
    assert r.status_code == 200
    assert "这个字段是必填项" in body or "必填" in body  # the empty name
    assert "校验位错误" in body  # the bad credit code, in the same round
    assert "格式不正确" in body  # the bad telephone
    assert "分级方案" in body  # a grade without a scheme (the service's identity check)
    assert not Enterprise.objects.exists()


def test_the_page_shows_a_taken_code_together_with_an_empty_name(client, world, ent_a):
    client.force_login(world.user("officer_a"))
    body = client.post(reverse("enterprises:create"), page_post(jurisdiction=world.district_a.pk, name="", uscc=ent_a.uscc)).content.decode()
    assert "只能登记一次" in body and ("必填" in body)


def test_the_api_shows_every_field_error_at_once(world, ent_a):
    r = api(world.user("officer_a")).post("/api/v1/enterprises/", {"name": "", "uscc": ent_a.uscc, "contact_phone": "abc"}, format="json")
    assert r.status_code == 400
    fields = r.json()["fields"]
    assert {"name", "uscc", "contact_phone"} <= set(fields)


def test_the_service_reports_identity_and_field_errors_together(world):
    with pytest.raises(ValidationFailed) as exc:
        services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name="", uscc="12345", contact_phone="abc")
    assert {"name", "uscc", "contact_phone"} <= set(exc.value.fields)


# --- invisible characters ----------------------------------------------------------------------------
@pytest.mark.parametrize(("char", "name"), [(" ", "空格"), ("\u3000", "全角空格"), ("\u200b", "零宽空格"), ("\ufeff", "零宽不换行空格")])
def test_an_invisible_character_in_a_credit_code_is_named(char, name):
    code = make_uscc(5)
    msg = uscc_error(code[:2] + char + code[2:])
    assert msg is not None and f"第3位是{name}" in msg


def test_the_page_names_a_space_in_the_credit_code(client, world):
    client.force_login(world.user("officer_a"))
    code = make_uscc(77)
    body = client.post(reverse("enterprises:create"), page_post(jurisdiction=world.district_a.pk, uscc=code[:5] + " " + code[5:17])).content.decode()
    assert "第6位是空格" in body


def test_the_import_names_a_zero_width_space(world):
    code = make_uscc(1001)
    job = preview(world, xlsx([row(name="甲公司", uscc=code[:9] + "\u200b" + code[9:], division="芝罘区")]))
    assert "第10位是零宽空格" in reasons(job)[2]


def test_invisible_chars_error_lists_several():
    assert invisible_chars_error("a b\u3000c", "名称") == "名称中有看不见的字符：第2位是空格、第4位是全角空格，请删除后重新填写。"


# --- dates ---------------------------------------------------------------------------------------------
def test_date_bounds():
    today = dt.date(2026, 6, 15)
    assert date_bounds_error(dt.date(1, 1, 1), "fact", today=today)
    assert date_bounds_error(dt.date(1949, 9, 30), "start", today=today)
    assert date_bounds_error(dt.date(2026, 6, 16), "fact", today=today) is None  # one day of tolerance
    assert date_bounds_error(dt.date(2026, 6, 17), "fact", today=today)
    assert date_bounds_error(dt.date(2099, 1, 1), "start", today=today)
    assert date_bounds_error(dt.date(2027, 1, 1), "start", today=today) is None
    assert date_bounds_error(dt.date(9999, 12, 31), "end", today=today)
    assert date_bounds_error(dt.date(2055, 12, 31), "end", today=today) is None


def test_a_status_effective_in_year_one_is_refused_page_and_api(client, world, ent_a):
    client.force_login(world.user("officer_a"))
    r = client.post(reverse("enterprises:status", args=[ent_a.pk]), {"status": "suspended", "effective_date": "0001-01-01", "reason": "检修"})
    assert r.status_code == 200 and "1949" in r.content.decode()
    r = api(world.user("officer_a")).post(f"/api/v1/enterprises/{ent_a.pk}/status/", {"status": "suspended", "effective_date": "0001-01-01", "reason": "检修"}, format="json")
    assert r.status_code in (400, 422) and "effective_date" in r.json()["fields"]
    assert not EnterpriseStatusEvent.objects.exists()


def test_a_planned_subject_in_2099_is_refused(client, world, ent_a):
    client.force_login(world.user("depthead_a"))
    r = client.post(reverse("enterprises:subject", args=[ent_a.pk]), {"agency": world.agency_a.pk, "valid_from": "2099-01-01", "valid_to": ""})
    assert r.status_code == 200 and "过远" in r.content.decode()
    with pytest.raises(ValidationFailed) as exc:
        services.planned_subject_assign(actor=world.user("depthead_a"), enterprise=ent_a, agency=world.agency_a, valid_from=dt.date(2099, 1, 1))
    assert "valid_from" in exc.value.fields
    assert not PlannedSubject.objects.exists()


def test_a_licence_valid_to_9999_is_refused(client, world, ent_a):
    client.force_login(world.user("officer_a"))
    r = client.post(reverse("enterprises:child_create", args=[ent_a.pk, "licences"]), {"kind": "hazchem_operation", "number": "鲁烟危化经字〔2026〕001", "issuer": "烟台市应急管理局", "valid_from": "2026-01-01", "valid_to": "9999-12-31", "status": "valid"})
    assert r.status_code == 200 and "过远" in r.content.decode()
    r = api(world.user("officer_a")).post(f"/api/v1/enterprises/{ent_a.pk}/licences/", {"kind": "hazchem_operation", "number": "X1", "issuer": "市局", "valid_from": "2026-01-01", "valid_to": "9999-12-31"}, format="json")
    assert r.status_code in (400, 422) and "valid_to" in r.json()["fields"]
    assert not Licence.objects.exists()
    today = timezone.localdate()
    services.child_create(actor=world.user("officer_a"), enterprise=ent_a, model=Licence, kind="hazchem_operation", number="X2", issuer="市局", valid_from=today, valid_to=today.replace(year=today.year + 3))


def test_a_key_persons_bad_id_number_is_shown_with_the_other_errors(client, world, ent_a):
    client.force_login(world.user("officer_a"))
    r = client.post(reverse("enterprises:child_create", args=[ent_a.pk, "key-people"]), {"role": "principal", "name": "", "id_number": "370602199001011234", "phone": "12"})
    body = r.content.decode()
    assert "校验位错误" in body and "格式不正确" in body and "必填" in body
    assert not KeyPerson.objects.exists()
