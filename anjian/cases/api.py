"""Penalty-case API (``/api/v1/cases/``): thin serializers, one POST action per transition, every
write through ``anjian.cases.services``; refusals answer ``{code, message, fields, article}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from anjian.cases import selectors, services
from anjian.cases.models import Accident, Case, CaseDeadline, CaseOfficer, CaseStep, CaseViolation, DecisionExtension, Notice
from anjian.core.errors import ValidationFailed
from anjian.core.scoping import get_for_user
from anjian.enterprises.models import Enterprise
from anjian.hazards.models import Hazard, Transfer
from anjian.inspections.models import Finding
from anjian.org.models import Staff


class CaseSerializer(serializers.ModelSerializer[Case]):
    party_name = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "title", "party_type", "party_name", "enterprise", "person_name", "status", "status_label", "source", "procedure",
            "discovered_on", "filed_on", "decided_on", "fine_total", "decision_served_on", "closed_on", "opened_at",
        ]  # fmt: skip
        read_only_fields = fields


class ViolationSerializer(serializers.ModelSerializer[CaseViolation]):
    class Meta:
        model = CaseViolation
        fields = [
            "id", "violation_id", "item", "subject", "circumstance", "grade", "act_group", "act_date", "act_ended_on", "circumstances",
            "proposed_amount", "other_kinds", "band", "range_min", "range_max", "range_basis", "mitigation_ground", "reasons",
        ]  # fmt: skip
        read_only_fields = fields


class OfficerSerializer(serializers.ModelSerializer[CaseOfficer]):
    name = serializers.CharField(source="staff.name", read_only=True)

    class Meta:
        model = CaseOfficer
        fields = ["staff", "name", "certificate_number", "checked_on", "valid", "check_result"]
        read_only_fields = fields


class DeadlineSerializer(serializers.ModelSerializer[CaseDeadline]):
    class Meta:
        model = CaseDeadline
        fields = ["code", "name", "trigger_date", "due", "article", "calendar_version", "provisional", "unverified", "protects_party", "warning", "met_on"]
        read_only_fields = fields


class StepSerializer(serializers.ModelSerializer[CaseStep]):
    class Meta:
        model = CaseStep
        fields = ["action", "label", "from_status", "to_status", "on", "actor_name", "summary", "article", "document", "deadline_code", "deadline_due", "deadline_met"]
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer[Notice]):
    class Meta:
        model = Notice
        fields = ["id", "issued_on", "proposal", "fine_total", "hearing_offered", "hearing_reasons", "hearing_warning", "served_on", "service_method", "service_basis"]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    violations = ViolationSerializer(many=True, read_only=True)
    officers = OfficerSerializer(source="officer_rows", many=True, read_only=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    notices = NoticeSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "facts", "source_reason", "transfer", "hazard", "finding", "accident", "repeat_dates", "violations", "officers", "deadlines", "steps", "notices"]
        read_only_fields = fields


# --- inputs --------------------------------------------------------------------------------------------------------------
class OpenSerializer(serializers.Serializer[Any]):
    source = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.source; DRF pops declared fields
    title = serializers.CharField(allow_blank=True)
    facts = serializers.CharField(allow_blank=True)
    discovered_on = serializers.DateField()
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False, allow_null=True, default=None)
    person_name = serializers.CharField(required=False, allow_blank=True, default="")
    person_id_number = serializers.CharField(required=False, allow_blank=True, default="")
    person_position = serializers.CharField(required=False, allow_blank=True, default="")
    transfer = serializers.PrimaryKeyRelatedField(queryset=Transfer.objects.all(), required=False, allow_null=True, default=None)
    hazard = serializers.PrimaryKeyRelatedField(queryset=Hazard.objects.all(), required=False, allow_null=True, default=None)
    finding = serializers.PrimaryKeyRelatedField(queryset=Finding.objects.all(), required=False, allow_null=True, default=None)
    accident = serializers.IntegerField(required=False, allow_null=True, default=None)
    source_reason = serializers.CharField(required=False, allow_blank=True, default="")
    complex_case = serializers.BooleanField(required=False, default=False)
    major_public_interest = serializers.BooleanField(required=False, default=False)
    serious_violation = serializers.BooleanField(required=False, default=False)


class TransferAcceptSerializer(serializers.Serializer[Any]):
    transfer = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    facts = serializers.CharField(required=False, allow_blank=True, default="")


class AccidentSerializer(serializers.Serializer[Any]):
    enterprise = serializers.IntegerField()
    occurred_on = serializers.DateField()
    deaths = serializers.IntegerField(min_value=0)
    serious_injuries = serializers.IntegerField(min_value=0)
    direct_loss = serializers.CharField()
    narrative = serializers.CharField(allow_blank=True)


class ViolationAddSerializer(serializers.Serializer[Any]):
    violation_id = serializers.CharField()
    act_date = serializers.DateField()
    subject = serializers.CharField(required=False, default="unit")
    circumstance = serializers.CharField(required=False, default="base")
    item = serializers.IntegerField(required=False, allow_null=True, default=None)
    act_ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    act_group = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    life_health_harm = serializers.BooleanField(required=False, default=False)
    circumstances = serializers.CharField(required=False, allow_blank=True, default="")
    grade = serializers.CharField(required=False, allow_blank=True, default="")
    income = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None)
    gains = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None)


class FileSerializer(serializers.Serializer[Any]):
    filed_on = serializers.DateField()


class OfficersSerializer(serializers.Serializer[Any]):
    staff_ids = serializers.ListField(child=serializers.IntegerField())
    on = serializers.DateField(required=False, allow_null=True, default=None)


class ProposeItemSerializer(serializers.Serializer[Any]):
    violation = serializers.IntegerField()
    # Kept as text: the service refuses more than two decimals with a Chinese message.
    amount = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None)
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    mitigation_ground = serializers.CharField(required=False, allow_blank=True, default="")
    other_kinds = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class ProposeSerializer(serializers.Serializer[Any]):
    items = ProposeItemSerializer(many=True)
    proposed_on = serializers.DateField(required=False, allow_null=True, default=None)


class NoticeIssueSerializer(serializers.Serializer[Any]):
    issued_on = serializers.DateField()


class ServedSerializer(serializers.Serializer[Any]):
    method = serializers.CharField()
    event_date = serializers.DateField()
    recipient = serializers.CharField(allow_blank=True)
    witness = serializers.CharField(required=False, allow_blank=True, default="")
    consent_ref = serializers.CharField(required=False, allow_blank=True, default="")


class DefenceSerializer(serializers.Serializer[Any]):
    received_on = serializers.DateField()
    kind = serializers.CharField()
    form = serializers.CharField()
    content = serializers.CharField(allow_blank=True)


class WaiverSerializer(serializers.Serializer[Any]):
    signed_on = serializers.DateField()
    signer = serializers.CharField(allow_blank=True)
    waives_hearing = serializers.BooleanField(required=False, default=False)
    file = serializers.FileField(required=False, allow_null=True, default=None)


class HearingRequestSerializer(serializers.Serializer[Any]):
    requested_on = serializers.DateField()


class HearingNoticeSerializer(serializers.Serializer[Any]):
    hearing_date = serializers.DateField()
    notice_served_on = serializers.DateField()
    place = serializers.CharField(allow_blank=True)
    chair = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all())
    public = serializers.BooleanField(required=False, default=True)
    not_public_reason = serializers.CharField(required=False, allow_blank=True, default="")


class HearingHeldSerializer(serializers.Serializer[Any]):
    held_on = serializers.DateField()
    outcome = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)


class LegalReviewSerializer(serializers.Serializer[Any]):
    reviewed_on = serializers.DateField()
    passed = serializers.BooleanField()
    opinion = serializers.CharField(allow_blank=True)


class CollectiveSerializer(serializers.Serializer[Any]):
    held_on = serializers.DateField()
    attendee_ids = serializers.ListField(child=serializers.IntegerField())
    conclusion = serializers.CharField(allow_blank=True)
    approves_mitigation = serializers.BooleanField(required=False, default=False)


class ExtensionRequestSerializer(serializers.Serializer[Any]):
    requested_on = serializers.DateField()
    extend_until = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)


class ExtensionDecideSerializer(serializers.Serializer[Any]):
    approved = serializers.BooleanField()
    decided_on = serializers.DateField()


class DecideSerializer(serializers.Serializer[Any]):
    decided_on = serializers.DateField()


class PaymentSerializer(serializers.Serializer[Any]):
    paid_on = serializers.DateField()
    amount = serializers.CharField()
    receipt_no = serializers.CharField(allow_blank=True)


class NoPenaltySerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    ground = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)


class WithdrawSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)


class ReferSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    referred_to = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True)


class CloseSerializer(serializers.Serializer[Any]):
    closed_on = serializers.DateField()


class BoardRowSerializer(serializers.Serializer[Any]):
    case_id = serializers.IntegerField()
    title = serializers.CharField()
    party = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    step = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True)
    article = serializers.CharField()
    provisional = serializers.BooleanField()
    overdue = serializers.BooleanField()
    waiting_for = serializers.CharField()


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Case]):
    serializer_class = CaseSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Case]:
        p = self.request.query_params
        return selectors.case_list(user=self.request.user, filters={k: p.get(k) for k in ("status", "source", "enterprise", "open", "q")})

    def get_object(self) -> Case:
        return selectors.case_get(user=self.request.user, pk=self.kwargs["pk"])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(CaseDetailSerializer(self.get_object()).data)

    def _ok(self, case: Case, code: int = status.HTTP_200_OK) -> Response:
        return Response(CaseDetailSerializer(selectors.case_get(user=self.request.user, pk=case.pk)).data, status=code)

    def _transition(self, request: Request, ser_class: type[serializers.Serializer[Any]], fn: Callable[..., Any]) -> Response:
        ser = ser_class(data=request.data)
        ser.is_valid(raise_exception=True)
        case = self.get_object()
        fn(actor=request.user, case=case, **ser.validated_data)
        return self._ok(case)

    @extend_schema(request=OpenSerializer, responses=CaseDetailSerializer)
    def create(self, request: Request) -> Response:
        ser = OpenSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        accident = d.pop("accident")
        d["accident"] = get_for_user(Accident.objects.all(), request.user, accident) if accident else None
        case = services.case_open(actor=request.user, **d)
        return self._ok(case, status.HTTP_201_CREATED)

    @extend_schema(request=TransferAcceptSerializer, responses=CaseDetailSerializer)
    @action(detail=False, methods=["post"], url_path="transfer-accept")
    def transfer_accept(self, request: Request) -> Response:
        ser = TransferAcceptSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        transfer = get_for_user(Transfer.objects.all(), request.user, d.pop("transfer"))
        case = services.transfer_accept_into_case(actor=request.user, transfer=transfer, **d)
        return self._ok(case, status.HTTP_201_CREATED)

    @extend_schema(request=AccidentSerializer, responses=dict)
    @action(detail=False, methods=["post"])
    def accident(self, request: Request) -> Response:
        ser = AccidentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        ent = get_for_user(Enterprise.objects.all(), request.user, d.pop("enterprise"))
        a = services.accident_record(actor=request.user, enterprise=ent, **d)
        r = services.accident_ranges(a)
        return Response({"id": a.pk, "grade": a.grade, "grade_label": r["grade_label"], "unit_range": str(r["unit"]), "unit_range_basis": r["unit"].basis}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=BoardRowSerializer(many=True))
    @action(detail=False, methods=["get"])
    def board(self, request: Request) -> Response:
        return Response(BoardRowSerializer(selectors.deadline_board(user=request.user), many=True).data)

    @extend_schema(request=None, responses=dict)
    @action(detail=False, methods=["get"])
    def awaiting(self, request: Request) -> Response:
        hs = selectors.hazards_awaiting_case(user=request.user)[:500]
        return Response([{"hazard": h.pk, "enterprise": h.enterprise_id, "enterprise_name": h.enterprise.name, "description": h.description, "overdue_since": h.overdue_since} for h in hs])

    @extend_schema(request=ViolationAddSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def violations(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, ViolationAddSerializer, services.case_violation_add)

    @extend_schema(request=FileSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="file")
    def file_case(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, FileSerializer, services.case_file)

    @extend_schema(request=OfficersSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def officers(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, OfficersSerializer, services.case_assign_officers)

    @extend_schema(request=ProposeSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def propose(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, ProposeSerializer, services.case_propose)

    @extend_schema(request=NoticeIssueSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def notice(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, NoticeIssueSerializer, services.notice_issue)

    @extend_schema(request=ServedSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="notice-served")
    def notice_served(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, ServedSerializer, services.notice_served)

    @extend_schema(request=DefenceSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def defence(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, DefenceSerializer, services.defence_record)

    @extend_schema(request=WaiverSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def waiver(self, request: Request, pk: str | None = None) -> Response:
        ser = WaiverSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        upload = d.pop("file")
        case = self.get_object()
        services.waiver_record(actor=request.user, case=case, fh=upload, name=getattr(upload, "name", ""), **d)
        return self._ok(case)

    @extend_schema(request=HearingRequestSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="hearing-request")
    def hearing_request(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, HearingRequestSerializer, services.hearing_request)

    @extend_schema(request=HearingNoticeSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="hearing-notice")
    def hearing_notice(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, HearingNoticeSerializer, services.hearing_notice)

    @extend_schema(request=HearingHeldSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="hearing-held")
    def hearing_held(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, HearingHeldSerializer, services.hearing_held)

    @extend_schema(request=LegalReviewSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="legal-review")
    def legal_review(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, LegalReviewSerializer, services.legal_review_record)

    @extend_schema(request=CollectiveSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def collective(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CollectiveSerializer, services.collective_discussion_record)

    @extend_schema(request=ExtensionRequestSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def extension(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, ExtensionRequestSerializer, services.extension_request)

    @extend_schema(request=ExtensionDecideSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"extension/(?P<ext_pk>[0-9]+)/decide")
    def extension_decide(self, request: Request, pk: str | None = None, ext_pk: str = "") -> Response:
        ser = ExtensionDecideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        case = self.get_object()
        ext = DecisionExtension.objects.filter(case=case, pk=ext_pk).first()
        if ext is None:
            raise ValidationFailed("延长办案期限申请不存在。", fields={"extension": "不存在。"})
        services.extension_decide(actor=request.user, extension=ext, **ser.validated_data)
        return self._ok(case)

    @extend_schema(request=DecideSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, DecideSerializer, services.decision_make)

    @extend_schema(request=ServedSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="decision-served")
    def decision_served(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, ServedSerializer, services.decision_served)

    @extend_schema(request=PaymentSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def payment(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, PaymentSerializer, services.payment_record)

    @extend_schema(request=NoPenaltySerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="no-penalty")
    def no_penalty(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, NoPenaltySerializer, services.case_no_penalty)

    @extend_schema(request=WithdrawSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, WithdrawSerializer, services.case_withdraw)

    @extend_schema(request=ReferSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def refer(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, ReferSerializer, services.case_refer)

    @extend_schema(request=CloseSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CloseSerializer, services.case_close)
