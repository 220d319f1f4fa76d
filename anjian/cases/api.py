"""Penalty-case API (``/api/v1/cases/``): thin serializers, one POST action per transition, every
write through ``anjian.cases.services``; refusals answer ``{code, message, fields, article}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from anjian.cases import selectors, services
from anjian.cases.models import Accident, Case, CaseDeadline, CaseOfficer, CaseStep, CaseViolation, DecisionExtension, Notice, Recusal, Statement
from anjian.core.api import IdField
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


class CaseViolationSerializer(serializers.ModelSerializer[CaseViolation]):
    class Meta:
        model = CaseViolation
        fields = [
            "id", "violation_id", "item", "subject", "circumstance", "grade", "act_group", "act_date", "act_ended_on", "circumstances",
            "proposed_amount", "other_kinds", "band", "range_min", "range_max", "range_basis", "mitigation_ground", "reasons",
        ]  # fmt: skip
        read_only_fields = fields


class CaseOfficerSerializer(serializers.ModelSerializer[CaseOfficer]):
    name = serializers.CharField(source="staff.name", read_only=True)

    class Meta:
        model = CaseOfficer
        fields = ["staff", "name", "certificate_number", "checked_on", "valid", "check_result"]
        read_only_fields = fields


class CaseDeadlineSerializer(serializers.ModelSerializer[CaseDeadline]):
    replaced_due = serializers.DateField(source="replaces.due", read_only=True, allow_null=True, help_text="本期限替代的原届满日（原送达登记有误而撤回的期限）；无则为空")

    class Meta:
        model = CaseDeadline
        fields = ["code", "name", "trigger_date", "due", "article", "calendar_version", "provisional", "unverified", "protects_party", "warning", "met_on", "replaced_due"]
        read_only_fields = fields


class CaseStepSerializer(serializers.ModelSerializer[CaseStep]):
    class Meta:
        model = CaseStep
        fields = ["action", "label", "from_status", "to_status", "on", "actor_name", "summary", "article", "document", "deadline_code", "deadline_due", "deadline_met"]
        read_only_fields = fields


class CaseNoticeSerializer(serializers.ModelSerializer[Notice]):
    class Meta:
        model = Notice
        fields = ["id", "issued_on", "proposal", "fine_total", "hearing_offered", "hearing_reasons", "hearing_warning", "served_on", "service_method", "service_basis"]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    violations = CaseViolationSerializer(many=True, read_only=True)
    officers = CaseOfficerSerializer(source="officer_rows", many=True, read_only=True)
    deadlines = CaseDeadlineSerializer(many=True, read_only=True)
    steps = CaseStepSerializer(many=True, read_only=True)
    notices = CaseNoticeSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "facts", "source_reason", "transfer", "hazard", "finding", "accident", "repeat_dates", "violations", "officers", "deadlines", "steps", "notices"]
        read_only_fields = fields


# --- inputs --------------------------------------------------------------------------------------------------------------
class CaseOpenSerializer(serializers.Serializer[Any]):
    source = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.source; DRF pops declared fields
    title = serializers.CharField(allow_blank=True)
    facts = serializers.CharField(allow_blank=True)
    discovered_on = serializers.DateField()
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False, allow_null=True, default=None)
    person_name = serializers.CharField(required=False, allow_blank=True, default="")
    person_id_number = serializers.CharField(required=False, allow_blank=True, default="")
    person_position = serializers.CharField(required=False, allow_blank=True, default="")
    person_address = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    transfer = serializers.PrimaryKeyRelatedField(queryset=Transfer.objects.all(), required=False, allow_null=True, default=None)
    hazard = serializers.PrimaryKeyRelatedField(queryset=Hazard.objects.all(), required=False, allow_null=True, default=None)
    finding = serializers.PrimaryKeyRelatedField(queryset=Finding.objects.all(), required=False, allow_null=True, default=None)
    accident = IdField(required=False, allow_null=True, default=None)
    source_reason = serializers.CharField(required=False, allow_blank=True, default="")
    complex_case = serializers.BooleanField(required=False, default=False)
    major_public_interest = serializers.BooleanField(required=False, default=False)
    serious_violation = serializers.BooleanField(required=False, default=False)


class CaseTransferAcceptSerializer(serializers.Serializer[Any]):
    transfer = IdField()
    title = serializers.CharField(allow_blank=True)
    facts = serializers.CharField(required=False, allow_blank=True, default="")


class CaseAccidentSerializer(serializers.Serializer[Any]):
    enterprise = IdField()
    occurred_on = serializers.DateField()
    deaths = serializers.IntegerField(min_value=0)
    serious_injuries = serializers.IntegerField(min_value=0)
    direct_loss = serializers.CharField()
    narrative = serializers.CharField(allow_blank=True)


class CaseViolationAddSerializer(serializers.Serializer[Any]):
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


class CaseFileSerializer(serializers.Serializer[Any]):
    filed_on = serializers.DateField()


class CaseOfficersSerializer(serializers.Serializer[Any]):
    staff_ids = serializers.ListField(child=IdField())
    on = serializers.DateField(required=False, allow_null=True, default=None)


class CaseProposeItemSerializer(serializers.Serializer[Any]):
    violation = IdField()
    # Kept as text: the service refuses more than two decimals with a Chinese message.
    amount = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None)
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    mitigation_ground = serializers.CharField(required=False, allow_blank=True, default="")
    other_kinds = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class CaseProposeSerializer(serializers.Serializer[Any]):
    items = CaseProposeItemSerializer(many=True)
    proposed_on = serializers.DateField(required=False, allow_null=True, default=None)


class CaseNoticeIssueSerializer(serializers.Serializer[Any]):
    issued_on = serializers.DateField()


class CaseServedSerializer(serializers.Serializer[Any]):
    method = serializers.CharField()
    event_date = serializers.DateField()
    recipient = serializers.CharField(allow_blank=True)
    witness = serializers.CharField(required=False, allow_blank=True, default="")
    consent_ref = serializers.CharField(required=False, allow_blank=True, default="")


class CaseDefenceSerializer(serializers.Serializer[Any]):
    received_on = serializers.DateField()
    kind = serializers.CharField()
    form = serializers.CharField()
    content = serializers.CharField(allow_blank=True)


class CaseDefenceReviewSerializer(serializers.Serializer[Any]):
    statement = IdField()
    review = serializers.CharField(allow_blank=True)


class CaseWaiverSerializer(serializers.Serializer[Any]):
    signed_on = serializers.DateField()
    signer = serializers.CharField(allow_blank=True)
    waives_hearing = serializers.BooleanField(required=False, default=False)
    file = serializers.FileField(required=False, allow_null=True, default=None)


class CaseHearingRequestSerializer(serializers.Serializer[Any]):
    requested_on = serializers.DateField()


class CaseHearingNoticeSerializer(serializers.Serializer[Any]):
    hearing_date = serializers.DateField()
    notice_served_on = serializers.DateField()
    place = serializers.CharField(allow_blank=True)
    chair = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all())
    public = serializers.BooleanField(required=False, default=True)
    not_public_reason = serializers.CharField(required=False, allow_blank=True, default="")


class CaseHearingHeldSerializer(serializers.Serializer[Any]):
    held_on = serializers.DateField()
    outcome = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    opinion = serializers.CharField(required=False, allow_blank=True, default="")  # the chair's opinion (听证会报告书)


class CaseLegalReviewSerializer(serializers.Serializer[Any]):
    reviewed_on = serializers.DateField()
    passed = serializers.BooleanField()
    opinion = serializers.CharField(allow_blank=True)


class CaseCollectiveSerializer(serializers.Serializer[Any]):
    held_on = serializers.DateField()
    attendee_ids = serializers.ListField(child=IdField())
    conclusion = serializers.CharField(allow_blank=True)
    approves_mitigation = serializers.BooleanField(required=False, default=False)


class CaseExtensionRequestSerializer(serializers.Serializer[Any]):
    requested_on = serializers.DateField()
    extend_until = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)


class CaseExtensionDecideSerializer(serializers.Serializer[Any]):
    approved = serializers.BooleanField()
    decided_on = serializers.DateField()


class CaseDecideSerializer(serializers.Serializer[Any]):
    decided_on = serializers.DateField()


class CasePaymentSerializer(serializers.Serializer[Any]):
    paid_on = serializers.DateField()
    amount = serializers.CharField()
    receipt_no = serializers.CharField(allow_blank=True)


class CaseNoPenaltySerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    ground = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)


class CaseWithdrawSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)


class CaseReferSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    referred_to = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True)


class CaseCloseSerializer(serializers.Serializer[Any]):
    closed_on = serializers.DateField()


class CaseSummarySerializer(serializers.Serializer[Any]):
    title = serializers.CharField(allow_blank=True)
    facts = serializers.CharField(allow_blank=True)
    violation_id = serializers.CharField()
    act_date = serializers.DateField()
    decided_on = serializers.DateField()
    officer_ids = serializers.ListField(child=IdField())
    reasons = serializers.CharField(allow_blank=True)
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False, allow_null=True, default=None)
    person_name = serializers.CharField(required=False, allow_blank=True, default="")
    person_id_number = serializers.CharField(required=False, allow_blank=True, default="")
    amount = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None)
    warning = serializers.BooleanField(required=False, default=False)
    subject = serializers.CharField(required=False, default="unit")
    circumstance = serializers.CharField(required=False, default="base")
    onsite_statement = serializers.CharField(required=False, allow_blank=True, default="")
    recipient = serializers.CharField(allow_blank=True)
    collected_receipt_no = serializers.CharField(required=False, allow_blank=True, default="")
    collection_impossible_later = serializers.BooleanField(required=False, default=False)


class CaseHandoverSerializer(serializers.Serializer[Any]):
    handed_on = serializers.DateField()


class CaseRecusalSerializer(serializers.Serializer[Any]):
    staff = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all())
    requested_on = serializers.DateField()
    applicant = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True)


class CaseRecusalDecideSerializer(serializers.Serializer[Any]):
    granted = serializers.BooleanField()
    decided_on = serializers.DateField()


class CaseBoardRowSerializer(serializers.Serializer[Any]):
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
        case = self.get_object()  # out of scope answers 404 before the body is looked at
        ser = ser_class(data=request.data)
        ser.is_valid(raise_exception=True)
        fn(actor=request.user, case=case, **ser.validated_data)
        return self._ok(case)

    @extend_schema(request=CaseOpenSerializer, responses=CaseDetailSerializer)
    def create(self, request: Request) -> Response:
        ser = CaseOpenSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        accident = d.pop("accident")
        d["accident"] = get_for_user(Accident.objects.all(), request.user, accident) if accident else None
        case = services.case_open(actor=request.user, **d)
        return self._ok(case, status.HTTP_201_CREATED)

    @extend_schema(request=CaseTransferAcceptSerializer, responses=CaseDetailSerializer)
    @action(detail=False, methods=["post"], url_path="transfer-accept")
    def transfer_accept(self, request: Request) -> Response:
        ser = CaseTransferAcceptSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        transfer = get_for_user(Transfer.objects.all(), request.user, d.pop("transfer"))
        case = services.transfer_accept_into_case(actor=request.user, transfer=transfer, **d)
        return self._ok(case, status.HTTP_201_CREATED)

    @extend_schema(request=CaseAccidentSerializer, responses=dict)
    @action(detail=False, methods=["post"])
    def accident(self, request: Request) -> Response:
        ser = CaseAccidentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        ent = get_for_user(Enterprise.objects.all(), request.user, d.pop("enterprise"))
        a = services.accident_record(actor=request.user, enterprise=ent, **d)
        r = services.accident_ranges(a)
        return Response({"id": a.pk, "grade": a.grade, "grade_label": r["grade_label"], "unit_range": str(r["unit"]), "unit_range_basis": r["unit"].basis}, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseSummarySerializer, responses=CaseDetailSerializer)
    @action(detail=False, methods=["post"])
    def summary(self, request: Request) -> Response:
        ser = CaseSummarySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        case = services.case_summary_decide(actor=request.user, **ser.validated_data)
        return self._ok(case, status.HTTP_201_CREATED)

    @extend_schema(request=CaseHandoverSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def handover(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        ser = CaseHandoverSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.onsite_handover_record(actor=request.user, case=case, **ser.validated_data)
        return self._ok(case)

    @extend_schema(request=None, responses=dict)
    @action(detail=False, methods=["get"])
    def board(self, request: Request) -> Response:
        try:
            limit = min(max(int(request.query_params.get("limit", 200)), 1), 1000)
            offset = min(max(int(request.query_params.get("offset", 0)), 0), 10**9)  # an OFFSET beyond bigint is a database error
        except ValueError:
            raise ValidationFailed("limit 与 offset 须为整数。", fields={"limit": "须为整数。"}) from None
        total, rows = selectors.deadline_board(user=request.user, limit=limit, offset=offset)
        return Response({"count": total, "results": CaseBoardRowSerializer(rows, many=True).data})

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "CaseAwaitingHazard",
            {"hazard": serializers.IntegerField(), "enterprise": serializers.IntegerField(), "enterprise_name": serializers.CharField(), "description": serializers.CharField(), "overdue_since": serializers.DateField(allow_null=True)},
            many=True,
        ),
    )
    @action(detail=False, methods=["get"], pagination_class=None)  # at most 500 rows, not paged
    def awaiting(self, request: Request) -> Response:
        hs = selectors.hazards_awaiting_case(user=request.user)[:500]
        return Response([{"hazard": h.pk, "enterprise": h.enterprise_id, "enterprise_name": h.enterprise.name, "description": h.description, "overdue_since": h.overdue_since} for h in hs])

    @extend_schema(request=CaseViolationAddSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def violations(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseViolationAddSerializer, services.case_violation_add)

    @extend_schema(request=CaseFileSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="file")
    def file_case(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseFileSerializer, services.case_file)

    @extend_schema(request=CaseOfficersSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def officers(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseOfficersSerializer, services.case_assign_officers)

    @extend_schema(request=CaseProposeSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def propose(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseProposeSerializer, services.case_propose)

    @extend_schema(request=CaseNoticeIssueSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def notice(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseNoticeIssueSerializer, services.notice_issue)

    @extend_schema(request=CaseServedSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="notice-served")
    def notice_served(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseServedSerializer, services.notice_served)

    @extend_schema(request=CaseDefenceSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def defence(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseDefenceSerializer, services.defence_record)

    @extend_schema(request=CaseDefenceReviewSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="defence-review")
    def defence_review(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        ser = CaseDefenceReviewSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        st = Statement.objects.filter(case=case, pk=ser.validated_data["statement"]).first()
        if st is None:
            raise ValidationFailed("陈述申辩记录不存在。", fields={"statement": "不存在。"})
        services.defence_review(actor=request.user, statement=st, review=ser.validated_data["review"])
        return self._ok(case)

    @extend_schema(request=CaseWaiverSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def waiver(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        ser = CaseWaiverSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        upload = d.pop("file")
        services.waiver_record(actor=request.user, case=case, fh=upload, name=getattr(upload, "name", ""), **d)
        return self._ok(case)

    @extend_schema(request=CaseHearingRequestSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="hearing-request")
    def hearing_request(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseHearingRequestSerializer, services.hearing_request)

    @extend_schema(request=CaseHearingNoticeSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="hearing-notice")
    def hearing_notice(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseHearingNoticeSerializer, services.hearing_notice)

    @extend_schema(request=CaseHearingHeldSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="hearing-held")
    def hearing_held(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseHearingHeldSerializer, services.hearing_held)

    @extend_schema(request=CaseLegalReviewSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="legal-review")
    def legal_review(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseLegalReviewSerializer, services.legal_review_record)

    @extend_schema(request=CaseCollectiveSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def collective(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseCollectiveSerializer, services.collective_discussion_record)

    @extend_schema(request=CaseExtensionRequestSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def extension(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseExtensionRequestSerializer, services.extension_request)

    @extend_schema(request=CaseExtensionDecideSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"extension/(?P<ext_pk>[0-9]+)/decide")
    def extension_decide(self, request: Request, pk: str | None = None, ext_pk: str = "") -> Response:
        case = self.get_object()
        ser = CaseExtensionDecideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        ext = DecisionExtension.objects.filter(case=case, pk=ext_pk).first()
        if ext is None:
            raise ValidationFailed("延长办案期限申请不存在。", fields={"extension": "不存在。"})
        services.extension_decide(actor=request.user, extension=ext, **ser.validated_data)
        return self._ok(case)

    @extend_schema(request=CaseRecusalSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def recusal(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseRecusalSerializer, services.recusal_request)

    @extend_schema(request=CaseRecusalDecideSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"recusal/(?P<rec_pk>[0-9]+)/decide")
    def recusal_decide(self, request: Request, pk: str | None = None, rec_pk: str = "") -> Response:
        case = self.get_object()
        ser = CaseRecusalDecideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        rec = Recusal.objects.filter(case=case, pk=rec_pk).first()
        if rec is None:
            raise ValidationFailed("回避申请不存在。", fields={"recusal": "不存在。"})
        services.recusal_decide(actor=request.user, recusal=rec, **ser.validated_data)
        return self._ok(case)

    @extend_schema(request=CaseDecideSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseDecideSerializer, services.decision_make)

    @extend_schema(request=CaseServedSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="decision-served")
    def decision_served(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseServedSerializer, services.decision_served)

    @extend_schema(request=CasePaymentSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def payment(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CasePaymentSerializer, services.payment_record)

    @extend_schema(request=CaseNoPenaltySerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="no-penalty")
    def no_penalty(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseNoPenaltySerializer, services.case_no_penalty)

    @extend_schema(request=CaseWithdrawSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseWithdrawSerializer, services.case_withdraw)

    @extend_schema(request=CaseReferSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def refer(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseReferSerializer, services.case_refer)

    @extend_schema(request=CaseCloseSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, CaseCloseSerializer, services.case_close)
