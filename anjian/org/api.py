"""Read-only API of the organisation, scoped like everything else."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from anjian.org import selectors
from anjian.org.models import Agency, Certificate, Department, Staff


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
            {"agency": m.agency_id, "agency_name": m.agency.name, "department": m.department_id, "department_name": m.department.name if m.department else "", "roles": m.roles, "valid_from": m.valid_from, "valid_to": m.valid_to}
            for m in getattr(obj, "current_memberships", [])
        ]


class AgencyViewSet(viewsets.ReadOnlyModelViewSet[Agency]):
    serializer_class = AgencySerializer

    def get_queryset(self) -> QuerySet[Agency]:
        return selectors.agency_list(user=self.request.user)


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet[Department]):
    serializer_class = DepartmentSerializer
    filterset_fields = ["agency", "kind"]

    def get_queryset(self) -> QuerySet[Department]:
        return selectors.department_list(user=self.request.user)


class StaffViewSet(viewsets.ReadOnlyModelViewSet[Staff]):
    serializer_class = StaffSerializer

    def get_queryset(self) -> QuerySet[Staff]:
        return selectors.staff_list(user=self.request.user).order_by("name", "id")
