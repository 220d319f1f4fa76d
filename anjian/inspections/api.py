"""Inspection API, including the offline-sync endpoint of the field form."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from anjian.core.api import IdField, JSONParser, id_params
from anjian.core.scoping import get_for_user
from anjian.enterprises.models import Enterprise, Site
from anjian.inspections import services
from anjian.inspections.models import ChecklistTemplate, Evidence, Finding, Inspection, InspectionItem, InspectionOfficer


class ItemSerializer(serializers.ModelSerializer[InspectionItem]):
    class Meta:
        model = InspectionItem
        fields = ["id", "order", "text", "legal_basis", "criterion_id", "violation_id", "result", "note"]


class OfficerSerializer(serializers.ModelSerializer[InspectionOfficer]):
    name = serializers.CharField(source="staff.name")

    class Meta:
        model = InspectionOfficer
        fields = ["staff", "name", "certificate_number"]


class FindingSerializer(serializers.ModelSerializer[Finding]):
    class Meta:
        model = Finding
        fields = ["id", "inspection", "item", "enterprise", "description", "legal_basis", "criterion_id", "violation_id", "order_to_correct", "found_on"]


class EvidenceSerializer(serializers.ModelSerializer[Evidence]):
    class Meta:
        model = Evidence
        fields = ["id", "item", "kind", "original_name", "content_type", "size", "sha256", "uploaded_at"]


class InspectionListSerializer(serializers.ModelSerializer[Inspection]):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    agency_name = serializers.CharField(source="owner_agency.name", read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "enterprise", "enterprise_name", "agency_name", "type", "status", "inspected_on", "place", "party_signature", "plan_item", "updated_at"]


class InspectionDetailSerializer(InspectionListSerializer):
    items = ItemSerializer(many=True, read_only=True)
    officers = OfficerSerializer(many=True, read_only=True)
    findings = FindingSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta(InspectionListSerializer.Meta):
        fields = InspectionListSerializer.Meta.fields + ["site", "started_at", "ended_at", "party_representative", "party_title", "refusal_note", "summary", "onsite_handling", "certificate_check", "joint", "joint_agencies", "items", "officers", "findings", "evidence"]


class InspectionCreateSerializer(serializers.Serializer[Any]):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), error_messages={"does_not_exist": "单位不存在。"})
    type = serializers.CharField()
    inspected_on = serializers.DateField()
    started_at = serializers.DateTimeField()
    place = serializers.CharField(allow_blank=True)
    officer_ids = serializers.ListField(child=IdField(), allow_empty=True)
    expert_ids = serializers.ListField(child=IdField(), required=False, default=list)
    joint_agency_ids = serializers.ListField(child=IdField(), required=False, default=list, help_text="联合检查：参加的其他机关（对该单位有管辖权）")
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.all(), required=False, allow_null=True, default=None)
    template_ids = serializers.ListField(child=IdField(), required=False, allow_null=True, default=None)
    idempotency_key = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    plan_item_id = IdField(
        required=False, allow_null=True, default=None, help_text="年度计划检查事项（本机关已批准计划中该单位的事项；见 /api/v1/inspections/plan-items/?enterprise=）"
    )


class ResultSerializer(serializers.Serializer[Any]):
    item = IdField()
    result = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CompleteSerializer(serializers.Serializer[Any]):
    # Omitted: the end is the moment of completion (the service takes it).
    ended_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    party_representative = serializers.CharField(allow_blank=True)
    party_title = serializers.CharField(required=False, allow_blank=True, default="")
    party_signature = serializers.CharField()
    refusal_note = serializers.CharField(required=False, allow_blank=True, default="")
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    onsite_handling = serializers.CharField(required=False, allow_blank=True, default="")


class CorrectTimesSerializer(serializers.Serializer[Any]):
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(allow_blank=True)


class SyncResultSerializer(serializers.Serializer[Any]):
    """Offline, the form knows items by their order in the checklist, not by id."""

    order = serializers.IntegerField()
    result = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SyncSerializer(InspectionCreateSerializer):
    """The whole draft of the field form, replayed when the connection returns."""

    results = SyncResultSerializer(many=True, required=False, default=list)
    complete = CompleteSerializer(required=False, allow_null=True, default=None)


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Inspection]):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return InspectionListSerializer if self.action == "list" else InspectionDetailSerializer

    def get_queryset(self) -> QuerySet[Inspection]:
        qs = Inspection.objects.for_user(self.request.user).select_related("enterprise", "owner_agency")
        p = self.request.query_params
        id_params(p, ["enterprise"])
        if p.get("enterprise"):
            qs = qs.filter(enterprise_id=p["enterprise"])
        if p.get("type"):
            qs = qs.filter(type=p["type"])
        if p.get("status"):
            qs = qs.filter(status=p["status"])
        if self.action != "list":
            qs = qs.prefetch_related("items", Prefetch("officers", queryset=InspectionOfficer.objects.select_related("staff")), "findings", "evidence")
        return qs.order_by("-inspected_on", "-id")

    def get_object(self) -> Inspection:
        return get_for_user(self.get_queryset(), self.request.user, self.kwargs["pk"])

    def _detail(self, insp: Inspection, code: int = 200) -> Response:
        return Response(InspectionDetailSerializer(get_for_user(self.get_queryset(), self.request.user, insp.pk)).data, status=code)

    @extend_schema(request=InspectionCreateSerializer, responses=InspectionDetailSerializer)
    def create(self, request: Request) -> Response:
        ser = InspectionCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d["idempotency_key"] = d.get("idempotency_key") or None
        insp = services.inspection_create(actor=request.user, **d)
        return self._detail(insp, status.HTTP_201_CREATED)

    @extend_schema(
        responses=dict,
        summary="新检查可关联的年度计划事项（本机关已批准计划中该单位本月或逾期的事项）",
        parameters=[OpenApiParameter("enterprise", int, required=True, description="被检查单位")],
    )
    @action(detail=False, methods=["get"], url_path="plan-items")
    def plan_items(self, request: Request) -> Response:
        from django.utils import timezone

        from anjian.core.errors import ValidationFailed
        from anjian.core.scoping import scope_for
        from anjian.planning.selectors import plan_item_label, plan_item_offer

        id_params(request.query_params, ["enterprise"])
        if not request.query_params.get("enterprise"):
            raise ValidationFailed("请指定被检查单位。", fields={"enterprise": "请指定被检查单位。"})
        ent = get_for_user(Enterprise.objects.all(), request.user, request.query_params["enterprise"])
        offer = plan_item_offer(agency_id=scope_for(request.user).agency_id, enterprise_id=ent.pk, day=timezone.localdate())
        rows = []
        for it in offer:
            p = it.progress  # type: ignore[attr-defined]
            rows.append(
                {"id": it.pk, "plan": it.plan_id, "label": plan_item_label(it), "months": it.months, "count": it.count, "overdue": p.overdue, "due_this_month": p.due_this_month}
            )
        return Response(rows)

    @extend_schema(request=ResultSerializer(many=True), responses=InspectionDetailSerializer)
    @action(detail=True, methods=["post"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        ser = ResultSerializer(data=request.data, many=True)
        ser.is_valid(raise_exception=True)
        insp = services.inspection_record_results(actor=request.user, inspection=self.get_object(), results=ser.validated_data)
        return self._detail(insp)

    @extend_schema(request=CompleteSerializer, responses=InspectionDetailSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        ser = CompleteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        insp = services.inspection_complete(actor=request.user, inspection=self.get_object(), **ser.validated_data)
        return self._detail(insp)

    @extend_schema(request=CorrectTimesSerializer, responses=InspectionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="correct-times")
    def correct_times(self, request: Request, pk: str | None = None) -> Response:
        """Correct the start and end before the 现场检查记录 is issued (audited, with a reason)."""
        ser = CorrectTimesSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        insp = services.inspection_correct_times(actor=request.user, inspection=self.get_object(), **ser.validated_data)
        return self._detail(insp)

    @extend_schema(request=None, responses=EvidenceSerializer)
    @action(detail=True, methods=["post"])
    def evidence(self, request: Request, pk: str | None = None) -> Response:
        f = request.FILES.get("file")
        if f is None:
            from anjian.core.errors import ValidationFailed

            raise ValidationFailed("请选择文件。", fields={"file": "请选择文件。"})
        insp = self.get_object()
        id_params(request.data, ["item"])
        item = insp.items.filter(pk=request.data.get("item")).first() if request.data.get("item") else None
        ev = services.evidence_add(actor=request.user, inspection=insp, kind=str(request.data.get("kind", "photo")), fh=f, name=f.name, item=item, note=str(request.data.get("note", "")))
        return Response(EvidenceSerializer(ev).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=dict)
    @action(detail=True, methods=["post"], url_path="uploads")
    def upload_start(self, request: Request, pk: str | None = None) -> Response:
        """Start a chunked upload (body-camera video): {kind, name, total_size[, item]}."""
        from anjian.core.errors import ValidationFailed
        from anjian.inspections import uploads

        insp = self.get_object()
        try:
            total = int(request.data.get("total_size", 0))
        except (TypeError, ValueError):
            raise ValidationFailed("文件大小有误。", fields={"total_size": "须为整数。"}) from None
        id_params(request.data, ["item"])
        item = insp.items.filter(pk=request.data.get("item")).first() if request.data.get("item") else None
        up = uploads.upload_start(actor=request.user, inspection=insp, kind=str(request.data.get("kind", "video")), name=str(request.data.get("name", "video")), total_size=total, item=item)
        return Response({"id": str(up.pk), "received": up.received, "total_size": up.total_size, "chunk_max": uploads.CHUNK_MAX}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=dict)
    @action(detail=True, methods=["get", "put"], url_path=r"uploads/(?P<upload_id>[0-9a-f-]{36})", parser_classes=[])
    def upload_chunk(self, request: Request, pk: str | None = None, upload_id: str = "") -> Response:
        """GET: how much arrived. PUT ?offset=N with the raw bytes of the next piece."""
        from anjian.core.errors import NotFound, ValidationFailed
        from anjian.inspections import uploads
        from anjian.inspections.models import ChunkedUpload

        insp = self.get_object()
        up = ChunkedUpload.objects.filter(inspection=insp, pk=upload_id).first()
        if up is None:
            raise NotFound()
        if request.method == "PUT":
            try:
                offset = int(request.query_params.get("offset", "-1"))
            except ValueError:
                offset = -1
            if offset < 0:
                raise ValidationFailed("缺少分块位置。", fields={"offset": "请给出offset。"})
            data = request._request.read(uploads.CHUNK_MAX + 1)
            up = uploads.upload_append(actor=request.user, upload=up, offset=offset, data=data)
        return Response({"id": str(up.pk), "received": up.received, "total_size": up.total_size, "evidence": up.evidence_id})

    @extend_schema(request=None, responses=EvidenceSerializer)
    @action(detail=True, methods=["post"], url_path=r"uploads/(?P<upload_id>[0-9a-f-]{36})/complete")
    def upload_complete(self, request: Request, pk: str | None = None, upload_id: str = "") -> Response:
        from anjian.core.errors import NotFound
        from anjian.inspections import uploads
        from anjian.inspections.models import ChunkedUpload

        up = ChunkedUpload.objects.filter(inspection=self.get_object(), pk=upload_id).first()
        if up is None:
            raise NotFound()
        ev = uploads.upload_complete(actor=request.user, upload=up)
        return Response(EvidenceSerializer(ev).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SyncSerializer, responses=InspectionDetailSerializer)
    @action(detail=False, methods=["post"])
    def sync(self, request: Request) -> Response:
        """Idempotent replay of an offline draft: the same key never creates a second inspection."""
        ser = SyncSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        results, complete = d.pop("results"), d.pop("complete")
        if not d.get("idempotency_key"):
            from anjian.core.errors import ValidationFailed

            raise ValidationFailed("离线同步须提供幂等键。", fields={"idempotency_key": "缺少幂等键。"})
        return self._detail(services.inspection_sync(actor=request.user, results=results, complete=complete, **d))


class ChecklistSerializer(serializers.ModelSerializer[ChecklistTemplate]):
    items = serializers.SerializerMethodField()

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "code", "version", "name", "kind", "status", "sectors", "features", "source", "published_at", "items"]

    def get_items(self, obj: ChecklistTemplate) -> list[dict[str, Any]]:
        return [{"order": i.order, "text": i.text, "legal_basis": i.legal_basis, "criterion_id": i.criterion_id, "violation_id": i.violation_id} for i in obj.items.all()]


class ChecklistViewSet(viewsets.ReadOnlyModelViewSet[ChecklistTemplate]):
    serializer_class = ChecklistSerializer

    def get_queryset(self) -> QuerySet[ChecklistTemplate]:
        return ChecklistTemplate.objects.prefetch_related("items").order_by("kind", "code", "-version")
