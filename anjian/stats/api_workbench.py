"""``GET /api/v1/workbench/``: the same entries as the workbench page (counts, links, top rows)."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.stats import workbench as wb


class WorkbenchView(APIView):
    """What waits for the signed-in user: approvals, next legal deadlines, overdue hazards,
    transfers and documents awaiting proof of service; each entry with its count, the link to the
    list behind it (whose count equals it) and its first rows. A user holding only an administrator
    role gets the links to the administration pages and no business entries."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="工作台", tags=["workbench"])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(wb.workbench(request.user).as_dict())


urlpatterns = [path("workbench/", WorkbenchView.as_view(), name="api-workbench")]
