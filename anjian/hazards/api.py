"""Hazard loop API: thin serializers, every write through ``anjian.hazards.services``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from anjian.core import idempotency
from anjian.core.api import IdField, id_params
from anjian.core.errors import ValidationFailed
from anjian.core.ids import DB_ID_MAX
from anjian.core.scoping import get_for_user
from anjian.documents.models import IssuedDocument
from anjian.enterprises.models import Enterprise, Site
from anjian.hazards import selectors, services
from anjian.hazards.choices import ApprovalStatus
from anjian.hazards.models import DeadlineExtension, Hazard, Measure, Reinspection, RestartReview, SetAsideRequest, Transfer
from anjian.inspections.models import Finding, Inspection
from anjian.org.models import Department

IDEMPOTENCY_PARAMETER = OpenApiParameter(idempotency.HEADER, str, OpenApiParameter.HEADER, required=False, description="同一用户以同一键重复请求，返回第一次的结果，不重复办理。")

class HazardSerializer(serializers.ModelSerializer[Hazard]):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    order_number = serializers.CharField(source="order_document.number", read_only=True, default="")
    set_aside_pending = serializers.SerializerMethodField(help_text="待审核的不予认定申请编号；审核同意前该隐患按重大事故隐患处理")

    def get_set_aside_pending(self, obj: Hazard) -> int | None:
        return next((sa.pk for sa in obj.set_asides.all() if sa.status == ApprovalStatus.PENDING), None)

    class Meta:
        model = Hazard
        fields = [
            "id", "enterprise", "enterprise_name", "source", "inspection", "description", "location", "legal_basis", "severity",
            "criterion_id", "major_reason", "set_aside_reason", "status", "found_on", "period_days", "order_document", "order_number",
            "served_on", "deadline", "deadline_provisional", "deadline_rule", "overdue_since", "case_flag", "supervised",
            "supervised_by", "supervised_on", "closed_on", "set_aside_by", "set_aside_pending",
        ]
        read_only_fields = fields


class HazardCreateSerializer(serializers.Serializer[Any]):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    source = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.source; DRF pops declared fields
    description = serializers.CharField(allow_blank=True)
    location = serializers.CharField(allow_blank=True)
    severity = serializers.CharField()
    found_on = serializers.DateField()
    findings = serializers.PrimaryKeyRelatedField(queryset=Finding.objects.all(), many=True, required=False, default=list)
    inspection = serializers.PrimaryKeyRelatedField(queryset=Inspection.objects.all(), required=False, allow_null=True, default=None)
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    criterion_id = serializers.CharField(required=False, allow_blank=True, default="")
    major_reason = serializers.CharField(required=False, allow_blank=True, default="")
    set_aside_reason = serializers.CharField(required=False, allow_blank=True, default="")
    # An id the service resolves (visible to the user, a leader or expert of the bureau today): a
    # related field here would answer "does not exist" only for ids that do not exist anywhere.
    set_aside_by = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=DB_ID_MAX)
    period_days = serializers.IntegerField(required=False, allow_null=True, default=None)
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.all(), required=False, allow_null=True, default=None)


class SetAsideSerializer(serializers.ModelSerializer[SetAsideRequest]):
    approver_name = serializers.CharField(source="approver.name", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.name", read_only=True, default="")

    class Meta:
        model = SetAsideRequest
        fields = ["id", "hazard", "criterion_id", "reason", "period_days", "requested_at", "approver", "approver_name", "status", "decided_by", "decided_by_name", "decided_at", "decision_note"]
        read_only_fields = fields


class SetAsideDecideSerializer(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)


class SetAsideWithdrawSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(allow_blank=True)


class SetAsideViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[SetAsideRequest]):
    """Set-aside requests of major-hazard criteria. ``?mine=1``: the pending ones named to me."""

    serializer_class = SetAsideSerializer

    def get_queryset(self) -> QuerySet[SetAsideRequest]:
        return selectors.set_aside_list(user=self.request.user, mine=self.request.query_params.get("mine") in ("1", "true"))

    def get_object(self) -> SetAsideRequest:
        return get_for_user(selectors.set_aside_list(user=self.request.user, mine=False), self.request.user, self.kwargs["pk"])

    @extend_schema(request=SetAsideDecideSerializer, responses=SetAsideSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        ser = SetAsideDecideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        sa = services.set_aside_decide(actor=request.user, request=self.get_object(), **ser.validated_data)
        return Response(SetAsideSerializer(sa).data)

    @extend_schema(request=SetAsideWithdrawSerializer, responses=SetAsideSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw a pending request: its requester, or an approver of the hazard's bureau."""
        ser = SetAsideWithdrawSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        sa = services.set_aside_withdraw(actor=request.user, request=self.get_object(), **ser.validated_data)
        return Response(SetAsideSerializer(sa).data)


class OrderSerializer(serializers.Serializer[Any]):
    hazards = serializers.ListField(child=IdField(), allow_empty=False)
    issued_on = serializers.DateField()


class ServeSerializer(serializers.Serializer[Any]):
    document = IdField()
    method = serializers.CharField()
    event_date = serializers.DateField()
    recipient = serializers.CharField(allow_blank=True)
    refused = serializers.BooleanField(required=False, default=False)
    witness = serializers.CharField(required=False, allow_blank=True, default="")
    consent_ref = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReportSerializer(serializers.Serializer[Any]):
    reported_on = serializers.DateField()
    description = serializers.CharField(allow_blank=True)


class ExtensionSerializer(serializers.Serializer[Any]):
    requested_on = serializers.DateField()
    requested_until = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)


class DecideSerializer(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    decided_on = serializers.DateField()
    note = serializers.CharField(allow_blank=True)


class ReinspectSerializer(serializers.Serializer[Any]):
    hazards = serializers.ListField(child=IdField(), allow_empty=False)
    inspected_on = serializers.DateField()
    started_at = serializers.DateTimeField()
    place = serializers.CharField(allow_blank=True)
    officer_ids = serializers.ListField(child=IdField())
    idempotency_key = serializers.CharField(required=False, allow_blank=True, default="")


class ReinspectResultSerializer(serializers.Serializer[Any]):
    reinspection = IdField()
    result = serializers.CharField()
    opinion = serializers.CharField(allow_blank=True)
    decided_on = serializers.DateField()
    new_period_days = serializers.IntegerField(required=False, allow_null=True, default=None)


class MeasureSerializer(serializers.ModelSerializer[Measure]):
    decision_number = serializers.CharField(source="decision_document.number", read_only=True, default="")

    class Meta:
        model = Measure
        fields = ["id", "enterprise", "hazard", "kind", "measure_type", "scope", "site", "scope_detail", "legal_basis", "reason", "decided_on", "decision_document", "decision_number", "status", "ended_on"]
        read_only_fields = fields


class MeasureDecideSerializer(serializers.Serializer[Any]):
    measure_type = serializers.CharField()
    scope = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    decided_on = serializers.DateField()
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.all(), required=False, allow_null=True, default=None)
    scope_detail = serializers.CharField(required=False, allow_blank=True, default="")


class SuperviseSerializer(serializers.Serializer[Any]):
    # The blank case is left to the service, which names the field in Chinese.
    by = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    on = serializers.DateField(error_messages={"required": "请填写督办日期。", "invalid": "日期格式应为YYYY-MM-DD。"})


class HazardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Hazard]):
    serializer_class = HazardSerializer

    def get_queryset(self) -> QuerySet[Hazard]:
        p = self.request.query_params
        id_params(p, ["enterprise"])
        return selectors.hazard_list(user=self.request.user, filters={k: p.get(k) for k in ("status", "severity", "enterprise", "overdue", "supervised", "q")})

    def get_object(self) -> Hazard:
        return selectors.hazard_get(user=self.request.user, pk=self.kwargs["pk"])

    def _ok(self, h: Hazard, code: int = 200) -> Response:
        return Response(HazardSerializer(selectors.hazard_get(user=self.request.user, pk=h.pk)).data, status=code)

    @extend_schema(
        request=HazardCreateSerializer, responses=HazardSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
    )  # fmt: skip
    def create(self, request: Request) -> Response:
        key = request.headers.get(idempotency.HEADER)
        first = idempotency.replayed(actor=request.user, operation="hazard.create", key=key, model=Hazard)
        if first is not None:
            return self._ok(first, status.HTTP_200_OK)
        ser = HazardCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        h = services.hazard_create(actor=request.user, idempotency_key=key, **ser.validated_data)
        return self._ok(h, status.HTTP_201_CREATED)

    @extend_schema(request=OrderSerializer, responses=dict, parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=False, methods=["post"])
    def order(self, request: Request) -> Response:
        key = request.headers.get(idempotency.HEADER)
        first = idempotency.replayed(actor=request.user, operation="hazard.order", key=key, model=IssuedDocument)
        if first is not None:
            return Response({"document": first.pk, "number": first.number}, status=status.HTTP_200_OK)
        ser = OrderSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        hazards = [get_for_user(Hazard.objects.all(), request.user, pk) for pk in ser.validated_data["hazards"]]
        doc = services.rectification_order_issue(actor=request.user, hazards=hazards, issued_on=ser.validated_data["issued_on"], idempotency_key=key)
        return Response({"document": doc.pk, "number": doc.number}, status=status.HTTP_201_CREATED)

    @extend_schema(request=ServeSerializer, responses=HazardSerializer(many=True))
    @action(detail=False, methods=["post"])
    def serve(self, request: Request) -> Response:
        ser = ServeSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        doc = get_for_user(IssuedDocument.objects.all(), request.user, d.pop("document"))
        hs = services.rectification_order_served(actor=request.user, document=doc, **d)
        return Response(HazardSerializer(hs, many=True).data)

    @extend_schema(request=ReportSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str | None = None) -> Response:
        ser = ReportSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        h = self.get_object()
        services.hazard_report_rectified(actor=request.user, hazard=h, **ser.validated_data)
        return self._ok(h)

    @extend_schema(request=ExtensionSerializer, responses=dict)
    @action(detail=True, methods=["post"])
    def extension(self, request: Request, pk: str | None = None) -> Response:
        ser = ExtensionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        ext, warnings = services.extension_request(actor=request.user, hazard=self.get_object(), **ser.validated_data)
        return Response({"id": ext.pk, "status": ext.status, "warnings": warnings}, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecideSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"], url_path=r"extension/(?P<ext_pk>[0-9]+)/decide")
    def extension_decide(self, request: Request, pk: str | None = None, ext_pk: str = "") -> Response:
        ser = DecideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        h = self.get_object()
        ext = DeadlineExtension.objects.filter(hazard=h, pk=ext_pk).first()
        if ext is None:
            raise ValidationFailed("延期申请不存在。", fields={"extension": "不存在。"})
        services.extension_decide(actor=request.user, extension=ext, **ser.validated_data)
        return self._ok(h)

    @extend_schema(request=ReinspectSerializer, responses=dict)
    @action(detail=False, methods=["post"])
    def reinspect(self, request: Request) -> Response:
        ser = ReinspectSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        hazards = [get_for_user(Hazard.objects.all(), request.user, pk) for pk in d.pop("hazards")]
        d["idempotency_key"] = d.get("idempotency_key") or None
        insp = services.reinspection_start(actor=request.user, hazards=hazards, **d)
        return Response({"inspection": insp.pk, "reinspections": list(Reinspection.objects.filter(inspection=insp).values("id", "hazard_id"))}, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReinspectResultSerializer, responses=HazardSerializer)
    @action(detail=False, methods=["post"], url_path="reinspection-result")
    def reinspection_result(self, request: Request) -> Response:
        ser = ReinspectResultSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        r = Reinspection.objects.filter(pk=d.pop("reinspection"), hazard__in=Hazard.objects.for_user(request.user)).first()
        if r is None:
            raise ValidationFailed("复查记录不存在。", fields={"reinspection": "不存在。"})
        services.reinspection_decide(actor=request.user, reinspection=r, **d)
        return self._ok(r.hazard)

    @extend_schema(request=None, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        services.hazard_close(actor=request.user, hazard=self.get_object())
        return self._ok(self.get_object())

    @extend_schema(request=SuperviseSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def supervise(self, request: Request, pk: str | None = None) -> Response:
        ser = SuperviseSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return self._ok(services.hazard_supervise(actor=request.user, hazard=self.get_object(), **ser.validated_data))

    @extend_schema(request=None, responses=dict)
    @action(detail=True, methods=["get"])
    def suggestion(self, request: Request, pk: str | None = None) -> Response:
        return Response(services.measure_suggestion(self.get_object()) or {})

    @extend_schema(request=MeasureDecideSerializer, responses=MeasureSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    def measure(self, request: Request, pk: str | None = None) -> Response:
        key = request.headers.get(idempotency.HEADER)
        first = idempotency.replayed(actor=request.user, operation="measure.decide", key=key, model=Measure)
        if first is not None:
            return Response(MeasureSerializer(first).data, status=status.HTTP_200_OK)
        ser = MeasureDecideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        m = services.measure_decide(actor=request.user, hazard=self.get_object(), idempotency_key=key, **ser.validated_data)
        return Response(MeasureSerializer(m).data, status=status.HTTP_201_CREATED)


class RestartApplySerializer(serializers.Serializer[Any]):
    applied_on = serializers.DateField()
    application = serializers.CharField(allow_blank=True)


class RestartDecideSerializer(serializers.Serializer[Any]):
    review = IdField()
    approved = serializers.BooleanField()
    opinion = serializers.CharField(allow_blank=True)
    reviewed_on = serializers.DateField()


class MeasureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Measure]):
    serializer_class = MeasureSerializer

    def get_queryset(self) -> QuerySet[Measure]:
        return Measure.objects.for_user(self.request.user).select_related("decision_document").order_by("-decided_on", "-id")

    def get_object(self) -> Measure:
        return selectors.measure_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=RestartApplySerializer, responses=dict)
    @action(detail=True, methods=["post"], url_path="restart")
    def restart(self, request: Request, pk: str | None = None) -> Response:
        ser = RestartApplySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        rr = services.restart_apply(actor=request.user, measure=self.get_object(), **ser.validated_data)
        due = services.restart_review_due(rr)
        return Response({"id": rr.pk, "review_due": due.date, "basis": due.basis, "warning": due.warning}, status=status.HTTP_201_CREATED)

    @extend_schema(request=RestartDecideSerializer, responses=MeasureSerializer)
    @action(detail=True, methods=["post"], url_path="restart-review")
    def restart_review(self, request: Request, pk: str | None = None) -> Response:
        ser = RestartDecideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        m = self.get_object()
        rr = RestartReview.objects.filter(measure=m, pk=d.pop("review")).first()
        if rr is None:
            raise ValidationFailed("复产申请不存在。", fields={"review": "不存在。"})
        services.restart_review_decide(actor=request.user, review=rr, **d)
        return Response(MeasureSerializer(self.get_object()).data)


class TransferSerializer(serializers.ModelSerializer[Transfer]):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    hours_to_decision = serializers.SerializerMethodField()

    class Meta:
        model = Transfer
        fields = ["id", "enterprise", "enterprise_name", "from_department", "to_department", "findings", "hazards", "facts", "suggested_basis", "status", "sent_at", "decided_at", "return_reason", "hours_to_decision"]
        read_only_fields = fields

    def get_hours_to_decision(self, obj: Transfer) -> float | None:
        return round((obj.decided_at - obj.sent_at).total_seconds() / 3600, 1) if obj.decided_at else None


class TransferCreateSerializer(serializers.Serializer[Any]):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    from_department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    to_department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    facts = serializers.CharField(allow_blank=True)
    findings = serializers.PrimaryKeyRelatedField(queryset=Finding.objects.all(), many=True, required=False, default=list)
    hazards = serializers.PrimaryKeyRelatedField(queryset=Hazard.objects.all(), many=True, required=False, default=list)
    suggested_basis = serializers.CharField(required=False, allow_blank=True, default="")


class TransferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Transfer]):
    serializer_class = TransferSerializer

    def get_queryset(self) -> QuerySet[Transfer]:
        return selectors.transfer_list(user=self.request.user).prefetch_related("findings", "hazards")

    def get_object(self) -> Transfer:
        return get_for_user(self.get_queryset(), self.request.user, self.kwargs["pk"])

    @extend_schema(request=TransferCreateSerializer, responses=TransferSerializer)
    def create(self, request: Request) -> Response:
        ser = TransferCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        t = services.transfer_send(actor=request.user, **ser.validated_data)
        return Response(TransferSerializer(t).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        t = services.transfer_accept(actor=request.user, transfer=self.get_object())
        return Response(TransferSerializer(t).data)

    @extend_schema(request=None, responses=TransferSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        t = services.transfer_return(actor=request.user, transfer=self.get_object(), reason=str(request.data.get("reason", "")))
        return Response(TransferSerializer(t).data)
