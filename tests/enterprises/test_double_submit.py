"""One unit per submit (issue 8 item 5): a page's one-time form key and the API's Idempotency-Key."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from anjian.core.models import AuditEvent
from anjian.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def test_a_double_submitted_unlicensed_unit_is_registered_once(client, world):
    client.force_login(world.user("officer_a"))
    form = client.get(reverse("enterprises:create")).content.decode()
    key = re.search(r'name="form_key" value="([0-9a-f]+)"', form).group(1)
    data = {"jurisdiction": world.district_a.pk, "name": "无照加工点", "unlicensed": "on", "standardization_level": "none", "form_key": key}
    first = client.post(reverse("enterprises:create"), data)
    second = client.post(reverse("enterprises:create"), data)
    ent = Enterprise.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("enterprises:detail", args=[ent.pk])
    assert AuditEvent.objects.filter(action="enterprise.create").count() == 1
    # a fresh form (a new key) registers a second one deliberately
    form = client.get(reverse("enterprises:create")).content.decode()
    data["form_key"] = re.search(r'name="form_key" value="([0-9a-f]+)"', form).group(1)
    assert data["form_key"] != key
    client.post(reverse("enterprises:create"), data)
    assert Enterprise.objects.count() == 2


def test_the_api_replays_an_idempotency_key(world):
    c = APIClient()
    c.force_authenticate(world.user("officer_a"))
    body = {"name": "无照修理铺", "unlicensed": True}
    r1 = c.post("/api/v1/enterprises/", body, format="json", HTTP_IDEMPOTENCY_KEY="client-req-0001")
    r2 = c.post("/api/v1/enterprises/", body, format="json", HTTP_IDEMPOTENCY_KEY="client-req-0001")
    assert r1.status_code == 201 and r2.status_code == 200
    assert r1.json()["id"] == r2.json()["id"] and Enterprise.objects.count() == 1
    # another user's same key is another request
    other = APIClient()
    other.force_authenticate(world.user("officer_a2"))
    assert other.post("/api/v1/enterprises/", body, format="json", HTTP_IDEMPOTENCY_KEY="client-req-0001").status_code == 201
    assert Enterprise.objects.count() == 2
    assert c.post("/api/v1/enterprises/", body, format="json", HTTP_IDEMPOTENCY_KEY="bad key!").status_code == 422
