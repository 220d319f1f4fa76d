"""API of penalty cases: publication (included by api_urls under /api/v1/).

``publications/``: the bureau's queue of decisions to publish (安全生产法 §78), the text, release,
credit publicity, change of the decision and withdrawal (行政处罚法 §48). ``dishonesty/``: the
serious-dishonesty list (应急管理部令第11号): candidates, proposal, decision, notice, statement,
publication, removal, export. Every write through ``cases.publication`` / ``cases.dishonesty``;
ids scoped to the user (404 outside).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.http import content_disposition_header
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.cases import dishonesty, publication
from anjian.cases.models import Case
from anjian.cases.models_publication import DishonestyEntry, Publication
from anjian.core.api import IdField
from anjian.core.errors import ValidationFailed
from anjian.core.scoping import get_for_user
from anjian.enterprises.models import Enterprise


class PublicationSerializer(serializers.ModelSerializer[Publication]):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)

    class Meta:
        model = Publication
        fields = [
            "id", "case", "status", "status_label", "party_name", "uscc", "decision_number", "decided_on", "agency_name", "district_name", "text",
            "due_on", "credit_due_on", "credit_reported_on", "credit_reference", "prepared_on", "released_on", "decision_changed_on",
            "withdrawal_due_on", "withdrawn_on", "withdrawal_reason",
        ]  # fmt: skip
        read_only_fields = fields


class PrepareSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)


class ReleaseSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()


class CreditSerializer(serializers.Serializer[Any]):
    reported_on = serializers.DateField()
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class ChangedSerializer(serializers.Serializer[Any]):
    changed_on = serializers.DateField()
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class WithdrawSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    reason = serializers.CharField(allow_blank=True, max_length=2000)
    changed_on = serializers.DateField(required=False, allow_null=True, default=None)


def _publication(request: Request, pk: Any) -> Publication:
    return get_for_user(Publication.objects.all(), request.user, pk)


class PublicationList(generics.ListAPIView[Publication]):
    serializer_class = PublicationSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, required=False, description="queued、prepared、released、withdrawn；不填为未撤回的全部")])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return publication.publication_queue_list(user=self.request.user, status=self.request.query_params.get("status", ""))


class PublicationToWithdraw(generics.ListAPIView[Publication]):
    """Published (or queued) decisions whose decision was changed or revoked and which are not yet withdrawn."""

    serializer_class = PublicationSerializer

    def get_queryset(self) -> Any:
        return publication.publications_to_withdraw(user=self.request.user)


class PublicationDetail(APIView):
    @extend_schema(responses=PublicationSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(PublicationSerializer(_publication(request, pk)).data)


def _action(ser_class: type[serializers.Serializer[Any]], run: Any) -> type[APIView]:
    class Action(APIView):
        @extend_schema(request=ser_class, responses=PublicationSerializer)
        def post(self, request: Request, pk: int) -> Response:
            p = _publication(request, pk)  # out of scope answers 404 before the body is looked at
            ser = ser_class(data=request.data)
            ser.is_valid(raise_exception=True)
            run(request.user, p, dict(ser.validated_data))
            return Response(PublicationSerializer(Publication.objects.get(pk=p.pk)).data)

    Action.__name__ = Action.__qualname__ = f"Publication{ser_class.__name__.removesuffix('Serializer')}"
    return Action


PublicationPrepare = _action(PrepareSerializer, lambda u, p, d: publication.publication_prepare(actor=u, publication=p, **d))
PublicationRelease = _action(ReleaseSerializer, lambda u, p, d: publication.publication_release(actor=u, publication=p, **d))
PublicationCredit = _action(CreditSerializer, lambda u, p, d: publication.publication_credit_report(actor=u, publication=p, **d))
PublicationChanged = _action(ChangedSerializer, lambda u, p, d: publication.publication_decision_changed(actor=u, case=p.case, **d))
PublicationWithdraw = _action(WithdrawSerializer, lambda u, p, d: publication.publication_withdraw(actor=u, case=p.case, **d))


# --- the serious-dishonesty list ------------------------------------------------------------------------------
class EntrySerializer(serializers.ModelSerializer[DishonestyEntry]):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.name", read_only=True, default="")

    class Meta:
        model = DishonestyEntry
        fields = [
            "id", "enterprise", "enterprise_name", "condition", "condition_text", "article", "refs", "reason", "status", "status_label",
            "proposed_on", "decided_on", "decided_by_name", "decision_note", "notified_on", "objection", "objection_review", "published_on",
            "ends_on", "early_removal_from", "removed_on", "removal_reason", "early_removal", "repair_reference",
        ]  # fmt: skip
        read_only_fields = fields


class CandidateSerializer(serializers.Serializer[Any]):
    unit = serializers.CharField()
    name = serializers.CharField()
    condition = serializers.CharField(source="condition.code")
    condition_text = serializers.CharField(source="condition.text")
    article = serializers.CharField(source="condition.article")
    text_pending = serializers.BooleanField(source="condition.text_pending")
    listed = serializers.BooleanField()
    reason = serializers.CharField()
    refs = serializers.ListField(child=serializers.CharField())
    triggered_on = serializers.DateField(allow_null=True)


class ProposeSerializer(serializers.Serializer[Any]):
    enterprise = IdField()
    condition = serializers.CharField(max_length=40)
    on = serializers.DateField()
    case = IdField(required=False, allow_null=True, default=None)


class DecideSerializer(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class OnSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()


class StatementSerializer(serializers.Serializer[Any]):
    objection = serializers.CharField(allow_blank=True, max_length=5000)
    review = serializers.CharField(allow_blank=True, max_length=5000)


class RemoveSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    early = serializers.BooleanField(required=False, default=False)
    repair_reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class EntryList(generics.ListAPIView[DishonestyEntry]):
    serializer_class = EntrySerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, required=False)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return dishonesty.entry_list(user=self.request.user, status=self.request.query_params.get("status", ""))

    @extend_schema(request=ProposeSerializer, responses=EntrySerializer)
    def post(self, request: Request) -> Response:
        ser = ProposeSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        ent = get_for_user(Enterprise.objects.all(), request.user, d.pop("enterprise"))
        case_id = d.pop("case")
        case = None
        if case_id is not None:
            case = Case.objects.for_user(request.user).select_related("decision_document").filter(pk=case_id).first()
            if case is None:
                raise ValidationFailed("所依据的案件不存在。", fields={"case": "不存在或无权访问。"})
        e = dishonesty.dishonesty_propose(actor=request.user, enterprise=ent, case=case, **d)
        return Response(EntrySerializer(e).data, status=status.HTTP_201_CREATED)


class Candidates(APIView):
    @extend_schema(responses=CandidateSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(CandidateSerializer(dishonesty.candidates(user=request.user, on=timezone.localdate()), many=True).data)


class EntryDetail(APIView):
    @extend_schema(responses=EntrySerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(EntrySerializer(get_for_user(DishonestyEntry.objects.select_related("enterprise", "decided_by"), request.user, pk)).data)


def _entry_action(ser_class: type[serializers.Serializer[Any]], run: Any, name: str) -> type[APIView]:
    class Action(APIView):
        @extend_schema(request=ser_class, responses=EntrySerializer)
        def post(self, request: Request, pk: int) -> Response:
            e = get_for_user(DishonestyEntry.objects.all(), request.user, pk)
            ser = ser_class(data=request.data)
            ser.is_valid(raise_exception=True)
            run(request.user, e, dict(ser.validated_data))
            return Response(EntrySerializer(DishonestyEntry.objects.select_related("enterprise", "decided_by").get(pk=e.pk)).data)

    Action.__name__ = Action.__qualname__ = f"Dishonesty{name}"
    return Action


EntryDecide = _entry_action(DecideSerializer, lambda u, e, d: dishonesty.dishonesty_decide(actor=u, entry=e, **d), "Decide")
EntryNotify = _entry_action(OnSerializer, lambda u, e, d: dishonesty.dishonesty_notify(actor=u, entry=e, **d), "Notify")
EntryStatement = _entry_action(StatementSerializer, lambda u, e, d: dishonesty.dishonesty_statement(actor=u, entry=e, **d), "Statement")
EntryPublish = _entry_action(OnSerializer, lambda u, e, d: dishonesty.dishonesty_publish(actor=u, entry=e, **d), "Publish")
EntryRemove = _entry_action(RemoveSerializer, lambda u, e, d: dishonesty.dishonesty_remove(actor=u, entry=e, **d), "Remove")


class Export(APIView):
    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): inline_serializer("DishonestyXlsx", {})})
    def get(self, request: Request) -> HttpResponse:
        body = dishonesty.dishonesty_export(user=request.user)
        r = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        r["Content-Disposition"] = content_disposition_header(True, f"严重失信主体名单-{timezone.localdate():%Y%m%d}.xlsx") or "attachment"
        return r


urlpatterns: list[URLPattern | URLResolver] = [
    path("publications/", PublicationList.as_view(), name="publication-list"),
    path("publications/to-withdraw/", PublicationToWithdraw.as_view(), name="publication-to-withdraw"),
    path("publications/<int:pk>/", PublicationDetail.as_view(), name="publication-detail"),
    path("publications/<int:pk>/prepare/", PublicationPrepare.as_view(), name="publication-prepare"),
    path("publications/<int:pk>/release/", PublicationRelease.as_view(), name="publication-release"),
    path("publications/<int:pk>/credit/", PublicationCredit.as_view(), name="publication-credit"),
    path("publications/<int:pk>/decision-changed/", PublicationChanged.as_view(), name="publication-changed"),
    path("publications/<int:pk>/withdraw/", PublicationWithdraw.as_view(), name="publication-withdraw"),
    path("dishonesty/", EntryList.as_view(), name="dishonesty-list"),
    path("dishonesty/candidates/", Candidates.as_view(), name="dishonesty-candidates"),
    path("dishonesty/export/", Export.as_view(), name="dishonesty-export"),
    path("dishonesty/<int:pk>/", EntryDetail.as_view(), name="dishonesty-detail"),
    path("dishonesty/<int:pk>/decide/", EntryDecide.as_view(), name="dishonesty-decide"),
    path("dishonesty/<int:pk>/notify/", EntryNotify.as_view(), name="dishonesty-notify"),
    path("dishonesty/<int:pk>/statement/", EntryStatement.as_view(), name="dishonesty-statement"),
    path("dishonesty/<int:pk>/publish/", EntryPublish.as_view(), name="dishonesty-publish"),
    path("dishonesty/<int:pk>/remove/", EntryRemove.as_view(), name="dishonesty-remove"),
]
