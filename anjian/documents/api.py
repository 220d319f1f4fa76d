"""The documents register over HTTP (issue 14 item 3): ``GET /api/v1/documents/`` with the page's
filters, and one document. Scoped like every read (rule 4): another jurisdiction's is 404."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from anjian.core.api import Pagination
from anjian.core.errors import NotFound
from anjian.documents import registry, selectors, services
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


class DocumentViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    pagination_class = Pagination
    serializer_class = DocumentSerializer
    queryset = IssuedDocument.objects.none()  # the schema's; every read goes through the selectors

    def _context(self) -> dict[str, Any]:
        return {"served": {k.code for k in registry.kinds() if k.served}}

    @extend_schema(summary="文书登记簿", description="本机关可查看的已签发文书，新的在前，分页；条件有误时返回400。", parameters=FILTERS, responses=DocumentSerializer(many=True))
    def list(self, request: Request) -> Response:
        form = RegisterFilterForm(request.query_params)
        if not form.is_valid():  # a malformed query: 400 with the field's Chinese message
            raise serializers.ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
        page = self.paginate_queryset(selectors.document_register(request.user, form.filters()))
        return self.get_paginated_response(DocumentSerializer(page, many=True, context=self._context()).data)

    @extend_schema(summary="一份文书", responses=DocumentSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        selectors.document_get(request.user, pk)  # 404 outside the scope, and for a malformed id
        doc = selectors.document_register(request.user, {}).get(pk=pk)
        return Response(DocumentSerializer(doc, context=self._context()).data)

    @extend_schema(
        summary="作废文书",
        description="签发机关的科室负责人或局领导，写明原因；已送达的文书不能作废（须依法作出撤销决定并送达）。文号不再使用。",
        request=inline_serializer("DocumentVoid", {"reason": serializers.CharField(max_length=500)}),
        responses=DocumentSerializer,
    )
    @action(detail=True, methods=["post"], url_path="void")
    def void(self, request: Request, pk: str | None = None) -> Response:
        doc = selectors.document_get(request.user, pk)
        s = ReasonSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.document_void(actor=request.user, document=doc, reason=s.validated_data["reason"])
        return Response(DocumentSerializer(selectors.document_register(request.user, {}).get(pk=doc.pk), context=self._context()).data)

    @extend_schema(
        summary="送达记录标为登记有误",
        description="写明原因；据该送达日期计算的期限（如隐患整改期限）一并撤回，待重新登记送达后起算。单位已据此办理后续事项的，或属于行政处罚案件的，拒绝并说明依据。",
        request=inline_serializer("ServiceErroneous", {"reason": serializers.CharField(max_length=500)}),
        responses=DocumentSerializer,
    )
    @action(detail=True, methods=["post"], url_path=r"service-records/(?P<record_pk>[^/.]+)/erroneous")
    def service_erroneous(self, request: Request, pk: str | None = None, record_pk: str | None = None) -> Response:
        doc = selectors.document_get(request.user, pk)
        raw = str(record_pk or "")
        record = doc.service_records.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 19 else None
        if record is None:
            raise NotFound()
        s = ReasonSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.service_record_mark_erroneous(actor=request.user, record=record, reason=s.validated_data["reason"])
        return Response(DocumentSerializer(selectors.document_register(request.user, {}).get(pk=doc.pk), context=self._context()).data)


class ReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=500, error_messages={"blank": "请写明原因。", "required": "请写明原因。"})
