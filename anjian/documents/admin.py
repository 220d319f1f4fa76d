"""Read-only admin: issued documents, their proof of service and the counters are written by
services only (numbers without gaps, rule 5; audit, STYLE.md principle 4)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.http import HttpRequest

from anjian.core.scoping import ScopedQuerySet
from anjian.documents.models import DocumentCounter, IssuedDocument, ServiceRecord


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


SERVICE_FIELDS = ("method", "event_date", "served_on", "recipient", "refused", "witness", "consent_ref", "status", "error_reason", "recorded_by", "recorded_at")


class ServiceRecordInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ServiceRecord
    extra = 0
    can_delete = False
    fields = SERVICE_FIELDS
    readonly_fields = SERVICE_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "agency_name", "issued_on", "status", "subject_type", "subject_id"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["number", "subject_id"]
    date_hierarchy = "issued_on"
    inlines = [ServiceRecordInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = cast(ScopedQuerySet[IssuedDocument], super().get_queryset(request))
        return qs if request.user.is_superuser else qs.for_user(request.user)


@admin.register(DocumentCounter)
class DocumentCounterAdmin(ReadOnlyAdmin):
    list_display = ["agency_id", "series", "year", "last"]
    list_filter = ["year"]
