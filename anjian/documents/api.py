"""The documents register over HTTP (issue 14 item 3): ``GET /api/v1/documents/`` with the page's
filters, and one document. Scoped like every read (rule 4): another jurisdiction's is 404."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from anjian.core.api import Pagination
from anjian.documents import registry, selectors
from anjian.documents.models import IssuedDocument
from anjian.documents.views_register import RegisterFilterForm


class DocumentSerializer(serializers.ModelSerializer[IssuedDocument]):
    service = serializers.SerializerMethodField(help_text="已送达、待送达或无需送达")
    record = serializers.SerializerMethodField(help_text="所属记录：名称和页面地址")
    download = serializers.SerializerMethodField()

    class Meta:
        model = IssuedDocument
        fields = [
            "id", "kind", "title", "number", "year", "seq", "agency_id", "agency_name", "jurisdiction", "subject_type", "subject_id", "enterprise_id",
            "party_name", "issued_on", "status", "void_reason", "reissue_reason", "sha256", "template_version", "service", "record", "download",
        ]  # fmt: skip

    def get_service(self, obj: IssuedDocument) -> str:
        return selectors.service_state(obj, self.context["served"])

    def get_record(self, obj: IssuedDocument) -> dict[str, str]:
        label, url = registry.subject_link(obj.subject_type, obj.subject_id)
        return {"label": label, "url": url}

    def get_download(self, obj: IssuedDocument) -> str:
        return reverse("documents:download", args=[obj.pk])


FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="文号或当事人（包含）"),
    OpenApiParameter("kind", OpenApiTypes.STR, description="文书种类代码"),
    OpenApiParameter("year", OpenApiTypes.INT, description="年度"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=["issued", "voided"], description="状态"),
    OpenApiParameter("service", OpenApiTypes.STR, enum=list(selectors.SERVICE_STATES), description="送达：served已送达，unserved待送达，none无需送达"),
    OpenApiParameter("agency", OpenApiTypes.INT, description="签发机关编号"),
    OpenApiParameter("enterprise", OpenApiTypes.INT, description="单位编号"),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="签发日期自"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="签发日期至"),
]


class DocumentViewSet(viewsets.ViewSet):
    def _context(self) -> dict[str, Any]:
        return {"served": {k.code for k in registry.kinds() if k.served}}

    @extend_schema(summary="文书登记簿", description="本机关可查看的已签发文书，新的在前；条件有误时返回400。", parameters=FILTERS, responses=DocumentSerializer(many=True))
    def list(self, request: Request) -> Response:
        form = RegisterFilterForm(request.query_params)
        if not form.is_valid():  # a malformed query: 400 with the field's Chinese message
            raise serializers.ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.document_register(request.user, form.filters()), request, view=self)
        return paginator.get_paginated_response(DocumentSerializer(page, many=True, context=self._context()).data)

    @extend_schema(summary="一份文书", responses=DocumentSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        selectors.document_get(request.user, pk)  # 404 outside the scope, and for a malformed id
        doc = selectors.document_register(request.user, {}).get(pk=pk)
        return Response(DocumentSerializer(doc, context=self._context()).data)
