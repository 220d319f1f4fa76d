"""我的API令牌 (issue 10, item 2): created on the account page (shown once), expiring, revocable."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.core import tokens
from anjian.core.models import ApiToken, AuditEvent


def create(client: Client, name: str = "对接系统", days: Any = 30, form_key: str = "") -> Any:
    data = {"name": name, "days": days}
    if form_key:
        data["form_key"] = form_key
    return client.post("/account/tokens/", data)


def test_create_show_once_use_and_revoke(world: Any, client: Client) -> None:
    client.force_login(world.user("officer_a"))
    r = create(client, form_key="tokenform-0001")
    assert r.status_code == 200
    body = r.content.decode()
    key = body.split('data-testid="token-key">', 1)[1].split("<", 1)[0]
    assert key.startswith("ajt_")
    row = ApiToken.objects.get()
    assert row.key_hash == tokens.digest(key) and key not in row.key_hash and row.expires_at.date() == (timezone.now() + dt.timedelta(days=30)).date()
    # a double submit creates nothing more and does not show the key again
    again = create(client, form_key="tokenform-0001")
    assert again.status_code == 302 and ApiToken.objects.count() == 1
    page = client.get("/account/").content.decode()
    assert "对接系统" in page and key not in page and row.prefix in page

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/enterprises/").status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None

    assert client.post(f"/account/tokens/{row.pk}/revoke/").status_code == 302
    r = api.get("/api/v1/enterprises/")
    assert r.status_code == 401 and "已撤销" in r.json()["message"]
    assert {"auth.token_created", "auth.token_revoked"} <= set(AuditEvent.objects.values_list("action", flat=True))


def test_an_expired_token_is_refused(world: Any) -> None:
    _, key = tokens.create(actor=world.user("officer_a"), name="短期", days=1)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/enterprises/").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, minutes=1)):
        r = api.get("/api/v1/enterprises/")
    assert r.status_code == 401 and "已过期" in r.json()["message"]
    api.credentials(HTTP_AUTHORIZATION="Token ajt_not-a-token")
    r = api.get("/api/v1/enterprises/")
    assert r.status_code == 401 and r.json()["message"] == "API令牌无效。"


@override_settings(API_TOKEN_MAX_DAYS=180)
def test_bad_input_creates_nothing(world: Any, client: Client) -> None:
    client.force_login(world.user("officer_a"))
    for name, days in [("", 30), ("x", 0), ("x", 181), ("x", "abc"), ("x", "99999999999999999999"), ("x" * 101, 30)]:
        r = create(client, name=name, days=days)
        assert r.status_code == 302
    assert ApiToken.objects.count() == 0
    page = client.get("/account/").content.decode()
    assert "API令牌未创建" in page


def test_nobody_revokes_another_users_token(world: Any, client: Client) -> None:
    row, key = tokens.create(actor=world.user("officer_b"), name="别人的", days=10)
    client.force_login(world.user("officer_a"))
    assert client.post(f"/account/tokens/{row.pk}/revoke/").status_code == 404
    assert client.post("/account/tokens/99999999999999999999/revoke/").status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_a_token_request_skips_the_interactive_second_factor(world: Any) -> None:
    from anjian.core.models import OtpDevice

    user = world.user("leader_a")
    OtpDevice.objects.create(user=user, key="00" * 20, created_at=timezone.now(), confirmed_at=timezone.now())
    _, key = tokens.create(actor=user, name="领导驾驶舱", days=10)
    with override_settings(OTP_REQUIRED_FOR=["leader"]):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert api.get("/api/v1/enterprises/").status_code == 200
