"""API of penalty cases: filing — the documents made on demand and the case's document list.

``POST cases/<pk>/investigation-report/``, ``handling-approval/``, ``waiver-form/`` and
``hearing-right-notice/`` issue the document (201) or answer a repeated request with the one
already issued for the same act (200); ``GET cases/<pk>/documents/`` lists every document of the
case. Out-of-scope cases answer 404 before the body is read. The path parameter is ``id``, as in
the router's ``cases/{id}/`` (the route matrix fills ``{id}`` with the record's id).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, URLResolver, path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.cases import filing, selectors
from anjian.documents.models import IssuedDocument


class CaseDocumentSerializer(serializers.ModelSerializer[IssuedDocument]):
    kind_name = serializers.CharField(source="title", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = IssuedDocument
        fields = ["id", "kind", "kind_name", "number", "issued_on", "status", "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj: IssuedDocument) -> str:
        return reverse("documents:download", args=[obj.pk])


class EvidenceSerializer(serializers.Serializer[Any]):
    evidence = serializers.CharField(allow_blank=True, max_length=20000, help_text="证据及其证明的事项")


class OptionalEvidenceSerializer(serializers.Serializer[Any]):
    evidence = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000, help_text="证据及其证明的事项（默认取本次调查报告）")


class EmptySerializer(serializers.Serializer[Any]):
    pass


class _IssueView(APIView):
    """POST: issue the document of the case (or return the one already issued)."""

    body: type[serializers.Serializer[Any]] = EmptySerializer
    service: Callable[..., tuple[IssuedDocument, bool]]

    def post(self, request: Request, id: int) -> Response:
        case = selectors.case_get(user=request.user, pk=id)  # out of scope: 404 before the body
        ser = self.body(data=request.data)
        ser.is_valid(raise_exception=True)
        doc, created = type(self).service(actor=request.user, case=case, **ser.validated_data)
        return Response(CaseDocumentSerializer(doc).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class InvestigationReportView(_IssueView):
    body = EvidenceSerializer
    service = staticmethod(filing.investigation_report_issue)

    @extend_schema(request=EvidenceSerializer, responses={201: CaseDocumentSerializer, 200: CaseDocumentSerializer}, summary="制作调查报告")
    def post(self, request: Request, id: int) -> Response:
        return super().post(request, id)


class HandlingApprovalView(_IssueView):
    body = OptionalEvidenceSerializer
    service = staticmethod(filing.handling_approval_issue)

    @extend_schema(request=OptionalEvidenceSerializer, responses={201: CaseDocumentSerializer, 200: CaseDocumentSerializer}, summary="制作案件处理呈批表")
    def post(self, request: Request, id: int) -> Response:
        return super().post(request, id)


class WaiverFormView(_IssueView):
    service = staticmethod(filing.waiver_form_issue)

    @extend_schema(request=None, responses={201: CaseDocumentSerializer, 200: CaseDocumentSerializer}, summary="制作放弃陈述申辩声明（供当事人签署）")
    def post(self, request: Request, id: int) -> Response:
        return super().post(request, id)


class HearingRightNoticeView(_IssueView):
    service = staticmethod(filing.hearing_right_notice_issue)

    @extend_schema(request=None, responses={201: CaseDocumentSerializer, 200: CaseDocumentSerializer}, summary="制作听证告知书")
    def post(self, request: Request, id: int) -> Response:
        return super().post(request, id)


class CaseDocumentsView(APIView):
    @extend_schema(responses=CaseDocumentSerializer(many=True), summary="案件的全部文书")
    def get(self, request: Request, id: int) -> Response:
        case = selectors.case_get(user=request.user, pk=id)
        docs = filing.case_documents(user=request.user, case=case)
        return Response(CaseDocumentSerializer(docs, many=True).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:id>/investigation-report/", InvestigationReportView.as_view(), name="case-investigation-report"),
    path("cases/<int:id>/handling-approval/", HandlingApprovalView.as_view(), name="case-handling-approval"),
    path("cases/<int:id>/waiver-form/", WaiverFormView.as_view(), name="case-waiver-form"),
    path("cases/<int:id>/hearing-right-notice/", HearingRightNoticeView.as_view(), name="case-hearing-right-notice"),
    path("cases/<int:id>/documents/", CaseDocumentsView.as_view(), name="case-documents"),
]
