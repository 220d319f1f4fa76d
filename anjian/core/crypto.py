"""Personal data encrypted at rest (issue 10, item 6; 等保 level 3: 个人信息的存储保密性).

ID numbers (身份证号) and telephone numbers of parties, key people, witnesses and (issue 12)
complainants are stored as a versioned token, never in the clear::

    pii1.<key id>.<cipher>.<base64url(nonce ‖ ciphertext ‖ tag)>

- **Cipher.** SM4-GCM (GB/T 32907 block cipher in GCM, the AEAD of RFC 8998) where the installed
  ``cryptography``/OpenSSL offers it, else AES-256-GCM. ``cryptography`` has no SM4 class in its
  ``aead`` module; SM4 in GCM mode runs through its ``Cipher`` API, which is a real AEAD (the tag is
  checked on decryption) and is checked at start against RFC 8998's test vector (``_sm4_gcm_works``).
  Each token names its cipher, so rows written on a machine with SM4 and rows written with AES
  coexist; ``ANJIAN_PII_CIPHER`` (``sm4-gcm``/``aes-gcm``) forces one for new writes.
- **Keys.** ``ANJIAN_PII_KEYS`` is ``id:base64,id:base64,…`` (32 random bytes each), the first the
  current key. Each token stores its key id, so an old key still decrypts until ``anjian pii rotate``
  has re-encrypted every row with the current key; then the old key may be removed. Without the
  setting a development key ``dev`` is derived from ``SECRET_KEY`` (as ``AUDIT_KEY`` is).
  The per-cipher key is derived from the key by HMAC-SHA256 (SM4 takes 16 bytes, AES-256 32).
- **Binding.** The associated data is the column (``table.column``): a token copied into another
  column no longer decrypts.
- **Blind index.** Exact search (the same person in another case, a key person by ID number) goes
  through a companion column holding HMAC-SHA256 of the normalised value under a separate key
  (``ANJIAN_PII_INDEX_KEY``; dev: derived from ``SECRET_KEY``). It reveals only equality.

Reading code keeps getting the plaintext from the attribute; ``EncryptedCharField`` refuses
lookups other than empty/NULL (a non-empty ``exact`` on ciphertext can never match): use
``blind_filter``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.core import validators as dj_validators
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact, IsNull

PREFIX = "pii1"
AES_GCM = "aes-gcm"
SM4_GCM = "sm4-gcm"
CIPHERS = (SM4_GCM, AES_GCM)
NONCE_BYTES = 12
TAG_BYTES = 16
_KID_RE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


class PiiKeyError(ImproperlyConfigured):
    """A token names a key that is not configured, or the key does not open it."""


# --- ciphers ---------------------------------------------------------------------------------------
@cache
def _sm4_gcm_works() -> bool:
    """Whether this OpenSSL does SM4-GCM correctly (RFC 8998, appendix A.1)."""
    try:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        h = bytes.fromhex
        enc = Cipher(algorithms.SM4(h("0123456789ABCDEFFEDCBA9876543210")), modes.GCM(h("00001234567800000000ABCD"))).encryptor()
        enc.authenticate_additional_data(h("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2"))
        ct = enc.update(h("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB")) + enc.finalize()
        return ct.hex().upper() == "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"[:64] and len(enc.tag) == TAG_BYTES
    except Exception:
        return False


def available_ciphers() -> tuple[str, ...]:
    return CIPHERS if _sm4_gcm_works() else (AES_GCM,)


def current_cipher() -> str:
    wanted = (getattr(settings, "PII_CIPHER", "") or "").strip().lower()
    if wanted:
        if wanted not in available_ciphers():
            raise PiiKeyError(f"ANJIAN_PII_CIPHER={wanted} is not available here (available: {', '.join(available_ciphers())})")
        return wanted
    return available_ciphers()[0]


def _subkey(key: bytes, cipher: str) -> bytes:
    sub = hmac.new(key, f"anjian-pii/{cipher}".encode(), hashlib.sha256).digest()
    return sub[:16] if cipher == SM4_GCM else sub


def _seal(cipher: str, key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    if cipher == AES_GCM:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        return AESGCM(key).encrypt(nonce, plaintext, aad)
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    enc = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(aad)
    return enc.update(plaintext) + enc.finalize() + enc.tag


def _open(cipher: str, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    if cipher == AES_GCM:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        return AESGCM(key).decrypt(nonce, sealed, aad)
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if len(sealed) < TAG_BYTES:
        raise ValueError("short")
    dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, sealed[-TAG_BYTES:])).decryptor()
    dec.authenticate_additional_data(aad)
    return dec.update(sealed[:-TAG_BYTES]) + dec.finalize()


# --- keys ------------------------------------------------------------------------------------------
def parse_keys(spec: str) -> dict[str, bytes]:
    """``id:base64,…`` → ordered {id: key}; the first is the current key."""
    out: dict[str, bytes] = {}
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        kid, sep, b64 = part.partition(":")
        kid = kid.strip()
        if not sep or not _KID_RE.match(kid):
            raise ImproperlyConfigured("ANJIAN_PII_KEYS: each key is id:base64 (id of letters, digits, - or _, at most 16)")
        try:
            raw = base64.b64decode(b64.strip(), validate=True)
        except binascii.Error as exc:
            raise ImproperlyConfigured(f"ANJIAN_PII_KEYS: key {kid} is not base64") from exc
        if len(raw) < 32:
            raise ImproperlyConfigured(f"ANJIAN_PII_KEYS: key {kid} must have at least 32 bytes")
        if kid in out:
            raise ImproperlyConfigured(f"ANJIAN_PII_KEYS: key id {kid} twice")
        out[kid] = raw
    return out


def keys() -> dict[str, bytes]:
    spec = getattr(settings, "PII_KEYS", "") or ""
    if spec:
        return _parsed(spec)
    return {"dev": hmac.new(settings.SECRET_KEY.encode(), b"anjian-pii-key", hashlib.sha256).digest()}


@cache
def _parsed(spec: str) -> dict[str, bytes]:
    found = parse_keys(spec)
    if not found:
        raise ImproperlyConfigured("ANJIAN_PII_KEYS is set but names no key")
    return found


def current_key_id() -> str:
    return next(iter(keys()))


def index_key() -> bytes:
    configured = getattr(settings, "PII_INDEX_KEY", "") or ""
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"anjian-pii-blind-index", hashlib.sha256).digest()


# --- tokens ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TokenInfo:
    key_id: str
    cipher: str


def is_token(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX + ".")


def token_info(token: str) -> TokenInfo | None:
    if not is_token(token):
        return None
    parts = token.split(".")
    if len(parts) != 4:
        return None
    return TokenInfo(parts[1], parts[2])


def encrypt(plaintext: str, *, aad: str) -> str:
    """The token of ``plaintext`` under the current key ("" stays "": nothing to hide)."""
    if plaintext == "":
        return ""
    kid, cipher = current_key_id(), current_cipher()
    nonce = os.urandom(NONCE_BYTES)
    sealed = _seal(cipher, _subkey(keys()[kid], cipher), nonce, plaintext.encode(), aad.encode())
    return f"{PREFIX}.{kid}.{cipher}.{base64.urlsafe_b64encode(nonce + sealed).decode().rstrip('=')}"


def decrypt(value: str, *, aad: str) -> str:
    """The plaintext of a token. A value that is not a token is returned as it is (a row written
    before encryption, until the data migration or ``anjian pii rotate`` has run)."""
    if not is_token(value):
        return value
    info = token_info(value)
    if info is None or info.cipher not in CIPHERS:
        raise PiiKeyError("个人信息密文格式无法识别。")
    key = keys().get(info.key_id)
    if key is None:
        raise PiiKeyError(f"个人信息密钥 {info.key_id} 未配置（ANJIAN_PII_KEYS），无法解密。")
    body = value.split(".")[3]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        plain = _open(info.cipher, _subkey(key, info.cipher), raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad.encode())
    except Exception as exc:  # InvalidTag, bad base64, short token
        raise PiiKeyError(f"个人信息密文无法用密钥 {info.key_id} 解开（密钥错误或数据被改动）。") from exc
    return plain.decode()


# --- normalisation and blind index ----------------------------------------------------------------
def normalise_id(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def normalise_phone(value: str) -> str:
    """Digits only (and a leading + for international numbers): 0535-6123456 = 0535 6123456."""
    s = re.sub(r"[^\d+]", "", value or "")
    return ("+" if s.startswith("+") else "") + s.replace("+", "")


def normalise_text(value: str) -> str:
    """Names and addresses (a complainant's, issue 12): whitespace collapsed."""
    return " ".join((value or "").split())


NORMALISERS: dict[str, Callable[[str], str]] = {"id": normalise_id, "phone": normalise_phone, "name": normalise_text, "text": normalise_text}


def blind_index(value: str, kind: str) -> str:
    """HMAC-SHA256 (hex) of the normalised value; "" for an empty value."""
    norm = NORMALISERS[kind](value)
    if not norm:
        return ""
    return hmac.new(index_key(), f"{kind}:{norm}".encode(), hashlib.sha256).hexdigest()


# --- masking ---------------------------------------------------------------------------------------
def mask_id(value: Any) -> str:
    """370602********1234: region and last four, enough to recognise, not to copy."""
    s = str(value or "")
    if not s or "*" in s:  # empty, or masked already (an audit row)
        return s
    if len(s) < 10:
        return s[:2] + "*" * (len(s) - 2)
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


def mask_phone(value: Any) -> str:
    """138****5678 (a mobile), 0535-6***4567 (a fixed line): the first three and the last four digits kept."""
    s = str(value or "")
    if "*" in s:  # masked already (an audit row)
        return s
    digits = [i for i, ch in enumerate(s) if ch.isdigit()]
    if len(digits) <= 7:
        return "*" * len(s) if s else ""
    hide = set(digits[3:-4])
    return "".join("*" if i in hide else ch for i, ch in enumerate(s))


def mask_name(value: Any) -> str:
    """张**: the family name kept, the rest hidden."""
    s = str(value or "")
    if not s or "*" in s:
        return s
    return s[0] + "*" * max(1, len(s) - 1)


def mask_text(value: Any) -> str:
    """An address or other free text: hidden entirely."""
    s = str(value or "")
    return "（已隐藏）" if s else ""


MASKERS: dict[str, Callable[[Any], str]] = {"id": mask_id, "phone": mask_phone, "name": mask_name, "text": mask_text}
# Field name → kind of every EncryptedCharField of any model (filled as the models load): the audit
# masks values under these names (``mask_named``), whichever record's snapshot carries them.
PII_FIELD_KINDS: dict[str, str] = {}


def mask_named(data: Any) -> Any:
    """A copy of ``data`` (JSON-like) with the values under encrypted fields' names masked."""
    if isinstance(data, dict):
        return {k: (MASKERS[PII_FIELD_KINDS[k]](v) if k in PII_FIELD_KINDS and isinstance(v, str) else mask_named(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [mask_named(v) for v in data]
    return data


# --- the model field -------------------------------------------------------------------------------
class EncryptedCharField(models.CharField):  # type: ignore[type-arg]
    """A CharField whose column holds a token (see the module docstring).

    ``kind`` is ``id``, ``phone``, ``name`` or ``text`` (normalisation of the blind index, masking). ``blind_index`` names
    the companion ``BlindIndexField`` of the same model, kept up to date here in ``pre_save`` (and
    by the companion's own ``pre_save``, so ``save(update_fields=[…])`` naming either is enough).
    ``plain_max_length`` is what forms and validators check; the column is wider (``max_length``).
    """

    description = "Encrypted text (personal data)"

    def __init__(self, *args: Any, kind: str = "id", blind_index: str = "", plain_max_length: int = 32, **kwargs: Any) -> None:
        if kind not in NORMALISERS:
            raise ValueError(kind)
        self.kind, self.blind_index_field, self.plain_max_length = kind, blind_index, plain_max_length
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        # The column's max_length bounds the token; the plaintext is bounded by plain_max_length.
        self.validators[:] = [v for v in self.validators if not isinstance(v, dj_validators.MaxLengthValidator)]
        self.validators.append(dj_validators.MaxLengthValidator(plain_max_length))

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        PII_FIELD_KINDS.setdefault(name, self.kind)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(kind=self.kind, plain_max_length=self.plain_max_length)
        if self.blind_index_field:
            kwargs["blind_index"] = self.blind_index_field
        if kwargs.get("max_length") == 255:
            kwargs.pop("max_length")
        if kwargs.get("blank") is True:
            kwargs.pop("blank")
        return name, path, args, kwargs

    def aad(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return decrypt(value, aad=self.aad())

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or is_token(value):
            return value
        return encrypt(str(value), aad=self.aad())

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = super().pre_save(model_instance, add)
        if self.blind_index_field:
            setattr(model_instance, self.blind_index_field, blind_index(value or "", self.kind))
        return value

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs.setdefault("max_length", self.plain_max_length)
        return super().formfield(**kwargs)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        # contains/startswith/iexact on ciphertext would silently find nothing.
        return None

    def mask(self, value: Any) -> str:
        return MASKERS[self.kind](value)


class _EmptyOnlyExact(Exact):  # type: ignore[type-arg]
    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError(f"{self.lhs.target.name}: personal data is encrypted; search it through its blind index (anjian.core.crypto.blind_filter)")
        return super().get_prep_lookup()


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """HMAC of the normalised value of ``source`` (an ``EncryptedCharField`` of the same model)."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for k, v in (("max_length", 64), ("blank", True), ("editable", False), ("default", "")):
            if kwargs.get(k) == v:
                kwargs.pop(k)
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        src: Any = model_instance._meta.get_field(self.source)
        value = blind_index(getattr(model_instance, src.attname) or "", src.kind)
        setattr(model_instance, self.attname, value)
        return value


def blind_filter(field: str, value: str, *, model: type[models.Model], prefix: str = "") -> dict[str, str]:
    """The filter kwargs of an exact search: ``qs.filter(**blind_filter("id_number", v, model=KeyPerson))``.
    ``prefix`` walks a relation (``case__`` for a model whose case holds the field)."""
    f = model._meta.get_field(field)
    assert isinstance(f, EncryptedCharField) and f.blind_index_field, field
    return {f"{prefix}{f.blind_index_field}": blind_index(value, f.kind)}


def encrypted_fields(model: type[models.Model]) -> list[EncryptedCharField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]


# --- re-encryption (data migrations and ``anjian pii rotate``) --------------------------------------
@dataclass
class RewriteCount:
    table: str
    rows: int = 0  # rows looked at
    rewritten: int = 0  # rows whose token or blind index changed


def rewrite_table(model: type[models.Model], *, connection: Any, batch: int = 500, decrypt_only: bool = False) -> RewriteCount:
    """Bring every token of ``model`` to the current key and cipher, and every blind index to the
    current index key, row by row in batches of ``batch`` (each batch its own transaction when the
    caller runs outside one). A row already current is not written: running it twice writes nothing
    the second time. ``decrypt_only`` writes the plaintext back (the reverse of the data migration).

    Raw SQL by primary key, so it works the same for the app's models, simple-history's tables and
    the historical models a migration hands in, and never goes through ``save()``.
    """
    from django.db import transaction

    fields = encrypted_fields(model)
    meta = model._meta
    out = RewriteCount(meta.db_table)
    if not fields:
        return out
    qn = connection.ops.quote_name
    pk: str = meta.pk.column  # type: ignore[union-attr,assignment]
    cols: list[str] = [str(f.column) for f in fields]
    bidx: dict[str, str] = {str(f.column): str(meta.get_field(f.blind_index_field).column) for f in fields if f.blind_index_field}  # type: ignore[union-attr]
    read_cols = [pk, *cols, *bidx.values()]
    table = qn(meta.db_table)
    last: Any = None
    while True:
        with transaction.atomic(using=connection.alias):
            where = f"WHERE {qn(pk)} > %s " if last is not None else ""
            with connection.cursor() as cur:
                cur.execute(f"SELECT {', '.join(qn(c) for c in read_cols)} FROM {table} {where}ORDER BY {qn(pk)} LIMIT %s", [*([last] if last is not None else []), batch])  # noqa: S608 — identifiers from the model's meta
                rows = cur.fetchall()
            if not rows:
                return out
            kid, cipher = current_key_id(), current_cipher()
            updates: list[tuple[list[str], list[Any]]] = []
            for row in rows:
                values = dict(zip(read_cols, row, strict=True))
                out.rows += 1
                sets: dict[str, Any] = {}
                for f in fields:
                    raw = values[f.column]
                    if raw is None:
                        continue
                    plain = decrypt(raw, aad=f.aad())
                    info = token_info(raw)
                    if decrypt_only:
                        if info is not None:
                            sets[f.column] = plain
                    elif plain and (info is None or info.key_id != kid or info.cipher != cipher):
                        sets[f.column] = encrypt(plain, aad=f.aad())
                    if f.column in bidx and not decrypt_only:
                        want = blind_index(plain, f.kind)
                        if values[bidx[str(f.column)]] != want:
                            sets[bidx[str(f.column)]] = want
                if sets:
                    out.rewritten += 1
                    updates.append((list(sets), [*sets.values(), values[pk]]))
            with connection.cursor() as cur:
                for names, params in updates:
                    cur.execute(f"UPDATE {table} SET {', '.join(f'{qn(n)} = %s' for n in names)} WHERE {qn(pk)} = %s", params)  # noqa: S608
            last = rows[-1][0]


def encrypt_app_rows(app_label: str, model_names: list[str]) -> Any:
    """A ``RunPython`` pair for a data migration: encrypt existing rows of the given models (and
    decrypt them again when the migration is reversed)."""

    def forward(apps: Any, schema_editor: Any) -> None:
        for name in model_names:
            rewrite_table(apps.get_model(app_label, name), connection=schema_editor.connection)

    def backward(apps: Any, schema_editor: Any) -> None:
        for name in model_names:
            rewrite_table(apps.get_model(app_label, name), connection=schema_editor.connection, decrypt_only=True)

    return forward, backward
