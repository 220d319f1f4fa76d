"""Forms of the legal calculators and of rule overrides, shared by the pages and the API.

Amounts are typed as text and checked by the engine (``anjian.law.money.to_amount``): a negative
amount or one with more than 2 decimals gets the engine's message, on the page and in the API
alike. Dates before 2004 are refused by the engine's ``check_date``. Every message names the input.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone

from anjian.core.errors import DomainError, ValidationFailed
from anjian.law.calendar import check_date
from anjian.law.catalogue import AccidentGrade, Circumstance, Subject, default_catalogue
from anjian.law.errors import LawError
from anjian.law.money import to_amount
from anjian.law.procedure import MitigationGround, PenaltyKind
from anjian.law.ruleset import default_ruleset
from anjian.legal import selectors as law_selectors
from anjian.legal.services import CONFIG_KEYS, MAX_AMOUNT, OVERRIDE_UNITS


def _law_date(form: forms.Form, name: str) -> dt.date | None:
    value: dt.date | None = form.cleaned_data.get(name)
    if value is None:
        return None
    try:
        check_date(value, name)
    except LawError as exc:
        raise forms.ValidationError(f"{form.fields[name].label}：{exc.message}", code=exc.code) from None
    return value


def _law_amount(form: forms.Form, name: str) -> Decimal | None:
    raw = form.cleaned_data.get(name)
    if raw is None or str(raw).strip() == "":
        return None
    label = form.fields[name].label
    try:
        number = Decimal(str(raw).strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise forms.ValidationError(f"{label}：“{raw}”不是金额数字（元）", code="amount_invalid") from None
    try:
        amount = to_amount(number, name)
    except LawError as exc:
        raise forms.ValidationError(f"{label}：{exc.message}", code=exc.code) from None
    except InvalidOperation:  # beyond Decimal's precision (e.g. 1e30): too large for any fine
        amount = MAX_AMOUNT + 1
    if amount > MAX_AMOUNT:
        raise forms.ValidationError(f"{label}：金额过大，不能超过{MAX_AMOUNT:,}元。", code="amount_too_large")
    return amount


def form_failure(form: forms.BaseForm) -> ValidationFailed:
    """A bound, invalid form as the one API error shape; the code is the engine's when it spoke."""
    fields: dict[str, list[str]] = {}
    code = "invalid"
    first = ""
    for name, errors in form.errors.as_data().items():
        key = "non_field_errors" if name == "__all__" else name
        fields[key] = [str(m) for e in errors for m in e.messages]
        if not first and fields[key]:
            first = fields[key][0]
            code = errors[0].code or "invalid"
            if code in {"required", "invalid_choice"}:
                code = "invalid"
    return ValidationFailed(first or "提交的数据有误，请按提示修改。", code=code, fields=fields)


def apply_failure(form: forms.BaseForm, exc: DomainError) -> bool:
    """Place a service's field errors on the form; False when none fits a field of the form."""
    placed = False
    for name, messages in exc.fields.items():
        target = name if name in form.fields else None
        for m in messages:
            form.add_error(target, m)
        placed = placed or target is not None
    if not exc.fields:
        form.add_error(None, exc.message)
        placed = True
    return placed


class DeadlineForm(forms.Form):
    """法定期限计算器: an event and its date → every deadline it starts."""

    event = forms.ChoiceField(label="触发事件", choices=(), error_messages={"invalid_choice": "未知的触发事件：%(value)s"})
    date = forms.DateField(label="事件日期", error_messages={"invalid": "事件日期格式应为YYYY-MM-DD"})
    time = forms.TimeField(
        label="时刻", required=False, help_text="以小时计算的期限（如当场实施强制措施后24小时内补办批准）需要时刻，北京时间。", error_messages={"invalid": "时刻格式应为HH:MM"}
    )
    step_date = forms.DateField(
        label="步骤日期", required=False, help_text="办理该步骤的日期，决定适用哪一版本的规则；默认为事件日期。", error_messages={"invalid": "步骤日期格式应为YYYY-MM-DD"}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", "—— 请选择 ——"), *law_selectors.event_choices()]  # type: ignore[attr-defined]
        for name in ("date", "step_date"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["time"].widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

    def clean_date(self) -> dt.date | None:
        return _law_date(self, "date")

    def clean_step_date(self) -> dt.date | None:
        return _law_date(self, "step_date")


class DeadlineRuleForm(forms.Form):
    """One rule (API ``deadlines/{code}/``): its trigger date."""

    trigger = forms.DateField(label="起算日期", error_messages={"invalid": "起算日期格式应为YYYY-MM-DD"})
    time = forms.TimeField(label="时刻", required=False, error_messages={"invalid": "时刻格式应为HH:MM"})
    step_date = forms.DateField(label="步骤日期", required=False, error_messages={"invalid": "步骤日期格式应为YYYY-MM-DD"})

    def clean_trigger(self) -> dt.date | None:
        return _law_date(self, "trigger")

    def clean_step_date(self) -> dt.date | None:
        return _law_date(self, "step_date")


class PenaltyForm(forms.Form):
    """罚款裁量: a violation and its circumstances → range, band and procedure flags."""

    violation = forms.CharField(label="违法行为", widget=forms.Select(), error_messages={"required": "请选择违法行为。"})
    item = forms.IntegerField(label="具体情形（项）", required=False, min_value=1, help_text="条文分项列举的，选择所属的项。")
    subject = forms.ChoiceField(
        label="处罚对象", choices=[(s.value, s.label) for s in Subject], initial=Subject.UNIT.value, error_messages={"invalid_choice": "未知的处罚对象：%(value)s"}
    )
    circumstance = forms.ChoiceField(
        label="情形", choices=[(c.value, c.label) for c in Circumstance], initial=Circumstance.BASE.value, error_messages={"invalid_choice": "未知的情形：%(value)s"}
    )
    grade = forms.ChoiceField(
        label="事故等级",
        required=False,
        choices=[("", "—— 不涉及 ——"), *[(g.value, g.label) for g in AccidentGrade]],
        error_messages={"invalid_choice": "未知的事故等级：%(value)s"},
    )
    income = forms.CharField(label="上一年年收入（元）", required=False, help_text="按年收入比例罚款的（安全生产法第九十五条等）需要。")
    gains = forms.CharField(label="违法所得（元）", required=False, help_text="按违法所得倍数罚款的（安全生产法第九十二条、第一百零三条）需要。")
    act_date = forms.DateField(label="违法行为发生日期", error_messages={"invalid": "违法行为发生日期格式应为YYYY-MM-DD"})
    decision_date = forms.DateField(label="处罚决定日期", error_messages={"invalid": "处罚决定日期格式应为YYYY-MM-DD"})
    amount = forms.CharField(label="拟罚款数额（元）", required=False)
    kinds = forms.MultipleChoiceField(
        label="拟给予的其他处罚",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(k.value, k.label) for k in PenaltyKind if k is not PenaltyKind.FINE],
        error_messages={"invalid_choice": "未知的处罚种类：%(value)s"},
    )
    confiscation = forms.CharField(label="没收数额（元）", required=False)
    mitigation_ground = forms.ChoiceField(
        label="减轻处罚情节",
        required=False,
        choices=[("", "—— 无 ——"), *[(g.value, g.label) for g in MitigationGround]],
        error_messages={"invalid_choice": "未知的减轻处罚情节：%(value)s"},
    )
    collectively_approved = forms.BooleanField(label="减轻处罚已经集体讨论决定", required=False)
    major_public_interest = forms.BooleanField(label="涉及重大公共利益", required=False)
    concerns_major_rights = forms.BooleanField(label="直接关系当事人或者第三人重大权益", required=False)
    hearing_held = forms.BooleanField(label="已经过听证程序", required=False)
    complex_case = forms.BooleanField(label="案件情况疑难复杂", required=False)
    several_legal_relationships = forms.BooleanField(label="涉及多个法律关系", required=False)
    other_law_requires = forms.BooleanField(label="法律、法规规定应当法制审核的其他情形", required=False)
    review_other = forms.CharField(label="其他提请法制审核的理由", required=False, max_length=200)
    serious_violation = forms.BooleanField(label="重大违法行为", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["violation"].widget
        widget.choices = [("", "—— 请选择 ——"), *law_selectors.violation_choices()]
        for name in ("act_date", "decision_date"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if not self.is_bound:
            self.initial.setdefault("decision_date", timezone.localdate())

    def clean_violation(self) -> str:
        value = str(self.cleaned_data.get("violation") or "").strip()
        try:
            default_catalogue().violation(value)
        except LawError as exc:
            raise forms.ValidationError(f"{self.fields['violation'].label}：{exc.message}", code=exc.code) from None
        return value

    def clean_act_date(self) -> dt.date | None:
        return _law_date(self, "act_date")

    def clean_decision_date(self) -> dt.date | None:
        return _law_date(self, "decision_date")

    def clean_amount(self) -> Decimal | None:
        return _law_amount(self, "amount")

    def clean_income(self) -> Decimal | None:
        return _law_amount(self, "income")

    def clean_gains(self) -> Decimal | None:
        return _law_amount(self, "gains")

    def clean_confiscation(self) -> Decimal | None:
        return _law_amount(self, "confiscation")

    def assessment_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["grade"] = data.get("grade") or None
        data["mitigation_ground"] = data.get("mitigation_ground") or None
        return data


def rule_code_choices() -> list[tuple[str, Any]]:
    rules = default_ruleset()
    # Officers read the rule's name and its status in Chinese; the code is only the option's value.
    deadline = [(code, f"{rule.name}（当前：{rule.versions[-1].status.label}）") for code, rule in rules.rules.items()]
    return [("", "—— 请选择 ——"), ("期限规则", deadline), ("听证标准（金额）", list(CONFIG_KEYS.items()))]


class RuleOverrideForm(forms.Form):
    """The inputs of ``services.rule_override_create`` (API POST; the admin has its own ModelForm)."""

    rule_code = forms.CharField(label="规则代码", max_length=64)
    scope = forms.CharField(label="适用范围（区划代码）", max_length=16)
    effective_from = forms.DateField(label="生效日期", error_messages={"invalid": "生效日期格式应为YYYY-MM-DD"})
    effective_to = forms.DateField(label="失效日期", required=False, error_messages={"invalid": "失效日期格式应为YYYY-MM-DD"})
    value = forms.CharField(label="取值", required=False, max_length=32)
    unit = forms.CharField(label="期间单位", required=False, max_length=16)
    source_document = forms.CharField(label="依据文件（文号）", required=False, max_length=200)
    approver = forms.CharField(label="批准人", required=False, max_length=64)
    note = forms.CharField(label="说明", required=False, max_length=300)




UNIT_CHOICES = list(OVERRIDE_UNITS.items())
