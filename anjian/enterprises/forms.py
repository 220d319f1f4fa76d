"""Forms of the ledger screens. They check shape only; the services decide and write.

Fields are generated from the models (``fields_for_model``) so labels stay the models'
Chinese ``verbose_name``; nothing here is saved directly: views pass ``cleaned_data`` to
``anjian.enterprises.services``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.db import models
from django.db.models import Q
from django.forms.models import fields_for_model
from django.utils import timezone

from anjian.core import idempotency
from anjian.core.models import Division, Jurisdiction
from anjian.core.scoping import Scope
from anjian.core.ui import FilterForm
from anjian.core.validators import DateBounds, normalize_uscc
from anjian.core.widgets import FastSelect
from anjian.enterprises.choices import DeclaredStatus, StandardizationLevel, SupervisionLevel
from anjian.enterprises.classification import ClassTable
from anjian.enterprises.models import (
    ChemicalPark,
    Enterprise,
    Feature,
    GradingScheme,
    IndustryClass,
    Sector,
    Site,
)
from anjian.enterprises.selectors import SORTS
from anjian.enterprises.services import CHILD_RECORDS, EDITABLE_FIELDS, enterprise_identity_errors, uscc_taken_error
from anjian.org.models import Agency


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _formfield(f: models.Field[Any, Any], **kwargs: Any) -> Any:
    """Model field → form field with HTML5 date inputs and compact text areas."""
    if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
        kwargs.setdefault("widget", DateInput)
    if isinstance(f, models.TextField):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    ff = f.formfield(**kwargs)
    if ff is not None:
        # The model's own validators (telephone, credit code, date bounds) run with the form's
        # field checks, so a page shows them together with every other error.
        ff.validators = [*ff.validators, *getattr(f, "_validators", [])]
    return ff


def _blank_labels(form: forms.Form) -> None:
    """Django's "---------" placeholder reads as a glitch: say 请选择 (required) or (未填)."""
    for f in form.fields.values():
        label = "请选择" if f.required else "（未填）"
        if isinstance(f, forms.ModelChoiceField):
            if f.empty_label is not None:
                f.empty_label = label
        elif isinstance(f, forms.ChoiceField) and not isinstance(f, forms.MultipleChoiceField):
            choices = list(cast(Iterable[Any], f.choices))
            if choices and choices[0][0] == "" and choices[0][1] == "---------":
                f.choices = [("", label), *choices[1:]]


def division_queryset(jurisdiction_ids: Iterable[int]) -> models.QuerySet[Division]:
    """The divisions covered by the given jurisdictions (and their counties); all counties when
    the jurisdictions carry no division list."""
    ids = list(jurisdiction_ids)
    qs = Division.objects.filter(Q(jurisdictions__id__in=ids) | Q(parent__jurisdictions__id__in=ids)).distinct()
    if not qs.exists():
        qs = Division.objects.filter(level="county")
    return qs.order_by("code")


def sector_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for s in Sector.objects.select_related("group").order_by("group__order", "order", "code"):
        groups.setdefault(s.group.name, []).append((s.code, f"{s.group.name}·{s.name}"))
    return list(groups.items())


def grade_choices() -> list[tuple[str, str]]:
    seen: dict[str, None] = {}
    for grades in GradingScheme.objects.values_list("grades", flat=True):
        for g in grades or []:
            seen.setdefault(str(g), None)
    return [(g, g) for g in sorted(seen)]


# --- the ledger list filter --------------------------------------------------------------------
# Labels of the sort keys the selector knows (``selectors.SORTS``); unknown keys fall back to name.
SORT_LABELS = {
    "name": "名称 ↑",
    "-name": "名称 ↓",
    "uscc": "信用代码",
    "grade": "风险等级 ↑",
    "-grade": "风险等级 ↓",
    "employees": "从业人数 ↑",
    "-employees": "从业人数 ↓",
    "updated": "最早更新",
    "-updated": "最近更新",
}
SORT_CHOICES = [(k, SORT_LABELS.get(k, k)) for k in SORTS]


class EnterpriseFilterForm(FilterForm):
    """GET filters of the ledger list; keys match ``selectors.enterprise_list``."""

    q = forms.CharField(label="搜索", required=False, max_length=100, widget=forms.TextInput(attrs={"placeholder": "企业名称或统一社会信用代码", "type": "search"}))
    jurisdiction = forms.TypedChoiceField(label="所属辖区", required=False, widget=FastSelect, coerce=int, empty_value=None)
    sector = forms.ChoiceField(label="监管行业", required=False, widget=FastSelect)
    feature = forms.ChoiceField(label="行业领域特征", required=False, widget=FastSelect)
    grade = forms.ChoiceField(label="风险等级", required=False, widget=FastSelect)
    standardization = forms.ChoiceField(label="标准化等级", required=False, widget=FastSelect, choices=[("", "全部"), *StandardizationLevel.choices])
    status = forms.ChoiceField(label="申报经营状态", required=False, widget=FastSelect, choices=[("", "全部"), *DeclaredStatus.choices])
    supervision = forms.ChoiceField(label="监管层级", required=False, widget=FastSelect, choices=[("", "全部"), *SupervisionLevel.choices])
    subject = forms.TypedChoiceField(label="计划执法主体", required=False, widget=FastSelect, coerce=int, empty_value=None)
    unlicensed = forms.ChoiceField(label="无证无照", required=False, widget=FastSelect, choices=[("", "全部"), ("1", "是"), ("0", "否")])
    sort = forms.ChoiceField(label="排序", required=False, widget=FastSelect, choices=SORT_CHOICES)

    FILTER_KEYS = ["q", "jurisdiction", "sector", "feature", "grade", "standardization", "status", "supervision", "subject", "unlicensed"]

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        jurisdictions = Jurisdiction.objects.filter(id__in=scope.jurisdiction_ids).valid_on(today).order_by("code")
        self._choice("jurisdiction").choices = [("", "全部"), *((j.pk, j.name) for j in jurisdictions)]
        # One query for groups and sectors, in display order (group, then sector).
        sectors = list(Sector.objects.select_related("group"))
        sector_opts: list[Any] = [("", "全部")]
        for _, members in itertools.groupby(sectors, key=lambda s: s.group_id):
            ms = list(members)
            g = ms[0].group
            sector_opts.append((g.name, [(g.code, f"全部{g.name}"), *((s.code, f"{g.name}·{s.name}") for s in ms)]))
        self._choice("sector").choices = sector_opts
        features = list(Feature.objects.all())
        self._choice("feature").choices = [("", "全部"), *((f.code, f.name) for f in features)]
        # Names of every sector and feature for the table, decoded from each row's class_bits.
        self.classes = ClassTable.from_objects(sectors, features)
        self._choice("grade").choices = [("", "全部"), *grade_choices()]
        # Planned subjects: the bureaus the user can see, and the city bureau above its own.
        agencies = Agency.objects.filter(Q(jurisdiction_id__in=scope.jurisdiction_ids) | Q(children__id=scope.agency_id)).distinct().order_by("jurisdiction__code")
        self._choice("subject").choices = [("", "全部"), *((a.pk, a.short_name) for a in agencies)]

    def _choice(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def sort_key(self) -> str:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("sort") or "name"

    @property
    def panel_fields(self) -> list[Any]:
        """The select filters of the panel (the search box and the sort are placed apart)."""
        return [self[k] for k in self.FILTER_KEYS if k != "q"]

    @property
    def active_count(self) -> int:
        return len([k for k in self.filters() if k != "q"])


# --- create / edit -----------------------------------------------------------------------------
class EnterpriseForm(forms.Form):
    """Create and edit: ``services.EDITABLE_FIELDS`` plus sectors/features (and jurisdiction on create)."""

    FIELDSETS = [
        ("基本信息", ["jurisdiction", "name", "uscc", "unlicensed", "legal_representative", "principal", "principal_phone", "contact_name", "contact_phone"]),
        ("登记与行业", ["division", "registered_address", "industry", "scale", "employees", "chemical_park"]),
        ("分级与标准化", ["risk_scheme", "risk_grade", "standardization_level"]),
        ("监管行业与特征", ["sectors", "features"]),
        ("备注", ["note"]),
    ]

    def __init__(self, *args: Any, scope: Scope, creating: bool, enterprise: Enterprise | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        if creating:
            # Each bureau registers units of its own jurisdiction only (services.enterprise_create
            # refuses the rest), so the city bureau is not offered the districts it merely reads.
            qs = Jurisdiction.objects.filter(id__in=scope.jurisdiction_ids, agency__id=scope.agency_id or 0).valid_on(today).order_by("code")
            self.fields["jurisdiction"] = forms.ModelChoiceField(label="所属辖区", queryset=qs, empty_label=None, initial=scope.jurisdiction_id)
        for name, f in fields_for_model(Enterprise, fields=EDITABLE_FIELDS, formfield_callback=_formfield).items():
            if f is not None:
                self.fields[name] = f
        jur_ids = set(scope.jurisdiction_ids) if enterprise is None else {enterprise.jurisdiction_id}
        self.fields["division"].queryset = division_queryset(jur_ids)  # type: ignore[attr-defined]
        self.fields["industry"].queryset = IndustryClass.objects.filter(level="division").order_by("code")  # type: ignore[attr-defined]
        parents = set(Jurisdiction.objects.filter(id__in=jur_ids).values_list("parent_id", flat=True))
        self.fields["chemical_park"].queryset = ChemicalPark.objects.filter(jurisdiction_id__in=jur_ids | parents)  # type: ignore[attr-defined]
        self.fields["risk_grade"] = forms.ChoiceField(label="风险等级", required=False, choices=[("", "未评定"), *grade_choices()], help_text="须属于所选分级方案。")
        self.fields["uscc"].widget.attrs.update({"autocomplete": "off", "class": "mono", "maxlength": 18})
        self.fields["uscc"].help_text = "18位；确无登记的单位请勾选“无证无照”。"
        self.fields["sectors"] = forms.MultipleChoiceField(label="监管行业", required=False, choices=sector_choices(), widget=forms.CheckboxSelectMultiple)
        self.fields["features"] = forms.MultipleChoiceField(label="行业领域特征", required=False, choices=list(Feature.objects.values_list("code", "name")), widget=forms.CheckboxSelectMultiple)
        for name in ("principal_phone", "contact_phone"):
            self.fields[name].widget.input_type = "tel"
        self.fields["employees"].widget.attrs["min"] = 0
        self.scope, self.enterprise, self.creating = scope, enterprise, creating
        if creating:
            # One-time key of this rendered form: a double submit returns the unit first registered.
            self.fields[idempotency.FORM_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64, initial=idempotency.new_key())
        if enterprise is not None:
            # The version the page was read at: a save from a stale page is refused (lost update).
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=enterprise.version, error_messages={"required": "页面缺少版本信息，请重新打开修改页面。"})
        if enterprise is not None and not self.is_bound:
            self.initial.update({name: getattr(enterprise, f"{name}_id" if isinstance(Enterprise._meta.get_field(name), models.ForeignKey) else name) for name in EDITABLE_FIELDS})
            self.initial["sectors"] = [s.code for s in enterprise.sectors.all()]
            self.initial["features"] = [f.code for f in enterprise.features.all()]
        _blank_labels(self)

    def fieldsets(self) -> list[tuple[str, list[Any]]]:
        return [(title, [self[n] for n in names if n in self.fields]) for title, names in self.FIELDSETS]

    def clean_uscc(self) -> str | None:
        code = normalize_uscc(self.cleaned_data.get("uscc") or "") or None
        taken = uscc_taken_error(code, exclude_pk=self.enterprise.pk if self.enterprise else None, scope=self.scope)
        if taken:
            raise forms.ValidationError(taken)
        return code

    def clean(self) -> dict[str, Any]:
        """The service's identity and grading checks on what the fields gave, so a page shows
        every error at once (an empty name together with a bad grade), not one round at a time."""
        data = super().clean() or {}
        jurisdiction = data.get("jurisdiction") if self.creating else (self.enterprise.jurisdiction if self.enterprise else None)
        ent = Enterprise(jurisdiction=jurisdiction if isinstance(jurisdiction, Jurisdiction) else None)
        for name in EDITABLE_FIELDS:
            if name in data:
                setattr(ent, name, data[name])
        if "uscc" in self.errors and not ent.uscc:
            ent.uscc = "x"  # its own message is already shown; do not add "请填写"
        for name, msg in enterprise_identity_errors(ent, check_unique=False).items():
            if name not in self.errors and name in self.fields:
                self.add_error(name, msg)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("jurisdiction", None)
        data.pop("version", None)
        data.pop(idempotency.FORM_FIELD, None)
        if data.get("uscc") in ("", None):
            data["uscc"] = None
        return data


# --- workflow steps ----------------------------------------------------------------------------
class StatusForm(forms.Form):
    status = forms.ChoiceField(label="申报经营状态", choices=DeclaredStatus.choices)
    effective_date = forms.DateField(label="生效日期", widget=DateInput, validators=[DateBounds("fact")])
    reason = forms.CharField(
        label="原因", max_length=300, widget=forms.Textarea(attrs={"rows": 3}), help_text="如“企业申请停产检修”“营业执照已注销”。",
        error_messages={"required": "变更经营状态必须填写原因。"},
    )

    def __init__(self, *args: Any, enterprise: Enterprise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].initial = timezone.localdate()
        # The current status is not a change; the service refuses it too.
        self.fields["status"].choices = [c for c in DeclaredStatus.choices if c[0] != enterprise.declared_status]  # type: ignore[attr-defined]


class TransferForm(forms.Form):
    to_jurisdiction = forms.ModelChoiceField(label="移入辖区", queryset=Jurisdiction.objects.none())
    effective_date = forms.DateField(label="生效日期", widget=DateInput, validators=[DateBounds("start")])
    reason = forms.CharField(
        label="移交原因", max_length=300, widget=forms.Textarea(attrs={"rows": 3}), help_text="如“企业注册地址迁入福山区”。",
        error_messages={"required": "移交必须填写原因。"},
    )

    def __init__(self, *args: Any, enterprise: Enterprise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["to_jurisdiction"].queryset = Jurisdiction.objects.valid_on(today).exclude(pk=enterprise.jurisdiction_id).order_by("code")  # type: ignore[attr-defined]
        self.fields["effective_date"].initial = today


class SubjectForm(forms.Form):
    agency = forms.ModelChoiceField(label="执法主体", queryset=Agency.objects.none(), empty_label=None)
    valid_from = forms.DateField(label="起始日期", widget=DateInput, validators=[DateBounds("start")])
    valid_to = forms.DateField(label="截止日期", required=False, widget=DateInput, help_text="留空表示长期。", validators=[DateBounds("end")])
    note = forms.CharField(label="依据", max_length=200, required=False, help_text="如“2026年度监督检查计划”。")

    def __init__(self, *args: Any, enterprise: Enterprise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = enterprise.owner_agency
        ids = [owner.pk] + ([owner.parent_id] if owner.parent_id else [])
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=ids).order_by("level", "jurisdiction__code")  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.fields["valid_from"].initial = today
        self.fields["valid_to"].initial = dt.date(today.year, 12, 31)


class SubjectEndForm(forms.Form):
    valid_to = forms.DateField(label="截止日期", widget=DateInput, help_text="执法主体至该日（含）止。", validators=[DateBounds("end")])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_to"].initial = timezone.localdate()


# --- child records -----------------------------------------------------------------------------
# The fields each child form edits: exactly those the services accept.
CHILD_FIELDS: dict[type[models.Model], list[str]] = {model: fields for model, (_, fields) in CHILD_RECORDS.items()}


class ChildForm(forms.Form):
    """Fields of one child model (site, licence, key person, major hazard source)."""

    def __init__(self, *args: Any, model: type[models.Model], enterprise: Enterprise, instance: models.Model | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = CHILD_FIELDS[model]
        for name, f in fields_for_model(model, fields=names, formfield_callback=_formfield).items():
            if f is not None:
                self.fields[name] = f
        _blank_labels(self)
        if "division" in self.fields:
            self.fields["division"].queryset = division_queryset([enterprise.jurisdiction_id])  # type: ignore[attr-defined]
        if "site" in self.fields:
            self.fields["site"].queryset = Site.objects.filter(enterprise=enterprise)  # type: ignore[attr-defined]
        if "id_number" in self.fields:
            self.fields["id_number"].widget.attrs.update({"class": "mono", "autocomplete": "off"})
        if instance is not None and not self.is_bound:
            for name in names:
                field = model._meta.get_field(name)
                self.initial[name] = getattr(instance, field.attname)  # type: ignore[union-attr]
