"""The ledger's revealable personal data (core/pii.py): the telephones of a unit's principal and
contact, and the ID number and telephone of its key people."""

from __future__ import annotations

from typing import Any

from anjian.core import pii
from anjian.core.errors import NotFound
from anjian.core.scoping import get_for_user
from anjian.enterprises.models import Enterprise, KeyPerson


def _enterprise(user: Any, pk: Any) -> Enterprise:
    return get_for_user(Enterprise.objects.all(), user, pk)


def _key_person(user: Any, pk: Any) -> KeyPerson:
    kp = KeyPerson.objects.select_related("enterprise").filter(pk=pk).first()
    if kp is None:
        raise NotFound()
    _enterprise(user, kp.enterprise_id)  # the unit in the user's scope, else 404
    return kp


def register() -> None:
    pii.register("enterprise", label="企业", fields=("principal_phone", "contact_phone"), get=_enterprise)
    pii.register("keyperson", label="关键人员", fields=("id_number", "phone"), get=_key_person)
