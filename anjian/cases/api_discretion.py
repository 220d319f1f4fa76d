"""API of penalty cases: discretion (included by api_urls under /api/v1/).

``GET cases/<id>/comparables/``: per violation of the case, the bands of its range under the
standard that applies and the comparable decisions city-wide (counts and amounts only).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.cases import discretion, selectors


def _m(value: Decimal | None) -> str | None:
    """Money as a string with two decimals, like every other amount of the API (never a float)."""
    return None if value is None else f"{value:.2f}"


def comparable_data(c: discretion.Comparables) -> dict[str, Any]:
    s, v = c.spread, c.violation
    return {
        "violation": v.pk,
        "violation_id": v.violation_id,
        "proposed_amount": _m(v.proposed_amount),
        "band": c.band,
        "band_label": c.band_label,
        "legal_range": str(c.legal_range) if c.legal_range is not None else None,
        "standard": c.standard,
        "bands": [{"band": b, "minimum": _m(r.minimum), "maximum": _m(r.maximum), "text": str(r)} for b, r in c.bands.items()],
        "count": s.count,
        "own_agency_count": c.own_agency_count,
        "minimum": _m(s.minimum),
        "q1": _m(s.q1),
        "median": _m(s.median),
        "q3": _m(s.q3),
        "maximum": _m(s.maximum),
        "comparable": s.comparable,
        "far": c.far.far if c.far is not None else None,
        "message": c.far.message if c.far is not None else "",
    }


_MONEY = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, coerce_to_string=True)
_ROW = inline_serializer(
    "CaseComparable",
    {
        "violation": serializers.IntegerField(), "violation_id": serializers.CharField(), "proposed_amount": _MONEY, "band": serializers.CharField(),
        "band_label": serializers.CharField(), "legal_range": serializers.CharField(allow_null=True), "standard": serializers.CharField(),
        "bands": serializers.ListField(child=serializers.DictField()), "count": serializers.IntegerField(), "own_agency_count": serializers.IntegerField(),
        "minimum": _MONEY, "q1": _MONEY, "median": _MONEY, "q3": _MONEY, "maximum": _MONEY, "comparable": serializers.BooleanField(),
        "far": serializers.BooleanField(allow_null=True), "message": serializers.CharField(),
    },
)  # fmt: skip


class CaseComparablesView(APIView):
    """Comparable decisions (同案不同罚) and the discretion bands of each violation of one case."""

    @extend_schema(
        summary="同案不同罚：可比案例与裁量档次",
        operation_id="cases_comparables",
        responses=inline_serializer("CaseComparables", {"case": serializers.IntegerField(), "results": serializers.ListField(child=_ROW)}),
    )
    def get(self, request: Request, pk: Any) -> Response:
        case = selectors.case_get(user=request.user, pk=pk, related=(), detail=False)
        rows = discretion.comparables(case, on=timezone.localdate())
        return Response({"case": case.pk, "results": [comparable_data(c) for c in rows]})


urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:pk>/comparables/", CaseComparablesView.as_view(), name="case-comparables"),
]


# --- discretion standards (裁量基准): the same services and visibility as the pages -----------------------------------
def standard_data(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk, "scope": s.scope, "name": s.name, "source_document": s.source_document, "issuing_agency": s.issuing_agency,
        "effective_from": s.effective_from, "effective_to": s.effective_to, "status": s.status, "status_label": s.get_status_display(),
        "note": s.note, "created_by": s.created_by_id, "approved_by": s.approved_by_id, "approval_opinion": s.approval_opinion,
        "cuts": [
            {"violation_id": c.violation_id, "subject": c.subject, "circumstance": c.circumstance, "lenient_to": _m(c.lenient_to), "heavy_from": _m(c.heavy_from), "note": c.note}
            for c in s.cuts.all()
        ],
    }  # fmt: skip


class StandardCutSerializer(serializers.Serializer[Any]):
    violation_id = serializers.CharField(max_length=16)
    subject = serializers.CharField(max_length=24, required=False, default="unit")
    circumstance = serializers.CharField(max_length=24, required=False, default="base")
    lenient_to = serializers.DecimalField(max_digits=14, decimal_places=2, error_messages={"max_decimal_places": "金额最多保留两位小数（分）。", "invalid": "请输入金额。", "max_digits": "金额过大。"})
    heavy_from = serializers.DecimalField(max_digits=14, decimal_places=2, error_messages={"max_decimal_places": "金额最多保留两位小数（分）。", "invalid": "请输入金额。", "max_digits": "金额过大。"})
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class StandardCreateSerializer(serializers.Serializer[Any]):
    scope = serializers.CharField(max_length=16)
    name = serializers.CharField(max_length=200)
    source_document = serializers.CharField(max_length=200)
    issuing_agency = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    cuts = StandardCutSerializer(many=True, allow_empty=False)


class StandardApproveSerializer(serializers.Serializer[Any]):
    approved = serializers.BooleanField(default=True)
    opinion = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StandardEndSerializer(serializers.Serializer[Any]):
    effective_to = serializers.DateField(allow_null=True)


_STD = inline_serializer("DiscretionStandard", {"id": serializers.IntegerField(), "name": serializers.CharField(), "status": serializers.CharField(), "cuts": serializers.ListField(child=serializers.DictField())})


def _std(request: Request, pk: Any) -> Any:
    from anjian.cases.views_discretion import _standard

    return _standard(request.user, pk)


class StandardListView(APIView):
    """裁量基准: those that apply to the user's agency (its own, the city's, the province's); POST enters one
    (pending until another person approves it), with the same checks as the page."""

    @extend_schema(summary="裁量基准列表", operation_id="discretion_standards_list", responses=inline_serializer("DiscretionStandards", {"results": serializers.ListField(child=_STD)}))
    def get(self, request: Request) -> Response:
        from anjian.cases.views_discretion import _standards

        rows = _standards(request.user).order_by("scope", "-effective_from", "id")[:500]
        return Response({"results": [standard_data(s) for s in rows]})

    @extend_schema(summary="登记裁量基准", operation_id="discretion_standards_create", request=StandardCreateSerializer, responses={201: _STD})
    def post(self, request: Request) -> Response:
        from anjian.legal import discretion as legal_discretion

        ser = StandardCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        s = legal_discretion.standard_create(actor=request.user, **ser.validated_data)
        return Response(standard_data(s), status=201)


class StandardDetailView(APIView):
    @extend_schema(summary="裁量基准", operation_id="discretion_standards_detail", responses=_STD)
    def get(self, request: Request, id: Any) -> Response:
        return Response(standard_data(_std(request, id)))


class StandardApproveView(APIView):
    @extend_schema(summary="批准或退回裁量基准（须由登记人以外的人员）", operation_id="discretion_standards_approve", request=StandardApproveSerializer, responses=_STD)
    def post(self, request: Request, id: Any) -> Response:
        from anjian.legal import discretion as legal_discretion

        s = _std(request, id)
        ser = StandardApproveSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return Response(standard_data(legal_discretion.standard_approve(actor=request.user, standard=s, **ser.validated_data)))


class StandardEndView(APIView):
    @extend_schema(summary="终止裁量基准", operation_id="discretion_standards_end", request=StandardEndSerializer, responses=_STD)
    def post(self, request: Request, id: Any) -> Response:
        from anjian.legal import discretion as legal_discretion

        s = _std(request, id)
        ser = StandardEndSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return Response(standard_data(legal_discretion.standard_end(actor=request.user, standard=s, **ser.validated_data)))


urlpatterns += [
    path("discretion-standards/", StandardListView.as_view(), name="discretion-standards-api"),
    path("discretion-standards/<str:id>/", StandardDetailView.as_view(), name="discretion-standard-api"),
    path("discretion-standards/<str:id>/approve/", StandardApproveView.as_view(), name="discretion-standard-approve-api"),
    path("discretion-standards/<str:id>/end/", StandardEndView.as_view(), name="discretion-standard-end-api"),
]
