"""API of the organisation: the shared directory (read, scoped like everything else) and the
bureau's own administration (write; issue 10 item 1).

Writes are the office's and the security administrator's, for their own bureau, through
``org.services`` (which refuse by themselves; the checks here only give the answer early):
a record of another bureau answers 404, a user of another role 403 (a role change: anyone but
the security administrator, 三员分立), a malformed body 400 with Chinese messages per field,
and a refusal of the service 422/409 with its message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from anjian.core import idempotency
from anjian.core.api import IdField
from anjian.core.errors import NotFound, PermissionRefused
from anjian.core.ids import parse_id
from anjian.core.scoping import scope_for
from anjian.org import selectors, services
from anjian.org.choices import CertificateEventKind, DepartmentKind, EnforcementSetup, HeadKind, Role, StaffKind
from anjian.org.models import Agency, Certificate, Department, Membership, Staff


class AgencySerializer(serializers.ModelSerializer[Agency]):
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "name", "short_name", "doc_abbr", "level", "jurisdiction", "jurisdiction_name", "parent", "address", "phone", "review_body", "court", "payment_place"]
        read_only_fields = ["review_body", "court", "payment_place"]


class DepartmentSerializer(serializers.ModelSerializer[Department]):
    class Meta:
        model = Department
        fields = ["id", "agency", "name", "kind", "sector_group", "setup"]


class CertificateSerializer(serializers.ModelSerializer[Certificate]):
    valid_today = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["id", "number", "issuer", "valid_from", "valid_to", "valid_today"]

    def get_valid_today(self, obj: Certificate) -> bool:
        return obj.status_on(selectors.today(), list(obj.events.all()))[0]


class StaffSerializer(serializers.ModelSerializer[Staff]):
    memberships = serializers.SerializerMethodField()
    certificates = CertificateSerializer(many=True, read_only=True)

    class Meta:
        model = Staff
        fields = ["id", "name", "kind", "gender", "memberships", "certificates"]

    def get_memberships(self, obj: Staff) -> list[dict[str, Any]]:
        return [
            {
                "agency": m.agency_id,
                "agency_name": m.agency.name,
                "department": m.department_id,
                "department_name": m.department.name if m.department else "",
                "roles": m.roles,
                "valid_from": m.valid_from,
                "valid_to": m.valid_to,
            }
            for m in getattr(obj, "current_memberships", [])
        ]


# --- writes: the bureau's own administration -----------------------------------------------------
IDEMPOTENCY_PARAMETER = OpenApiParameter(idempotency.HEADER, str, OpenApiParameter.HEADER, required=False, description="同一用户以同一键重复请求，返回第一次的结果，不重复登记。")
DATE_ERRORS: dict[str, Any] = {"invalid": "日期格式应为YYYY-MM-DD。", "required": "请填写日期。", "null": "请填写日期。"}


def _date(required: bool = True, **kwargs: Any) -> serializers.DateField:
    return serializers.DateField(required=required, error_messages=DATE_ERRORS, **kwargs)


def _choice(choices: Any, label: str, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, error_messages={"invalid_choice": f"“{{input}}”不是有效的{label}。", "required": f"请选择{label}。"}, **kwargs)


def _require_manager(user: Any) -> None:
    if not services.may_manage(user):
        raise PermissionRefused(services.MANAGER_REFUSED, code="role_refused")


def _own_department(user: Any, pk: int | None, field: str = "department") -> Department | None:
    if pk is None:
        return None
    d = Department.objects.filter(pk=pk, agency_id=selectors.own_agency(user=user).pk).first()
    if d is None:
        raise serializers.ValidationError({field: "科室不存在或不属于本机关。"})
    return d


class AgencyUpdateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(required=False, max_length=100)
    short_name = serializers.CharField(required=False, max_length=32)
    doc_abbr = serializers.CharField(required=False, max_length=16)
    review_body = serializers.CharField(required=False, max_length=100)
    court = serializers.CharField(required=False, max_length=100)
    payment_place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)


class HeadSerializer(serializers.Serializer[Any]):
    kind = _choice(HeadKind.choices, "负责人类别")
    staff = IdField()
    valid_from = _date()


class DepartmentWriteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=64)
    kind = _choice(DepartmentKind.choices, "科室类别")
    sector_group = serializers.ChoiceField(choices=["", "hazchem", "mine", "industry"], required=False, default="")
    setup = serializers.ChoiceField(choices=[("", "—"), *EnforcementSetup.choices], required=False, default="")


class DepartmentPatchSerializer(DepartmentWriteSerializer):
    name = serializers.CharField(max_length=64, required=False)
    kind = _choice(DepartmentKind.choices, "科室类别", required=False)
    sector_group = serializers.ChoiceField(choices=["", "hazchem", "mine", "industry"], required=False)
    setup = serializers.ChoiceField(choices=[("", "—"), *EnforcementSetup.choices], required=False)


class StaffRegisterSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=32)
    kind = _choice(StaffKind.choices, "人员类别", required=False, default=StaffKind.CIVIL_SERVANT)
    gender = serializers.ChoiceField(choices=["", "M", "F"], required=False, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    legal_qualification_no = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    department = IdField(required=False, allow_null=True, default=None)
    title = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    valid_from = _date()


class MembershipAddSerializer(serializers.Serializer[Any]):
    department = IdField(required=False, allow_null=True, default=None)
    title = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    valid_from = _date()
    valid_to = _date(required=False, allow_null=True, default=None)
    roles = serializers.ListField(child=_choice(Role.choices, "角色"), required=False, default=list, max_length=len(Role.values))


class TransferInSerializer(serializers.Serializer[Any]):
    certificate_number = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=32)
    department = IdField(required=False, allow_null=True, default=None)
    title = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    valid_from = _date()


class MembershipEndSerializer(serializers.Serializer[Any]):
    valid_to = _date()


class RolesSerializer(serializers.Serializer[Any]):
    roles = serializers.ListField(child=_choice(Role.choices, "角色"), allow_empty=True, max_length=len(Role.values))
    on = _date(required=False, allow_null=True, default=None)


class CertificateWriteSerializer(serializers.Serializer[Any]):
    number = serializers.CharField(max_length=32)
    issuer = serializers.CharField(max_length=64)
    valid_from = _date()
    valid_to = _date()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["valid_to"] < attrs["valid_from"]:
            raise serializers.ValidationError({"valid_to": "有效期止不能早于有效期起。"})
        return attrs


class CertificateEventWriteSerializer(serializers.Serializer[Any]):
    kind = _choice(CertificateEventKind.choices, "事件")
    date = _date()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class StaffDetailsSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=32)
    gender = serializers.ChoiceField(choices=[("", "—"), ("M", "男"), ("F", "女")], required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class LegalQualificationSerializer(serializers.Serializer[Any]):
    legal_qualification_no = serializers.CharField(max_length=32, allow_blank=True)


class SafetyQualificationSerializer(serializers.Serializer[Any]):
    qualified_on = serializers.DateField(allow_null=True, help_text="具备安全生产相关专业学历和实践经验之日；不具备的为空")
    description = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class MembershipOutSerializer(serializers.ModelSerializer[Membership]):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "agency", "department", "title", "valid_from", "valid_to", "roles"]

    def get_roles(self, obj: Membership) -> list[str]:
        return sorted(obj.roles)


class CertificateEventOutSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    date = serializers.DateField()
    note = serializers.CharField()


class CertificateDetailSerializer(CertificateSerializer):
    events = CertificateEventOutSerializer(many=True, read_only=True)

    class Meta(CertificateSerializer.Meta):
        fields = [*CertificateSerializer.Meta.fields, "events"]


class StaffDetailSerializer(serializers.ModelSerializer[Staff]):
    memberships = serializers.SerializerMethodField()
    certificates = serializers.SerializerMethodField()

    class Meta:
        model = Staff
        fields = ["id", "name", "kind", "gender", "phone", "legal_qualification_no", "safety_qualified_on", "safety_qualification", "memberships", "certificates"]

    def get_memberships(self, obj: Staff) -> list[dict[str, Any]]:
        return list(MembershipOutSerializer(selectors.staff_memberships(obj), many=True).data)

    def get_certificates(self, obj: Staff) -> list[dict[str, Any]]:
        return list(CertificateDetailSerializer(selectors.staff_certificates(obj), many=True).data)


def _staff_out(staff: Staff, code: int = status.HTTP_200_OK) -> Response:
    return Response(StaffDetailSerializer(Staff.objects.get(pk=staff.pk)).data, status=code)


class AgencyViewSet(viewsets.ReadOnlyModelViewSet[Agency]):
    serializer_class = AgencySerializer

    def get_queryset(self) -> QuerySet[Agency]:
        return selectors.agency_list(user=self.request.user)

    @extend_schema(request=AgencyUpdateSerializer, responses=AgencySerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        agency = _managed_agency(request.user, pk)
        ser = AgencyUpdateSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        row = services.agency_update(actor=request.user, agency=agency, **ser.validated_data)
        return Response(AgencySerializer(row).data)

    @extend_schema(request=HeadSerializer, responses=dict)
    @action(detail=True, methods=["post"])
    def heads(self, request: Request, pk: str | None = None) -> Response:
        agency = _managed_agency(request.user, pk)
        ser = HeadSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        staff = selectors.current_members(agency).filter(pk=d.pop("staff")).first()
        if staff is None:
            raise serializers.ValidationError({"staff": "该人员不是本机关现职人员。"})
        head = services.agency_head_set(actor=request.user, agency=agency, staff=staff, **d)
        return Response({"id": head.pk, "kind": head.kind, "staff": staff.pk, "valid_from": head.valid_from, "valid_to": head.valid_to}, status=status.HTTP_201_CREATED)


def _managed_agency(user: Any, pk: Any) -> Agency:
    """The user's own bureau by id (another's answers 404), for a manager (else 403)."""
    agency = selectors.agency_list(user=user).filter(pk=parse_id(pk) or 0).first()
    if agency is None or agency.pk != scope_for(user).agency_id:
        raise NotFound()
    _require_manager(user)
    return agency


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet[Department]):
    serializer_class = DepartmentSerializer
    filterset_fields = ["agency", "kind"]

    def get_queryset(self) -> QuerySet[Department]:
        return selectors.department_list(user=self.request.user)

    @extend_schema(request=DepartmentWriteSerializer, responses=DepartmentSerializer)
    def create(self, request: Request) -> Response:
        _require_manager(request.user)
        ser = DepartmentWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = services.department_create(actor=request.user, agency=selectors.own_agency(user=request.user), **ser.validated_data)
        return Response(DepartmentSerializer(d).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DepartmentPatchSerializer, responses=DepartmentSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        d = selectors.managed_department_get(user=request.user, pk=pk)
        _require_manager(request.user)
        ser = DepartmentPatchSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        row = services.department_update(actor=request.user, department=d, **ser.validated_data)
        return Response(DepartmentSerializer(row).data)


class StaffViewSet(viewsets.ReadOnlyModelViewSet[Staff]):
    serializer_class = StaffSerializer

    def get_queryset(self) -> QuerySet[Staff]:
        return selectors.staff_list(user=self.request.user).order_by("name", "id")

    def _managed(self, request: Request, pk: Any) -> Staff:
        staff = selectors.managed_staff_get(user=request.user, pk=pk)
        _require_manager(request.user)
        return staff

    def _new_person(self, request: Request, *, operation: str, serializer: Any, service: Callable[..., Staff]) -> Response:
        """Registration and 调入: once per Idempotency-Key, always into the user's own bureau."""
        _require_manager(request.user)
        key = request.headers.get(idempotency.HEADER)
        first = idempotency.replayed(actor=request.user, operation=operation, key=key, model=Staff)
        if first is not None:
            return _staff_out(first)
        ser = serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d["department"] = _own_department(request.user, d.get("department"))
        staff = service(actor=request.user, agency=selectors.own_agency(user=request.user), idempotency_key=key, **d)
        return _staff_out(staff, status.HTTP_201_CREATED)

    @extend_schema(request=StaffRegisterSerializer, responses=StaffDetailSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    def create(self, request: Request) -> Response:
        return self._new_person(request, operation="staff.register", serializer=StaffRegisterSerializer, service=services.staff_register)

    @extend_schema(request=MembershipAddSerializer, responses=StaffDetailSerializer)
    @action(detail=True, methods=["post"])
    def memberships(self, request: Request, pk: str | None = None) -> Response:
        staff = self._managed(request, pk)
        ser = MembershipAddSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        if d.get("roles") and not services.may_grant_roles(request.user):
            raise PermissionRefused(services.GRANT_REFUSED, code="role_refused")
        d["department"] = _own_department(request.user, d.get("department"))
        services.membership_add(actor=request.user, staff=staff, agency=selectors.own_agency(user=request.user), **d)
        return _staff_out(staff, status.HTTP_201_CREATED)

    @extend_schema(request=TransferInSerializer, responses=StaffDetailSerializer, parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=False, methods=["post"], url_path="transfer-in")
    def transfer_in(self, request: Request) -> Response:
        """调入: a person of another bureau, named by their 执法证 number and name, starts a membership here."""
        return self._new_person(request, operation="staff.transfer_in", serializer=TransferInSerializer, service=services.staff_transfer_in)

    def _membership(self, request: Request, staff: Staff, membership_pk: str) -> Membership:
        m = Membership.objects.filter(pk=parse_id(membership_pk) or 0, staff=staff, agency_id=scope_for(request.user).agency_id).first()
        if m is None:
            raise NotFound()
        return m

    @extend_schema(request=MembershipEndSerializer, responses=StaffDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"memberships/(?P<membership_pk>[0-9]+)/end")
    def membership_end(self, request: Request, pk: str | None = None, membership_pk: str = "") -> Response:
        staff = self._managed(request, pk)
        m = self._membership(request, staff, membership_pk)
        ser = MembershipEndSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.membership_end(actor=request.user, membership=m, **ser.validated_data)
        return _staff_out(staff)

    @extend_schema(request=RolesSerializer, responses=StaffDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"memberships/(?P<membership_pk>[0-9]+)/roles")
    def membership_roles(self, request: Request, pk: str | None = None, membership_pk: str = "") -> Response:
        staff = selectors.managed_staff_get(user=request.user, pk=pk)
        m = self._membership(request, staff, membership_pk)
        if not services.may_grant_roles(request.user):
            raise PermissionRefused(services.GRANT_REFUSED, code="role_refused")
        ser = RolesSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.membership_roles_set(actor=request.user, membership=m, **ser.validated_data)
        return _staff_out(staff)

    @extend_schema(request=CertificateWriteSerializer, responses=StaffDetailSerializer)
    @action(detail=True, methods=["post"])
    def certificates(self, request: Request, pk: str | None = None) -> Response:
        staff = self._managed(request, pk)
        ser = CertificateWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.certificate_register(actor=request.user, staff=staff, **ser.validated_data)
        return _staff_out(staff, status.HTTP_201_CREATED)

    @extend_schema(request=CertificateEventWriteSerializer, responses=StaffDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"certificates/(?P<certificate_pk>[0-9]+)/events")
    def certificate_events(self, request: Request, pk: str | None = None, certificate_pk: str = "") -> Response:
        staff = self._managed(request, pk)
        cert = Certificate.objects.filter(pk=parse_id(certificate_pk) or 0, staff=staff).first()
        if cert is None:
            raise NotFound()
        ser = CertificateEventWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.certificate_event_record(actor=request.user, certificate=cert, **ser.validated_data)
        return _staff_out(staff, status.HTTP_201_CREATED)

    @extend_schema(request=StaffDetailsSerializer, responses=StaffDetailSerializer, summary="更正人员姓名、性别、电话、备注（记入审计）")
    @action(detail=True, methods=["post"], url_path="details")
    def details(self, request: Request, pk: str | None = None) -> Response:
        staff = self._managed(request, pk)
        ser = StaffDetailsSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        staff = services.staff_details_set(actor=request.user, staff=staff, **ser.validated_data)
        return _staff_out(staff)

    @extend_schema(request=SafetyQualificationSerializer, responses=StaffDetailSerializer, summary="登记安全生产专业学历和实践经验（在职人员75%以上的目标）")
    @action(detail=True, methods=["post"], url_path="safety-qualification")
    def safety_qualification(self, request: Request, pk: str | None = None) -> Response:
        staff = self._managed(request, pk)
        ser = SafetyQualificationSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.staff_safety_qualification_set(actor=request.user, staff=staff, **ser.validated_data)
        return _staff_out(staff)

    @extend_schema(request=LegalQualificationSerializer, responses=StaffDetailSerializer)
    @action(detail=True, methods=["post"], url_path="legal-qualification")
    def legal_qualification(self, request: Request, pk: str | None = None) -> Response:
        staff = self._managed(request, pk)
        ser = LegalQualificationSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.staff_legal_qualification_set(actor=request.user, staff=staff, number=ser.validated_data["legal_qualification_no"])
        return _staff_out(staff)
