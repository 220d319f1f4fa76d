"""A bureau's own templates (issue 14 item 5): its administrator only, its own agency only; accepted
only with every required placeholder and when it renders; versioned, recorded on each document,
an earlier version or the project's template put back."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anjian.documents import registry
from anjian.documents.models import AgencyTemplate, IssuedDocument
from tests.conftest import _person

pytestmark = pytest.mark.django_db
KIND = "rectification_order"


def _docx(replace: dict[str, str] | None = None) -> bytes:
    """The project's template with text replaced in word/document.xml."""
    src = registry.get(KIND).template_path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode()
                for old, new in (replace or {}).items():
                    assert old in text
                    text = text.replace(old, new, 1)
                data = text.encode()
            zout.writestr(item, data)
    return out.getvalue()


def _doc_text(doc: IssuedDocument) -> str:
    with doc.file.open("rb") as fh, zipfile.ZipFile(io.BytesIO(fh.read())) as z:
        return z.read("word/document.xml").decode()


def _upload(client: Any, data: bytes, name: str = "本局模板.docx", note: str = "加盖公章位置调整") -> Any:
    return client.post(f"/documents/templates/{KIND}/upload/", {"file": SimpleUploadedFile(name, data), "note": note})


def test_upload_is_used_for_the_own_agency_only(world: Any, client: Any, issue: Any) -> None:
    client.force_login(world.user("admin_a"))
    assert 'data-testid="templates-link"' in client.get("/documents/").content.decode()
    assert client.get("/documents/templates/").status_code == 200
    resp = _upload(client, _docx({"责令限期整改指令书": "责令限期整改指令书（芝罘区专用）"}))
    assert resp.status_code == 302, resp.content.decode()[:2000]
    tpl = AgencyTemplate.objects.get()
    assert tpl.agency_id == world.agency_a.pk and tpl.version == 1 and tpl.active
    doc = issue(KIND)
    assert doc.agency_template_id == tpl.pk and "机关v1" in doc.template_version and "芝罘区专用" in _doc_text(doc)
    other = issue(KIND, actor=world.user("officer_b"), agency=world.agency_b)  # another bureau: its own (the project's)
    assert other.agency_template_id is None and "芝罘区专用" not in _doc_text(other)
    # the same file again is not a new version (double submit)
    again = _upload(client, _docx({"责令限期整改指令书": "责令限期整改指令书（芝罘区专用）"}))
    assert again.status_code == 409 and "相同" in again.content.decode()
    assert AgencyTemplate.objects.count() == 1


def test_missing_placeholder_and_broken_files_are_refused(world: Any, client: Any) -> None:
    client.force_login(world.user("admin_a"))
    resp = _upload(client, _docx({"party.name }}": "party.nme }}"}))
    body = resp.content.decode()
    assert resp.status_code == 400 and "{{ party.name }}" in body and "被检查单位名称" in body and "模板未保存" in body
    broken = _upload(client, b"PK\x03\x04 not really a zip")
    assert broken.status_code == 400 and "不是有效的.docx" in broken.content.decode()
    wrong = _upload(client, _docx(), name="模板.doc")
    assert wrong.status_code == 400 and "须为.docx" in wrong.content.decode()
    syntax = _upload(client, _docx({"party.name }}": "party.name }} {% if %}"}))
    assert syntax.status_code == 400 and "占位符写法有误" in syntax.content.decode()
    assert not AgencyTemplate.objects.exists()


def test_versions_restore_and_reset(world: Any, client: Any, issue: Any) -> None:
    client.force_login(world.user("admin_a"))
    assert _upload(client, _docx({"责令限期整改指令书": "责令限期整改指令书（第一版）"})).status_code == 302
    assert _upload(client, _docx({"责令限期整改指令书": "责令限期整改指令书（第二版）"})).status_code == 302
    v1, v2 = AgencyTemplate.objects.order_by("version")
    v1.refresh_from_db()
    assert v2.active and not v1.active
    first = issue(KIND)
    assert "第二版" in _doc_text(first)
    page = client.get(f"/documents/templates/{KIND}/").content.decode()
    assert page.count('data-testid="template-activate"') == 1
    assert client.post(f"/documents/templates/{KIND}/{v1.pk}/activate/").status_code == 302
    second = issue(KIND)
    assert "第一版" in _doc_text(second) and second.agency_template_id == v1.pk
    first.refresh_from_db()
    assert first.agency_template_id == v2.pk  # each document keeps the version it was issued with
    assert client.post(f"/documents/templates/{KIND}/reset/").status_code == 302
    third = issue(KIND)
    assert third.agency_template_id is None and third.template_version == registry.get(KIND).template_version
    assert client.get(f"/documents/templates/{KIND}/{v1.pk}/file/").status_code == 200
    assert client.get(f"/documents/templates/{KIND}/0/file/").status_code == 200


def test_who_may_manage_templates(world: Any, client: Any) -> None:
    client.force_login(world.user("officer_a"))
    assert 'data-testid="templates-link"' not in client.get("/documents/").content.decode()
    assert client.get("/documents/templates/").status_code == 403
    assert _upload(client, _docx()).status_code == 403
    client.force_login(world.user("admin_a"))
    assert _upload(client, _docx({"责令限期整改指令书": "责令限期整改指令书（甲）"})).status_code == 302
    tpl = AgencyTemplate.objects.get()
    admin_b = _person({}, "admin_b", world.agency_b, ["admin"], cert=False)
    client.force_login(admin_b)  # another bureau's administrator: never sees or changes A's
    assert "（甲）" not in client.get(f"/documents/templates/{KIND}/").content.decode()
    assert client.get(f"/documents/templates/{KIND}/{tpl.pk}/file/").status_code == 404
    assert client.post(f"/documents/templates/{KIND}/{tpl.pk}/activate/").status_code == 404
    assert client.post(f"/api/v1/document-templates/{tpl.pk}/activate/").status_code == 404
    assert client.get("/api/v1/document-templates/").json() == []
    assert client.get("/documents/templates/no_such_kind/").status_code == 404
    for bad in ("abc", "-1", "9" * 20):
        assert client.post(f"/api/v1/document-templates/{bad}/activate/").status_code == 404


def test_templates_api(world: Any, client: Any, django_assert_max_num_queries: Any) -> None:
    client.force_login(world.user("admin_a"))
    url = "/api/v1/document-templates/"
    missing = client.post(url, {"kind": KIND, "file": SimpleUploadedFile("a.docx", _docx({"party.name }}": "party.nme }}"}))})
    assert missing.status_code == 422 and "{{ party.name }}" in missing.json()["message"]
    ok = client.post(url, {"kind": KIND, "file": SimpleUploadedFile("a.docx", _docx({"责令限期整改指令书": "责令限期整改指令书（乙）"})), "note": "乙"})
    assert ok.status_code == 201 and ok.json()["version"] == 1
    with django_assert_max_num_queries(8):  # the list: one query for the rows, whatever their number
        assert len(client.get(url).json()) == 1
    with django_assert_max_num_queries(12):
        assert client.get("/documents/templates/").status_code == 200
    assert client.post(url, {"kind": "nope", "file": SimpleUploadedFile("a.docx", _docx())}).status_code in (400, 422)
    assert client.post(f"{url}reset/", {"kind": KIND}, content_type="application/json").status_code == 204
    pk = ok.json()["id"]
    assert client.post(f"{url}{pk}/activate/").status_code == 200
    assert client.post(f"{url}{pk}/activate/").status_code == 409
    client.force_login(world.user("officer_a"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": KIND, "file": SimpleUploadedFile("a.docx", _docx())}).status_code == 403


@pytest.mark.parametrize("kind", [k.code for k in registry.kinds()])
def test_every_project_template_passes_the_upload_check(kind: str) -> None:
    """A bureau that uploads the project's own template unchanged is never refused: every required
    fact a kind prints is read by its template (a checked-only fact is ``printed=False``)."""
    from anjian.documents import templates

    k = registry.get(kind)
    assert templates.missing_placeholders(k, templates.placeholders(k.template_path.read_bytes())) == []
