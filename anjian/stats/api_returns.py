"""The periodic returns over HTTP: ``GET /api/v1/stats/returns/?period=2026-Q3`` (the return as the
user may read it) and ``POST /api/v1/stats/returns/circular/`` (the city bureau's 通报)."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.stats import circular, returns
from anjian.stats.api_indicators import figure_data


def _period(p: Any) -> dict[str, Any] | None:
    return None if p is None else {"code": p.code, "label": p.label, "start": p.start, "end": p.end}


def _row(row: returns.Row) -> dict[str, Any]:
    return {
        "label": row.label,
        "agency": {"id": row.agency.pk, "name": row.agency.name} if row.agency else None,
        "ranked": row.ranked,
        "cells": [
            {
                "key": c.line.key,
                "name": c.indicator.name,
                "unit": c.indicator.unit,
                **figure_data(c.figure),
                "rank": c.rank,
                "previous": figure_data(c.previous)["value"] if c.previous else None,
                "change_previous": c.change_previous.text if c.change_previous else None,
                "last_year": figure_data(c.last_year)["value"],
                "change_last_year": c.change_last_year.text if c.change_last_year else None,
                "drill": c.drill,
            }
            for c in row.cells
        ],
    }


def return_data(ret: returns.Return) -> dict[str, Any]:
    return {
        "title": ret.title,
        "kind": ret.kind_label,
        "period": _period(ret.period),
        "previous": _period(ret.previous),
        "last_year": _period(ret.last_year),
        "ranked_count": ret.ranked_count,
        "full": ret.full,
        "rows": [_row(r) for r in ret.rows],
        "city_rows": [_row(r) for r in ret.city_rows],
        "total": _row(ret.total) if ret.total else None,
        "xlsx": reverse("stats-returns-xlsx") + f"?period={ret.period.code}",
    }


class ReturnView(APIView):
    @extend_schema(
        summary="季度小结、年终总结通报",
        description="已结束的季度或年度的各区市对比：每个区市局一行（本机关办理的记录），排名、环比、同比。"
        "市局看到全部区市、市本级和全市合计；区（市）局只看到本辖区的数值和排名。期间未结束、格式有误返回400。",
        parameters=[OpenApiParameter("period", OpenApiTypes.STR, required=True, description="已结束的季度（如2026-Q3）或年度（如2025）")],
        responses=inline_serializer("StatsReturn", {"title": serializers.CharField(), "rows": serializers.ListField(child=serializers.DictField())}),
    )
    def get(self, request: Request) -> Response:
        return Response(return_data(returns.build(request.user, request.query_params.get("period"))))


class CircularSerializer(serializers.Serializer):  # type: ignore[type-arg]
    period = serializers.CharField(max_length=16)
    requirements = serializers.CharField(max_length=circular.REQUIREMENTS_MAX)
    reissue_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CircularView(APIView):
    @extend_schema(
        summary="签发通报",
        description="以市局名义签发该期间的通报（文号用“通”字）；同一期间已签发的，须写明重新签发理由，否则返回409。仅市局领导或办公室可签发。",
        request=CircularSerializer,
        responses={201: inline_serializer("StatsCircular", {"id": serializers.IntegerField(), "number": serializers.CharField(), "download": serializers.CharField()})},
    )
    def post(self, request: Request) -> Response:
        s = CircularSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        doc = circular.issue(actor=request.user, code=s.validated_data["period"], requirements=s.validated_data["requirements"], reissue_reason=s.validated_data["reissue_reason"])
        return Response({"id": doc.pk, "number": doc.number, "download": reverse("documents:download", args=[doc.pk])}, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("stats/returns/", ReturnView.as_view(), name="api-stats-returns"),
    path("stats/returns/circular/", CircularView.as_view(), name="api-stats-returns-circular"),
]
