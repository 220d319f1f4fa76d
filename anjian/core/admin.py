"""Admin of core's legal configuration and the audit trail.

Who may use it: superusers, and staff users (``is_staff``) holding the role ``admin`` (系统管理员)
in their current membership. Django's own model permissions are not used for these models: a
staff user without the role sees none of them, whatever permissions it was given.

Writes go through ``anjian.core.services`` (audited): a calendar year is loaded from a CSV on the
upload page (``lawcal.load_year`` via ``services.calendar_year_load``); a rule override is
registered by ``services.rule_override_create`` and afterwards can only be ended
(``services.rule_override_end``). Exception days and audit events are read-only here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse

from anjian.core import services
from anjian.core.audit import ACTIONS
from anjian.core.errors import DomainError, PermissionRefused, ValidationFailed
from anjian.core.law_forms import UNIT_CHOICES, apply_failure, rule_code_choices
from anjian.core.models import AuditEvent, CalendarYear, CollectiveDiscussionConfig, LegalReviewCatalogueEntry, RuleOverride, WorkCalendarDay
from anjian.core.scoping import scope_for
from anjian.law.calendar import EARLIEST

ADMIN_ROLE = "admin"  # org.choices.Role.ADMIN (core cannot import org)


def is_system_admin(request: HttpRequest) -> bool:
    """A superuser, or an active staff user whose current membership grants the role ``admin``."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    return bool(user.is_superuser) or scope_for(user).has_role(ADMIN_ROLE)


class SystemAdminOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """Visible and usable only by system administrators (see the module docstring)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_system_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# -- the working-day calendar --------------------------------------------------------------------


class CalendarUploadForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=EARLIEST.year, max_value=2199, help_text="新公布节假日安排的年度,如2027。")
    source = forms.CharField(label="依据文件", max_length=200, help_text="国务院办公厅关于该年度部分节假日安排的通知及其文号。")
    file = forms.FileField(label="CSV文件", help_text="UTF-8编码;第一行为列名 date,kind,name;kind 为 holiday(法定节假日)或 makeup_workday(调休上班日);name 可省略。")


@admin.register(CalendarYear)
class CalendarYearAdmin(SystemAdminOnly):
    list_display = ["year", "source", "loaded_at", "exception_days"]
    ordering = ["-year"]
    search_fields = ["source"]
    change_list_template = "admin/core/calendaryear/change_list.html"

    @admin.display(description="例外日数")
    def exception_days(self, obj: CalendarYear) -> int:
        return WorkCalendarDay.objects.filter(date__year=obj.year).count()

    def get_urls(self) -> list[URLPattern]:
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="core_calendaryear_upload")
        return [upload, *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Load a newly published year from a CSV (``anjian calendar import`` on the web)."""
        if not is_system_admin(request):
            raise PermissionDenied
        form = CalendarUploadForm(request.POST or None, request.FILES or None)
        error: DomainError | None = None
        if request.method == "POST" and form.is_valid():
            year = form.cleaned_data["year"]
            try:
                raw = form.cleaned_data["file"].read()
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise ValidationFailed(
                        "文件应为UTF-8编码的CSV", code="calendar_invalid", fields={"file": "文件应为UTF-8编码的CSV(可在WPS/Excel中“另存为 CSV UTF-8”)。"}
                    ) from None
                rows = services.parse_calendar_csv(text, year=year)
                row = services.calendar_year_load(actor=request.user, year=year, rows=rows, source=form.cleaned_data["source"])
            except ValidationFailed as exc:
                if not apply_failure(form, exc):
                    error = exc
            except PermissionRefused as exc:
                error = exc
            else:
                messages.success(request, f"{row.year}年节假日安排已载入,共{len(rows)}个例外日;此前涉及该年度的临时计算结果现已按正式安排计算。")
                return HttpResponseRedirect(reverse("admin:core_calendaryear_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "载入新年度节假日安排",
            "form": form,
            "domain_error": error,
            "opts": self.model._meta,
            "loaded_years": list(CalendarYear.objects.order_by("-year").values_list("year", flat=True)[:5]),
        }
        return render(request, "admin/core/calendaryear/upload.html", context)


class YearFilter(admin.SimpleListFilter):
    title = "年度"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(y), f"{y}年") for y in CalendarYear.objects.order_by("-year").values_list("year", flat=True)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(WorkCalendarDay)
class WorkCalendarDayAdmin(SystemAdminOnly):
    list_display = ["date", "weekday", "kind", "name"]
    list_filter = [YearFilter, "kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
    list_per_page = 100

    @admin.display(description="星期")
    def weekday(self, obj: WorkCalendarDay) -> str:
        return "一二三四五六日"[obj.date.weekday()]


# -- rule overrides --------------------------------------------------------------------------------


class RuleOverrideAddForm(forms.ModelForm):  # type: ignore[type-arg]
    """Registration: the fields of ``services.rule_override_create``, checked by it before saving."""

    rule_code = forms.ChoiceField(label="规则代码", choices=())
    value = forms.CharField(label="取值", required=False, help_text="期限规则:期间长度(整数);听证标准:金额(元)。留空表示确认系统默认值。")
    unit = forms.ChoiceField(label="期间单位", required=False, choices=UNIT_CHOICES, help_text="仅期限规则可选;听证标准以元为单位。")
    source_document = forms.CharField(label="依据文件(文号)", max_length=200, required=False)
    approver = forms.CharField(label="批准人", max_length=64, required=False)

    class Meta:
        model = RuleOverride
        fields = ["rule_code", "scope", "effective_from", "effective_to", "value", "unit", "source_document", "approver", "note"]

    request: HttpRequest | None = None  # set by RuleOverrideAdmin.get_form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule_code"].choices = rule_code_choices()  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        # The model's own clean would turn the raw value into a Decimal and check constraints
        # with Django's messages; the service gives the engine's (and names each input).
        if self.errors or self.request is None:
            return
        data = self.cleaned_data
        try:
            values: dict[str, Any] = {k: data.get(k) for k in self.Meta.fields}
            services.rule_override_validate(actor=self.request.user, **values)
        except ValidationFailed as exc:
            apply_failure(self, exc)
        except PermissionRefused as exc:
            self.add_error(None, exc.message)


class RuleOverrideEndForm(forms.ModelForm):  # type: ignore[type-arg]
    """After registration an override can only be ended: its ``effective_to``."""

    request: HttpRequest | None = None  # set by RuleOverrideAdmin.get_form

    class Meta:
        model = RuleOverride
        fields = ["effective_to"]

    def _post_clean(self) -> None:
        # Not the model's clean: the instance must stay as stored until the service changes it.
        if self.errors or self.request is None:
            return
        try:
            services.rule_override_end_check(actor=self.request.user, override=self.instance, effective_to=self.cleaned_data.get("effective_to"))
        except ValidationFailed as exc:
            apply_failure(self, exc)
        except PermissionRefused as exc:
            self.add_error(None, exc.message)


@admin.register(RuleOverride)
class RuleOverrideAdmin(SystemAdminOnly):
    list_display = ["rule_code", "rule_name", "scope", "effective_from", "effective_to", "value", "source_document", "approver"]
    list_filter = ["rule_code", "scope"]
    search_fields = ["rule_code", "source_document", "approver"]
    date_hierarchy = "effective_from"
    readonly_fields = ["rule_code", "rule_name", "scope", "effective_from", "value", "unit", "source_document", "approver", "note", "created_by", "created_at"]

    @admin.display(description="规则名称")
    def rule_name(self, obj: RuleOverride) -> str:
        return services.rule_label(obj.rule_code)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_system_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_admin(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return []
        return list(self.readonly_fields)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return list(RuleOverrideAddForm.Meta.fields)
        return [*self.readonly_fields[:4], "effective_to", *self.readonly_fields[4:]]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        base = RuleOverrideEndForm if obj is not None else RuleOverrideAddForm
        kwargs["form"] = base
        kwargs["fields"] = ["effective_to"] if obj is not None else RuleOverrideAddForm.Meta.fields
        form_class = super().get_form(request, obj, change, **kwargs)
        # The form validates through the service, which needs the acting user.
        return type(form_class.__name__, (form_class,), {"request": request})

    def save_model(self, request: HttpRequest, obj: RuleOverride, form: Any, change: bool) -> None:
        if change:
            ended = services.rule_override_end(actor=request.user, override=obj, effective_to=form.cleaned_data["effective_to"])
            obj.effective_to = ended.effective_to
            return
        data = form.cleaned_data
        values: dict[str, Any] = {k: data.get(k) for k in RuleOverrideAddForm.Meta.fields}
        row = services.rule_override_create(actor=request.user, **values)
        for f in row._meta.concrete_fields:  # the admin logs and links the object it was given
            setattr(obj, f.attname, getattr(row, f.attname))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # no relations to save; the service wrote the row


# -- the audit trail -------------------------------------------------------------------------------


@admin.register(AuditEvent)
class AuditEventAdmin(SystemAdminOnly):
    list_display = ["at", "actor_name", "action_label", "object_type", "object_id", "object_repr", "jurisdiction", "source_ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_id", "object_repr", "request_id", "note"]
    date_hierarchy = "at"
    list_select_related = ["jurisdiction"]
    readonly_fields = ["at", "actor", "actor_name", "action", "object_type", "object_id", "object_repr", "jurisdiction", "before", "after", "note", "request_id", "source_ip"]

    @admin.display(description="操作", ordering="action")
    def action_label(self, obj: AuditEvent) -> str:
        return ACTIONS.get(obj.action, obj.action)

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        # A bureau's administrator reads its own jurisdictions' trail and the system-wide events
        # (calendar loads, overrides registered without an agency).
        scope = scope_for(request.user)
        return qs.filter(Q(jurisdiction_id__in=sorted(scope.jurisdiction_ids)) | Q(jurisdiction__isnull=True))


class _ConfigAdmin(SystemAdminOnly):
    """Bureau configuration rows: validated, and every save audited (rule.override)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from anjian.core import audit

        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit.record(actor=request.user, action="rule.override", obj=obj, before=before, after=audit.snapshot(obj), note=str(obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # end a row with its 失效日期; its history stays


class _KindsForm(forms.ModelForm):  # type: ignore[type-arg]
    def clean_kinds(self) -> list[str]:
        from anjian.law.procedure import PenaltyKind

        kinds = self.cleaned_data.get("kinds") or []
        bad = [k for k in kinds if k not in PenaltyKind.__members__.values()]
        if not isinstance(kinds, list) or bad:
            raise forms.ValidationError("处罚种类须为:" + "、".join(k.value for k in PenaltyKind))
        return kinds


@admin.register(LegalReviewCatalogueEntry)
class LegalReviewCatalogueEntryAdmin(_ConfigAdmin):
    form = _KindsForm
    list_display = ["scope", "code", "name", "fine_individual", "fine_organisation", "source_document", "effective_from", "effective_to"]
    list_filter = ["scope"]


@admin.register(CollectiveDiscussionConfig)
class CollectiveDiscussionConfigAdmin(_ConfigAdmin):
    form = _KindsForm
    list_display = ["scope", "complex_cases", "serious_heavier", "fine_individual", "fine_organisation", "source_document", "effective_from", "effective_to"]


# The login lockouts and their audited unlock (issue 8, item 9).
from anjian.core import auth_admin  # noqa: E402, F401
