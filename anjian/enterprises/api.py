"""Ledger API: thin — serializers validate shape, services decide and write."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from anjian.core import idempotency, pii
from anjian.core.api import id_params
from anjian.core.models import Jurisdiction
from anjian.core.paging import Counted
from anjian.core.scoping import scope_for
from anjian.core.validators import mask_id_fields, normalize_uscc, validate_uscc
from anjian.enterprises import selectors, services
from anjian.enterprises.classification import ClassTable
from anjian.enterprises.models import Enterprise, KeyPerson, Licence, MajorHazardSource, PlannedSubject, Site
from anjian.org.models import Agency

LIST_FILTERS = ["q", "jurisdiction", "sector", "feature", "grade", "standardization", "status", "supervision", "subject", "unlicensed", "scale", "has_hazard_source"]


class SiteSerializer(serializers.ModelSerializer[Site]):
    class Meta:
        model = Site
        fields = ["id", "name", "address", "street", "division", "latitude", "longitude", "is_primary"]


class LicenceSerializer(serializers.ModelSerializer[Licence]):
    class Meta:
        model = Licence
        fields = ["id", "kind", "number", "issuer", "scope", "valid_from", "valid_to", "status"]


class KeyPersonSerializer(serializers.ModelSerializer[KeyPerson]):
    class Meta:
        model = KeyPerson
        fields = ["id", "role", "name", "id_number", "phone", "certificate_kind", "certificate_no", "certificate_expiry"]

    def to_representation(self, instance: KeyPerson) -> dict[str, Any]:
        # Listed like the key-people tab: ID numbers masked, also inside a certificate number.
        # Telephones and ID numbers masked for every role; the full value through POST /api/v1/pii/reveal/.
        return pii.mask_fields(dict(mask_id_fields(super().to_representation(instance))), KeyPerson)


class HazardSourceSerializer(serializers.ModelSerializer[MajorHazardSource]):
    class Meta:
        model = MajorHazardSource
        fields = ["id", "site", "name", "level", "substance", "quantity_t", "record_no"]


class PlannedSubjectSerializer(serializers.ModelSerializer[PlannedSubject]):
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = PlannedSubject
        fields = ["id", "agency", "agency_name", "valid_from", "valid_to", "note"]


class EnterpriseListSerializer(serializers.ModelSerializer[Enterprise]):
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    owner_agency_name = serializers.CharField(source="owner_agency.name", read_only=True)
    sectors = serializers.SerializerMethodField()
    features = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "id", "name", "uscc", "unlicensed", "jurisdiction", "jurisdiction_name", "owner_agency", "owner_agency_name",
            "sectors", "features", "scale", "employees", "risk_grade", "standardization_level", "declared_status",
            "supervision_level", "principal", "contact_phone", "updated_at", "version",
        ]

    def to_representation(self, instance: Enterprise) -> dict[str, Any]:
        # The principal's and the contact's telephones masked (core/pii.py); reveal through POST /api/v1/pii/reveal/.
        return pii.mask_fields(dict(super().to_representation(instance)), Enterprise)

    # Decoded from class_bits with the table the view puts in the context (no prefetch per link).
    def get_sectors(self, obj: Enterprise) -> list[str]:
        return [c.code for c in self.context["class_table"].sectors_of(obj.class_bits)]

    def get_features(self, obj: Enterprise) -> list[str]:
        return [c.code for c in self.context["class_table"].features_of(obj.class_bits)]


class EnterpriseDetailSerializer(EnterpriseListSerializer):
    sites = SiteSerializer(many=True, read_only=True)
    licences = LicenceSerializer(many=True, read_only=True)
    key_people = KeyPersonSerializer(many=True, read_only=True)
    hazard_sources = HazardSourceSerializer(many=True, read_only=True)
    planned_subjects = PlannedSubjectSerializer(many=True, read_only=True)
    operating_status = serializers.SerializerMethodField()

    class Meta(EnterpriseListSerializer.Meta):
        fields = EnterpriseListSerializer.Meta.fields + [
            "legal_representative", "principal_phone", "contact_name", "division", "registered_address", "industry",
            "risk_scheme", "chemical_park", "note", "created_at", "sites", "licences", "key_people", "hazard_sources",
            "planned_subjects", "operating_status",
        ]

    # One unit: its links, prefetched by selectors.enterprise_get, are the record itself.
    def get_sectors(self, obj: Enterprise) -> list[str]:
        return [s.code for s in obj.sectors.all()]

    def get_features(self, obj: Enterprise) -> list[str]:
        return [f.code for f in obj.features.all()]

    def get_operating_status(self, obj: Enterprise) -> str:
        return selectors.operating_status(obj).value


class EnterpriseWriteSerializer(serializers.ModelSerializer[Enterprise]):
    """Shape only: the service checks codes, uniqueness, scope and ownership."""

    sectors = serializers.ListField(child=serializers.CharField(), required=False)
    features = serializers.ListField(child=serializers.CharField(), required=False)
    jurisdiction = serializers.PrimaryKeyRelatedField(queryset=Jurisdiction.objects.all(), required=False, error_messages={"does_not_exist": "辖区不存在。"})
    uscc = serializers.CharField(max_length=18, required=False, allow_blank=True, allow_null=True, validators=[validate_uscc])
    version = serializers.IntegerField(required=False, write_only=True, help_text="读取时的版本（也可用 If-Match 头）；版本已变时拒绝保存（409）。")

    class Meta:
        model = Enterprise
        fields = ["jurisdiction", "sectors", "features", "version", *services.EDITABLE_FIELDS]
        extra_kwargs = {"name": {"error_messages": {"required": "请填写单位名称。", "blank": "请填写单位名称。"}}}

    def validate_uscc(self, value: str | None) -> str | None:
        # Checked per field, so a taken code is reported together with every other field error.
        request = self.context.get("request")
        code = normalize_uscc(value) if value else None
        taken = services.uscc_taken_error(code, exclude_pk=self.instance.pk if self.instance else None, scope=scope_for(request.user) if request else None)
        if taken:
            raise serializers.ValidationError(taken)
        return code


def _if_match(request: Request) -> int | None:
    """The version an API client read: ``If-Match: "3"`` (the ETag of the detail) or ``version``."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw or raw == "*":
        return None
    digits = raw.removeprefix("W/").strip('"')
    if not digits.isdigit() or len(digits) > 9:
        from anjian.core.errors import ValidationFailed

        raise ValidationFailed("If-Match 头应为企业详情返回的 ETag（版本号）。", fields={"version": "If-Match 格式不正确。"})
    return int(digits)


def _with_etag(response: Response, ent: Enterprise) -> Response:
    response["ETag"] = f'"{ent.version}"'
    return response


class StatusSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()
    effective_date = serializers.DateField()
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class TransferSerializer(serializers.Serializer[Any]):
    to_jurisdiction = serializers.PrimaryKeyRelatedField(queryset=Jurisdiction.objects.all(), error_messages={"does_not_exist": "辖区不存在。"})
    effective_date = serializers.DateField()
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class SubjectSerializer(serializers.Serializer[Any]):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), error_messages={"does_not_exist": "机关不存在。"})
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SubjectEndSerializer(serializers.Serializer[Any]):
    valid_to = serializers.DateField(error_messages={"required": "请填写截止日期。", "invalid": "日期格式应为YYYY-MM-DD。"})


class AuditEntrySerializer(serializers.Serializer[Any]):
    """One entry of a unit's audit trail (the schema of ``audit``; the view builds plain dicts)."""

    at = serializers.DateTimeField()
    actor = serializers.CharField()
    action = serializers.CharField()
    object_type = serializers.CharField()
    object = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)
    note = serializers.CharField()
    request_id = serializers.CharField()
    source_ip = serializers.CharField(allow_null=True)


CHILDREN: dict[str, tuple[Any, Any]] = {
    "sites": (Site, SiteSerializer),
    "licences": (Licence, LicenceSerializer),
    "key-people": (KeyPerson, KeyPersonSerializer),
    "hazard-sources": (MajorHazardSource, HazardSourceSerializer),
}


@extend_schema(parameters=[OpenApiParameter(name, str, required=False) for name in LIST_FILTERS] + [OpenApiParameter("sort", str, required=False, enum=list(selectors.SORTS))])
class EnterpriseViewSet(viewsets.ModelViewSet[Enterprise]):
    filter_backends: list[Any] = []

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action in ("create", "update", "partial_update"):
            return EnterpriseWriteSerializer
        if self.action == "list":
            return EnterpriseListSerializer
        return EnterpriseDetailSerializer

    def _filters(self) -> dict[str, Any]:
        params = self.request.query_params
        filters = {k: params.get(k) for k in LIST_FILTERS}
        id_params(filters, selectors.ID_FILTERS)
        return filters

    def get_queryset(self) -> QuerySet[Enterprise]:
        return selectors.enterprise_list(user=self.request.user, filters=self._filters(), sort=self.request.query_params.get("sort", "name"))

    def get_serializer_context(self) -> dict[str, Any]:
        ctx = super().get_serializer_context()
        if self.action == "list":
            ctx["class_table"] = ClassTable.load()
        return ctx

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        total = selectors.enterprise_count(user=request.user, filters=self._filters())
        page = self.paginate_queryset(Counted(self.get_queryset(), total))  # type: ignore[arg-type]
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self) -> Enterprise:
        return selectors.enterprise_get(user=self.request.user, pk=self.kwargs["pk"])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ent = self.get_object()
        return _with_etag(Response(EnterpriseDetailSerializer(ent).data), ent)

    @extend_schema(parameters=[OpenApiParameter(idempotency.HEADER, str, OpenApiParameter.HEADER, required=False, description="同一键的重复请求返回第一次的结果，不重复登记。")])
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(idempotency.HEADER)
        first = idempotency.replayed(actor=request.user, operation="enterprise.create", key=key, model=Enterprise)
        if first is not None:
            return Response(EnterpriseDetailSerializer(selectors.enterprise_get(user=request.user, pk=first.pk)).data, status=status.HTTP_200_OK)
        ser = EnterpriseWriteSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data.pop("version", None)
        jurisdiction = data.pop("jurisdiction", None)
        if jurisdiction is None:
            jurisdiction = Jurisdiction.objects.filter(pk=scope_for(request.user).jurisdiction_id).first()
        ent = services.enterprise_create(actor=request.user, jurisdiction=jurisdiction, idempotency_key=key, **data)
        ent = selectors.enterprise_get(user=request.user, pk=ent.pk)
        return _with_etag(Response(EnterpriseDetailSerializer(ent).data, status=status.HTTP_201_CREATED), ent)

    @extend_schema(parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False, description="读取时的 ETag；企业已被他人修改时拒绝保存（409）。")])
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ent = self.get_object()
        ser = EnterpriseWriteSerializer(ent, data=request.data, partial=kwargs.get("partial", False), context={"request": request})
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        header_version = _if_match(request)
        version = data.pop("version", None)
        version = header_version if header_version is not None else version
        if "jurisdiction" in data and data["jurisdiction"].pk != ent.jurisdiction_id:
            from anjian.core.errors import ValidationFailed

            raise ValidationFailed("变更所属辖区须办理辖区移交。", fields={"jurisdiction": "变更所属辖区须办理辖区移交（transfer）。"})
        data.pop("jurisdiction", None)
        services.enterprise_update(actor=request.user, enterprise=ent, version=version, **data)
        ent = selectors.enterprise_get(user=request.user, pk=ent.pk)
        return _with_etag(Response(EnterpriseDetailSerializer(ent).data), ent)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ent = self.get_object()
        services.enterprise_delete(actor=request.user, enterprise=ent)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=StatusSerializer, responses=EnterpriseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: str | None = None) -> Response:
        ent = self.get_object()
        ser = StatusSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.enterprise_set_status(actor=request.user, enterprise=ent, **ser.validated_data)
        return Response(EnterpriseDetailSerializer(selectors.enterprise_get(user=request.user, pk=ent.pk)).data)

    @extend_schema(request=TransferSerializer, responses=EnterpriseDetailSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str | None = None) -> Response:
        ent = self.get_object()
        ser = TransferSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.enterprise_transfer(actor=request.user, enterprise=ent, **ser.validated_data)
        # After the move the unit may be out of the actor's sight: answer with what was done.
        return Response({"id": ent.pk, "jurisdiction": ser.validated_data["to_jurisdiction"].pk})

    @extend_schema(request=SubjectSerializer, responses=PlannedSubjectSerializer)
    @action(detail=True, methods=["post"], url_path="planned-subjects")
    def planned_subjects(self, request: Request, pk: str | None = None) -> Response:
        ent = self.get_object()
        ser = SubjectSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        ps = services.planned_subject_assign(actor=request.user, enterprise=ent, **ser.validated_data)
        return Response(PlannedSubjectSerializer(ps).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SubjectEndSerializer, responses=PlannedSubjectSerializer)
    @action(detail=True, methods=["post"], url_path=r"planned-subjects/(?P<subject_pk>[0-9]+)/end")
    def planned_subject_end(self, request: Request, pk: str | None = None, subject_pk: str = "") -> Response:
        ent = self.get_object()
        ps = selectors.planned_subject_of(ent, subject_pk)
        ser = SubjectEndSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        ended = services.planned_subject_end(actor=request.user, subject=ps, valid_to=ser.validated_data["valid_to"])
        return Response(PlannedSubjectSerializer(ended).data)

    @extend_schema(responses=AuditEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # the latest 200 entries, not paged
    def audit(self, request: Request, pk: str | None = None) -> Response:
        from anjian.enterprises.selectors import enterprise_audit

        ent = self.get_object()
        return Response([
            {"at": e.at, "actor": e.actor_name, "action": e.action, "object_type": e.object_type, "object": e.object_repr, "before": mask_id_fields(e.before), "after": mask_id_fields(e.after), "note": e.note, "request_id": e.request_id, "source_ip": e.source_ip}
            for e in enterprise_audit(ent)[:200]
        ])

    # The child kinds have different fields: a list of objects (GET), the object created (POST).
    @extend_schema(methods=["GET"], responses={200: {"type": "array", "items": {"type": "object", "additionalProperties": {}}}})
    @extend_schema(methods=["POST"], request=dict, responses={201: dict})
    @action(detail=True, methods=["get", "post"], url_path=r"(?P<child>sites|licences|key-people|hazard-sources)")
    def children(self, request: Request, pk: str | None = None, child: str = "") -> Response:
        ent = self.get_object()
        model, ser_cls = CHILDREN[child]
        if request.method == "GET":
            return Response(ser_cls(model.objects.filter(enterprise=ent), many=True).data)
        ser = ser_cls(data=request.data)
        ser.is_valid(raise_exception=True)
        obj = services.child_create(actor=request.user, enterprise=ent, model=model, **ser.validated_data)
        return Response(ser_cls(obj).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["PATCH"], request=dict, responses={200: dict})
    @extend_schema(methods=["DELETE"], responses={204: None})
    @action(detail=True, methods=["patch", "delete"], url_path=r"(?P<child>sites|licences|key-people|hazard-sources)/(?P<child_pk>[0-9]+)")
    def child_detail(self, request: Request, pk: str | None = None, child: str = "", child_pk: str = "") -> Response:
        ent = self.get_object()
        model, ser_cls = CHILDREN[child]
        obj = selectors.child_of(ent, model, child_pk)
        if request.method == "DELETE":
            services.child_delete(actor=request.user, obj=obj)
            return Response(status=status.HTTP_204_NO_CONTENT)
        ser = ser_cls(obj, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        obj = services.child_update(actor=request.user, obj=obj, **ser.validated_data)
        return Response(ser_cls(obj).data)
