"""API of penalty cases: evidence (included by api_urls under /api/v1/).

``cases/<id>/interviews/`` (询问笔录; ``interviews/notices/`` 询问通知书), ``surveys/`` (勘验笔录),
``samples/`` (抽样取证凭证), ``preservations/`` (+ ``<n>/approve/``, ``<n>/decide/``) and
``evidence/`` (files, multipart). GET lists, POST records one act through ``anjian.cases.evidence``.
The case is looked up in the actor's scope first: another district's case answers 404 before the
body is read. Lists run a fixed number of queries whatever their length.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.cases import evidence as services
from anjian.cases import selectors
from anjian.cases.models import Case
from anjian.cases.models_evidence import EvidenceFile, EvidenceKind, InterviewNotice, InterviewRecord, Preservation, PreservationOutcome, Sample, SurveyRecord
from anjian.core import pii
from anjian.core.api import IdField, JSONParser
from anjian.core.errors import NotFound, ValidationFailed
from anjian.core.ids import parse_id
from anjian.org.models import Staff

# The evidence services lock and read the case themselves: the views need only its scope and owner.
CASE_RELATED = ("jurisdiction", "owner_agency")


def _child(model: type[Model], case: Case, pk: Any, label: str) -> Any:
    n = parse_id(pk)
    row = model.objects.filter(case=case, pk=n).first() if n is not None else None  # type: ignore[attr-defined]
    if row is None:
        raise NotFound(f"{label}不存在。")
    return row


# --- outputs ---------------------------------------------------------------------------------------------------
class InterviewNoticeOut(serializers.ModelSerializer[InterviewNotice]):
    document_number = serializers.CharField(source="document.number", read_only=True, default="")

    class Meta:
        model = InterviewNotice
        fields = ["id", "seq", "interviewee", "issued_on", "appointed_at", "place", "bring", "document", "document_number"]
        read_only_fields = fields


class InterviewRecordOut(serializers.ModelSerializer[InterviewRecord]):
    document_number = serializers.CharField(source="document.number", read_only=True, default="")

    class Meta:
        model = InterviewRecord
        fields = [
            "id", "seq", "notice", "started_at", "ended_at", "place", "officers", "recorder", "name", "id_number", "employer", "position",
            "phone", "address", "content", "signer", "refusal_note", "document", "document_number",
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, instance: InterviewRecord) -> dict[str, Any]:
        # The interviewee's ID and telephone masked (core/pii.py); the full value through POST /api/v1/pii/reveal/.
        return pii.mask_fields(dict(super().to_representation(instance)), InterviewRecord)


class SurveyOut(serializers.ModelSerializer[SurveyRecord]):
    document_number = serializers.CharField(source="document.number", read_only=True, default="")

    class Meta:
        model = SurveyRecord
        fields = ["id", "seq", "started_at", "ended_at", "place", "officers", "participants", "witness", "findings", "signer", "refusal_note", "document", "document_number"]
        read_only_fields = fields


class SampleOut(serializers.ModelSerializer[Sample]):
    document_number = serializers.CharField(source="document.number", read_only=True, default="")

    class Meta:
        model = Sample
        fields = ["id", "seq", "sampled_on", "place", "items", "officers", "signer", "refusal_note", "document", "document_number"]
        read_only_fields = fields


class PreservationOut(serializers.ModelSerializer[Preservation]):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    approver_name = serializers.CharField(source="approver.name", read_only=True, default="")
    notice_number = serializers.CharField(source="notice_document.number", read_only=True, default="")
    decision_number = serializers.CharField(source="decision_document.number", read_only=True, default="")

    class Meta:
        model = Preservation
        fields = [
            "id", "seq", "requested_on", "reason", "place", "items", "status", "status_label", "approver", "approver_name", "approved_on", "opinion",
            "preserved_on", "officers", "due", "notice_document", "notice_number", "outcome", "outcome_detail", "decided_on", "decided_late",
            "decision_document", "decision_number",
        ]  # fmt: skip
        read_only_fields = fields


class EvidenceFileOut(serializers.ModelSerializer[EvidenceFile]):
    collector_name = serializers.CharField(source="collector.name", read_only=True)

    class Meta:
        model = EvidenceFile
        fields = ["id", "kind", "original_name", "content_type", "size", "sha256", "description", "source", "collected_on", "collector", "collector_name", "uploaded_at"]
        read_only_fields = fields


# --- inputs ----------------------------------------------------------------------------------------------------
class ItemIn(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    spec = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    quantity = serializers.CharField(max_length=20)
    unit = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")


def _officer_ids() -> serializers.ListField:
    return serializers.ListField(child=IdField(), required=False, allow_empty=True, default=list, max_length=20, help_text="参与的承办人员编号；不填为本案全部承办人员")


class InterviewNoticeIn(serializers.Serializer[Any]):
    interviewee = serializers.CharField(max_length=100)
    issued_on = serializers.DateField()
    appointed_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    bring = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class InterviewRecordIn(serializers.Serializer[Any]):
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    name = serializers.CharField(max_length=64)
    content = serializers.CharField(max_length=100000)
    id_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=18)
    employer = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    position = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    signer = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    refusal_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    recorder = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    officer_ids = _officer_ids()
    notice = IdField(required=False, allow_null=True, default=None)


class SurveyIn(serializers.Serializer[Any]):
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    participants = serializers.CharField(max_length=200)
    findings = serializers.CharField(max_length=100000)
    witness = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    signer = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    refusal_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    officer_ids = _officer_ids()


class SampleIn(serializers.Serializer[Any]):
    sampled_on = serializers.DateField()
    place = serializers.CharField(max_length=200)
    items = ItemIn(many=True)
    signer = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    refusal_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    officer_ids = _officer_ids()


class PreservationIn(serializers.Serializer[Any]):
    requested_on = serializers.DateField()
    reason = serializers.CharField(max_length=5000)
    place = serializers.CharField(max_length=200)
    items = ItemIn(many=True)


class PreservationApproveIn(serializers.Serializer[Any]):
    approved = serializers.BooleanField()
    approved_on = serializers.DateField()
    opinion = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    preserved_on = serializers.DateField(required=False, allow_null=True, default=None)
    officer_ids = _officer_ids()


class PreservationDecideIn(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=PreservationOutcome.choices)
    decided_on = serializers.DateField()
    detail = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class EvidenceFileIn(serializers.Serializer[Any]):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    description = serializers.CharField(max_length=500)
    source = serializers.CharField(max_length=200)  # type: ignore[assignment]  # a field named like Field.source; DRF pops declared fields
    collected_on = serializers.DateField()
    collector = IdField(required=False, allow_null=True, default=None)


def _valid(ser_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    ser = ser_class(data=request.data)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


def _items(d: dict[str, Any]) -> None:
    d["items"] = [dict(it) for it in d["items"]]


# --- views -----------------------------------------------------------------------------------------------------
class _CaseList(APIView):
    parser_classes = [JSONParser]
    model: type[Model]
    out: type[serializers.ModelSerializer[Any]]
    related: tuple[str, ...] = ("document",)

    def rows(self, case: Case) -> QuerySet[Any]:
        return self.model.objects.filter(case=case).select_related(*self.related).order_by("seq", "id")  # type: ignore[attr-defined, no-any-return]

    def listing(self, request: Request, pk: Any) -> Response:
        case = selectors.case_get(user=request.user, pk=pk, related=CASE_RELATED, detail=False)
        return Response(self.out(self.rows(case), many=True).data)

    def created(self, obj: Any) -> Response:
        fresh = self.model.objects.select_related(*self.related).get(pk=obj.pk)  # type: ignore[attr-defined]
        return Response(self.out(fresh).data, status=status.HTTP_201_CREATED)


class InterviewListView(_CaseList):
    model, out = InterviewRecord, InterviewRecordOut

    @extend_schema(summary="询问笔录列表", operation_id="case_interviews_list", responses=InterviewRecordOut(many=True))
    def get(self, request: Request, pk: Any) -> Response:
        return self.listing(request, pk)

    @extend_schema(summary="制作询问笔录", operation_id="case_interviews_create", request=InterviewRecordIn, responses={201: InterviewRecordOut})
    def post(self, request: Request, pk: Any) -> Response:
        case = selectors.case_get(user=request.user, pk=pk, related=CASE_RELATED, detail=False)
        d = _valid(InterviewRecordIn, request)
        notice_id = d.pop("notice")
        d["notice"] = _child(InterviewNotice, case, notice_id, "询问通知书") if notice_id else None
        return self.created(services.interview_record(actor=request.user, case=case, **d))


class InterviewNoticeListView(_CaseList):
    model, out = InterviewNotice, InterviewNoticeOut

    @extend_schema(summary="询问通知书列表", operation_id="case_interview_notices_list", responses=InterviewNoticeOut(many=True))
    def get(self, request: Request, pk: Any) -> Response:
        return self.listing(request, pk)

    @extend_schema(summary="制作询问通知书", operation_id="case_interview_notices_create", request=InterviewNoticeIn, responses={201: InterviewNoticeOut})
    def post(self, request: Request, pk: Any) -> Response:
        case = selectors.case_get(user=request.user, pk=pk, related=CASE_RELATED, detail=False)
        return self.created(services.interview_notice_issue(actor=request.user, case=case, **_valid(InterviewNoticeIn, request)))


class SurveyListView(_CaseList):
    model, out = SurveyRecord, SurveyOut

    @extend_schema(summary="勘验笔录列表", operation_id="case_surveys_list", responses=SurveyOut(many=True))
    def get(self, request: Request, pk: Any) -> Response:
        return self.listing(request, pk)

    @extend_schema(summary="制作勘验笔录", operation_id="case_surveys_create", request=SurveyIn, responses={201: SurveyOut})
    def post(self, request: Request, pk: Any) -> Response:
        case = selectors.case_get(user=request.user, pk=pk, related=CASE_RELATED, detail=False)
        return self.created(services.survey_record(actor=request.user, case=case, **_valid(SurveyIn, request)))


class SampleListView(_CaseList):
    model, out = Sample, SampleOut

    @extend_schema(summary="抽样取证列表", operation_id="case_samples_list", responses=SampleOut(many=True))
    def get(self, request: Request, pk: Any) -> Response:
        return self.listing(request, pk)

    @extend_schema(summary="抽样取证", operation_id="case_samples_create", request=SampleIn, responses={201: SampleOut})
    def post(self, request: Request, pk: Any) -> Response:
        case = selectors.case_get(user=request.user, pk=pk, related=CASE_RELATED, detail=False)
        d = _valid(SampleIn, request)
        _items(d)
        return self.created(services.sample_record(actor=request.user, case=case, **d))


class PreservationListView(_CaseList):
    model, out = Preservation, PreservationOut
    related = ("approver", "notice_document", "decision_document")

    @extend_schema(summary="先行登记保存列表", operation_id="case_preservations_list", responses=PreservationOut(many=True))
    def get(self, request: Request, pk: Any) -> Response:
        return self.listing(request, pk)

    @extend_schema(summary="申请先行登记保存证据", operation_id="case_preservations_create", request=PreservationIn, responses={201: PreservationOut})
    def post(self, request: Request, pk: Any) -> Response:
        case = selectors.case_get(user=request.user, pk=pk, related=CASE_RELATED, detail=False)
        d = _valid(PreservationIn, request)
        _items(d)
        return self.created(services.preservation_request(actor=request.user, case=case, **d))


class PreservationApproveView(_CaseList):
    model, out = Preservation, PreservationOut
    related = ("approver", "notice_document", "decision_document")

    @extend_schema(summary="审批先行登记保存（机关负责人）", operation_id="case_preservation_approve", request=PreservationApproveIn, responses={200: PreservationOut})
    def post(self, request: Request, pk: Any, pres_pk: Any) -> Response:
        case = selectors.case_get(user=request.user, pk=pk, related=CASE_RELATED, detail=False)
        p = _child(Preservation, case, pres_pk, "先行登记保存申请")
        done = services.preservation_approve(actor=request.user, preservation=p, **_valid(PreservationApproveIn, request))
        return Response(self.out(self.rows(case).get(pk=done.pk)).data)


class PreservationDecideView(_CaseList):
    model, out = Preservation, PreservationOut
    related = ("approver", "notice_document", "decision_document")

    @extend_schema(summary="先行登记保存证据处理决定", operation_id="case_preservation_decide", request=PreservationDecideIn, responses={200: PreservationOut})
    def post(self, request: Request, pk: Any, pres_pk: Any) -> Response:
        case = selectors.case_get(user=request.user, pk=pk, related=CASE_RELATED, detail=False)
        p = _child(Preservation, case, pres_pk, "先行登记保存")
        done = services.preservation_decide(actor=request.user, preservation=p, **_valid(PreservationDecideIn, request))
        return Response(self.out(self.rows(case).get(pk=done.pk)).data)


class EvidenceFileListView(_CaseList):
    model, out = EvidenceFile, EvidenceFileOut
    related = ("collector",)
    parser_classes = [MultiPartParser, FormParser]

    def rows(self, case: Case) -> QuerySet[Any]:
        return EvidenceFile.objects.filter(case=case).select_related("collector").order_by("collected_on", "id")

    @extend_schema(summary="证据材料列表", operation_id="case_evidence_list", responses=EvidenceFileOut(many=True))
    def get(self, request: Request, pk: Any) -> Response:
        return self.listing(request, pk)

    @extend_schema(summary="上传证据材料", operation_id="case_evidence_create", request={"multipart/form-data": EvidenceFileIn}, responses={201: EvidenceFileOut})
    def post(self, request: Request, pk: Any) -> Response:
        case = selectors.case_get(user=request.user, pk=pk, related=CASE_RELATED, detail=False)
        d = _valid(EvidenceFileIn, request)
        upload = d.pop("file")
        collector_id = d.pop("collector")
        collector = None
        if collector_id:
            collector = Staff.objects.filter(pk=collector_id).first()
            if collector is None:
                raise ValidationFailed("收集人不存在。", fields={"collector": "收集人不存在。"})
        ev = services.evidence_file_add(actor=request.user, case=case, fh=upload, name=getattr(upload, "name", ""), collector=collector, **d)
        return self.created(ev)


urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:pk>/interviews/", InterviewListView.as_view(), name="evidence-interviews"),
    path("cases/<int:pk>/interviews/notices/", InterviewNoticeListView.as_view(), name="evidence-interview-notices"),
    path("cases/<int:pk>/surveys/", SurveyListView.as_view(), name="evidence-surveys"),
    path("cases/<int:pk>/samples/", SampleListView.as_view(), name="evidence-samples"),
    path("cases/<int:pk>/preservations/", PreservationListView.as_view(), name="evidence-preservations"),
    path("cases/<int:pk>/preservations/<int:pres_pk>/approve/", PreservationApproveView.as_view(), name="evidence-preservation-approve"),
    path("cases/<int:pk>/preservations/<int:pres_pk>/decide/", PreservationDecideView.as_view(), name="evidence-preservation-decide"),
    path("cases/<int:pk>/evidence/", EvidenceFileListView.as_view(), name="evidence-files"),
]
