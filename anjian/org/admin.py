"""执法机关 in the admin: system administrators set the remedies each agency's decisions name.

Only ``review_body`` and ``court`` are editable (the rest of the organisation is built by the
services and the demo); the write goes through ``org.services.agency_remedies_set`` (audited as
``agency.remedies``). An administrator changes only the agencies of his own scope.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from anjian.core.admin import SystemAdminOnly, is_system_admin
from anjian.core.scoping import scope_for
from anjian.org import services
from anjian.org.models import Agency


class AgencyRemediesForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Agency
        fields = ["review_body", "court", "payment_place"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("review_body", "court"):
            self.fields[name].required = True  # a decision naming no body is refused; so is a blank here


@admin.register(Agency)
class AgencyAdmin(SystemAdminOnly):
    form = AgencyRemediesForm
    list_display = ["name", "doc_abbr", "level", "review_body", "court"]
    list_select_related = ["jurisdiction"]
    search_fields = ["name"]
    fields = ["name", "short_name", "doc_abbr", "level", "jurisdiction", "parent", "address", "phone", "review_body", "court", "payment_place"]
    readonly_fields = ["name", "short_name", "doc_abbr", "level", "jurisdiction", "parent", "address", "phone"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agency]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(jurisdiction_id__in=scope_for(request.user).agency_jurisdiction_ids)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not is_system_admin(request):
            return False
        return obj is None or request.user.is_superuser or scope_for(request.user).agency_id == obj.pk

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        data = form.cleaned_data
        row = services.agency_remedies_set(
            actor=request.user, agency=obj, review_body=data.get("review_body", ""), court=data.get("court", ""), payment_place=data.get("payment_place", "")
        )
        obj.review_body, obj.court, obj.payment_place = row.review_body, row.court, row.payment_place
