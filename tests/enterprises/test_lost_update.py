"""Lost update (issue 8, Low): an edit from a stale page or API read is refused with 409."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from anjian.core.errors import DomainError
from anjian.enterprises import services
from anjian.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def edit_post(ent, **over):
    data = {"name": ent.name, "uscc": ent.uscc, "standardization_level": "none", "scale": "medium", "employees": "120", "sectors": ["hazchem.production"], "features": ["confined_space"]}
    data.update(over)
    return data


def test_the_edit_page_carries_the_version(client, world, ent_a):
    client.force_login(world.user("officer_a"))
    body = client.get(reverse("enterprises:edit", args=[ent_a.pk])).content.decode()
    assert 'name="version"' in body and f'value="{ent_a.version}"' in body


def test_a_save_from_a_stale_page_is_refused_with_409(client, world, ent_a):
    a, b = world.user("officer_a"), world.user("officer_a2")
    read_version = Enterprise.objects.get(pk=ent_a.pk).version
    # officer_a2 saves first ...
    client.force_login(b)
    r = client.post(reverse("enterprises:edit", args=[ent_a.pk]), edit_post(ent_a, contact_name="赵六", version=read_version))
    assert r.status_code == 302
    assert Enterprise.objects.get(pk=ent_a.pk).version == read_version + 1
    # ... then officer_a submits the page read before that change
    client.force_login(a)
    r = client.post(reverse("enterprises:edit", args=[ent_a.pk]), edit_post(ent_a, contact_name="钱七", version=read_version))
    assert r.status_code == 409
    assert "已被他人修改" in r.content.decode()
    assert Enterprise.objects.get(pk=ent_a.pk).contact_name == "赵六"


def test_a_save_without_changes_keeps_the_version(world, ent_a):
    v = ent_a.version
    services.enterprise_update(actor=world.user("officer_a"), enterprise=ent_a, version=v, name=ent_a.name)
    assert Enterprise.objects.get(pk=ent_a.pk).version == v


def test_the_api_takes_if_match_and_version(world, ent_a):
    c = APIClient()
    c.force_authenticate(world.user("officer_a"))
    r = c.get(f"/api/v1/enterprises/{ent_a.pk}/")
    etag = r["ETag"]
    assert r.json()["version"] == ent_a.version and etag == f'"{ent_a.version}"'
    r = c.patch(f"/api/v1/enterprises/{ent_a.pk}/", {"employees": 130}, format="json", HTTP_IF_MATCH=etag)
    assert r.status_code == 200 and r["ETag"] == f'"{ent_a.version + 1}"'
    # the same stale ETag again: refused, nothing written
    r = c.patch(f"/api/v1/enterprises/{ent_a.pk}/", {"employees": 140}, format="json", HTTP_IF_MATCH=etag)
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "stale_version" and "已被他人修改" in body["message"]
    r = c.patch(f"/api/v1/enterprises/{ent_a.pk}/", {"employees": 150, "version": ent_a.version}, format="json")
    assert r.status_code == 409
    assert Enterprise.objects.get(pk=ent_a.pk).employees == 130
    assert c.patch(f"/api/v1/enterprises/{ent_a.pk}/", {"employees": 1}, format="json", HTTP_IF_MATCH="garbage").status_code == 422


def test_an_import_makes_an_open_edit_page_stale(client, world, ent_a):
    from tests.enterprises.test_import import commit, preview, row, xlsx

    read_version = ent_a.version
    commit(world, preview(world, xlsx([row(name=ent_a.name, uscc=ent_a.uscc, division="芝罘区", principal="孙八")])))
    with pytest.raises(DomainError) as exc:
        services.enterprise_update(actor=world.user("officer_a"), enterprise=ent_a, version=read_version, principal="周九")
    assert exc.value.code == "stale_version" and exc.value.http_status == 409
    assert Enterprise.objects.get(pk=ent_a.pk).principal == "孙八"
