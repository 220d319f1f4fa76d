"""Reads of the documents core. Everything a user sees goes through ``for_user`` (rule 4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from anjian.core.errors import NotFound
from anjian.core.scoping import get_for_user
from anjian.documents.choices import ServiceStatus
from anjian.documents.models import IssuedDocument, ServiceRecord


def document_list(user: Any, subject_type: str | None = None, subject_id: Any = None) -> QuerySet[IssuedDocument]:
    """The documents ``user`` may read, newest first; narrowed to one domain object when given."""
    qs = IssuedDocument.objects.for_user(user)
    if subject_type is not None:
        qs = qs.filter(subject_type=subject_type)
    if subject_id is not None:
        qs = qs.filter(subject_id=str(subject_id))
    return qs


# Subjects whose documents are narrower than the jurisdiction: the app that owns the subject
# registers who may read it (a complaint's 答复意见书 names the complainant, and the officer
# complained about must not open it). The documents core knows no domain app (rule 1).
SUBJECT_GUARDS: dict[str, Callable[[Any, str], bool]] = {}


def register_subject_guard(subject_type: str, may_read: Callable[[Any, str], bool]) -> None:
    SUBJECT_GUARDS[subject_type] = may_read


def document_get(user: Any, pk: Any) -> IssuedDocument:
    """One document by id; missing, out of scope and a guarded subject the user may not read all
    raise ``NotFound``."""
    doc = get_for_user(IssuedDocument.objects.all(), user, pk)
    guard = SUBJECT_GUARDS.get(doc.subject_type)
    if guard is not None and not guard(user, doc.subject_id):
        raise NotFound()
    return doc


def service_record_current(document: IssuedDocument) -> ServiceRecord | None:
    return document.service_records.filter(status=ServiceStatus.EFFECTIVE).first()


def date_of_service(document: IssuedDocument) -> dt.date | None:
    """The date periods that run from service start on; ``None`` while the document is not served."""
    record = service_record_current(document)
    return record.served_on if record is not None else None
