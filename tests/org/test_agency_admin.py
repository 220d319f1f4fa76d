"""The admin page 执法机关: a system administrator sets the remedies of his own bureau (audited);
other bureaus' rows and other fields stay out of reach."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from anjian.core.models import AuditEvent
from anjian.org.models import Agency

pytestmark = pytest.mark.django_db


def _staff(world: Any, name: str) -> Any:
    user = world.user(name)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_the_administrator_sets_his_bureaus_remedies_and_it_is_audited(world: Any, client: Any) -> None:
    client.force_login(_staff(world, "admin_a"))
    url = reverse("admin:org_agency_change", args=[world.agency_a.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, {"review_body": "烟台市芝罘区人民政府", "court": "烟台市芝罘区人民法院（集中管辖）", "name": "改名"})
    assert r.status_code == 302
    a = Agency.objects.get(pk=world.agency_a.pk)
    assert (a.name, a.review_body, a.court) == ("烟台市芝罘区应急管理局", "烟台市芝罘区人民政府", "烟台市芝罘区人民法院（集中管辖）")
    ev = AuditEvent.objects.get(action="agency.remedies", object_id=str(a.pk))
    assert ev.after == {"review_body": "烟台市芝罘区人民政府", "court": "烟台市芝罘区人民法院（集中管辖）", "payment_place": ""}


def test_another_bureau_and_a_blank_value_are_refused(world: Any, client: Any) -> None:
    client.force_login(_staff(world, "admin_a"))
    other = reverse("admin:org_agency_change", args=[world.agency_b.pk])
    client.post(other, {"review_body": "某某", "court": "某某"})
    assert Agency.objects.get(pk=world.agency_b.pk).review_body == "烟台市福山区人民政府"
    r = client.post(reverse("admin:org_agency_change", args=[world.agency_a.pk]), {"review_body": "", "court": "烟台市芝罘区人民法院"})
    assert r.status_code == 200  # the form again, with the field error
    assert Agency.objects.get(pk=world.agency_a.pk).review_body == "烟台市芝罘区人民政府"
    assert not AuditEvent.objects.filter(action="agency.remedies").exists()


def test_an_officer_does_not_see_the_page(world: Any, client: Any) -> None:
    client.force_login(_staff(world, "officer_a"))
    assert client.get(reverse("admin:org_agency_changelist")).status_code in (302, 403)
