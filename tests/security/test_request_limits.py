"""Request bodies and request ids (issue 8, Low).

- A 100 MB anonymous POST was written to disk before the CSRF refusal: it is now refused with 413
  from its Content-Length, before a byte of it is read.
- The audit stored the client's ``X-Request-ID`` verbatim: only a well-formed id is kept.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files import uploadedfile
from django.test import Client

from anjian.core.models import AuditEvent
from tests.conftest import PASSWORD

MB = 1024 * 1024


class UnreadableBody:
    """A wsgi.input that fails the test if anyone reads from it."""

    def __init__(self) -> None:
        self.reads = 0

    def read(self, *args: Any) -> bytes:
        self.reads += 1
        raise AssertionError("the body was read")

    readline = read


@pytest.fixture
def no_temp_files(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("an upload was spooled to a temporary file")

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", refuse)


def post_declared(client: Client, path: str, size: int, **extra: Any) -> tuple[Any, UnreadableBody]:
    body = UnreadableBody()
    r = client.generic("POST", path, b"", content_type="multipart/form-data; boundary=xyz", CONTENT_LENGTH=str(size), **{"wsgi.input": body}, **extra)
    return r, body


@pytest.mark.parametrize("path", ["/login/", "/admin/login/", "/enterprises/import/", "/api/v1/enterprises/", "/nowhere/"])
def test_a_100_mb_anonymous_post_is_refused_unread(client: Client, db: Any, path: str) -> None:
    r, body = post_declared(client, path, 100 * MB)
    assert r.status_code == 413 and body.reads == 0
    assert "提交的内容过大" in r.content.decode()


def test_a_real_3_mb_anonymous_upload_is_refused_without_a_temporary_file(client: Client, db: Any, no_temp_files: None) -> None:
    payload = b"x" * (3 * MB)  # above FILE_UPLOAD_MAX_MEMORY_SIZE: Django would spool it to disk
    r = client.post("/login/", {"username": "a", "password": "b", "file": uploadedfile.SimpleUploadedFile("big.bin", payload)})
    assert r.status_code == 413


def test_the_api_answers_413_in_its_error_body(client: Client, world: Any) -> None:
    client.force_login(world.user("officer_a"))
    r, body = post_declared(client, "/api/v1/enterprises/", 500 * MB)
    assert r.status_code == 413 and body.reads == 0
    assert r.json()["code"] == "body_too_large" and r.json()["fields"] == {}


def test_signed_in_users_may_send_uploads_up_to_the_limit(client: Client, world: Any, settings: Any) -> None:
    """The limit of a signed-in user is the largest single upload (a 100 MB recording) plus the envelope."""
    assert settings.ANJIAN_MAX_BODY_BYTES >= max(settings.ANJIAN_AUDIO_MAX_BYTES, settings.ANJIAN_SCAN_MAX_BYTES, settings.ANJIAN_IMPORT_MAX_BYTES)
    client.force_login(world.user("officer_a"))
    r = client.post("/api/v1/enterprises/", {"name": "x" * (2 * MB)})
    assert r.status_code != 413
    r, _ = post_declared(client, "/api/v1/enterprises/", settings.ANJIAN_MAX_BODY_BYTES + 1)
    assert r.status_code == 413


def test_a_token_client_is_signed_in_for_the_limit(client: Client, world: Any) -> None:
    from anjian.core import tokens

    _, key = tokens.create(actor=world.user("officer_a"), name="测试", days=30)
    r = client.post("/api/v1/enterprises/", {"name": "x" * (2 * MB)}, HTTP_AUTHORIZATION=f"Token {key}")
    assert r.status_code != 413
    r = client.post("/api/v1/enterprises/", {"name": "x" * (2 * MB)}, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert r.status_code == 413


# -- X-Request-ID -----------------------------------------------------------------------------------


def login_with_request_id(client: Client, rid: str) -> tuple[Any, AuditEvent]:
    r = client.post("/login/", {"username": "officer_a", "password": PASSWORD}, HTTP_X_REQUEST_ID=rid)
    return r, AuditEvent.objects.filter(action="auth.login").latest("id")


@pytest.mark.parametrize("rid", ["0b5e1c8e-6a8d-4c1a-9f0e-1234567890ab", "abcdef12", "A" * 64])
def test_a_well_formed_request_id_is_kept(client: Client, world: Any, rid: str) -> None:
    r, ev = login_with_request_id(client, rid)
    assert r["X-Request-ID"] == rid and ev.request_id == rid


@pytest.mark.parametrize(
    "rid",
    ["<script>alert(1)</script>", "admin; DROP TABLE", "short", "A" * 65, "有中文的请求编号12345", "abc def 12345", "x\u200b" * 10, "--", ""],
)
def test_client_text_is_never_stored_as_the_request_id(client: Client, world: Any, rid: str) -> None:
    r, ev = login_with_request_id(client, rid)
    assert ev.request_id != rid and r["X-Request-ID"] == ev.request_id
    assert len(ev.request_id) == 32 and all(c in "0123456789abcdef" for c in ev.request_id)
