"""``GET /api/v1/complaints/figures/?period=…``: the figures of the complaints' figures page (issue 12
item 9). In stats (the period codes are the statistics'); mounted by ``stats/api_urls.py``, which
``anjian/api_urls.py`` puts before the complaints router (``complaints/figures/`` is not a
submission id). A bad period is 400, a user without the complaints pages 403.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.complaints import selectors
from anjian.core.errors import PermissionRefused
from anjian.core.scoping import scope_for
from anjian.stats import complaints_figures as fig

PERIOD = OpenApiParameter("period", OpenApiTypes.STR, description="统计期间：2026（年度）、2026-Q3（季度）、2026-09（月份）或ytd（本年至今，缺省）")


class FiguresView(APIView):
    @extend_schema(
        summary="投诉举报统计",
        description="期内收到的投诉举报按类别、事项、会同办理的科室计数，期内记录的逐项调查结论（属实／不属实），期内的处理结果，"
        "按期答复率（期内按期答复的与期内到期未按期答复的为分母；尚未到期且未答复的不计）和受理至答复用时中位数。"
        "范围与投诉举报列表相同：只办理本人承办件的人员只统计本人承办的；被投诉的执法人员不统计投诉其本人的。",
        parameters=[PERIOD],
        responses={200: OpenApiTypes.OBJECT},
        tags=["complaints"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not selectors.may_use(scope_for(request.user)):
            raise PermissionRefused("您的账号不办理投诉举报。")
        period = fig.parse_period(request.query_params.get("period") or "ytd")
        return Response(fig.figures(request.user, period).as_dict())


urlpatterns = [path("complaints/figures/", FiguresView.as_view(), name="api-complaint-figures")]
