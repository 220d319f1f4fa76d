"""Reads of the documents core. Everything a user sees goes through ``for_user`` (rule 4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from anjian.core.errors import NotFound
from anjian.core.scoping import get_for_user
from anjian.documents.choices import ServiceStatus
from anjian.documents.models import IssuedDocument, ServiceRecord


def document_list(user: Any, subject_type: str | None = None, subject_id: Any = None) -> QuerySet[IssuedDocument]:
    """The documents ``user`` may read, newest first; narrowed to one domain object when given."""
    qs = IssuedDocument.objects.for_user(user)
    if subject_type is None and SUBJECT_GUARDS:  # guarded subjects: only on their own page
        qs = qs.exclude(subject_type__in=sorted(SUBJECT_GUARDS))
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


# --- the register (issue 14 item 3) ----------------------------------------------------------------------

SERVICE_STATES = {"served": "已送达", "unserved": "待送达", "none": "无需送达"}


def _served_kinds() -> list[str]:
    from anjian.documents import registry

    return sorted(k.code for k in registry.kinds() if k.served)


def document_register(user: Any, filters: dict[str, Any]) -> QuerySet[IssuedDocument]:
    """The documents register: every document ``user`` may read, filtered, newest first, each with
    ``is_served`` (an effective proof of service exists)."""
    qs = IssuedDocument.objects.for_user(user).annotate(is_served=Exists(ServiceRecord.objects.filter(document=OuterRef("pk"), status=ServiceStatus.EFFECTIVE)))
    # A guarded subject's documents (a complaint's reply names the complainant) are listed on that
    # subject's own page, under its own rule, never in the jurisdiction-wide register.
    if SUBJECT_GUARDS:
        qs = qs.exclude(subject_type__in=sorted(SUBJECT_GUARDS))
    if v := filters.get("kind"):
        qs = qs.filter(kind=v)
    if v := filters.get("agency"):
        qs = qs.filter(agency_id=v)
    if v := filters.get("jurisdiction"):
        qs = qs.filter(jurisdiction_id=v)
    if v := filters.get("year"):
        qs = qs.filter(year=v)
    if v := filters.get("status"):
        qs = qs.filter(status=v)
    if v := filters.get("service"):
        served_kinds = _served_kinds()
        if v == "none":
            qs = qs.exclude(kind__in=served_kinds)
        else:
            qs = qs.filter(kind__in=served_kinds, is_served=(v == "served"))
    if v := filters.get("enterprise"):
        qs = qs.filter(enterprise_id=v)
    if v := filters.get("q"):
        qs = qs.filter(Q(number__icontains=v) | Q(party_name__icontains=v))
    if v := filters.get("date_from"):
        qs = qs.filter(issued_on__gte=v)
    if v := filters.get("date_to"):
        qs = qs.filter(issued_on__lte=v)
    return qs.select_related("issued_by").order_by("-issued_at", "-id")


def mark_superseded(docs: list[IssuedDocument]) -> list[IssuedDocument]:
    """Set ``is_superseded`` on a page of documents (``superseded_by``'s rule) with two queries for
    the page, not a subquery per row of the register (which the planner runs over every row before
    the sort when the scope spans several jurisdictions)."""
    if not docs:
        return docs
    ids = [d.pk for d in docs]
    named = set(IssuedDocument.objects.filter(replaces_id__in=ids, status="issued").values_list("replaces_id", flat=True))
    acts = {(d.agency_id, d.kind, d.source) for d in docs if d.source}
    latest: dict[tuple[int, str, str], Any] = {}
    if acts:
        q = Q()
        for agency_id, kind, source in acts:
            q |= Q(agency_id=agency_id, kind=kind, source=source)
        for agency_id, kind, source, at in IssuedDocument.objects.filter(q, status="issued").values_list("agency_id", "kind", "source", "issued_at"):
            key = (agency_id, kind, source)
            if key not in latest or at > latest[key]:
                latest[key] = at
    for d in docs:
        later = latest.get((d.agency_id, d.kind, d.source))
        d.is_superseded = d.pk in named or (bool(d.source) and later is not None and later > d.issued_at)  # type: ignore[attr-defined]
    return docs


def service_state(doc: IssuedDocument, served_kinds: set[str]) -> str:
    if doc.kind not in served_kinds:
        return SERVICE_STATES["none"]
    return SERVICE_STATES["served" if getattr(doc, "is_served", False) else "unserved"]


def verification(code: str | None) -> tuple[IssuedDocument | None, str]:
    """The document a verification code names (any jurisdiction: the page is public) and whether it
    is current: "valid", "voided", or "superseded" (re-issued for the same act)."""
    if code is None:
        return None, ""
    doc = IssuedDocument.objects.filter(verify_code=code).first()
    if doc is None:
        return None, ""
    if doc.status == "voided":
        return doc, "voided"
    return doc, ("superseded" if superseded_by(doc) is not None else "valid")


def superseded_by(doc: IssuedDocument) -> IssuedDocument | None:
    """The live document that replaces ``doc``: one re-issued naming it (``replaces``), or a later
    live document of the same kind for the same act (a re-issue with its reason by the issuing app).
    The register, the document's page and the public verification page all use this one rule."""
    named = IssuedDocument.objects.filter(replaces=doc, status="issued").order_by("issued_at", "id").first()
    if named is not None:
        return named
    if not doc.source:
        return None
    return (
        IssuedDocument.objects.filter(agency_id=doc.agency_id, kind=doc.kind, source=doc.source, status="issued", issued_at__gt=doc.issued_at)
        .exclude(pk=doc.pk)
        .order_by("issued_at", "id")
        .first()
    )
