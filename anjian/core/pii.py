"""Masked personal data and its audited reveal (issue 10, item 6).

Who sees what (docs/operator-guide.md, "个人信息"):

- Lists, detail pages, API answers, the ledger export and the audit show ID and telephone numbers
  masked (370602********1234, 138****5678) for every role.
- The full number is shown by a *reveal*: one field of one record, by a user who may read the record
  (its jurisdiction, 404 otherwise) and holds a business role that works with the people concerned
  (``REVEAL_ROLES``: officers, supervisors, department heads, legal reviewers, leaders; not the
  office or the three administrators, whose work needs no ID numbers). A reveal needs a reason, is
  audited (``pii.reveal``, with the reason) and is limited to ``PII_REVEALS_PER_HOUR`` a user.
- Documents served on the party (decision, interview record …) print the full number: the law
  requires it (行政处罚法第五十九条第一款第一项), and they are built from the plaintext attributes.
- Edit forms show the value to the users who may change the record (the owning bureau's writers).

``core`` knows no domain model: each app registers its revealable fields (``register``) with a
getter that returns the record in the user's scope or raises ``NotFound``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from anjian.core import audit, crypto
from anjian.core.errors import NotFound, PermissionRefused, ValidationFailed
from anjian.core.models import AuditEvent
from anjian.core.scoping import scope_for

# Roles of the org app (core names them as strings: core does not import org).
REVEAL_ROLES = ("officer", "supervisor", "dept_head", "legal_reviewer", "leader")
REASON_MIN = 4
REASON_MAX = 200


@dataclass(frozen=True)
class Target:
    """A kind of record with revealable fields: ``get(user, pk)`` returns it in scope (or raises NotFound)."""

    key: str
    label: str
    fields: tuple[str, ...]
    get: Callable[[Any, Any], models.Model]
    # A target with its own rule of who may see the full value (a complainant's identity: the
    # office and the assigned handler only, issue 12) instead of ``REVEAL_ROLES``.
    may: Callable[[Any, models.Model], bool] | None = None


TARGETS: dict[str, Target] = {}


def register(key: str, *, label: str, fields: tuple[str, ...], get: Callable[[Any, Any], models.Model], may: Callable[[Any, models.Model], bool] | None = None) -> None:
    TARGETS[key] = Target(key, label, fields, get, may)


def may_reveal(user: Any) -> bool:
    return scope_for(user).has_role(*REVEAL_ROLES)


def masked(obj: models.Model, field: str) -> str:
    """The masked value of an encrypted field of ``obj``."""
    f = obj._meta.get_field(field)
    assert isinstance(f, crypto.EncryptedCharField), field
    return f.mask(getattr(obj, f.attname))


def mask_fields(data: dict[str, Any], model: type[models.Model], prefix: str = "") -> dict[str, Any]:
    """``data`` (a serializer's representation) with the model's encrypted fields masked."""
    for f in crypto.encrypted_fields(model):
        key = prefix + f.name
        if isinstance(data.get(key), str):
            data[key] = f.mask(data[key])
    return data


def _reveals_in_last_hour(user: Any) -> int:
    since = timezone.now() - dt.timedelta(hours=1)
    return AuditEvent.objects.filter(actor_id=user.pk, action="pii.reveal", at__gte=since).count()


@transaction.atomic
def pii_reveal(*, actor: Any, target: str, pk: Any, field: str, reason: str) -> str:
    """The full value of ``field`` of one record in the actor's scope, recorded in the audit with
    the reason. A reveal without a reason changes nothing (and writes no audit row)."""
    t = TARGETS.get(str(target))
    if t is None or field not in t.fields:
        raise NotFound()
    obj = t.get(actor, pk)  # NotFound for a missing or out-of-scope record
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN:
        raise ValidationFailed("查看完整个人信息须填写事由（至少四个字），例如“制作询问通知书核对身份”。", fields={"reason": "请填写查看事由。"})
    if len(reason) > REASON_MAX:
        raise ValidationFailed(f"查看事由不超过{REASON_MAX}个字。", fields={"reason": f"不超过{REASON_MAX}个字。"})
    if not (t.may(actor, obj) if t.may is not None else may_reveal(actor)):
        raise PermissionRefused("您的角色不能查看完整的身份证号码和电话号码。" if t.may is None else f"您无权查看{t.label}的完整信息。")
    limit = int(getattr(settings, "PII_REVEALS_PER_HOUR", 60))
    if _reveals_in_last_hour(actor) >= limit:
        raise PermissionRefused(f"一小时内查看完整个人信息已达{limit}次，请稍后再试。", code="pii_rate_limited")
    f: Any = obj._meta.get_field(field)
    value = getattr(obj, f.attname) or ""
    jurisdiction_id = getattr(obj, "jurisdiction_id", None)
    if jurisdiction_id is None:
        parent = getattr(obj, "enterprise", None) or getattr(obj, "case", None)
        jurisdiction_id = getattr(parent, "jurisdiction_id", None)
    audit.record(
        actor=actor, action="pii.reveal", obj=obj, jurisdiction_id=jurisdiction_id,
        after={"target": t.key, "field": field, "label": str(getattr(f, "verbose_name", field))}, note=reason,
    )  # fmt: skip
    return str(value)


# --- key rotation (``anjian pii rotate``) ----------------------------------------------------------
def models_with_personal_data() -> list[type[models.Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if crypto.encrypted_fields(m) and not m._meta.proxy]


def key_usage() -> dict[str, dict[str, int]]:
    """{table.column: {"key id/cipher" or "明文": rows}} — what ``status`` prints, and what tells
    the operator that an old key is no longer used."""
    from django.db import connection

    out: dict[str, dict[str, int]] = {}
    qn = connection.ops.quote_name
    for model in models_with_personal_data():
        for f in crypto.encrypted_fields(model):
            counts: dict[str, int] = {}
            with connection.cursor() as cur:
                cur.execute(f"SELECT {qn(f.column)} FROM {qn(model._meta.db_table)} WHERE {qn(f.column)} IS NOT NULL AND {qn(f.column)} <> ''")  # noqa: S608 — identifiers from the model's meta
                for (raw,) in cur.fetchall():
                    info = crypto.token_info(raw)
                    label = f"{info.key_id}/{info.cipher}" if info else "明文"
                    counts[label] = counts.get(label, 0) + 1
            out[f"{model._meta.db_table}.{f.column}"] = counts
    return out


def pii_rotate(*, batch: int = 500, progress: Callable[[crypto.RewriteCount], None] | None = None) -> list[crypto.RewriteCount]:
    """Re-encrypt every stored ID and telephone number with the current key and cipher and refresh
    the blind indexes, table by table in batches (each batch one transaction, so a large table does
    not hold one long lock). Rows already current are left alone: a second run rewrites nothing.
    Audited as ``pii.rotate`` with the counts."""
    from django.db import connection

    results = []
    for model in models_with_personal_data():
        r = crypto.rewrite_table(model, connection=connection, batch=batch)
        results.append(r)
        if progress:
            progress(r)
    with transaction.atomic():
        audit.record_about(
            actor=None, action="pii.rotate", object_type="core.pii", object_id="rotate", object_repr="个人信息密钥轮换", jurisdiction_id=None,
            after={"key_id": crypto.current_key_id(), "cipher": crypto.current_cipher(), "tables": {r.table: {"rows": r.rows, "rewritten": r.rewritten} for r in results}},
        )  # fmt: skip
    return results
