"""Admin of the legal configuration: calendar years, rule overrides, the legal-review catalogue
and the collective-discussion rules.

Who may use it: see ``anjian.core.admin.SystemAdminOnly``. Writes go through
``anjian.legal.services`` (audited): a calendar year is loaded from a CSV on the upload page
(``lawcal.load_year`` via ``services.calendar_year_load``); a rule override is registered by
``services.rule_override_create`` and afterwards can only be ended (``services.rule_override_end``).
Exception days are read-only here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse

from anjian.core.admin import SystemAdminOnly, is_system_admin
from anjian.core.errors import DomainError, PermissionRefused, ValidationFailed
from anjian.law.calendar import EARLIEST
from anjian.legal import authority, services
from anjian.legal.forms import UNIT_CHOICES, apply_failure, rule_code_choices
from anjian.legal.models import CalendarYear, CalendarYearRevision, CollectiveDiscussionConfig, LegalReviewCatalogueEntry, RuleOverride, WorkCalendarDay

# -- the working-day calendar --------------------------------------------------------------------


class CalendarUploadForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=EARLIEST.year, max_value=2199, help_text="新公布节假日安排的年度，如2027。")
    source = forms.CharField(
        label="依据文件", max_length=200, help_text="国务院办公厅关于该年度部分节假日安排的通知及其文号；更正已载入的年度时，写明更正所依据的文件。"
    )
    file = forms.FileField(
        label="CSV文件",
        required=False,
        help_text="UTF-8编码；第一行为列名 date，kind，name；kind 为 holiday（法定节假日）或 makeup_workday（调休上班日）；name 可省略。",
    )
    content = forms.CharField(required=False, widget=forms.HiddenInput)  # the file's text, kept for the confirmation step
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def csv_text(self) -> str:
        upload = self.cleaned_data.get("file")
        if upload is None:
            text = self.cleaned_data.get("content") or ""
            if not text:
                raise ValidationFailed("请选择CSV文件", code="calendar_invalid", fields={"file": "请选择CSV文件。"})
            return str(text)
        raw = upload.read()
        try:
            return str(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ValidationFailed("文件应为UTF-8编码的CSV", code="calendar_invalid", fields={"file": "文件应为UTF-8编码的CSV（可在WPS/Excel中“另存为 CSV UTF-8”）。"}) from None


def may_load_calendar(request: HttpRequest) -> bool:
    if not is_system_admin(request):
        return False
    try:
        authority.require_top_admin(request.user, what="载入节假日安排")
    except PermissionRefused:
        return False
    return True


@admin.register(CalendarYear)
class CalendarYearAdmin(SystemAdminOnly):
    list_display = ["year", "source", "version", "loaded_at", "exception_days"]
    ordering = ["-year"]
    search_fields = ["source"]
    change_list_template = "admin/legal/calendaryear/change_list.html"

    @admin.display(description="例外日数")
    def exception_days(self, obj: CalendarYear) -> int:
        return WorkCalendarDay.objects.filter(date__year=obj.year).count()

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return super().changelist_view(request, {**(extra_context or {}), "may_load_calendar": may_load_calendar(request)})

    def get_urls(self) -> list[URLPattern]:
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="legal_calendaryear_upload")
        return [upload, *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Load a newly published year from a CSV, or correct a loaded one (preview, then confirm).

        The calendar is shared by every agency: only the top bureau's administrator may use this.
        """
        if not may_load_calendar(request):
            raise PermissionDenied
        form = CalendarUploadForm(request.POST or None, request.FILES or None)
        error: DomainError | None = None
        change: services.CalendarChange | None = None
        if request.method == "POST" and form.is_valid():
            year = form.cleaned_data["year"]
            source = form.cleaned_data["source"]
            try:
                text = form.csv_text()
                rows = services.parse_calendar_csv(text, year=year)
                if not CalendarYear.objects.filter(year=year).exists():
                    row = services.calendar_year_load(actor=request.user, year=year, rows=rows, source=source)
                    messages.success(request, f"{row.year}年节假日安排已载入，共{len(rows)}个例外日；此前涉及该年度的临时计算结果现已按正式安排计算。")
                    return HttpResponseRedirect(reverse("admin:legal_calendaryear_changelist"))
                if not form.cleaned_data.get("confirm"):
                    change = services.calendar_change_preview(actor=request.user, year=year, rows=rows, source=source)
                    form = CalendarUploadForm(initial={"year": year, "source": source, "content": text, "confirm": True})
                else:
                    done = services.calendar_year_correct(actor=request.user, year=year, rows=rows, source=source)
                    messages.success(
                        request,
                        f"{year}年节假日安排已更正为第{done.loaded.version}版，原版本已存档；已保存的期限未自动重算，其中{len(done.moved)}个按更正后日历计算会变化，请逐一处理（见审计记录）。",
                    )
                    return HttpResponseRedirect(reverse("admin:legal_calendaryear_changelist"))
            except DomainError as exc:
                if not apply_failure(form, exc):
                    error = exc
        context = {
            **self.admin_site.each_context(request),
            "title": "更正节假日安排" if change is not None else "载入新年度节假日安排",
            "form": form,
            "change": change,
            "domain_error": error,
            "opts": self.model._meta,
            "loaded_years": list(CalendarYear.objects.order_by("-year").values_list("year", flat=True)[:5]),
        }
        return render(request, "admin/legal/calendaryear/upload.html", context)


@admin.register(CalendarYearRevision)
class CalendarYearRevisionAdmin(SystemAdminOnly):
    list_display = ["year", "version", "source", "loaded_at", "replaced_at", "correction_source", "corrected_by"]
    list_filter = ["year"]
    readonly_fields = ["year", "version", "source", "loaded_at", "days", "replaced_at", "correction_source", "corrected_by"]


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
    value = forms.CharField(label="取值", required=False, help_text="期限规则：期间长度（整数）；听证标准：金额（元）。留空表示确认系统默认值。")
    unit = forms.ChoiceField(label="期间单位", required=False, choices=UNIT_CHOICES, help_text="仅期限规则可选；听证标准以元为单位。")
    source_document = forms.CharField(label="依据文件（文号）", max_length=200, required=False)
    approver = forms.CharField(label="批准人", max_length=64, required=False)

    class Meta:
        model = RuleOverride
        fields = ["rule_code", "scope", "effective_from", "effective_to", "value", "unit", "source_document", "approver", "note"]

    request: HttpRequest | None = None  # set by RuleOverrideAdmin.get_form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule_code"].choices = rule_code_choices()  # type: ignore[attr-defined]
        if self.request is not None:  # only the scopes this agency may configure (legal.authority)
            self.fields["scope"] = forms.ChoiceField(label="适用范围", choices=scope_choices(self.request))

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


def scope_choices(request: HttpRequest) -> list[tuple[str, str]]:
    """The scopes the user's agency may configure (``authority.writable_scopes``)."""
    allowed = authority.writable_scopes(request.user)
    if allowed is None:  # a superuser: every jurisdiction, the province and "*"
        from anjian.core.models import Jurisdiction

        allowed = {"*", *Jurisdiction.objects.values_list("code", flat=True)}
        allowed |= {p for p in (authority.province_code(c) for c in list(allowed)) if p}
    labels = {"*": "全系统"}
    from anjian.core.models import Jurisdiction

    labels.update({c: f"{n}({c})" for c, n in Jurisdiction.objects.filter(code__in=allowed).values_list("code", "name")})
    return [(c, labels.get(c, c)) for c in sorted(allowed)]


class _ConfigForm(forms.ModelForm):  # type: ignore[type-arg]
    """A catalogue or collective-discussion row: scope offered from the agency's own, checked by
    ``services.config_row_check`` (the authority rule) before the admin saves."""

    scope = forms.ChoiceField(label="适用范围", choices=())
    request: HttpRequest | None = None  # set by _ConfigAdmin.get_form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.request is not None:
            choices = scope_choices(self.request)
            if self.instance.pk is not None and self.instance.scope not in dict(choices):
                choices.append((self.instance.scope, self.instance.scope))
            self.fields["scope"].choices = choices  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors or self.request is None:
            return
        try:
            services.config_row_check(actor=self.request.user, model=self._meta.model, instance=self.instance if self.instance.pk else None, values=self.cleaned_data)
        except DomainError as exc:
            apply_failure(self, exc)


class _ConfigAdmin(SystemAdminOnly):
    """Bureau configuration rows: an agency adds rows for its own jurisdiction and changes only
    those (``authority``); every save goes through ``services.config_row_save`` (audited)."""

    form = _ConfigForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_system_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not is_system_admin(request):
            return False
        return obj is None or authority.may_write_scope(request.user, obj.scope)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # end a row with its 失效日期; its history stays

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change, **kwargs)
        return type(form_class.__name__, (form_class,), {"request": request})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        row = services.config_row_save(actor=request.user, model=type(obj), instance=obj if change else None, values=form.cleaned_data)
        for f in row._meta.concrete_fields:  # the admin logs and links the object it was given
            setattr(obj, f.attname, getattr(row, f.attname))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # no relations; the service wrote the row


@admin.register(LegalReviewCatalogueEntry)
class LegalReviewCatalogueEntryAdmin(_ConfigAdmin):
    fields = list(services.REVIEW_FIELDS)
    list_display = ["scope", "code", "name", "fine_individual", "fine_organisation", "source_document", "effective_from", "effective_to"]
    list_filter = ["scope"]


@admin.register(CollectiveDiscussionConfig)
class CollectiveDiscussionConfigAdmin(_ConfigAdmin):
    fields = list(services.COLLECTIVE_FIELDS)
    list_display = ["scope", "complex_cases", "serious_heavier", "fine_individual", "fine_organisation", "source_document", "effective_from", "effective_to"]
