"""The legal engine over HTTP (``/api/v1/law/``): deadlines, fines, the catalogue, the calendar,
rule overrides. Same inputs and computations as the calculator pages (``law_forms``,
``law_selectors``); every refusal is a 4xx with ``{code, message, fields, article}``
(422 for input the engine refuses, 403 for a role that may not register overrides).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.urls import path
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.core.api import Pagination
from anjian.law.catalogue import Violation
from anjian.law.penalties import FineRange
from anjian.law.procedure import Permission, Requirement
from anjian.law.ruleset import RuleOverride as EngineOverride
from anjian.legal import selectors as law_selectors
from anjian.legal import services
from anjian.legal.forms import DeadlineForm, DeadlineRuleForm, PenaltyForm, RuleOverrideForm, form_failure
from anjian.legal.models import RuleOverride
from anjian.legal.selectors import DeadlineRow, PenaltyAssessment

app_name = "law_api"


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _range(r: FineRange | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"minimum": _money(r.minimum), "maximum": _money(r.maximum), "text": str(r), "basis": r.basis, "description": r.description}


def _override(o: EngineOverride | None) -> dict[str, Any] | None:
    if o is None:
        return None
    return {
        "rule_code": o.rule_code,
        "scope": o.scope,
        "effective_from": o.effective_from,
        "effective_to": o.effective_to,
        "value": None if o.value is None else str(o.value),
        "unit": o.unit.value if o.unit else None,
        "source_document": o.source_document,
        "approver": o.approver,
        "note": o.note,
    }


def deadline_row_data(row: DeadlineRow) -> dict[str, Any]:
    r = row.result
    return {
        "code": r.code,
        "name": r.name,
        "due": r.date,
        "at": r.at,
        "unrolled": r.unrolled,
        "rolled_forward": r.rolled_forward,
        "amount": r.amount,
        "unit": r.unit.value,
        "unit_label": r.unit.label,
        "direction": r.direction.value,
        "article": r.basis,
        "status": r.status.value,
        "status_label": r.status.label,
        "trigger": r.trigger,
        "trigger_event": r.trigger_event,
        "step_date": r.step_date,
        "chained_from": row.chained_from,
        "protects_party": r.protects_party,
        "provisional": r.provisional,
        "blocked": row.blocked,
        "unverified": r.unverified,
        "informational": r.informational,
        "warning": r.warning,
        "override": _override(r.override),
        "rule_version": r.rule_version,
        "calendar_version": r.calendar_version,
    }


def _requirement(req: Requirement | Permission, article: str) -> dict[str, Any]:
    key = "required" if isinstance(req, Requirement) else "allowed"
    value = req.required if isinstance(req, Requirement) else req.allowed
    return {key: value, "article": article, "reasons": [{"code": x.code, "text": x.text, "article": x.article} for x in req.reasons]}


def penalty_data(a: PenaltyAssessment) -> dict[str, Any]:
    v = a.violation
    applicable = None
    if a.applicable is not None:
        applicable = {
            "applied": a.applicable.applied,
            "reason": a.applicable.reason,
            "article": a.applicable.article,
            "act_range": _range(a.applicable.act_range),
            "decision_range": _range(a.applicable.decision_range),
        }
    check = None
    if a.amount_check is not None:
        c = a.amount_check
        check = {
            "lawful": c.lawful,
            "reason": c.reason,
            "article": c.article,
            "band": c.band.value if c.band else None,
            "band_label": c.band.label if c.band else None,
            "mitigated": c.mitigated,
        }
    hearing = _requirement(a.hearing.requirement, a.articles["hearing"])
    hearing.update(
        {
            "threshold": _money(a.hearing.threshold),
            "thresholds": {"individual": _money(a.hearing.config.individual), "organisation": _money(a.hearing.config.organisation)},
            "threshold_source": a.hearing.config.source,
            "overrides": [_override(o) for o in a.hearing.overrides],
            "unverified": a.hearing.unverified_warning is not None,
            "warning": a.hearing.unverified_warning,
            "hint": a.hearing.hint,
        }
    )
    collective = _requirement(a.collective, a.articles["collective"])
    collective["heavier_reasons"] = list(a.heavier_reasons)
    return {
        "violation": {"id": v.id, "title": v.title, "text": v.text, "article": v.citation, "item": a.item_text or None, "status": v.status.value},
        "subject": a.subject.value,
        "subject_label": a.subject.label,
        "party": a.party.value,
        "circumstance": a.circumstance.value,
        "act_date": a.act_date,
        "decision_date": a.decision_date,
        "applicable": applicable,
        "legal_range": _range(a.range),
        "no_fine_reason": a.no_fine_reason or None,
        "bands": None if a.bands is None else {band.value: {"label": band.label, **(_range(r) or {})} for band, r in a.bands.items()},
        "bands_status": "CFG",
        "bands_source": a.bands_source,
        "amount": _money(a.amount),
        "amount_check": check,
        "measures": [{"measure": c.measure.value, "label": c.measure.label, "note": c.note, "article": v.citation} for c in a.measures],
        "kinds": [k.value for k in a.kinds],
        "hearing": hearing,
        "legal_review": _requirement(a.legal_review, a.articles["legal_review"]),
        "collective_discussion": collective,
        "summary_procedure": _requirement(a.summary, a.articles["summary"]),
        "jurisdiction_code": a.jurisdiction_code,
    }


def violation_data(v: Violation) -> dict[str, Any]:
    return {
        "id": v.id,
        "title": v.title,
        "text": v.text,
        "law": v.law_name,
        "edition": v.edition,
        "article": v.citation,
        "article_number": v.article,
        "paragraph": v.paragraph,
        "items": [{"item": i.item, "text": i.text} for i in v.items],
        "status": v.status.value,
        "source": v.source,
        "effective_from": v.effective_from,
        "effective_to": v.effective_to,
        "clauses": [
            {
                "subject": c.subject.value,
                "circumstance": c.circumstance.value,
                "measure": c.measure.value,
                "measure_label": c.measure.label,
                "grade": c.grade.value if c.grade else None,
                "minimum": _money(c.minimum),
                "maximum": _money(c.maximum),
                "pct_min": None if c.pct_min is None else str(c.pct_min),
                "pct_max": None if c.pct_max is None else str(c.pct_max),
                "multiple_min": None if c.multiple_min is None else str(c.multiple_min),
                "multiple_max": None if c.multiple_max is None else str(c.multiple_max),
                "note": c.note,
            }
            for c in v.clauses
        ],
    }


def override_row_data(row: RuleOverride, today: dt.date) -> dict[str, Any]:
    return {
        "id": row.pk,
        "rule_code": row.rule_code,
        "rule_name": services.rule_label(row.rule_code),
        "scope": row.scope,
        "effective_from": row.effective_from,
        "effective_to": row.effective_to,
        "in_force": row.effective_from <= today and (row.effective_to is None or today <= row.effective_to),
        "value": None if row.value is None else str(row.value),
        "unit": row.unit,
        "source_document": row.source_document,
        "approver": row.approver,
        "note": row.note,
        "created_by": row.created_by.get_username() if row.created_by else None,
        "created_at": row.created_at,
    }


_OBJ = OpenApiTypes.OBJECT
_ERR = {422: _OBJ}


class DeadlineListView(APIView):
    """Every deadline an event starts (and those chained to them)."""

    @extend_schema(
        summary="法定期限计算",
        operation_id="law_deadlines_list",
        parameters=[
            OpenApiParameter("event", str, required=True, description="触发事件代码"),
            OpenApiParameter("date", OpenApiTypes.DATE, required=True),
            OpenApiParameter("step_date", OpenApiTypes.DATE, required=False),
            OpenApiParameter("time", str, required=False, description="HH:MM，以小时计算的期限需要"),
        ],
        responses={200: _OBJ, **_ERR},
    )
    def get(self, request: Request) -> Response:
        form = DeadlineForm(request.query_params)
        if not form.is_valid():
            raise form_failure(form)
        d = form.cleaned_data
        table = law_selectors.deadline_table(user=request.user, event=d["event"], day=d["date"], step_date=d.get("step_date"), at=d.get("time"))
        return Response(
            {
                "event": table.event,
                "event_label": table.event_label,
                "date": table.trigger,
                "at": table.trigger_at,
                "step_date": table.step_date,
                "provisional": table.provisional,
                "provisional_message": table.provisional_message or None,
                "unloaded_years": list(table.unloaded_years),
                "unverified": table.unverified,
                "calendar_version": table.calendar_version,
                "jurisdiction_code": table.jurisdiction_code,
                "scope_codes": list(table.scope_codes),
                "results": [deadline_row_data(r) for r in table.rows],
                "skipped": [{"code": s.code, "name": s.name, "message": s.message} for s in table.skipped],
            }
        )


class DeadlineDetailView(APIView):
    """One deadline rule from its trigger date."""

    @extend_schema(
        summary="单项法定期限",
        operation_id="law_deadline_retrieve",
        parameters=[
            OpenApiParameter("trigger", OpenApiTypes.DATE, required=True),
            OpenApiParameter("step_date", OpenApiTypes.DATE, required=False),
            OpenApiParameter("time", str, required=False),
        ],
        responses={200: _OBJ, **_ERR},
    )
    def get(self, request: Request, code: str) -> Response:
        form = DeadlineRuleForm(request.query_params)
        if not form.is_valid():
            raise form_failure(form)
        d = form.cleaned_data
        row, unloaded = law_selectors.deadline_one(user=request.user, code=code, trigger=d["trigger"], step_date=d.get("step_date"), at=d.get("time"))
        data = deadline_row_data(row)
        data["unloaded_years"] = list(unloaded)
        data["provisional_message"] = law_selectors.provisional_message(unloaded) if row.result.provisional else None
        return Response(data)


class PenaltyCheckView(APIView):
    """Legal range, band and procedure flags for a violation and its circumstances."""

    @extend_schema(
        summary="罚款裁量",
        request=inline_serializer(
            "PenaltyCheckRequest",
            {
                "violation": serializers.CharField(),
                "item": serializers.IntegerField(required=False),
                "subject": serializers.CharField(required=False),
                "circumstance": serializers.CharField(required=False),
                "grade": serializers.CharField(required=False),
                "income": serializers.CharField(required=False),
                "gains": serializers.CharField(required=False),
                "act_date": serializers.DateField(),
                "decision_date": serializers.DateField(),
                "amount": serializers.CharField(required=False, help_text="元，最多两位小数"),
                "kinds": serializers.ListField(child=serializers.CharField(), required=False),
                "confiscation": serializers.CharField(required=False),
                "mitigation_ground": serializers.CharField(required=False),
                "collectively_approved": serializers.BooleanField(required=False),
                "major_public_interest": serializers.BooleanField(required=False),
                "concerns_major_rights": serializers.BooleanField(required=False),
                "hearing_held": serializers.BooleanField(required=False),
                "complex_case": serializers.BooleanField(required=False),
                "several_legal_relationships": serializers.BooleanField(required=False),
                "other_law_requires": serializers.BooleanField(required=False),
                "review_other": serializers.CharField(required=False),
                "serious_violation": serializers.BooleanField(required=False),
            },
        ),
        responses={200: _OBJ, **_ERR},
    )
    def post(self, request: Request) -> Response:
        data = _defaults(_as_form_data(request.data))
        form = PenaltyForm(data)
        if not form.is_valid():
            raise form_failure(form)
        return Response(penalty_data(law_selectors.penalty_assessment(user=request.user, **form.assessment_kwargs())))


def _as_form_data(data: Any) -> Any:
    """A JSON body as the forms' data: every value text (the forms parse amounts themselves,
    Decimal, never float), a list as the field's several values. A list or an object where the
    form expects one value was handed to the field as it was and failed in it with a 500
    (``value.strip()``); now the field sees text it can refuse with a message."""
    if hasattr(data, "getlist"):
        return data
    out: MultiValueDict[str, Any] = MultiValueDict()
    if not isinstance(data, dict):
        return out
    for k, v in data.items():
        out.setlist(str(k), [_form_text(i) for i in (v if isinstance(v, list) else [v])])
    return out


def _form_text(v: Any) -> str | None:
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"  # what CheckboxInput reads as a boolean
    if isinstance(v, int | float | Decimal):
        return str(v)
    return json.dumps(v, ensure_ascii=False)  # a nested list or object: text the field refuses


def _defaults(data: Any) -> Any:
    """The page preselects subject and circumstance; an API caller may leave them out."""
    if hasattr(data, "copy"):
        data = data.copy()
    if not data.get("subject"):
        data["subject"] = "unit"
    if not data.get("circumstance"):
        data["circumstance"] = "base"
    return data


class ViolationListView(APIView):
    """The penalty catalogue (law → article → violation → clauses)."""

    @extend_schema(summary="处罚目录", responses={200: _OBJ})
    def get(self, request: Request) -> Response:
        return Response({"count": len(items := law_selectors.violation_list()), "results": [violation_data(v) for v in items]})


class CalendarYearView(APIView):
    """Whether a year's official schedule is loaded, and its exception days."""

    @extend_schema(summary="工作日历年度", responses={200: _OBJ, **_ERR})
    def get(self, request: Request, year: int) -> Response:
        info = law_selectors.calendar_year_get(year)
        return Response(
            {
                "year": info.year,
                "loaded": info.loaded,
                "provisional": not info.loaded,
                "message": None if info.loaded else law_selectors.provisional_message([info.year]),
                "source": info.source or None,
                "loaded_at": info.loaded_at,
                "working_days": info.working_days,
                "exceptions": [{"date": d, "kind": k, "name": n} for d, k, n in info.exceptions],
            }
        )


class RuleOverrideListView(APIView):
    """Overrides that apply to the user's agency (all of them for a superuser); POST registers one."""

    @extend_schema(summary="规则覆盖列表", parameters=[OpenApiParameter("rule_code", str, required=False)], responses={200: _OBJ})
    def get(self, request: Request) -> Response:
        qs = RuleOverride.objects.select_related("created_by").order_by("rule_code", "scope", "-effective_from", "id")
        if not request.user.is_superuser:
            codes = law_selectors.overrides_for_user(request.user).scope_codes
            qs = qs.filter(scope__in=codes)
        if request.query_params.get("rule_code"):
            qs = qs.filter(rule_code=request.query_params["rule_code"])
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        today = timezone.localdate()
        return paginator.get_paginated_response([override_row_data(r, today) for r in (page or [])])

    @extend_schema(
        summary="登记规则覆盖",
        request=inline_serializer(
            "RuleOverrideCreate",
            {
                "rule_code": serializers.CharField(),
                "scope": serializers.CharField(),
                "effective_from": serializers.DateField(),
                "effective_to": serializers.DateField(required=False),
                "value": serializers.CharField(required=False),
                "unit": serializers.CharField(required=False),
                "source_document": serializers.CharField(),
                "approver": serializers.CharField(),
                "note": serializers.CharField(required=False),
            },
        ),
        responses={201: _OBJ, 403: _OBJ, **_ERR},
    )
    def post(self, request: Request) -> Response:
        form = RuleOverrideForm(_as_form_data(request.data))
        if not form.is_valid():
            raise form_failure(form)
        row = services.rule_override_create(actor=request.user, **form.cleaned_data)
        return Response(override_row_data(row, timezone.localdate()), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("deadlines/", DeadlineListView.as_view(), name="deadlines"),
    path("deadlines/<str:code>/", DeadlineDetailView.as_view(), name="deadline"),
    path("penalties/check/", PenaltyCheckView.as_view(), name="penalty-check"),
    path("violations/", ViolationListView.as_view(), name="violations"),
    path("calendar/<int:year>/", CalendarYearView.as_view(), name="calendar-year"),
    path("overrides/", RuleOverrideListView.as_view(), name="overrides"),
]
