"""Complaints and reports API (``/api/v1/complaints/``): thin serializers, one POST action per step,
every write through ``anjian.complaints.services``; refusals answer ``{code, message, fields,
article}``. The submitter's identity is masked here for everyone (the audited reveal is
``POST /api/v1/pii/reveal/`` with target ``submission``, for the office and the handler only)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from anjian.complaints import clocks, records, reports, selectors, services
from anjian.complaints.choices import Channel, ComplaintGround, DeclineReason, Kind, OutcomeKind, ReportGround, Status
from anjian.complaints.models import GroundFinding, Outcome, RewardRange, Submission
from anjian.core import pii
from anjian.core.api import IdField
from anjian.core.errors import ValidationFailed
from anjian.core.scoping import scope_for
from anjian.hazards.choices import Severity

ALL_GROUNDS = sorted({*ComplaintGround.values, *ReportGround.values})
DATE_ERRORS: dict[str, Any] = {"invalid": "日期格式应为YYYY-MM-DD。", "required": "请填写日期。", "null": "请填写日期。"}


def day(**kw: Any) -> serializers.DateField:
    return serializers.DateField(error_messages=DATE_ERRORS, **kw)


class SubmissionSerializer(serializers.ModelSerializer[Submission]):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "kind",
            "kind_label",
            "channel",
            "grounds",
            "summary",
            "status",
            "status_label",
            "received_on",
            "accepted_on",
            "replied_on",
            "closed_on",
            "next_due",
            "owner_agency",
            "handler",
        ]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer[GroundFinding]):
    class Meta:
        model = GroundFinding
        fields = ["ground", "substantiated", "note", "recorded_on"]
        read_only_fields = fields


class OutcomeSerializer(serializers.ModelSerializer[Outcome]):
    class Meta:
        model = Outcome
        fields = ["kind", "ground", "officer", "case", "note", "done_on"]
        read_only_fields = fields


class SubmissionDetailSerializer(SubmissionSerializer):
    findings = FindingSerializer(many=True, read_only=True)
    outcomes = OutcomeSerializer(many=True, read_only=True)
    clocks = serializers.SerializerMethodField()
    handling = serializers.SerializerMethodField(help_text="举报的核查处理情况：核查检查、函询、隐患、移交和立案、奖励（投诉为null）")
    escalation = serializers.SerializerMethodField(help_text="涉及人员死亡的举报：报请县级以上人民政府组织核查处理（安全生产法第七十三条第二款）")

    def get_escalation(self, obj: Submission) -> str:
        return services.escalation_note(obj)

    class Meta(SubmissionSerializer.Meta):
        fields = [
            *SubmissionSerializer.Meta.fields, "content", "anonymous", "deaths_alleged", "escalation", "submitter_name", "submitter_id_number", "submitter_phone", "submitter_address",
            "enterprise", "unit_name", "case", "inspection", "officer_names", "assigned_on", "result_text", "measures_text", "public_reply",
            "drafted_on", "approved_on", "extension_status", "extension_reason", "reply_received_on", "review_requested_on", "review_answered_on",
            "review_text", "re_review_requested_on", "re_review_answered_on", "re_review_text", "decline_reason", "decline_note", "referred_to", "verification", "inquiry_sent_on", "inquiry_text", "inquiry_answered_on", "inquiry_answer", "handling", "findings", "outcomes", "clocks",
        ]  # fmt: skip
        read_only_fields = fields

    def get_handling(self, obj: Submission) -> dict[str, Any] | None:
        return reports.handling(obj) if obj.kind == Kind.REPORT else None

    def get_clocks(self, obj: Submission) -> list[dict[str, Any]]:
        return [{"name": c.name, "article": c.article, "due": c.due, "done_on": c.done_on, "late": c.late, "provisional": c.provisional} for c in clocks.clocks(obj)]

    def to_representation(self, instance: Submission) -> dict[str, Any]:
        return pii.mask_fields(super().to_representation(instance), Submission)


class RegisterSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Kind.choices)
    channel = serializers.ChoiceField(choices=[c for c in Channel.choices if c[0] != Channel.WEB])
    grounds = serializers.ListField(child=serializers.ChoiceField(choices=ALL_GROUNDS), allow_empty=False, max_length=20)
    summary = serializers.CharField(max_length=services.SUMMARY_MAX)
    content = serializers.CharField(max_length=services.CONTENT_MAX)
    received_on = day()
    anonymous = serializers.BooleanField(default=False)
    submitter_name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    submitter_id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    submitter_phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    submitter_address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    enterprise_id = IdField(required=False, allow_null=True, default=None)
    unit_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    case_id = IdField(required=False, allow_null=True, default=None)
    inspection_id = IdField(required=False, allow_null=True, default=None)
    officer_ids = serializers.ListField(child=IdField(), required=False, default=list, max_length=20)
    officer_names = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    deaths_alleged = serializers.IntegerField(min_value=0, max_value=10000, required=False, default=0)


class RegisteredSerializer(SubmissionDetailSerializer):
    tracking_code = serializers.SerializerMethodField(help_text="查询码：只在登记时返回一次，系统不保存原文")

    class Meta(SubmissionDetailSerializer.Meta):
        fields = [*SubmissionDetailSerializer.Meta.fields, "tracking_code"]
        read_only_fields = fields

    def get_tracking_code(self, obj: Submission) -> str:
        return str(self.context.get("code", ""))


class AcceptSerializer(serializers.Serializer[Any]):
    accepted_on = day()
    late_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DeclineSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=DeclineReason.choices)
    note = serializers.CharField(max_length=services.TEXT_MAX)
    decided_on = day()
    referred_to = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    late_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer[Any]):
    handler_id = IdField()
    department_ids = serializers.ListField(child=IdField(), allow_empty=False, max_length=20)
    assigned_on = day()


class FindingInSerializer(serializers.Serializer[Any]):
    ground = serializers.ChoiceField(choices=ALL_GROUNDS)
    substantiated = serializers.BooleanField()
    note = serializers.CharField(max_length=services.TEXT_MAX)
    recorded_on = day()


class DraftSerializer(serializers.Serializer[Any]):
    result_text = serializers.CharField(max_length=services.TEXT_MAX)
    public_reply = serializers.CharField(max_length=services.TEXT_MAX)
    measures_text = serializers.CharField(max_length=services.TEXT_MAX, required=False, allow_blank=True, default="")
    drafted_on = day()


class ApproveSerializer(serializers.Serializer[Any]):
    approved = serializers.BooleanField()
    decided_on = day()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ExtensionSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500)
    requested_on = day()


class ExtensionDecideSerializer(serializers.Serializer[Any]):
    approved = serializers.BooleanField()
    decided_on = day()


class ReplySerializer(serializers.Serializer[Any]):
    replied_on = day()
    received_on = day(required=False, allow_null=True, default=None)
    late_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RequestSerializer(serializers.Serializer[Any]):
    requested_on = day()


class AnswerSerializer(serializers.Serializer[Any]):
    answered_on = day()
    text = serializers.CharField(max_length=services.TEXT_MAX)


class VerifySerializer(serializers.Serializer[Any]):
    enterprise_id = IdField(required=False, allow_null=True, default=None)
    officer_ids = serializers.ListField(child=IdField(), allow_empty=False, max_length=10)
    inspected_on = day()
    place = serializers.CharField(max_length=200)


class OutcomeInSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=OutcomeKind.choices)
    ground = serializers.ChoiceField(choices=ALL_GROUNDS)
    officer_id = IdField(required=False, allow_null=True, default=None)
    case_id = IdField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=services.TEXT_MAX)
    done_on = day()


class CloseSerializer(serializers.Serializer[Any]):
    closed_on = day()


class RecordFactSerializer(serializers.Serializer[Any]):
    text = serializers.CharField()
    marked = serializers.BooleanField(help_text="记录本身显示的不符合规定之处（附依据），不是对投诉事项的结论")
    article = serializers.CharField()


class RecordSectionSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field named like the Field attribute
    url = serializers.CharField()
    facts = RecordFactSerializer(many=True)


class GroundRecordsSerializer(serializers.Serializer[Any]):
    ground = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    note = serializers.CharField(help_text="系统无可对照记录时的说明")
    sections = RecordSectionSerializer(many=True)


class InquirySerializer(serializers.Serializer[Any]):
    sent_on = day()
    text = serializers.CharField(max_length=services.TEXT_MAX)


class InquiryAnswerSerializer(serializers.Serializer[Any]):
    answered_on = day()
    answer = serializers.CharField(max_length=services.TEXT_MAX)


class HazardInSerializer(serializers.Serializer[Any]):
    description = serializers.CharField(max_length=500)
    location = serializers.CharField(max_length=200)
    severity = serializers.ChoiceField(choices=Severity.choices)
    found_on = day()
    major_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    period_days = serializers.IntegerField(min_value=1, max_value=365, required=False, allow_null=True, default=None)


class TransferInSerializer(serializers.Serializer[Any]):
    from_department_id = IdField()
    to_department_id = IdField()
    facts = serializers.CharField(max_length=services.TEXT_MAX)
    suggested_basis = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


AMOUNT = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01")}


class RewardInSerializer(serializers.Serializer[Any]):
    amount = serializers.DecimalField(**AMOUNT)  # type: ignore[arg-type]
    reason = serializers.CharField(max_length=services.TEXT_MAX)
    proposed_on = day()


class RewardDecideSerializer(serializers.Serializer[Any]):
    approved = serializers.BooleanField()
    decided_on = day()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RewardPaidSerializer(serializers.Serializer[Any]):
    paid_on = day()
    payment_ref = serializers.CharField(max_length=64)


class RewardRangeSerializer(serializers.ModelSerializer[RewardRange]):
    class Meta:
        model = RewardRange
        fields = ["id", "min_amount", "max_amount", "basis", "effective_from", "set_at"]
        read_only_fields = fields


class RewardRangeInSerializer(serializers.Serializer[Any]):
    min_amount = serializers.DecimalField(**AMOUNT)  # type: ignore[arg-type]
    max_amount = serializers.DecimalField(**AMOUNT)  # type: ignore[arg-type]
    basis = serializers.CharField(max_length=200)
    effective_from = day()


class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Submission]):
    serializer_class = SubmissionSerializer

    def get_queryset(self) -> QuerySet[Submission]:
        p = self.request.query_params
        errors = {}
        if p.get("kind") and p["kind"] not in Kind.values:
            errors["kind"] = "类别应为complaint或report。"
        if p.get("status") and p["status"] not in Status.values:
            errors["status"] = "无效的状态。"
        if errors:
            raise ValidationFailed("查询条件有误。", fields=errors)
        return selectors.submission_list(user=self.request.user, filters={k: p.get(k) for k in ("kind", "status", "channel", "due", "q")})

    def get_object(self) -> Submission:
        return selectors.submission_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(responses=SubmissionDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(SubmissionDetailSerializer(self.get_object()).data)

    @extend_schema(request=RegisterSerializer, responses={201: RegisteredSerializer})
    def create(self, request: Request) -> Response:
        ser = RegisterSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        sub, code = services.submission_register(actor=request.user, **ser.validated_data)
        return Response(RegisteredSerializer(sub, context={"code": code}).data, status=status.HTTP_201_CREATED)

    def _step(self, request: Request, ser_class: type[serializers.Serializer[Any]], fn: Callable[..., Any]) -> Response:
        sub = self.get_object()  # out of scope (or named in it) answers 404 before the body is looked at
        ser = ser_class(data=request.data)
        ser.is_valid(raise_exception=True)
        fn(actor=request.user, submission=sub, **ser.validated_data)
        return Response(SubmissionDetailSerializer(selectors.submission_get(user=request.user, pk=sub.pk)).data)

    @extend_schema(request=AcceptSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self._step(request, AcceptSerializer, services.submission_accept)

    @extend_schema(request=DeclineSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        return self._step(request, DeclineSerializer, services.submission_decline)

    @extend_schema(request=AssignSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        return self._step(request, AssignSerializer, services.submission_assign)

    @extend_schema(request=FindingInSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def findings(self, request: Request, pk: str) -> Response:
        return self._step(request, FindingInSerializer, services.finding_record)

    @extend_schema(request=OutcomeInSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def outcomes(self, request: Request, pk: str) -> Response:
        return self._step(request, OutcomeInSerializer, services.outcome_record)

    @extend_schema(request=DraftSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def draft(self, request: Request, pk: str) -> Response:
        return self._step(request, DraftSerializer, services.result_draft)

    @extend_schema(request=ApproveSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._step(request, ApproveSerializer, services.result_approve)

    @extend_schema(request=ExtensionSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def extension(self, request: Request, pk: str) -> Response:
        return self._step(request, ExtensionSerializer, services.extension_request)

    @extend_schema(request=ExtensionDecideSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="extension/decide")
    def extension_decide(self, request: Request, pk: str) -> Response:
        return self._step(request, ExtensionDecideSerializer, services.extension_decide)

    @extend_schema(request=ReplySerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        return self._step(request, ReplySerializer, services.submission_reply)

    @extend_schema(request=RequestSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="review-request")
    def review_request(self, request: Request, pk: str) -> Response:
        return self._step(request, RequestSerializer, services.review_request)

    @extend_schema(request=AnswerSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="review-answer")
    def review_answer(self, request: Request, pk: str) -> Response:
        return self._step(request, AnswerSerializer, services.review_answer)

    @extend_schema(request=RequestSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="re-review-request")
    def re_review_request(self, request: Request, pk: str) -> Response:
        return self._step(request, RequestSerializer, services.re_review_request)

    @extend_schema(request=AnswerSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="re-review-answer")
    def re_review_answer(self, request: Request, pk: str) -> Response:
        return self._step(request, AnswerSerializer, services.re_review_answer)

    @extend_schema(request=VerifySerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        return self._step(request, VerifySerializer, services.report_verify)

    @extend_schema(responses=GroundRecordsSerializer(many=True))
    @action(detail=True, methods=["get"])
    def records(self, request: Request, pk: str) -> Response:
        """What anjian's own records say on each ground of a conduct complaint (the case, the
        inspection, the officers it names); facts only, the investigator decides."""
        sub = self.get_object()
        return Response(GroundRecordsSerializer(records.as_dicts(records.for_submission(sub)), many=True).data)

    @extend_schema(request=InquirySerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def inquiry(self, request: Request, pk: str) -> Response:
        return self._step(request, InquirySerializer, reports.inquiry_send)

    @extend_schema(request=InquiryAnswerSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="inquiry-answer")
    def inquiry_answer(self, request: Request, pk: str) -> Response:
        return self._step(request, InquiryAnswerSerializer, reports.inquiry_answer)

    @extend_schema(request=HazardInSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def hazard(self, request: Request, pk: str) -> Response:
        return self._step(request, HazardInSerializer, reports.hazard_register)

    @extend_schema(request=TransferInSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str) -> Response:
        return self._step(request, TransferInSerializer, reports.transfer_to_enforcement)

    @extend_schema(request=RewardInSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def reward(self, request: Request, pk: str) -> Response:
        return self._step(request, RewardInSerializer, reports.reward_propose)

    @extend_schema(request=RewardDecideSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="reward/decide")
    def reward_decide(self, request: Request, pk: str) -> Response:
        return self._step(request, RewardDecideSerializer, reports.reward_decide)

    @extend_schema(request=RewardPaidSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="reward/paid")
    def reward_paid(self, request: Request, pk: str) -> Response:
        return self._step(request, RewardPaidSerializer, reports.reward_paid)

    @extend_schema(methods=["GET"], responses=RewardRangeSerializer(many=True))
    @extend_schema(methods=["POST"], request=RewardRangeInSerializer, responses={201: RewardRangeSerializer})
    @action(detail=False, methods=["get", "post"], url_path="reward-range", pagination_class=None)
    def reward_range(self, request: Request) -> Response:
        """The actor's bureau's reward ranges, newest first; a leader of the bureau adds one."""
        scope = scope_for(request.user)
        if request.method == "POST":
            ser = RewardRangeInSerializer(data=request.data)
            ser.is_valid(raise_exception=True)
            r = reports.reward_range_set(actor=request.user, **ser.validated_data)
            return Response(RewardRangeSerializer(r).data, status=status.HTTP_201_CREATED)
        rows = RewardRange.objects.filter(agency_id=scope.agency_id or 0).order_by("-effective_from", "-id") if scope.is_member else RewardRange.objects.none()
        return Response(RewardRangeSerializer(rows, many=True).data)

    @extend_schema(request=CloseSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        return self._step(request, CloseSerializer, services.submission_close)
