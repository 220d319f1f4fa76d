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

from anjian.cases import discretion
from anjian.cases.models import Case
from anjian.core.errors import NotFound
from anjian.core.ids import parse_id
from anjian.core.scoping import get_for_user


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
        ident = parse_id(pk)
        if ident is None:
            raise NotFound()
        case = get_for_user(Case.objects.all(), request.user, ident)
        rows = discretion.comparables(case, on=timezone.localdate())
        return Response({"case": case.pk, "results": [comparable_data(c) for c in rows]})


urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:pk>/comparables/", CaseComparablesView.as_view(), name="case-comparables"),
]
