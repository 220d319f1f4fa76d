"""Reads of the documents core. Everything a user sees goes through ``for_user`` (rule 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

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


def document_get(user: Any, pk: Any) -> IssuedDocument:
    """One document by id; missing and out of scope both raise ``NotFound``."""
    return get_for_user(IssuedDocument.objects.all(), user, pk)


def service_record_current(document: IssuedDocument) -> ServiceRecord | None:
    return document.service_records.filter(status=ServiceStatus.EFFECTIVE).first()


def date_of_service(document: IssuedDocument) -> dt.date | None:
    """The date periods that run from service start on; ``None`` while the document is not served."""
    record = service_record_current(document)
    return record.served_on if record is not None else None
