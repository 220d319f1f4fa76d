"""Download of the stored .docx, scoped by jurisdiction (missing and forbidden are both 404)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from anjian.documents.rendering import DOCX_MIME, sha256_hex

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.documents.urls")]


def _get(client, user, doc):
    client.force_login(user)
    return client.get(reverse("documents:download", args=[doc.pk]))


def test_the_issuing_district_downloads_the_stored_file(client, world, issue):
    doc = issue()
    response = _get(client, world.user("officer_a"), doc)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_MIME
    assert sha256_hex(response.content) == doc.sha256
    # RFC 5987: the Chinese 文号 and title travel percent-encoded in filename*.
    assert f"filename*=utf-8''{quote('芝应急责改〔2026〕1号责令限期整改指令书.docx')}" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_the_city_bureau_reads_its_districts_documents(client, world, issue):
    assert _get(client, world.user("officer_city"), issue()).status_code == 200


@pytest.mark.parametrize("persona", ["officer_b", "officer_zone", "outsider"])
def test_another_district_or_an_outsider_gets_404(client, world, issue, persona):
    assert _get(client, world.user(persona), issue()).status_code == 404


def test_a_missing_document_is_404_and_anonymous_is_sent_to_login(client, world, issue):
    doc = issue()
    client.force_login(world.user("officer_a"))
    assert client.get(reverse("documents:download", args=[doc.pk + 999])).status_code == 404
    client.logout()
    response = client.get(reverse("documents:download", args=[doc.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_file_changed_after_issue_is_not_handed_out(client, world, issue):
    doc = issue()
    with open(doc.file.path, "ab") as fh:
        fh.write(b"tampered")
    response = _get(client, world.user("officer_a"), doc)
    assert response.status_code == 409 and "校验值不符" in response.content.decode()
