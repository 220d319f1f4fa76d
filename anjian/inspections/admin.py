"""Checklist authoring for administrators: drafts are edited, published versions are frozen.

Every write goes through ``anjian.inspections.services`` (create, set items, new version,
publish) or ``checklists.checklist_import_xlsx`` (the bureau's own list from Excel).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse

from anjian.core.admin import is_system_admin
from anjian.core.errors import DomainError
from anjian.inspections import services
from anjian.inspections.checklists import checklist_import_xlsx
from anjian.inspections.choices import TemplateStatus
from anjian.inspections.models import ChecklistItem, ChecklistTemplate


class ItemsForm(forms.Form):
    items = forms.CharField(
        label="检查项",
        widget=forms.Textarea(attrs={"rows": 20, "cols": 100}),
        help_text="每行一项：检查内容|依据条款|判定标准条目（后两项可省略）",
    )

    def parsed(self) -> list[dict[str, str]]:
        out = []
        for line in self.cleaned_data["items"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + ["", ""]
            out.append({"text": parts[0], "legal_basis": parts[1], "criterion_id": parts[2]})
        return out


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel文件（.xlsx）", help_text="第1行列名：检查内容、依据条款、判定标准条目")


class ItemInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ChecklistItem
    fields = ["order", "text", "legal_basis", "criterion_id", "violation_id"]
    readonly_fields = ["order", "text", "legal_basis", "criterion_id", "violation_id"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "version", "name", "kind", "status", "published_at", "item_count"]
    list_filter = ["status", "kind"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "version", "name", "kind", "status", "sectors", "features", "source", "owner_agency", "published_at", "created_at"]
    inlines = [ItemInline]
    actions = ["publish", "new_version"]
    change_form_template = "admin/inspections/checklisttemplate/change_form.html"

    def item_count(self, obj: ChecklistTemplate) -> int:
        return obj.items.count()

    item_count.short_description = "检查项数"  # type: ignore[attr-defined]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_system_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # new lists come from `anjian checklists sync` or a new version / import

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        return [
            path("<int:pk>/items/", self.admin_site.admin_view(self.items_view), name="inspections_checklist_items"),
            path("<int:pk>/import/", self.admin_site.admin_view(self.import_view), name="inspections_checklist_import"),
            *super().get_urls(),
        ]

    def _back(self, pk: int) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:inspections_checklisttemplate_change", args=[pk]))

    def items_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Edit the items of a draft as lines of text."""
        if not is_system_admin(request):
            return HttpResponse(status=403)
        t = get_object_or_404(ChecklistTemplate, pk=pk)
        if request.method == "POST":
            form = ItemsForm(request.POST)
            if form.is_valid():
                try:
                    services.checklist_set_items(actor=request.user, template=t, items=form.parsed())
                except DomainError as exc:
                    form.add_error("items", exc.message)
                else:
                    messages.success(request, "检查项已保存。")
                    return self._back(t.pk)
        else:
            lines = "\n".join("|".join([i.text, i.legal_basis, i.criterion_id]).rstrip("|") for i in t.items.order_by("order"))
            form = ItemsForm(initial={"items": lines})
        ctx = {**self.admin_site.each_context(request), "form": form, "template": t, "title": f"编辑检查项：{t}", "opts": self.model._meta}
        return render(request, "admin/inspections/checklisttemplate/form.html", ctx)

    def import_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not is_system_admin(request):
            return HttpResponse(status=403)
        t = get_object_or_404(ChecklistTemplate, pk=pk)
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    new = checklist_import_xlsx(actor=request.user, template=t, fh=form.cleaned_data["file"])
                except DomainError as exc:
                    form.add_error("file", exc.message)
                else:
                    messages.success(request, f"已导入{new.items.count()}项（草稿，发布后用于新开始的检查）。")
                    return self._back(new.pk)
        else:
            form = ImportForm()
        ctx = {**self.admin_site.each_context(request), "form": form, "template": t, "title": f"导入检查项：{t}", "opts": self.model._meta, "multipart": True}
        return render(request, "admin/inspections/checklisttemplate/form.html", ctx)

    @admin.action(description="发布所选草稿（原发布版本停用）")
    def publish(self, request: HttpRequest, queryset: Any) -> None:
        for t in queryset:
            try:
                services.checklist_publish(actor=request.user, template=t)
                messages.success(request, f"已发布：{t}")
            except DomainError as exc:
                messages.error(request, f"{t}：{exc.message}")

    @admin.action(description="以所选已发布版本建立新草稿")
    def new_version(self, request: HttpRequest, queryset: Any) -> None:
        for t in queryset.filter(status=TemplateStatus.PUBLISHED):
            items = [{"text": i.text, "legal_basis": i.legal_basis, "criterion_id": i.criterion_id, "violation_id": i.violation_id} for i in t.items.order_by("order")]
            try:
                new = services.checklist_new_version(actor=request.user, template=t, items=items)
                messages.success(request, f"已建立草稿：{new}")
            except DomainError as exc:
                messages.error(request, f"{t}：{exc.message}")
