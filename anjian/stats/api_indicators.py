"""The indicators over HTTP (read-only): the registry, a figure by period and cut, the rows behind it.

``/api/v1/stats/indicators/``: every indicator with its definition (docs/indicators.md).
``/api/v1/stats/indicators/<key>/?period=2026-Q3&by=district``: the figure, read from the rollups
(brought up to date first: cheap when nothing changed), and one figure per group.
``/api/v1/stats/drill/<key>/?period=…&district=…&sector=…&agency=…``: the rows the figure counts,
paginated; their count equals the figure (tests/stats/test_indicators_api.py).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.core.api import Pagination
from anjian.core.models import Jurisdiction
from anjian.enterprises.models import Sector, SectorGroup
from anjian.org.models import Agency
from anjian.stats import indicators as reg
from anjian.stats import rollups
from anjian.stats.indicators import Indicator
from anjian.stats.indicators_access import Query, describe_row, drill_rows, parse_query, reading_scope
from anjian.stats.indicators_docs import KIND_LABELS
from anjian.stats.rollups import Figure


def indicator_data(ind: Indicator) -> dict[str, Any]:
    return {
        "key": ind.key,
        "name": ind.name,
        "definition": ind.definition,
        "formula": ind.formula,
        "tables": ind.tables,
        "unit": ind.unit,
        "kind": ind.kind,
        "kind_label": KIND_LABELS[ind.kind],
        "cuts": list(ind.cuts),
        "numerator": ind.numerator or None,
        "denominator": ind.denominator or None,
    }


def figure_data(fig: Figure) -> dict[str, Any]:
    value = float(fig.value) if fig.value is not None and not isinstance(fig.value, int) else fig.value
    return {"value": value, "numerator": fig.numerator, "denominator": fig.denominator}


def drill_url(q: Query, **override: Any) -> str | None:
    """The page listing the rows behind a figure (for a ratio: its numerator's rows)."""
    ind = q.indicator
    key = ind.numerator if ind.derived else ind.key
    return reverse("stats-drill", args=[key]) + "?" + urlencode(q.params(**override))


def zero(ind: Indicator) -> Figure:
    return Figure(None, 0, 0) if ind.derived else rollups.scaled(ind, 0)


def group_rows(q: Query, groups: dict[Any, Figure]) -> list[dict[str, Any]]:
    """One row per district, agency, sector or month of the query's scope (zeros included)."""
    ind = q.indicator
    out: list[tuple[Any, str, dict[str, Any]]] = []
    if q.by == "district":
        for j in Jurisdiction.objects.filter(pk__in=q.jurisdictions).order_by("code"):
            out.append((j.pk, j.name, {"district": j.pk}))
    elif q.by == "agency":
        for a in Agency.objects.filter(jurisdiction_id__in=q.jurisdictions).order_by("jurisdiction__code", "id"):
            out.append((a.pk, a.name, {"agency": a.pk}))
    elif q.by == "sector":
        for s in Sector.objects.select_related("group"):
            out.append((s.code, str(s), {"sector": s.code}))
    elif q.by == "group":
        for g in SectorGroup.objects.all():
            out.append((g.code, g.name, {"sector": g.code}))
    elif q.by == "month":
        for me in reg.month_ends(q.period.start, reg.month_end(q.as_of.year, q.as_of.month)):
            out.append((f"{me:%Y-%m}", f"{me.year}年{me.month}月", {"period": f"{me:%Y-%m}"}))
    return [{"key": k, "label": label, **figure_data(groups.get(k) or zero(ind)), "drill": drill_url(q, **override)} for k, label, override in out]


def period_data(q: Query) -> dict[str, Any]:
    return {"code": q.period.code, "label": q.period.label, "start": q.period.start, "end": q.period.end, "as_of": q.as_of}


def cuts_data(q: Query) -> dict[str, Any]:
    return {
        "district": {"id": q.district.pk, "name": q.district.name} if q.district else None,
        "agency": {"id": q.agency.pk, "name": q.agency.name} if q.agency else None,
        "sector": {"code": q.sector_code, "name": q.sector_label} if q.sector_code else None,
        "by": q.by or None,
    }


def figure_response(q: Query) -> dict[str, Any]:
    rollups.refresh()
    total, groups = rollups.figures(q.indicator, q.period, q.as_of, jurisdictions=q.jurisdictions, agency=q.agency.pk if q.agency else None, sector=q.sector_code, by=q.by)
    return {
        "indicator": indicator_data(q.indicator),
        "period": period_data(q),
        **cuts_data(q),
        **figure_data(total),
        "drill": drill_url(q),
        "rows": group_rows(q, groups),
    }


QUERY_PARAMETERS = [
    OpenApiParameter("period", OpenApiTypes.STR, required=True, description="统计期间：2026（年度）、2026-Q3（季度）、2026-09（月份）或ytd（本年至今）"),
    OpenApiParameter("district", OpenApiTypes.INT, description="辖区编号（本机关可查看的辖区）"),
    OpenApiParameter("agency", OpenApiTypes.INT, description="机关编号"),
    OpenApiParameter("sector", OpenApiTypes.STR, description="监管行业代码（如 hazchem.production）或行业大类代码（hazchem、mine、industry）"),
]
_FIGURE: dict[str, Any] = {
    "value": serializers.FloatField(allow_null=True, help_text="数值；比率为百分数，分母为0时为空"),
    "numerator": serializers.IntegerField(allow_null=True),
    "denominator": serializers.IntegerField(allow_null=True),
}


class IndicatorListView(APIView):
    @extend_schema(
        summary="统计指标目录",
        description="每个指标的代码、名称、定义、计算公式、数据来源和可切分方式（与 docs/indicators.md 一致）。",
        responses=inline_serializer("StatsIndicatorList", {"results": serializers.ListField(child=serializers.DictField())}),
    )
    def get(self, request: Request) -> Response:
        reading_scope(request.user)
        return Response({"results": [indicator_data(i) for i in reg.INDICATORS]})


class IndicatorFigureView(APIView):
    @extend_schema(
        summary="指标数值",
        description="从日汇总读取期间数值（先增量更新日汇总）；by 分组时逐辖区、机关、行业或月份列出，每个数值附明细链接。"
        "区（市）局只能查看本辖区；期间有误、未来期间返回400，超出范围的辖区返回404。",
        parameters=[*QUERY_PARAMETERS, OpenApiParameter("by", OpenApiTypes.STR, enum=["district", "agency", "sector", "group", "month"], description="分组方式")],
        responses=inline_serializer(
            "StatsFigure",
            {
                "indicator": serializers.DictField(),
                "period": serializers.DictField(),
                **_FIGURE,
                "drill": serializers.CharField(),
                "rows": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request: Request, key: str) -> Response:
        q = parse_query(request.user, key, request.query_params)
        return Response(figure_response(q))


class DrillView(APIView):
    @extend_schema(
        summary="指标明细",
        description="该数值所统计的记录（与数值使用同一定义），分页；总数等于数值。比率类指标请查看其分子、分母的明细。",
        parameters=QUERY_PARAMETERS,
        responses=inline_serializer(
            "StatsDrillPage",
            {
                "count": serializers.IntegerField(),
                "next": serializers.CharField(allow_null=True),
                "previous": serializers.CharField(allow_null=True),
                "results": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request: Request, key: str) -> Response:
        q = parse_query(request.user, key, request.query_params)
        paginator = Pagination()
        page = paginator.paginate_queryset(drill_rows(q), request, view=self)
        return paginator.get_paginated_response([describe_row(q, obj) for obj in page or []])


urlpatterns = [
    path("stats/indicators/", IndicatorListView.as_view(), name="api-stats-indicators"),
    path("stats/indicators/<str:key>/", IndicatorFigureView.as_view(), name="api-stats-indicator"),
    path("stats/drill/<str:key>/", DrillView.as_view(), name="api-stats-drill"),
]
