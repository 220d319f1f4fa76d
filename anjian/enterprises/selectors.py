"""Reads of the ledger. ``enterprise_list`` serves the page, the API and the export alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from anjian.core.errors import NotFound
from anjian.core.ids import parse_id
from anjian.core.scoping import get_for_user
from anjian.enterprises.choices import SECTOR_GROUP_FLAGS, DeclaredStatus, OperatingStatus
from anjian.enterprises.classification import mask_of
from anjian.enterprises.models import Enterprise, MajorHazardSource, PlannedSubject
from anjian.enterprises.search import apply_search

ID_FILTERS = ("jurisdiction", "subject")

SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "uscc": ("uscc", "id"),
    "grade": ("risk_grade", "name", "id"),
    "-grade": ("-risk_grade", "name", "id"),
    "employees": ("employees", "id"),
    "-employees": ("-employees", "id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
}


def enterprise_list(*, user: Any, filters: dict[str, Any] | None = None, sort: str = "name") -> QuerySet[Enterprise]:
    """The user's ledger, filtered and sorted. Query count is independent of the page size.
    Count it with ``enterprise_count`` (same filters, a cheaper plan for the exact total)."""
    qs = _filtered(user, filters, for_count=False)
    return qs.with_list_relations().order_by(*SORTS.get(sort, SORTS["name"]))


def enterprise_count(*, user: Any, filters: dict[str, Any] | None = None) -> int:
    """How many units ``enterprise_list`` holds for the same filters.

    A single sector or a feature is tested on ``class_bits`` here (an index-only scan of
    (jurisdiction, class_bits)) where the list uses the link tables: both describe the same links
    (classification.py), and a test holds the two equal for every filter."""
    return int(_filtered(user, filters, for_count=True).count())


def _filtered(user: Any, filters: dict[str, Any] | None, *, for_count: bool) -> Any:
    f = {k: v for k, v in (filters or {}).items() if v not in (None, "", [])}
    # A malformed or out-of-range id is ignored, as the list page's form ignores it (the API
    # refuses it with a 400 before it gets here; the export follows the list): it must not reach
    # the query, where the driver raises on it (a 500).
    f = {k: v for k, v in f.items() if k not in ID_FILTERS or parse_id(v) is not None}
    qs: Any = Enterprise.objects.for_user(user)
    if "q" in f:
        qs = apply_search(qs, str(f["q"]))
    if "jurisdiction" in f:
        qs = qs.filter(jurisdiction_id=f["jurisdiction"])
    # M2M filters as EXISTS subqueries: a join would need DISTINCT over the whole result.
    if "sector" in f:
        code = str(f["sector"])
        if "." not in code and code in SECTOR_GROUP_FLAGS:
            # A whole group: the flag column kept with the sectors (indexed with the jurisdiction).
            qs = qs.filter(**{SECTOR_GROUP_FLAGS[code]: True})
        else:
            qs = _class_filter(qs, "s", code, Enterprise.sectors.through.objects.filter(sector_id=code), for_count)
    if "feature" in f:
        code = str(f["feature"])
        qs = _class_filter(qs, "f", code, Enterprise.features.through.objects.filter(feature_id=code), for_count)
    if "grade" in f:
        qs = qs.filter(risk_grade=f["grade"])
    if "standardization" in f:
        qs = qs.filter(standardization_level=f["standardization"])
    if "status" in f:
        qs = qs.filter(declared_status=f["status"])
    if "supervision" in f:
        qs = qs.filter(supervision_level=f["supervision"])
    if "subject" in f:
        # Today's planned subject, copied onto the unit by services.refresh_planned_subjects.
        qs = qs.filter(subject_agency_id=f["subject"])
    if "unlicensed" in f:
        qs = qs.filter(unlicensed=str(f["unlicensed"]).lower() in {"1", "true", "yes"})
    if "scale" in f:
        qs = qs.filter(scale=f["scale"])
    if "has_hazard_source" in f and str(f["has_hazard_source"]).lower() in {"1", "true", "yes"}:
        qs = qs.filter(Exists(MajorHazardSource.objects.filter(enterprise_id=OuterRef("pk"))))
    return qs


def _class_filter(qs: Any, kind: str, code: str, links: QuerySet[Any], for_count: bool) -> Any:
    mask = mask_of(kind, code) if for_count else None
    if mask:
        return qs.alias(_class_hit=F("class_bits").bitand(mask)).filter(_class_hit__gt=0)
    return qs.filter(Exists(links.filter(enterprise_id=OuterRef("pk"))))


def enterprise_get(*, user: Any, pk: Any) -> Enterprise:
    qs = Enterprise.objects.select_related("jurisdiction", "owner_agency", "division", "industry", "risk_scheme", "chemical_park").prefetch_related(
        "sectors",
        "features",
        "sites",
        "licences",
        "key_people",
        "hazard_sources",
        "status_events",
        Prefetch("planned_subjects", queryset=PlannedSubject.objects.select_related("agency")),
    )
    return get_for_user(qs, user, pk)  # type: ignore[arg-type]


def enterprise_brief(*, user: Any, pk: Any) -> Enterprise:
    """A unit in the user's scope with none of the ledger's tabs preloaded (for pages of other
    apps that show its name and act on it)."""
    return get_for_user(Enterprise.objects.select_related("owner_agency", "jurisdiction"), user, pk)  # type: ignore[arg-type]


def planned_subject_of(enterprise: Enterprise, pk: Any) -> PlannedSubject:
    """One of the unit's planned subjects (the unit was read in scope); NotFound otherwise."""
    ps = next((p for p in enterprise.planned_subjects.all() if str(p.pk) == str(pk)), None)
    if ps is None:
        raise NotFound()
    return ps


def child_of(enterprise: Enterprise, model: Any, pk: Any) -> Any:
    """One child record (site, licence …) of the unit; NotFound otherwise."""
    obj = model._default_manager.filter(enterprise=enterprise, pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


def planned_subject_on(enterprise: Enterprise, day: dt.date | None = None) -> PlannedSubject | None:
    day = day or timezone.localdate()
    for ps in enterprise.planned_subjects.all():
        if ps.covers(day):
            return ps
    return None


# --- operating status: declared status + active measures ---------------------------------------
@dataclass(frozen=True)
class ActiveMeasure:
    """What the ledger needs to know of an on-site measure or penalty that stops operation."""

    whole_unit: bool
    description: str


MeasureProvider = Callable[[Iterable[int]], dict[int, list[ActiveMeasure]]]
_measure_providers: list[MeasureProvider] = []


def register_measure_provider(provider: MeasureProvider) -> None:
    """The inspections/hazards apps (above this one) register where active measures are read from."""
    if provider not in _measure_providers:
        _measure_providers.append(provider)


def active_measures(enterprise_ids: Iterable[int]) -> dict[int, list[ActiveMeasure]]:
    ids = list(enterprise_ids)
    out: dict[int, list[ActiveMeasure]] = {i: [] for i in ids}
    for provider in _measure_providers:
        for k, v in provider(ids).items():
            out.setdefault(k, []).extend(v)
    return out


def operating_status(enterprise: Enterprise, measures: list[ActiveMeasure] | None = None) -> OperatingStatus:
    """Nothing sets 停产整顿 by hand: it follows from active measures (ARCHITECTURE.md)."""
    if enterprise.declared_status == DeclaredStatus.CLOSED:
        return OperatingStatus.CLOSED
    ms = measures if measures is not None else active_measures([enterprise.pk])[enterprise.pk]
    if any(m.whole_unit for m in ms):
        return OperatingStatus.MEASURE_SUSPENDED
    if ms:
        return OperatingStatus.MEASURE_PARTIAL
    return OperatingStatus(enterprise.declared_status)



def enterprise_audit(enterprise: Enterprise) -> QuerySet[Any]:
    """Audit events of the unit; child records (sites, licences …) are audited on the unit."""
    from anjian.core.audit import events_for

    return events_for(enterprise)
