"""``GET /api/v1/complaints/officers/{id}/record/``: an officer's complaint record (issue 12 item 4).

Registered by ``anjian/api_urls.py`` before the complaints router. 403 for a reader without the
role (the office and the leaders only), 404 for a malformed id, one's own record or an officer with
nothing in the reader's scope; each reading is audited (``complaints.officers``).
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.complaints import officers


class OfficerRecordView(APIView):
    @extend_schema(
        summary="执法人员投诉处理记录",
        description="该执法人员的处理结果（移送过错责任追究、赔礼道歉、经办案件被纠正）和投诉其本人的投诉及逐项调查结论，不含投诉举报人身份。"
        "仅本局办公室和局领导可查看（每次查看记入审计）；本人查看本人的记录返回404。",
        responses={200: OpenApiTypes.OBJECT},
        tags=["complaints"],
    )
    def get(self, request: Request, id: str) -> Response:
        r = officers.officer_record(request.user, id)
        return Response(
            {
                "staff": {"id": r.staff.pk, "name": r.staff.name},
                "summary": r.summary(),
                "outcomes": [
                    {"id": o.pk, "kind": o.kind, "kind_label": o.get_kind_display(), "ground": o.ground, "done_on": o.done_on.isoformat(), "note": o.note,
                     "submission": o.submission_id, "case": o.case_id}
                    for o in r.outcomes
                ],
                "complaints": [
                    {"id": c.submission.pk, "received_on": c.submission.received_on.isoformat(), "summary": c.submission.summary, "status": c.submission.status,
                     "grounds": [{"code": g["code"], "label": g["label"], "substantiated": g["substantiated"]} for g in c.grounds]}
                    for c in r.complaints
                ],
            }
        )  # fmt: skip


urlpatterns = [
    path("complaints/officers/<str:id>/record/", OfficerRecordView.as_view(), name="api-complaint-officer-record"),
]
