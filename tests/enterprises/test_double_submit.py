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


def test_a_double_submitted_hazard_is_registered_once(client, world, inspection):
    from anjian.hazards.models import Hazard

    client.force_login(world.user("officer_a"))
    url = reverse("hazards:create") + f"?inspection={inspection.pk}"
    form = client.get(url).content.decode()
    key = re.search(r'name="form_key" value="([0-9a-f]+)"', form).group(1)
    data = {
        "inspection": inspection.pk, "form_key": key, "source": "inspection", "description": "安全出口堵塞", "location": "一号车间",
        "severity": "general", "found_on": inspection.inspected_on.isoformat(), "period_days": "10",
        "set_aside_reason": "经专家论证不属于重大隐患", "set_aside_by": world.user("expert_a").staff.pk,
    }  # fmt: skip
    first = client.post(reverse("hazards:create"), data)
    second = client.post(reverse("hazards:create"), data)
    h = Hazard.objects.get()
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"] == reverse("hazards:detail", args=[h.pk])


def test_the_hazard_api_replays_an_idempotency_key(world, inspection):
    from anjian.hazards.models import Hazard

    c = APIClient()
    c.force_authenticate(world.user("officer_a"))
    body = {"enterprise": inspection.enterprise_id, "source": "inspection", "inspection": inspection.pk, "description": "灭火器过期", "location": "二号车间",
            "severity": "general", "found_on": inspection.inspected_on.isoformat(), "period_days": 10, "set_aside_reason": "不属于重大隐患",
            "set_aside_by": world.user("expert_a").staff.pk}  # fmt: skip
    r1 = c.post("/api/v1/hazards/", body, format="json", HTTP_IDEMPOTENCY_KEY="hz-request-0001")
    r2 = c.post("/api/v1/hazards/", body, format="json", HTTP_IDEMPOTENCY_KEY="hz-request-0001")
    assert r1.status_code == 201, r1.content
    assert r2.status_code == 200 and r1.json()["id"] == r2.json()["id"] and Hazard.objects.count() == 1
