"""Cases in the admin: read-only, for system administrators. Every change goes through
``anjian.cases.services`` (the API and, later, the case pages); the admin never writes a case."""

from __future__ import annotations

from django.contrib import admin

from anjian.cases.models import Accident, Case, CaseDeadline, CaseStep
from anjian.core.admin import SystemAdminOnly


class StepInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CaseStep
    fields = readonly_fields = ("on", "label", "actor_name", "summary", "article", "deadline_due", "deadline_met")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class DeadlineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CaseDeadline
    fields = readonly_fields = ("name", "trigger_date", "due", "article", "calendar_version", "provisional", "unverified", "active", "met_on")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Case)
class CaseAdmin(SystemAdminOnly):
    list_display = ["id", "title", "party_type", "enterprise", "person_name", "status", "filed_on", "decided_on", "fine_total", "owner_agency"]
    list_filter = ["status", "source", "owner_agency"]
    search_fields = ["title", "person_name", "enterprise__name"]
    list_select_related = ["enterprise", "owner_agency"]
    inlines = [DeadlineInline, StepInline]


@admin.register(Accident)
class AccidentAdmin(SystemAdminOnly):
    list_display = ["id", "enterprise", "occurred_on", "deaths", "serious_injuries", "direct_loss", "grade"]
    list_select_related = ["enterprise"]
