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
from anjian.documents import printing, registry, selectors, services
from anjian.documents import templates as doc_templates
from anjian.documents.models import AgencyTemplate, IssuedDocument, PrintJob
from anjian.documents.views_register import CappedPaginator, RegisterFilterForm


class DocumentSerializer(serializers.ModelSerializer[IssuedDocument]):
    service = serializers.SerializerMethodField(help_text="已送达、待送达或无需送达")
    record = serializers.SerializerMethodField(help_text="所属记录：名称和页面地址")
    download = serializers.SerializerMethodField()
    superseded = serializers.SerializerMethodField(help_text="已被重新签发的文书替代")

    class Meta:
        model = IssuedDocument
        fields = [
            "id", "kind", "title", "number", "year", "seq", "agency_id", "agency_name", "jurisdiction", "subject_type", "subject_id", "enterprise_id",
            "party_name", "issued_on", "status", "void_reason", "reissue_reason", "replaces", "superseded", "sha256", "template_version", "service", "record", "download",
        ]  # fmt: skip

    def get_service(self, obj: IssuedDocument) -> str:
        return selectors.service_state(obj, self.context["served"])

    def get_record(self, obj: IssuedDocument) -> dict[str, str]:
        label, url = registry.subject_link(obj.subject_type, obj.subject_id)
        return {"label": label, "url": url}

    def get_superseded(self, obj: IssuedDocument) -> bool:
        return bool(getattr(obj, "is_superseded", False))

    def get_download(self, obj: IssuedDocument) -> str:
        return reverse("documents:download", args=[obj.pk])


FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="文号或当事人（包含）"),
    OpenApiParameter("kind", OpenApiTypes.STR, description="文书种类代码"),
    OpenApiParameter("year", OpenApiTypes.INT, description="年度"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=["issued", "voided"], description="状态"),
    OpenApiParameter("service", OpenApiTypes.STR, enum=list(selectors.SERVICE_STATES), description="送达：served已送达，unserved待送达，none无需送达"),
    OpenApiParameter("agency", OpenApiTypes.INT, description="签发机关编号"),
    OpenApiParameter("jurisdiction", OpenApiTypes.INT, description="辖区编号（签发机关所在辖区）"),
    OpenApiParameter("enterprise", OpenApiTypes.INT, description="单位编号"),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="签发日期自"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="签发日期至"),
]


class RegisterPagination(Pagination):
    """The register's pages: ``count`` stops at ``COUNT_CAP`` (``count_capped`` says when there are more)."""

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data["count_capped"] = bool(getattr(self.page.paginator, "capped", False))  # type: ignore[union-attr]
        return response


class DocumentViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    pagination_class = RegisterPagination
    serializer_class = DocumentSerializer
    queryset = IssuedDocument.objects.none()  # the schema's; every read goes through the selectors

    def _context(self) -> dict[str, Any]:
        return {"served": {k.code for k in registry.kinds() if k.served}}

    @extend_schema(summary="文书登记簿", description="本机关可查看的已签发文书，新的在前，分页；条件有误时返回400。", parameters=FILTERS, responses=DocumentSerializer(many=True))
    def list(self, request: Request) -> Response:
        form = RegisterFilterForm(request.query_params)
        if not form.is_valid():  # a malformed query: 400 with the field's Chinese message
            raise serializers.ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
        page = selectors.mark_superseded(list(self.paginate_queryset(selectors.document_register(request.user, form.filters())) or []))
        return self.get_paginated_response(DocumentSerializer(page, many=True, context=self._context()).data)

    @extend_schema(summary="一份文书", responses=DocumentSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        selectors.document_get(request.user, pk)  # 404 outside the scope, and for a malformed id
        doc = selectors.document_register(request.user, {}).get(pk=pk)
        selectors.mark_superseded([doc])
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
        summary="重新签发文书",
        description="签发机关的科室负责人或局领导，写明理由；以原文书的事项、现行模板和今天的日期签发新文号的文书，新文书的replaces指向原文书，"
        "原文书及其文件保留并显示为已被替代。已作废、已送达或已被替代的文书，以及由业务模块办理的文书种类（如行政处罚决定书），拒绝并说明理由，不占用文号。",
        request=inline_serializer("DocumentReissue", {"reason": serializers.CharField(max_length=500)}),
        responses={201: DocumentSerializer},
    )
    @action(detail=True, methods=["post"], url_path="reissue")
    def reissue(self, request: Request, pk: str | None = None) -> Response:
        doc = selectors.document_get(request.user, pk)
        s = ReasonSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        new = services.document_reissue(actor=request.user, document=doc, reason=s.validated_data["reason"])
        return Response(DocumentSerializer(selectors.document_register(request.user, {}).get(pk=new.pk), context=self._context()).data, status=201)

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


# --- batch printing and bundles (issue 14 items 6 and 7) ------------------------------------------------------


class PrintJobSerializer(serializers.ModelSerializer[PrintJob]):
    pdf = serializers.SerializerMethodField(help_text="生成后PDF的地址（仅申请人可打开）")
    page = serializers.SerializerMethodField(help_text="进度页面")

    class Meta:
        model = PrintJob
        fields = ["id", "kind", "title", "subject_type", "subject_id", "entries", "status", "done", "total", "pages", "error", "sha256", "requested_at", "finished_at", "pdf", "page"]

    def get_pdf(self, obj: PrintJob) -> str:
        return reverse("documents:print_job_pdf", args=[obj.pk]) if obj.status == "done" else ""

    def get_page(self, obj: PrintJob) -> str:
        return reverse("documents:print_job", args=[obj.pk])


class BatchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    documents = serializers.ListField(
        child=serializers.CharField(max_length=24), allow_empty=True, max_length=1000, error_messages={"required": "请选择要打印的文书。", "not_a_list": "文书须为编号列表。"}
    )


class BundleSerializer(serializers.Serializer):  # type: ignore[type-arg]
    subject_type = serializers.CharField(max_length=64, help_text="如：cases.case、inspections.inspection")
    subject_id = serializers.CharField(max_length=24)


class PrintJobViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = PrintJobSerializer
    queryset = PrintJob.objects.none()

    @extend_schema(summary="打印任务的状态", description="仅申请人可查看；其他人为404。", responses=PrintJobSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(PrintJobSerializer(printing.job_get(request.user, pk)).data)

    @extend_schema(
        summary="批量打印",
        description=f"所选文书（均须在本人查看范围内，一次最多{printing.BATCH_MAX}份）合并为一个PDF，后台生成；尚无PDF的文书先转换。同一批文书重复提交返回同一任务。",
        request=BatchSerializer,
        responses={202: PrintJobSerializer},
    )
    @action(detail=False, methods=["post"], url_path="batch")
    def batch(self, request: Request) -> Response:
        s = BatchSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        job = printing.batch_create(actor=request.user, document_ids=s.validated_data["documents"])
        return Response(PrintJobSerializer(job).data, status=202)

    @extend_schema(
        summary="案卷合订本",
        description="一个记录（行政处罚案件；监督检查及其隐患）的全部文书按案卷顺序合订为一个PDF，前附卷内目录（含页号），每页底部标注页码，后台生成。",
        request=BundleSerializer,
        responses={202: PrintJobSerializer},
    )
    @action(detail=False, methods=["post"], url_path="bundle")
    def bundle(self, request: Request) -> Response:
        s = BundleSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        job = printing.bundle_create(actor=request.user, subject_type=s.validated_data["subject_type"], subject_id=s.validated_data["subject_id"])
        return Response(PrintJobSerializer(job).data, status=202)


# --- the bureau's own templates (issue 14 item 5) --------------------------------------------------------------


class AgencyTemplateSerializer(serializers.ModelSerializer[AgencyTemplate]):
    class Meta:
        model = AgencyTemplate
        fields = ["id", "kind", "version", "sha256", "size", "original_name", "note", "active", "uploaded_at"]


class TemplateUploadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.CharField(max_length=64)
    file = serializers.FileField(error_messages={"required": "请选择.docx模板文件。"})
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TemplateKindSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.CharField(max_length=64)


class AgencyTemplateViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = AgencyTemplateSerializer
    queryset = AgencyTemplate.objects.none()

    @extend_schema(summary="本机关文书模板", description="本机关系统管理员可用；只列出本机关上传的各版本。", responses=AgencyTemplateSerializer(many=True))
    def list(self, request: Request) -> Response:
        agency_id = doc_templates._require_admin(request.user)
        rows = AgencyTemplate.objects.filter(agency_id=agency_id).order_by("kind", "-version")
        return Response(AgencyTemplateSerializer(rows, many=True).data)

    @extend_schema(
        summary="上传本机关文书模板",
        description="multipart：kind、file（.docx）、note。须包含该种文书的全部必备占位符并能生成文书，否则拒绝并列出缺少的占位符；通过后成为新版本并使用。只作用于本机关。",
        request={"multipart/form-data": TemplateUploadSerializer},
        responses={201: AgencyTemplateSerializer},
    )
    def create(self, request: Request) -> Response:
        s = TemplateUploadSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        tpl = doc_templates.template_upload(actor=request.user, kind_code=s.validated_data["kind"], upload=s.validated_data["file"], note=s.validated_data["note"])
        return Response(AgencyTemplateSerializer(tpl).data, status=201)

    @extend_schema(summary="恢复使用某一版本", request=None, responses=AgencyTemplateSerializer)
    @action(detail=True, methods=["post"], url_path="activate")
    def activate(self, request: Request, pk: str | None = None) -> Response:
        tpl = doc_templates.template_get(request.user, pk)  # a malformed or another agency's id: 404 first
        tpl = doc_templates.template_activate(actor=request.user, template=tpl)
        return Response(AgencyTemplateSerializer(tpl).data)

    @extend_schema(summary="恢复使用系统模板", request=TemplateKindSerializer, responses={204: None})
    @action(detail=False, methods=["post"], url_path="reset")
    def reset(self, request: Request) -> Response:
        s = TemplateKindSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        doc_templates.template_reset(actor=request.user, kind_code=s.validated_data["kind"])
        return Response(status=204)
