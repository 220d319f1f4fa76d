"""Personal data encrypted at rest, masked where listed, revealed with a reason (issue 10, item 6)."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from anjian.core import crypto
from anjian.core.models import AuditEvent
from anjian.enterprises import services
from anjian.enterprises.models import Enterprise, KeyPerson
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ID = "370602198001011234"  # a valid 身份证号 (check digit 4)
PHONE = "13812345678"
K1 = "k1:" + base64.b64encode(b"1" * 32).decode()
K2 = "k2:" + base64.b64encode(b"2" * 32).decode()


def _raw(model: Any, column: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {connection.ops.quote_name(column)} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cur.fetchone()[0]


@pytest.fixture
def person(world: Any, ent_a: Any) -> KeyPerson:
    return services.child_create(actor=world.user("officer_a"), enterprise=ent_a, model=KeyPerson, role="principal", name="王五", id_number=ID, phone=PHONE)


# --- storage ---------------------------------------------------------------------------------------
def test_it_round_trips_and_the_column_holds_no_plaintext(person):
    kp = KeyPerson.objects.get(pk=person.pk)
    assert (kp.id_number, kp.phone) == (ID, PHONE)
    for column, plain in (("id_number", ID), ("phone", PHONE)):
        raw = _raw(KeyPerson, column, person.pk)
        assert raw.startswith("pii1.") and plain not in raw and plain[-4:] not in raw.split(".")[1:3]
    assert _raw(KeyPerson, "id_number_bidx", person.pk) == crypto.blind_index(ID, "id")


def test_two_writes_of_one_value_differ_and_the_token_names_key_and_cipher(world, ent_a, person):
    other = services.child_create(actor=world.user("officer_a"), enterprise=ent_a, model=KeyPerson, role="safety_manager", name="赵六", id_number=ID)
    a, b = _raw(KeyPerson, "id_number", person.pk), _raw(KeyPerson, "id_number", other.pk)
    assert a != b  # a fresh nonce each time
    info = crypto.token_info(a)
    assert info is not None and info.key_id == crypto.current_key_id() and info.cipher == crypto.current_cipher()


def test_sm4_gcm_is_used_where_openssl_offers_it_and_aes_gcm_is_forced_by_setting(settings, person):
    assert crypto.current_cipher() == (crypto.SM4_GCM if crypto._sm4_gcm_works() else crypto.AES_GCM)
    settings.PII_CIPHER = "aes-gcm"
    token = crypto.encrypt(ID, aad="t.c")
    assert crypto.token_info(token).cipher == "aes-gcm" and crypto.decrypt(token, aad="t.c") == ID
    assert KeyPerson.objects.get(pk=person.pk).id_number == ID  # rows of the other cipher still read


def test_a_token_moved_to_another_column_or_altered_does_not_decrypt(person):
    token = _raw(KeyPerson, "id_number", person.pk)
    with pytest.raises(crypto.PiiKeyError):
        crypto.decrypt(token, aad="enterprises_keyperson.phone")
    body = token.split(".")[3]
    tampered = token[: -len(body)] + ("A" if body[0] != "A" else "B") + body[1:]
    with pytest.raises(crypto.PiiKeyError):
        crypto.decrypt(tampered, aad="enterprises_keyperson.id_number")


def test_a_wrong_or_missing_key_is_refused_with_the_key_named(settings, person):
    settings.PII_KEYS = K2  # the development key "dev" that wrote the row is not listed
    with pytest.raises(crypto.PiiKeyError, match="dev"):
        KeyPerson.objects.get(pk=person.pk)


def test_exact_search_goes_through_the_blind_index(world, ent_a, person):
    assert list(KeyPerson.objects.filter(**crypto.blind_filter("id_number", ID.lower(), model=KeyPerson))) == [person]
    assert list(KeyPerson.objects.filter(**crypto.blind_filter("phone", "138 1234 5678", model=KeyPerson))) == [person]
    assert not KeyPerson.objects.filter(**crypto.blind_filter("id_number", "370602198001011250", model=KeyPerson)).exists()
    with pytest.raises(FieldError):
        KeyPerson.objects.filter(id_number=ID).exists()  # never matches ciphertext: refused, not silently empty
    with pytest.raises(FieldError):
        KeyPerson.objects.filter(id_number__contains="1234").exists()
    assert KeyPerson.objects.filter(phone="").count() == 0  # empty stays searchable


def test_validators_still_run_on_the_plaintext(world, ent_a):
    from anjian.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as e:
        services.child_create(actor=world.user("officer_a"), enterprise=ent_a, model=KeyPerson, role="principal", name="错号", id_number="370602198001011235")
    assert "id_number" in e.value.fields
    with pytest.raises(ValidationFailed) as e:
        services.enterprise_update(actor=world.user("officer_a"), enterprise=ent_a, principal_phone="12")
    assert "principal_phone" in e.value.fields


def test_the_unit_telephones_and_their_history_are_encrypted(world, ent_a):
    services.enterprise_update(actor=world.user("officer_a"), enterprise=ent_a, principal_phone=PHONE, contact_phone="0535-6123456")
    assert PHONE not in _raw(Enterprise, "principal_phone", ent_a.pk)
    with connection.cursor() as cur:
        cur.execute("SELECT principal_phone FROM enterprises_historicalenterprise WHERE id = %s", [ent_a.pk])
        assert all(PHONE not in (v or "") for (v,) in cur.fetchall())
    assert Enterprise.objects.get(pk=ent_a.pk).history.first().principal_phone == PHONE
    assert Enterprise.objects.filter(**crypto.blind_filter("principal_phone", PHONE, model=Enterprise)).get() == ent_a


def test_the_audit_keeps_only_masked_numbers(world, ent_a, person):
    services.enterprise_update(actor=world.user("officer_a"), enterprise=ent_a, principal_phone=PHONE)
    for e in AuditEvent.objects.filter(action__in=["keyperson.create", "enterprise.update"]):
        text = str(e.before) + str(e.after)
        assert ID not in text and PHONE not in text
    created = AuditEvent.objects.get(action="keyperson.create")
    assert created.after["id_number"] == "370602********1234" and created.after["phone"] == "138****5678"


def test_masks():
    assert crypto.mask_id(ID) == "370602********1234"
    assert crypto.mask_phone(PHONE) == "138****5678"
    assert crypto.mask_phone("0535-6123456") == "053*-***3456"
    assert crypto.mask_phone("") == ""


# --- rotation --------------------------------------------------------------------------------------
def test_rotation_reencrypts_every_row_is_idempotent_and_the_old_key_can_go(settings, world, ent_a):
    settings.PII_KEYS = K1
    kp = services.child_create(actor=world.user("officer_a"), enterprise=ent_a, model=KeyPerson, role="principal", name="王五", id_number=ID, phone=PHONE)
    services.enterprise_update(actor=world.user("officer_a"), enterprise=ent_a, principal_phone=PHONE)
    assert crypto.token_info(_raw(KeyPerson, "id_number", kp.pk)).key_id == "k1"

    settings.PII_KEYS = f"{K2},{K1}"  # k2 now current, k1 still listed
    assert KeyPerson.objects.get(pk=kp.pk).id_number == ID
    out = io.StringIO()
    call_command("pii", "rotate", "--batch", "1", stdout=out)
    assert "密钥轮换完成" in out.getvalue()
    for model, column, pk in ((KeyPerson, "id_number", kp.pk), (KeyPerson, "phone", kp.pk), (Enterprise, "principal_phone", ent_a.pk)):
        assert crypto.token_info(_raw(model, column, pk)).key_id == "k2"
    with connection.cursor() as cur:
        cur.execute("SELECT principal_phone FROM enterprises_historicalenterprise WHERE principal_phone LIKE 'pii1.k1.%%'")
        assert cur.fetchall() == []
    event = AuditEvent.objects.filter(action="pii.rotate").get()
    assert event.after["key_id"] == "k2" and event.after["tables"]["enterprises_keyperson"]["rewritten"] == 1

    again = io.StringIO()
    call_command("pii", "rotate", stdout=again)
    assert "重新加密0行" in again.getvalue()  # idempotent

    settings.PII_KEYS = K2  # the old key removed
    assert KeyPerson.objects.get(pk=kp.pk).id_number == ID
    assert Enterprise.objects.get(pk=ent_a.pk).principal_phone == PHONE
    status = io.StringIO()
    call_command("pii", "status", stdout=status)
    assert "k1/" not in status.getvalue()


def test_rotation_without_the_old_key_stops_with_a_clear_error(settings, world, ent_a):
    from django.core.management.base import CommandError

    settings.PII_KEYS = K1
    services.child_create(actor=world.user("officer_a"), enterprise=ent_a, model=KeyPerson, role="principal", name="王五", id_number=ID)
    settings.PII_KEYS = K2
    with pytest.raises(CommandError, match="保留旧密钥"):
        call_command("pii", "rotate", stdout=io.StringIO())


def test_rows_written_before_encryption_are_encrypted_by_the_data_migration_step(world, ent_a, person):
    with connection.cursor() as cur:  # as a row stood before migration 0012
        cur.execute("UPDATE enterprises_keyperson SET id_number = %s, id_number_bidx = '' WHERE id = %s", [ID, person.pk])
    assert KeyPerson.objects.get(pk=person.pk).id_number == ID  # plaintext still reads
    r = crypto.rewrite_table(KeyPerson, connection=connection)
    assert r.rewritten == 1 and ID not in _raw(KeyPerson, "id_number", person.pk)
    assert _raw(KeyPerson, "id_number_bidx", person.pk) == crypto.blind_index(ID, "id")
    crypto.rewrite_table(KeyPerson, connection=connection, decrypt_only=True)  # the migration's reverse
    assert _raw(KeyPerson, "id_number", person.pk) == ID


# --- masked where listed ---------------------------------------------------------------------------
def test_the_ledger_page_and_api_show_masked_numbers(client, world, ent_a, person):
    services.enterprise_update(actor=world.user("officer_a"), enterprise=ent_a, principal_phone=PHONE, contact_phone="0535-6123456")
    client.force_login(world.user("officer_a"))
    body = client.get(reverse("enterprises:detail", args=[ent_a.pk])).content.decode()
    assert ID not in body and PHONE not in body and "0535-6123456" not in body
    assert "138****5678" in body and reverse("pii-reveal") in body  # an officer may reveal
    api = APIClient()
    api.force_authenticate(world.user("officer_a"))
    for url in ("/api/v1/enterprises/", f"/api/v1/enterprises/{ent_a.pk}/", f"/api/v1/enterprises/{ent_a.pk}/key-people/"):
        text = api.get(url).content.decode()
        assert PHONE not in text and ID not in text and "0535-6123456" not in text, url
    client.force_login(world.user("office_a"))
    body = client.get(reverse("enterprises:detail", args=[ent_a.pk])).content.decode()
    assert "138****5678" in body and reverse("pii-reveal") not in body  # no button for who may not reveal


def test_the_export_masks_telephones_and_reimports_unchanged(client, world, ent_a, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anjian.enterprises import importing

    settings.ANJIAN_IMPORT_DIR = tmp_path / "imports"
    settings.ANJIAN_EXPORT_DIR = tmp_path / "exports"
    from anjian.core.models import Division

    services.enterprise_update(actor=world.user("officer_a"), enterprise=ent_a, principal_phone=PHONE, division=Division.objects.get(code="370602"))
    assert client.login(username="officer_a", password=PASSWORD)
    data = b"".join(client.get(reverse("enterprises:export")).streaming_content)
    cells = [str(v) for row in load_workbook(io.BytesIO(data), read_only=True)["企业台账"].iter_rows(values_only=True) for v in row if v]
    assert PHONE not in cells and "138****5678" in cells
    job = importing.import_start(actor=world.user("officer_a"), upload=SimpleUploadedFile("export.xlsx", data))
    assert job.meta["preview"]["counts"]["unchanged"] == 1, job.meta["preview"]
    assert Enterprise.objects.get(pk=ent_a.pk).principal_phone == PHONE


# --- the audited reveal ----------------------------------------------------------------------------
def _reveal(client: Any, **data: Any) -> Any:
    return client.post(reverse("pii-reveal"), data, HTTP_HX_REQUEST="true")


def test_a_reveal_with_a_reason_shows_the_number_and_is_audited(client, world, person):
    client.force_login(world.user("officer_a"))
    resp = _reveal(client, target="keyperson", id=person.pk, field="id_number", reason="核对当事人身份")
    assert resp.status_code == 200 and ID in resp.content.decode()
    e = AuditEvent.objects.get(action="pii.reveal")
    assert e.note == "核对当事人身份" and e.after["field"] == "id_number" and e.actor_id == world.user("officer_a").pk
    assert e.jurisdiction_id == world.district_a.pk and ID not in str(e.after)


@pytest.mark.parametrize("reason", ["", "   ", "看看"])
def test_a_reveal_without_a_reason_is_refused_and_changes_nothing(client, world, person, reason):
    client.force_login(world.user("officer_a"))
    resp = _reveal(client, target="keyperson", id=person.pk, field="id_number", reason=reason)
    body = resp.content.decode()
    assert resp.status_code == 422 and "须填写事由" in body and ID not in body
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"target": "keyperson", "field": "id_number"},  # district B's officer, district A's record
        {"target": "keyperson", "field": "name"},  # not a revealable field
        {"target": "nothing", "field": "id_number"},
    ],
)
def test_a_reveal_out_of_scope_or_of_an_unknown_field_is_404(client, world, person, data):
    client.force_login(world.user("officer_b" if data["target"] == "keyperson" and data["field"] == "id_number" else "officer_a"))
    resp = _reveal(client, id=person.pk, reason="核对当事人身份", **data)
    assert resp.status_code == 404 and ID not in resp.content.decode()
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


@pytest.mark.parametrize("raw_id", ["abc", "99999999999999999999999", "-1", "0"])
def test_a_malformed_id_is_404(client, world, person, raw_id):
    client.force_login(world.user("officer_a"))
    assert _reveal(client, target="keyperson", id=raw_id, field="id_number", reason="核对当事人身份").status_code == 404


def test_roles_without_need_may_not_reveal(client, world, person):
    client.force_login(world.user("office_a"))
    resp = _reveal(client, target="keyperson", id=person.pk, field="id_number", reason="核对当事人身份")
    assert resp.status_code == 403 and ID not in resp.content.decode()


def test_reveals_are_rate_limited(client, world, person, settings):
    settings.PII_REVEALS_PER_HOUR = 2
    client.force_login(world.user("officer_a"))
    codes = [_reveal(client, target="keyperson", id=person.pk, field="phone", reason="电话通知整改").status_code for _ in range(3)]
    assert codes == [200, 200, 403]
    assert AuditEvent.objects.filter(action="pii.reveal").count() == 2


def test_the_page_form_without_htmx_answers_a_page(client, world, person):
    client.force_login(world.user("officer_a"))
    resp = client.post(reverse("pii-reveal"), {"target": "keyperson", "id": person.pk, "field": "phone", "reason": "电话通知整改"})
    assert resp.status_code == 200 and PHONE in resp.content.decode() and "记入审计" in resp.content.decode()
    assert client.get(reverse("pii-reveal")).status_code == 405


def test_the_api_reveal(world, person):
    api = APIClient()
    api.force_authenticate(world.user("officer_a"))
    ok = api.post("/api/v1/pii/reveal/", {"target": "keyperson", "id": person.pk, "field": "id_number", "reason": "核对当事人身份"}, format="json")
    assert ok.status_code == 200 and ok.json() == {"value": ID}
    no_reason = api.post("/api/v1/pii/reveal/", {"target": "keyperson", "id": person.pk, "field": "id_number", "reason": ""}, format="json")
    assert no_reason.status_code == 422 and "须填写事由" in no_reason.json()["message"]
    api.force_authenticate(world.user("officer_b"))
    assert api.post("/api/v1/pii/reveal/", {"target": "keyperson", "id": person.pk, "field": "id_number", "reason": "核对当事人身份"}, format="json").status_code == 404
    assert AuditEvent.objects.filter(action="pii.reveal").count() == 1
