"""修改历史 after an import (item H), masked ID numbers (item J), 批量导入 only for importers (item K)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from anjian.enterprises import services
from anjian.enterprises.models import Enterprise, KeyPerson
from anjian.enterprises.views import _history_rows
from tests.enterprises.test_import import commit, preview, row, xlsx

pytestmark = pytest.mark.django_db

ID = "370602198001011234"  # a valid 身份证号 (check digit 4)


def _labels(rows):
    return [(r["type"], [c["label"] for c in r["changes"]]) for r in rows]


@pytest.mark.parametrize("without_history", [False, True], ids=["registered-through-the-service", "loaded-without-history"])
def test_an_import_that_changes_a_unit_shows_the_fields_in_the_history(client, world, ent_a, without_history):
    if without_history:
        # The demo and data migrations load units without django-simple-history rows.
        Enterprise.history.filter(id=ent_a.pk).delete()
    commit(world, preview(world, xlsx([row(name=ent_a.name, uscc=ent_a.uscc, division="芝罘区", principal="王五")])))
    rows = _history_rows(Enterprise.objects.get(pk=ent_a.pk))
    newest = rows[0]
    assert newest["type"] == "修改" and {"主要负责人", "所在区县"} <= {c["label"] for c in newest["changes"]}
    assert newest["user"] == "officer_a"
    client.force_login(world.user("officer_a"))
    body = client.get(reverse("enterprises:detail", args=[ent_a.pk])).content.decode()
    assert "无字段变化" not in body and "王五" in body


def test_a_service_edit_of_a_unit_loaded_without_history_shows_its_fields(world, ent_a):
    Enterprise.history.filter(id=ent_a.pk).delete()
    services.enterprise_update(actor=world.user("officer_a"), enterprise=ent_a, principal="赵六")
    rows = _history_rows(Enterprise.objects.get(pk=ent_a.pk))
    assert rows[0]["changes"] and rows[0]["changes"][0]["label"] == "主要负责人"
    assert rows[-1]["type"] == "创建"


def test_id_numbers_are_masked_in_the_certificate_column_audit_and_api(client, world, ent_a):
    services.child_create(actor=world.user("officer_a"), enterprise=ent_a, model=KeyPerson, role="principal", name="王五", id_number=ID, certificate_kind="特种作业操作证", certificate_no="T" + ID)
    client.force_login(world.user("officer_a"))
    body = client.get(reverse("enterprises:detail", args=[ent_a.pk])).content.decode()
    assert ID not in body  # not in the table, not in the audit tab
    assert "370602********1234" in body
    api = APIClient()
    api.force_authenticate(world.user("officer_a"))
    for url in (f"/api/v1/enterprises/{ent_a.pk}/key-people/", f"/api/v1/enterprises/{ent_a.pk}/", f"/api/v1/enterprises/{ent_a.pk}/audit/"):
        assert ID not in api.get(url).content.decode(), url


@pytest.mark.parametrize(("persona", "shown"), [("officer_a", True), ("depthead_a", True), ("legal_a", False), ("leader_a", False), ("office_a", False), ("outsider", False)])
def test_the_import_button_is_shown_only_to_who_may_import(client, world, persona, shown):
    from anjian.enterprises.importing import may_import

    client.force_login(world.user(persona))
    body = client.get(reverse("enterprises:list")).content.decode()
    assert ("批量导入" in body) is shown
    assert may_import(world.user(persona)) is shown
    upload = client.get(reverse("enterprises:import"))
    assert (upload.status_code == 200) is shown
