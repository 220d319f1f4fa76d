"""Reads of hazards, measures and transfers; the hooks the ledger calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from anjian.core.scoping import get_for_user, scope_for
from anjian.enterprises.models import Enterprise
from anjian.enterprises.selectors import ActiveMeasure
from anjian.hazards.choices import ApprovalStatus, ExtensionStatus, HazardStatus, MeasureScope, MeasureStatus, MeasureType, TransferStatus
from anjian.hazards.models import DeadlineExtension, Hazard, InstitutionalMeasure, Measure, Reinspection, RestartReview, SetAsideRequest, Transfer
from anjian.org.choices import Role

STOPPING = (MeasureType.SUSPEND, MeasureType.STOP_FACILITY)


def active_measures_for_ledger(enterprise_ids: Iterable[int]) -> dict[int, list[ActiveMeasure]]:
    out: dict[int, list[ActiveMeasure]] = {}
    for m in Measure.objects.filter(enterprise_id__in=list(enterprise_ids), status=MeasureStatus.ACTIVE, measure_type__in=STOPPING):
        whole = m.measure_type == MeasureType.SUSPEND and m.scope == MeasureScope.UNIT
        out.setdefault(m.enterprise_id, []).append(ActiveMeasure(whole_unit=whole, description=f"{m.get_measure_type_display()}（{m.get_scope_display()}）"))
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
    if "due" in f:
        # 整改期限将至: rectifying, the stated deadline today or within the next N days, not yet overdue.
        today = timezone.localdate()
        days = int(f["due"])
        qs = qs.filter(status=HazardStatus.RECTIFYING, overdue_since__isnull=True, deadline__gte=today, deadline__lte=today + dt.timedelta(days=days))
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


def my_departments(user: Any) -> list[int]:
    """The departments the user is a member of today."""
    from anjian.org.models import Membership

    return [d for d in Membership.objects.valid_on(timezone.localdate()).filter(staff__user=user, department__isnull=False).values_list("department_id", flat=True) if d]


def transfers_to_decide(*, user: Any, departments: list[int] | None = None) -> QuerySet[Transfer]:
    """待我接收或退回: the pending transfers of the user's bureau that ``services.may_decide_transfer``
    lets the user decide — sent to a team the user belongs to (or any, for a leader), never one
    the user sent (职责分离). The transfer list's ``box=decide`` and the workbench count read this."""
    from anjian.hazards.services import TRANSFER_DECIDE_ROLES

    scope = scope_for(user)
    if not scope.has_role(*TRANSFER_DECIDE_ROLES) or scope.agency_id is None:
        return Transfer.objects.none()
    qs = transfer_list(user=user).filter(status=TransferStatus.PENDING, owner_agency_id=scope.agency_id).exclude(sent_by=user)
    if not scope.has_role(Role.LEADER):
        qs = qs.filter(to_department_id__in=my_departments(user) if departments is None else departments)
    return qs


def transfer_list_filtered(*, user: Any, filters: dict[str, Any], departments: list[int]) -> QuerySet[Transfer]:
    """The transfer list with its GET filters (``forms.TransferFilterForm``)."""
    f = filters
    if f.get("box") == "decide":
        qs = transfers_to_decide(user=user, departments=departments)
    else:
        qs = transfer_list(user=user)
    qs = qs.select_related("sent_by__staff", "decided_by__staff", "owner_agency")
    if f.get("box") == "inbox":
        qs = qs.filter(to_department_id__in=departments)
    elif f.get("box") == "sent":
        qs = qs.filter(Q(from_department_id__in=departments) | Q(sent_by=user))
    if "status" in f:
        qs = qs.filter(status=f["status"])
    if "q" in f:
        qs = qs.filter(enterprise__name__icontains=f["q"])
    return qs


def extensions_to_decide(*, user: Any) -> QuerySet[DeadlineExtension]:
    """Pending extensions of rectification deadlines the user may decide (``services.may_decide_extension``):
    an approver of the owning bureau who did not record the request."""
    from anjian.hazards.services import APPROVE_ROLES

    scope = scope_for(user)
    if not scope.has_role(*APPROVE_ROLES) or scope.agency_id is None:
        return DeadlineExtension.objects.none()
    qs = DeadlineExtension.objects.filter(status=ExtensionStatus.PENDING, hazard__owner_agency_id=scope.agency_id)
    qs = qs.filter(Q(requested_by__isnull=True) | ~Q(requested_by=user))
    return qs.select_related("hazard", "hazard__enterprise", "requested_by__staff").order_by("requested_on", "id")


def restart_reviews_to_decide(*, user: Any) -> QuerySet[RestartReview]:
    """Applications to resume production awaiting review by the user: a leader of the bureau that
    decided the measure, who did not record the application (``services.restart_review_decide``)."""
    scope = scope_for(user)
    if not scope.has_role(Role.LEADER) or scope.agency_id is None:
        return RestartReview.objects.none()
    qs = RestartReview.objects.filter(reviewed_on__isnull=True, measure__owner_agency_id=scope.agency_id, measure__status=MeasureStatus.ACTIVE)
    qs = qs.filter(Q(recorded_by__isnull=True) | ~Q(recorded_by=user))
    return qs.select_related("measure", "measure__enterprise", "recorded_by__staff").order_by("applied_on", "id")


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



def open_major_hazards_by_unit(enterprise_ids: Iterable[int]) -> dict[int, int]:
    """Major hazards not yet closed (销号), per unit: the annual plan's key-unit rule (issue 13)."""
    ids = list(enterprise_ids)
    rows = Hazard.objects.filter(severity="major").exclude(status=HazardStatus.CLOSED)
    if len(ids) <= 2000:
        return dict(rows.filter(enterprise_id__in=ids).values("enterprise_id").annotate(n=Count("id")).values_list("enterprise_id", "n"))
    # A plan of up to 100,000 units: open major hazards are few, an IN list of every unit is not (issue 13 Speed).
    wanted = set(ids)
    counts = rows.values("enterprise_id").annotate(n=Count("id")).values_list("enterprise_id", "n")
    return {e: n for e, n in counts if e in wanted}


# The order of an inspection's papers in the file (LEGAL.md §8: 现场检查记录 → 责令改正指令书 →
# 整改复查意见书 → 强制措施决定书, where the on-site measure decision of AQSCF §65 is filed).
INSPECTION_BUNDLE_ORDER = (
    ("inspection_record", "现场检查记录"),
    ("rectification_order", "责令改正指令书"),
    ("reinspection_opinion", "整改复查意见书"),
    ("onsite_measure_decision", "强制措施决定书"),
)


def inspection_bundle(user: Any, subject_id: str) -> tuple[str, list[tuple[str, Any]]]:
    """An inspection's documents with those of the hazards it found, for the printed bundle
    (documents.printing, issue 14 item 6): the record, the orders, the re-inspection opinions and the
    measure decisions, live documents only, each group by date. NotFound outside the user's scope."""
    from anjian.documents.models import IssuedDocument
    from anjian.inspections.models import Inspection

    insp = get_for_user(Inspection.objects.select_related("enterprise"), user, subject_id)
    hazards = Hazard.objects.filter(inspection=insp)
    ids = {i for i in hazards.values_list("order_document_id", flat=True) if i}
    ids |= {i for i in Reinspection.objects.filter(Q(hazard__in=hazards) | Q(inspection=insp)).values_list("opinion_document_id", flat=True) if i}
    ids |= {i for i in Measure.objects.filter(hazard__in=hazards).values_list("decision_document_id", flat=True) if i}
    docs = IssuedDocument.objects.for_user(user).filter(
        Q(pk__in=ids) | Q(subject_type="inspections.inspection", subject_id=str(insp.pk)), status="issued", kind__in=[k for k, _ in INSPECTION_BUNDLE_ORDER]
    )
    place = {k: i for i, (k, _) in enumerate(INSPECTION_BUNDLE_ORDER)}
    labels = dict(INSPECTION_BUNDLE_ORDER)
    ordered = sorted(docs, key=lambda d: (place[d.kind], d.issued_on, d.issued_at, d.pk))
    return f"{insp.enterprise.name}{insp.inspected_on:%Y年%m月%d日}监督检查", [(labels[d.kind], d) for d in ordered]
