"""API of penalty cases: execution (included by api_urls under /api/v1/).

``cases/<id>/execution/`` shows what is owed (fine, surcharge, schedule parts, pauses), the plans,
remedies, documents and the §112/§113 offers; POST actions under it call ``cases.execution``.
``cases/execution/`` lists the cases in execution in the user's scope. Every id is scoped to the
actor (404 out of scope); refusals answer ``{code, message, fields, article}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.cases import execution, selectors
from anjian.cases.choices import CaseStatus
from anjian.cases.models import Case, CaseDeadline, Payment
from anjian.cases.models_execution import CaseExecution, PaymentPlan, Remedy
from anjian.core.errors import NotFound, ValidationFailed
from anjian.core.ids import parse_id
from anjian.documents.models import IssuedDocument

EXECUTION_CODES = ("payment", "reconsideration_application", "lawsuit_direct", "lawsuit_after_reconsideration", "enforcement_reminder_wait", "court_enforcement_application", "publication_withdrawal")
EARLIEST = dt.date(2000, 1, 1)
HORIZON = dt.timedelta(days=730)
DOC_KINDS = ("fine_demand_notice", "deferral_approval", "performance_reminder", "enforcement_application")


def _m(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _child(qs: Any, case: Case, pk: Any) -> Any:
    n = parse_id(pk)
    row = qs.filter(case=case, pk=n).first() if n is not None else None
    if row is None:
        raise NotFound()
    return row


def _on(request: Request) -> dt.date:
    raw = request.query_params.get("on")
    if not raw:
        return timezone.localdate()
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed("计算日期格式应为YYYY-MM-DD。", fields={"on": "日期格式应为YYYY-MM-DD。"}) from None
    # A bounded horizon: the day-by-day computation runs up to this date.
    if not EARLIEST <= day <= timezone.localdate() + HORIZON:
        raise ValidationFailed("计算日期须在2000年以后、今天起两年以内。", fields={"on": "计算日期超出范围。"})
    return day


def _due(d: execution.Due) -> dict[str, Any]:
    return {
        "on": d.on, "fine_total": _m(d.fine_total), "paid_fine": _m(d.paid_fine), "paid_surcharge": _m(d.paid_surcharge),
        "fine": _m(d.fine), "surcharge": _m(d.surcharge), "total": _m(d.total), "ended": d.ended, "overdue": d.overdue,
        "plan": d.plan_id, "pauses": [{"start": s, "end": e} for s, e in d.pauses],
        "parts": [{"seq": p.seq, "due": p.due, "amount": _m(p.amount), "surcharge": _m(p.surcharge), "capped": p.capped} for p in d.parts],
        "basis": "行政处罚法第七十二条第一款第（一）项、第七十三条第三款；第六十六条第二款",
    }  # fmt: skip


def summary(case: Case, on: dt.date) -> dict[str, Any]:
    """Everything the execution page and API show; a fixed number of queries."""
    due = execution.amount_due(case, on)
    ex = CaseExecution.objects.filter(case=case).first()
    plans = PaymentPlan.objects.filter(case=case).select_related("decided_by").prefetch_related("instalments").order_by("requested_on", "id")
    remedies = Remedy.objects.filter(case=case).order_by("filed_on", "id")
    docs = IssuedDocument.objects.filter(subject_type="cases.case", subject_id=str(case.pk), kind__in=DOC_KINDS).order_by("issued_on", "id")
    deadlines = CaseDeadline.objects.filter(case=case, active=True, code__in=EXECUTION_CODES).order_by("due")
    payments = Payment.objects.filter(case=case).order_by("paid_on", "id")
    return {
        "case": case.pk, "status": case.status, "status_label": CaseStatus(case.status).label, "decision_served_on": case.decision_served_on,
        "due": _due(due),
        "plans": [
            {
                "id": p.pk, "kind": p.kind, "kind_label": p.get_kind_display(), "status": p.status, "status_label": p.get_status_display(),
                "requested_on": p.requested_on, "reason": p.reason, "decided_on": p.decided_on, "decided_by": p.decided_by.name if p.decided_by else "",
                "document": p.document_id, "instalments": [{"seq": i.seq, "due": i.due, "amount": _m(i.amount), "paid": i.payment_id is not None} for i in p.instalments.all()],
            }
            for p in plans
        ],
        "remedies": [
            {"id": r.pk, "kind": r.kind, "kind_label": r.get_kind_display(), "filed_on": r.filed_on, "body": r.body, "reference": r.reference,
             "outcome": r.outcome, "outcome_label": r.get_outcome_display(), "outcome_on": r.outcome_on, "varied_fine": _m(r.varied_fine)}
            for r in remedies
        ],  # fmt: skip
        "payments": [{"paid_on": p.paid_on, "amount": _m(p.amount), "fine": _m(p.fine), "surcharge": _m(p.surcharge), "receipt_no": p.receipt_no} for p in payments],
        "documents": [{"id": d.pk, "kind": d.kind, "title": d.title, "number": d.number, "issued_on": d.issued_on, "status": d.status} for d in docs],
        "deadlines": [{"code": r.code, "name": r.name, "trigger_date": r.trigger_date, "due": r.due, "article": r.article, "calendar_version": r.calendar_version,
                       "provisional": r.provisional, "met_on": r.met_on} for r in deadlines],  # fmt: skip
        "reminder_served_on": ex.reminder_served_on if ex else None,
        "applied_on": ex.applied_on if ex else None,
        "court": (ex.court if ex and ex.court else execution._court(case)),
        "changed_on": ex.changed_on if ex else None,
        "revoked_on": ex.revoked_on if ex else None,
        "offers": execution.offers(case, on).explain(),
    }


# --- inputs --------------------------------------------------------------------------------------------------------------
class InstalmentIn(serializers.Serializer[Any]):
    due = serializers.DateField()
    amount = serializers.CharField()


class DeferralIn(serializers.Serializer[Any]):
    kind = serializers.CharField()
    requested_on = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)
    instalments = InstalmentIn(many=True)


class DeferralDecideIn(serializers.Serializer[Any]):
    approved = serializers.BooleanField()
    decided_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PaymentIn(serializers.Serializer[Any]):
    paid_on = serializers.DateField()
    amount = serializers.CharField()
    receipt_no = serializers.CharField(allow_blank=True)


class RemedyIn(serializers.Serializer[Any]):
    kind = serializers.CharField()
    filed_on = serializers.DateField()
    body = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)


class RemedyOutcomeIn(serializers.Serializer[Any]):
    outcome = serializers.CharField()
    outcome_on = serializers.DateField()
    varied_fine = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IssuedOnIn(serializers.Serializer[Any]):
    issued_on = serializers.DateField()


class ServedIn(serializers.Serializer[Any]):
    method = serializers.CharField()
    event_date = serializers.DateField()
    recipient = serializers.CharField(allow_blank=True)
    refused = serializers.BooleanField(required=False, default=False)
    witness = serializers.CharField(required=False, allow_blank=True, default="")
    consent_ref = serializers.CharField(required=False, allow_blank=True, default="")


class AppliedOnIn(serializers.Serializer[Any]):
    applied_on = serializers.DateField()


class OnIn(serializers.Serializer[Any]):
    on = serializers.DateField()


class ClosureIn(serializers.Serializer[Any]):
    on = serializers.DateField()
    note = serializers.CharField(allow_blank=True)


ON_PARAM = OpenApiParameter("on", OpenApiTypes.DATE, description="计算日期（默认今天）")


# --- views ---------------------------------------------------------------------------------------------------------------
class ExecutionView(APIView):
    @extend_schema(parameters=[ON_PARAM], responses=OpenApiTypes.OBJECT, summary="案件执行情况")
    def get(self, request: Request, pk: int) -> Response:
        case = selectors.case_get(user=request.user, pk=pk)
        return Response(summary(case, _on(request)))


class SurchargeView(APIView):
    @extend_schema(parameters=[ON_PARAM], responses=OpenApiTypes.OBJECT, summary="加处罚款逐日计算表（至上限）")
    def get(self, request: Request, pk: int) -> Response:
        case = selectors.case_get(user=request.user, pk=pk)
        on = _on(request)
        parts = execution.surcharge_schedule(case, on)
        for part in parts:
            part.update({k: _m(part[k]) for k in ("amount", "daily", "cap")})
            part["days"] = [{**d, "amount": _m(d["amount"]), "cumulative": _m(d["cumulative"])} for d in part["days"]]
        return Response({"case": case.pk, "on": on, "parts": parts})


def _action(ser_class: type[serializers.Serializer[Any]], call: Callable[[Request, Case, dict[str, Any], dict[str, Any]], Any], summary_text: str, code: int = status.HTTP_200_OK) -> type[APIView]:
    class ActionView(APIView):
        @extend_schema(request=ser_class, responses=OpenApiTypes.OBJECT, summary=summary_text)
        def post(self, request: Request, pk: int, **kwargs: Any) -> Response:
            case = selectors.case_get(user=request.user, pk=pk)  # out of scope answers 404 before the body is looked at
            ser = ser_class(data=request.data)
            ser.is_valid(raise_exception=True)
            call(request, case, dict(ser.validated_data), kwargs)
            case = selectors.case_get(user=request.user, pk=pk)
            return Response(summary(case, timezone.localdate()), status=code)

    ActionView.__name__ = ActionView.__qualname__ = f"Execution{ser_class.__name__[:-2]}View"
    return ActionView


def _deferral(request: Request, case: Case, d: dict[str, Any], kw: dict[str, Any]) -> Any:
    return execution.deferral_request(actor=request.user, case=case, **d)


def _deferral_decide(request: Request, case: Case, d: dict[str, Any], kw: dict[str, Any]) -> Any:
    return execution.deferral_decide(actor=request.user, plan=_child(PaymentPlan.objects.all(), case, kw["plan_pk"]), **d)


def _remedy_outcome(request: Request, case: Case, d: dict[str, Any], kw: dict[str, Any]) -> Any:
    return execution.remedy_outcome(actor=request.user, remedy=_child(Remedy.objects.all(), case, kw["remedy_pk"]), **d)


def _plain(fn: Callable[..., Any]) -> Callable[[Request, Case, dict[str, Any], dict[str, Any]], Any]:
    def call(request: Request, case: Case, d: dict[str, Any], kw: dict[str, Any]) -> Any:
        return fn(actor=request.user, case=case, **d)

    return call


class ExecutionListView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("limit", OpenApiTypes.INT), OpenApiParameter("offset", OpenApiTypes.INT)],
        responses=OpenApiTypes.OBJECT,
        summary="执行中的案件",
        operation_id="v1_cases_execution_list",
    )
    def get(self, request: Request) -> Response:
        try:
            limit = min(max(int(request.query_params.get("limit", 100)), 1), 500)
            offset = min(max(int(request.query_params.get("offset", 0)), 0), 10**9)
        except ValueError:
            raise ValidationFailed("limit 与 offset 须为整数。", fields={"limit": "须为整数。"}) from None
        qs = (
            Case.objects.for_user(request.user)
            .filter(status__in=[CaseStatus.SERVED, CaseStatus.ENFORCEMENT])
            .select_related("enterprise", "execution")
            .annotate(pending_remedies=Count("remedies", filter=Q(remedies__outcome=""), distinct=True), pending_plans=Count("payment_plans", filter=Q(payment_plans__status="pending"), distinct=True))
            .order_by(*("next_due", "id"))
        )
        total = qs.count()
        page = list(qs[offset : offset + limit])
        payment = dict(CaseDeadline.objects.filter(case_id__in=[c.pk for c in page], active=True, code="payment").values_list("case_id", "due"))
        rows = [
            {
                "id": c.pk, "title": c.title, "party_name": c.party_name, "status": c.status, "status_label": c.get_status_display(),
                "fine_total": _m(c.fine_total), "payment_due": payment.get(c.pk), "pending_remedies": c.pending_remedies, "pending_plans": c.pending_plans,
                "reminder_served_on": getattr(getattr(c, "execution", None), "reminder_served_on", None),
                "applied_on": getattr(getattr(c, "execution", None), "applied_on", None),
            }
            for c in page
        ]  # fmt: skip
        return Response({"count": total, "results": rows})


urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/execution/", ExecutionListView.as_view(), name="case-execution-list"),
    path("cases/<int:pk>/execution/", ExecutionView.as_view(), name="case-execution"),
    path("cases/<int:pk>/execution/surcharge/", SurchargeView.as_view(), name="case-execution-surcharge"),
    path("cases/<int:pk>/execution/deferrals/", _action(DeferralIn, _deferral, "申请延期（分期）缴纳罚款", status.HTTP_201_CREATED).as_view(), name="case-execution-deferral"),
    path("cases/<int:pk>/execution/deferrals/<int:plan_pk>/decide/", _action(DeferralDecideIn, _deferral_decide, "审批延期（分期）缴纳罚款").as_view(), name="case-execution-deferral-decide"),
    path("cases/<int:pk>/execution/payments/", _action(PaymentIn, _plain(execution.payment_record), "登记罚款缴纳（含分期）", status.HTTP_201_CREATED).as_view(), name="case-execution-payment"),
    path("cases/<int:pk>/execution/remedies/", _action(RemedyIn, _plain(execution.remedy_record), "登记行政复议、行政诉讼", status.HTTP_201_CREATED).as_view(), name="case-execution-remedy"),
    path("cases/<int:pk>/execution/remedies/<int:remedy_pk>/outcome/", _action(RemedyOutcomeIn, _remedy_outcome, "登记复议决定、裁判结果").as_view(), name="case-execution-remedy-outcome"),
    path("cases/<int:pk>/execution/demand/", _action(IssuedOnIn, _plain(execution.demand_issue), "制作罚款催缴通知书", status.HTTP_201_CREATED).as_view(), name="case-execution-demand"),
    path("cases/<int:pk>/execution/reminder/", _action(IssuedOnIn, _plain(execution.reminder_issue), "制作履行行政决定催告书", status.HTTP_201_CREATED).as_view(), name="case-execution-reminder"),
    path("cases/<int:pk>/execution/reminder-served/", _action(ServedIn, _plain(execution.reminder_served), "登记催告书送达").as_view(), name="case-execution-reminder-served"),
    path("cases/<int:pk>/execution/enforcement/", _action(AppliedOnIn, _plain(execution.enforcement_apply), "申请人民法院强制执行", status.HTTP_201_CREATED).as_view(), name="case-execution-enforcement"),
    path("cases/<int:pk>/execution/daily-penalty/", _action(OnIn, _plain(execution.daily_penalty_open), "按日连续处罚另案立案申请", status.HTTP_201_CREATED).as_view(), name="case-execution-daily-penalty"),
    path("cases/<int:pk>/execution/closure-request/", _action(ClosureIn, _plain(execution.closure_request_record), "登记提请地方人民政府予以关闭").as_view(), name="case-execution-closure-request"),
]
