"""API of penalty cases: casefile (included by api_urls under /api/v1/).

``GET cases/<id>/case-file/``: the case file's index and the veto results of the case-file review;
``GET cases/<id>/case-file/download/``: the whole file as a zip (index first). Not
``cases/<id>/file/``: that path is the case API's POST action that files the case (立案), and a
second view on it would shadow that action for every id.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.cases import casefile, selectors
from anjian.cases.models import Case
from anjian.core import audit

_OBJ = OpenApiTypes.OBJECT


def file_data(cf: casefile.CaseFile) -> dict[str, Any]:
    c = cf.case
    failed = casefile.failed_items(cf.veto)
    return {
        "case": c.pk,
        "title": c.title,
        "party_name": c.party_name,
        "status": c.status,
        "rows": [
            {
                "seq": r["seq"],
                "title": r["title"],
                "number": r["number"],
                "date": r["date"],
                "pages": r["pages"],
                "note": r["note"],
                "kind": r["kind"],
                "document": r["document_id"],
            }
            for r in cf.rows
        ],
        "pages_note": cf.pages_note,
        "page_total": cf.page_total,
        "retention": "永久",
        "veto": [i.as_dict() for i in cf.veto],
        "veto_failed": len(failed),
        "may_close": not failed,
    }


class CaseFileView(APIView):
    @extend_schema(summary="案卷：卷内目录与案卷评查否决项", operation_id="cases_file_index", responses={200: _OBJ})
    def get(self, request: Request, pk: int) -> Response:
        case = selectors.case_get(user=request.user, pk=pk, related=casefile.CASE_RELATED, detail=False)
        return Response(file_data(casefile.build_file(case)))


class CaseFileDownloadView(APIView):
    @extend_schema(summary="案卷下载（zip，卷内目录在前）", operation_id="cases_file_download", responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> HttpResponse:
        case = selectors.case_get(user=request.user, pk=pk, related=casefile.CASE_RELATED, detail=False)
        return zip_response(case, actor=request.user)


audit.ACTIONS.setdefault("case.file_export", "下载案卷")


def zip_response(case: Case, *, actor: Any) -> HttpResponse:
    """The case file as a zip; every download is audited (issue 10, item 5: every export)."""
    audit.record(actor=actor, action="case.file_export", obj=case, note="下载案卷（zip）")
    response = HttpResponse(casefile.case_file_zip(case), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, casefile.zip_name(case)) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:pk>/case-file/", CaseFileView.as_view(), name="case-file"),
    path("cases/<int:pk>/case-file/download/", CaseFileDownloadView.as_view(), name="case-file-download"),
]
