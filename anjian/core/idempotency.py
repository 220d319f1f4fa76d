"""Do a create or issue once per client key (ARCHITECTURE.md rule 10, the field sync's pattern made
general). The API takes the ``Idempotency-Key`` header; a page renders a one-time key into its form
(``form_key``), so a double submit or a retried request returns the first result.

``once`` claims the key inside the same transaction as the write: a second request with the same
key waits on the first one's row (PostgreSQL's unique index; SQLite serialises writers) and then
gets the first result instead of writing again.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction

from anjian.core.errors import DomainError, ValidationFailed
from anjian.core.models import IdempotencyKey

T = TypeVar("T", bound=models.Model)

HEADER = "Idempotency-Key"
FORM_FIELD = "form_key"
_KEY_RE = re.compile(r"[A-Za-z0-9._:-]{8,64}")


def new_key() -> str:
    """A fresh one-time key for a rendered form."""
    return uuid.uuid4().hex


def clean_key(key: str | None) -> str | None:
    """``None`` for no key; the key when it is well formed; else a 422 naming the field."""
    if key in (None, ""):
        return None
    key = str(key).strip()
    if not _KEY_RE.fullmatch(key):
        raise ValidationFailed("幂等键格式不正确：应为8至64位字母、数字或 . _ : -。", fields={"idempotency_key": "幂等键格式不正确。"})
    return key


def once(*, actor: Any, operation: str, key: str | None, model: type[T], do: Callable[[], T]) -> tuple[T, bool]:
    """Run ``do`` once per (actor, operation, key); returns (result, created). Without a key it
    simply runs. A replay returns the object the first run produced (``created`` False)."""
    key = clean_key(key)
    if key is None:
        return do(), True
    with transaction.atomic():
        prior = IdempotencyKey.objects.filter(actor=actor, operation=operation, key=key).first()
        if prior is None:
            try:
                with transaction.atomic():
                    claim = IdempotencyKey.objects.create(actor=actor, operation=operation, key=key, object_type=model._meta.label_lower)
            except IntegrityError:
                # A parallel request with the same key committed first: answer with its result.
                prior = IdempotencyKey.objects.filter(actor=actor, operation=operation, key=key).first()
                if prior is None:  # pragma: no cover - the unique index said it exists
                    raise
        if prior is not None:
            return _result(prior, model), False
        result = do()
        claim.object_id = str(result.pk)
        claim.save(update_fields=["object_id"])
        return result, True


def _result(prior: IdempotencyKey, model: type[T]) -> T:
    obj = model._default_manager.filter(pk=prior.object_id).first() if prior.object_id else None
    if obj is None:
        raise DomainError("该请求已提交过，但其结果已不存在（可能已被删除）；请重新打开页面再办理。", code="idempotency_key_used")
    return obj


def replayed(*, actor: Any, operation: str, key: str | None, model: type[T]) -> T | None:
    """The first result of a request already done with this key (a view answers a double submit
    with it before validating the form again), or ``None``."""
    try:
        key = clean_key(key)
    except ValidationFailed:
        return None
    if key is None or actor is None or not getattr(actor, "pk", None):
        return None
    prior = IdempotencyKey.objects.filter(actor=actor, operation=operation, key=key).exclude(object_id="").first()
    return _result(prior, model) if prior is not None else None
