"""Reads of hazards, measures and transfers; the hooks the ledger calls."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from anjian.core.scoping import get_for_user, scope_for
from anjian.enterprises.models import Enterprise
from anjian.enterprises.selectors import ActiveMeasure
from anjian.hazards.choices import ApprovalStatus, HazardStatus, MeasureScope, MeasureStatus, MeasureType
from anjian.hazards.models import Hazard, InstitutionalMeasure, Measure, SetAsideRequest, Transfer

STOPPING = (MeasureType.SUSPEND, MeasureType.STOP_FACILITY)


def active_measures_for_ledger(enterprise_ids: Iterable[int]) -> dict[int, list[ActiveMeasure]]:
    out: dict[int, list[ActiveMeasure]] = {}
    for m in Measure.objects.filter(enterprise_id__in=list(enterprise_ids), status=MeasureStatus.ACTIVE, measure_type__in=STOPPING):
        whole = m.measure_type == MeasureType.SUSPEND and m.scope == MeasureScope.UNIT
        out.setdefault(m.enterprise_id, []).append(ActiveMeasure(whole_unit=whole, description=f"{m.get_measure_type_display()}({m.get_scope_display()})"))
    return out


def enterprise_delete_guard(enterprise: Enterprise) -> str | None:
    if enterprise.inspections.exists() or Hazard.objects.filter(enterprise=enterprise).exists():
        return "该企业已有检查或隐患记录，不能删除；如已停业，请登记“关闭”。"
    return None


def records_kept_on_transfer(enterprise: Enterprise, old_agency_id: int) -> dict[str, Any]:
    """What a unit's transfer leaves with the old bureau (docs/architecture.md, "A unit that
    moves"): its open hazards, which it re-inspects and closes (AQSCF §65; the bureau that ordered
    the rectification re-inspects it), and its active measures. Written into the transfer's audit."""
    hazards = list(Hazard.objects.filter(enterprise=enterprise, owner_agency_id=old_agency_id).exclude(status=HazardStatus.CLOSED).values_list("pk", flat=True))
    measures = list(Measure.objects.filter(enterprise=enterprise, owner_agency_id=old_agency_id, status=MeasureStatus.ACTIVE).values_list("pk", flat=True))
    return {"open_hazards_kept": hazards, "active_measures_kept": measures} if hazards or measures else {}


def hazard_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Hazard]:
    f = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    qs = Hazard.objects.for_user(user).select_related("enterprise", "owner_agency", "order_document").prefetch_related("set_asides")
    if "status" in f:
        qs = qs.filter(status=f["status"])
    if "severity" in f:
        qs = qs.filter(severity=f["severity"])
    if "enterprise" in f:
        qs = qs.filter(enterprise_id=f["enterprise"])
    if "overdue" in f and str(f["overdue"]).lower() in {"1", "true", "yes"}:
        qs = qs.filter(overdue_since__isnull=False).exclude(status=HazardStatus.CLOSED)
    if "supervised" in f and str(f["supervised"]).lower() in {"1", "true", "yes"}:
        qs = qs.filter(supervised=True)
    if "q" in f:
        qs = qs.filter(description__icontains=f["q"]) | qs.filter(enterprise__name__icontains=f["q"])
    return qs.order_by("-found_on", "-id")


def hazard_get(*, user: Any, pk: Any) -> Hazard:
    # Only what the hazard page reads from the hazard itself; its timeline, extensions,
    # re-inspections and measures are read by the page with the relations each needs.
    qs = Hazard.objects.select_related("enterprise", "owner_agency", "order_document", "inspection", "site", "set_aside_by").prefetch_related("findings", "reports", "set_asides")
    return get_for_user(qs, user, pk)  # type: ignore[arg-type]


def measure_get(*, user: Any, pk: Any) -> Measure:
    return get_for_user(Measure.objects.select_related("enterprise", "hazard", "decision_document").prefetch_related("restart_reviews"), user, pk)  # type: ignore[arg-type]


def transfer_list(*, user: Any) -> QuerySet[Transfer]:
    return Transfer.objects.for_user(user).select_related("enterprise", "from_department", "to_department").order_by("-sent_at")


def two_lists(*, user: Any, enterprise: Enterprise) -> dict[str, Any]:
    """两个清单: open problems and hazards; institutional measures — the ones the user's bureau
    may read. After a unit moves to another jurisdiction its records stay with the bureau that
    recorded them (docs/architecture.md, "A unit that moves"): the new bureau's lists hold what it
    found itself, and ``held_elsewhere`` counts, per bureau, the open hazards another bureau still
    follows to closure (no descriptions: they are that bureau's records)."""
    from anjian.inspections.models import Finding

    open_hazards = Hazard.objects.filter(enterprise=enterprise).exclude(status=HazardStatus.CLOSED)
    hazards = list(open_hazards.for_user(user).order_by("deadline", "id"))
    findings = list(Finding.objects.for_user(user).filter(enterprise=enterprise, hazards__isnull=True, order_to_correct=True).order_by("-found_on"))
    institutional = list(InstitutionalMeasure.objects.for_user(user).filter(enterprise=enterprise).order_by("done_on", "due_on", "id"))
    seen = {h.pk for h in hazards}
    held: dict[str, int] = {}
    for name in open_hazards.exclude(pk__in=seen).values_list("owner_agency__name", flat=True):
        held[name] = held.get(name, 0) + 1
    return {"hazards": hazards, "findings": findings, "institutional": institutional, "held_elsewhere": sorted(held.items())}


def set_aside_list(*, user: Any, mine: bool = True) -> QuerySet[SetAsideRequest]:
    """Set-aside requests the user can see; ``mine``: the pending ones named to the user."""
    qs = SetAsideRequest.objects.filter(hazard__in=Hazard.objects.for_user(user)).select_related("hazard", "hazard__enterprise", "approver", "requested_by__staff", "decided_by")
    if mine:
        qs = qs.filter(approver_id=scope_for(user).staff_id or 0, status=ApprovalStatus.PENDING)
    return qs.order_by("-requested_at", "-id")

