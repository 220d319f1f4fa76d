"""Forms of the hazard-loop screens. They check shape only; ``anjian.hazards.services`` decides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone

from anjian.core.ids import IdField
from anjian.core.scoping import Scope
from anjian.core.ui import FilterForm
from anjian.documents.choices import ServiceMethod
from anjian.enterprises.forms import DateInput, _blank_labels
from anjian.enterprises.models import Enterprise, Site
from anjian.hazards.choices import HazardSource, HazardStatus, MeasureScope, MeasureType, ReinspectionResult, Severity, TransferStatus
from anjian.hazards.models import Hazard
from anjian.inspections.forms import TimeInput, aware, officer_choices
from anjian.inspections.models import Finding
from anjian.org.choices import DepartmentKind, StaffKind
from anjian.org.models import Department


def _today_initial(form: forms.Form, *names: str) -> None:
    today = timezone.localdate()
    for n in names:
        form.fields[n].initial = today


def _choices(field: forms.Field, choices: Iterable[tuple[Any, str]]) -> None:
    field.choices = list(choices)  # type: ignore[attr-defined]


# --- lists ---------------------------------------------------------------------------------------
class HazardFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False, max_length=100, widget=forms.TextInput(attrs={"placeholder": "单位名称或隐患描述", "type": "search"}))
    enterprise = IdField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *HazardStatus.choices])
    severity = forms.ChoiceField(label="级别", required=False, choices=[("", "全部"), *Severity.choices])
    overdue = forms.ChoiceField(label="逾期", required=False, choices=[("", "全部"), ("1", "逾期未整改")])
    supervised = forms.ChoiceField(label="挂牌督办", required=False, choices=[("", "全部"), ("1", "挂牌督办")])
    # 整改期限将至 (the workbench links here): rectifying, the deadline within the next N days.
    due = forms.ChoiceField(label="期限将至", required=False, choices=[("", "全部"), ("7", "7日内届满"), ("30", "30日内届满")])

    FILTER_KEYS = ["q", "enterprise", "status", "severity", "overdue", "supervised", "due"]


class TransferFilterForm(FilterForm):
    box = forms.ChoiceField(label="范围", required=False, choices=[("", "全部"), ("inbox", "待我队接收"), ("decide", "待我接收或退回"), ("sent", "我科室发出")])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *TransferStatus.choices])
    q = forms.CharField(label="单位", required=False, max_length=100, widget=forms.TextInput(attrs={"placeholder": "单位名称", "type": "search"}))

    FILTER_KEYS = ["box", "status", "q"]


# --- register ------------------------------------------------------------------------------------
def approver_choices(scope: Scope) -> list[tuple[str, str]]:
    """Who may approve setting aside a major-hazard criterion: the bureau's leaders or experts
    today (``services.set_aside_approvers``, the set the service accepts), never oneself."""
    from anjian.hazards.services import set_aside_approvers

    out = []
    for s in set_aside_approvers(agency_id=scope.agency_id, on=timezone.localdate()):
        if s.pk != scope.staff_id:
            out.append((str(s.pk), f"{s.name}（{'专家' if s.kind == StaffKind.EXPERT else '局领导'}）"))
    return out


class HazardCreateForm(forms.Form):
    source = forms.ChoiceField(label="来源", choices=HazardSource.choices)
    description = forms.CharField(label="隐患描述", max_length=500, widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请填写隐患描述。"})
    location = forms.CharField(label="隐患部位", max_length=200, error_messages={"required": "请填写隐患部位。"})
    site = forms.ModelChoiceField(label="场所", queryset=Site.objects.none(), required=False)
    legal_basis = forms.CharField(label="依据条款", max_length=300, required=False)
    severity = forms.ChoiceField(label="隐患级别", choices=Severity.choices, widget=forms.RadioSelect)
    criterion_id = forms.CharField(label="判定标准条目", max_length=64, required=False)
    major_reason = forms.CharField(label="认定为重大隐患的理由", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="未匹配有依据的判定标准条目而认定为重大隐患的，须说明理由。")
    set_aside_reason = forms.CharField(label="不予认定重大隐患的理由", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    set_aside_by = forms.ChoiceField(label="审核人（局领导或专家）", required=False, help_text="不予认定是一项申请：由所选审核人在系统中批准前，该隐患按重大事故隐患处理。")
    found_on = forms.DateField(label="发现日期", widget=DateInput)
    period_days = forms.IntegerField(label="整改期限（日）", required=False, min_value=1, max_value=365, help_text="自整改指令书送达之日起计算；留空按本局配置（一般隐患15日、重大隐患60日）。")

    def __init__(self, *args: Any, scope: Scope, enterprise: Enterprise, initial_from: Finding | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(enterprise=enterprise)  # type: ignore[attr-defined]
        _choices(self.fields["set_aside_by"], [("", "请选择"), *approver_choices(scope)])
        self.fields["found_on"].initial = timezone.localdate()
        self.fields["source"].initial = HazardSource.INSPECTION if initial_from else HazardSource.SELF_CHECK
        if initial_from is not None:
            self.initial.update(
                {
                    "description": initial_from.description,
                    "legal_basis": initial_from.legal_basis,
                    "criterion_id": initial_from.criterion_id,
                    "found_on": initial_from.found_on,
                    "location": initial_from.inspection.place if initial_from.inspection_id else "",
                }
            )
        _blank_labels(self)

    def clean_set_aside_by(self) -> int | None:
        # Only the ids offered pass the choice field; the service checks the person again.
        v = self.cleaned_data.get("set_aside_by")
        return int(v) if v else None


class SetAsideDecideForm(forms.Form):
    """The named leader's or expert's answer to a set-aside request."""

    approve = forms.TypedChoiceField(label="审核结果", choices=[("1", "同意不予认定（按一般隐患处理）"), ("0", "不同意（仍为重大事故隐患）")], coerce=lambda v: v == "1", widget=forms.RadioSelect)
    note = forms.CharField(label="审核意见", max_length=500, widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请填写审核意见。"})


class SetAsideWithdrawForm(forms.Form):
    """Withdraw a pending set-aside request (its requester, or an approver of the bureau)."""

    note = forms.CharField(label="撤回理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请填写撤回理由。"})


# --- order and service -----------------------------------------------------------------------------
class OrderForm(forms.Form):
    hazards = forms.MultipleChoiceField(label="责令整改的隐患（同一单位）", widget=forms.CheckboxSelectMultiple, error_messages={"required": "请选择要责令整改的隐患。"})
    issued_on = forms.DateField(label="签发日期", widget=DateInput)

    def __init__(self, *args: Any, hazards: list[Hazard], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["hazards"], [(str(h.pk), f"{h.get_severity_display()}：{h.description}（{h.location}），期限{h.period_days}日") for h in hazards])
        self.fields["issued_on"].initial = timezone.localdate()

    def clean_hazards(self) -> list[int]:
        return [int(i) for i in self.cleaned_data["hazards"]]


class ServeForm(forms.Form):
    method = forms.ChoiceField(label="送达方式", choices=ServiceMethod.choices)
    event_date = forms.DateField(label="送达事件日期", widget=DateInput, help_text="签收日期/留置日期/回执日期/到达系统日期/公告发布日期。")
    recipient = forms.CharField(label="受送达人", max_length=100, error_messages={"required": "请填写受送达人。"})
    refused = forms.BooleanField(label="拒绝签收", required=False)
    witness = forms.CharField(label="见证人（留置送达）", max_length=100, required=False)
    consent_ref = forms.CharField(label="电子送达同意书（电子送达）", max_length=200, required=False)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today_initial(self, "event_date")


class ReportForm(forms.Form):
    reported_on = forms.DateField(label="报告日期", widget=DateInput)
    description = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "请填写整改情况。"})
    evidence = forms.FileField(label="整改材料（可选）", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today_initial(self, "reported_on")


class ExtensionForm(forms.Form):
    requested_on = forms.DateField(label="申请日期", widget=DateInput)
    requested_until = forms.DateField(label="申请延期至", widget=DateInput)
    reason = forms.CharField(label="申请理由", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "延期申请须说明理由。"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today_initial(self, "requested_on")


class DecideForm(forms.Form):
    """An approval: yes or no, the date and the opinion (extension, restart review)."""

    approve = forms.TypedChoiceField(label="审批结果", choices=[("1", "批准"), ("0", "不予批准")], coerce=lambda v: v == "1", widget=forms.RadioSelect)
    decided_on = forms.DateField(label="审批日期", widget=DateInput)
    note = forms.CharField(label="审批意见", max_length=500, widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请填写审批意见。"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today_initial(self, "decided_on")


# --- re-inspection ---------------------------------------------------------------------------------
class ReinspectStartForm(forms.Form):
    hazards = forms.MultipleChoiceField(label="复查的隐患（同一单位）", widget=forms.CheckboxSelectMultiple, error_messages={"required": "请选择要复查的隐患。"})
    inspected_on = forms.DateField(label="复查日期", widget=DateInput)
    started_time = forms.TimeField(label="开始时间", widget=TimeInput)
    place = forms.CharField(label="复查地点", max_length=200, error_messages={"required": "请填写复查地点。"})
    officers = forms.MultipleChoiceField(label="执法人员（不少于两人）", widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check"}), required=False)

    def __init__(self, *args: Any, scope: Scope, hazards: list[Hazard], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["hazards"], [(str(h.pk), f"{h.description}({h.location})· {h.get_status_display()}") for h in hazards])
        _choices(self.fields["officers"], officer_choices(scope))
        now = timezone.localtime()
        self.initial.update(
            {
                "inspected_on": now.date(),
                "started_time": now.time().replace(second=0, microsecond=0),
                "place": hazards[0].location if hazards else "",
                "officers": [str(scope.staff_id)] if scope.staff_id else [],
            }
        )

    def clean_hazards(self) -> list[int]:
        return [int(i) for i in self.cleaned_data["hazards"]]

    def clean_officers(self) -> list[int]:
        return [int(i) for i in self.cleaned_data["officers"]]

    def started_at(self) -> dt.datetime:
        return aware(self.cleaned_data["inspected_on"], self.cleaned_data["started_time"])


class ReinspectionDecideForm(forms.Form):
    result = forms.ChoiceField(label="复查结论", choices=ReinspectionResult.choices, widget=forms.RadioSelect)
    opinion = forms.CharField(label="复查意见", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请填写复查意见。"})
    decided_on = forms.DateField(label="复查日期", widget=DateInput)
    new_period_days = forms.IntegerField(label="重新整改期限（日，不合格时）", required=False, min_value=1, max_value=365)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today_initial(self, "decided_on")


class IssueForm(forms.Form):
    issued_on = forms.DateField(label="签发日期", widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today_initial(self, "issued_on")


class SuperviseForm(forms.Form):
    by = forms.CharField(label="督办机关", max_length=100, error_messages={"required": "请填写督办机关。"})
    on = forms.DateField(label="督办日期", widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today_initial(self, "on")


# --- measures --------------------------------------------------------------------------------------
class MeasureForm(forms.Form):
    measure_type = forms.ChoiceField(label="措施", choices=MeasureType.choices, widget=forms.RadioSelect)
    scope = forms.ChoiceField(label="范围", choices=MeasureScope.choices, widget=forms.RadioSelect)
    site = forms.ModelChoiceField(label="经营场所（范围为经营场所时）", queryset=Site.objects.none(), required=False)
    scope_detail = forms.CharField(label="区域/设备说明", max_length=300, required=False, help_text="范围为区域或设施设备的，须写明具体区域或设备。")
    reason = forms.CharField(label="决定理由（无法保证安全的现场事实）", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "请写明无法保证安全的现场事实（决定理由）。"})
    decided_on = forms.DateField(label="决定日期", widget=DateInput)

    def __init__(self, *args: Any, hazard: Hazard, suggestion: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(enterprise_id=hazard.enterprise_id)  # type: ignore[attr-defined]
        _today_initial(self, "decided_on")
        if suggestion:
            self.initial.setdefault("measure_type", suggestion.get("measure_type"))
            self.initial.setdefault("scope", suggestion.get("scope"))
        _blank_labels(self)


class RestartApplyForm(forms.Form):
    applied_on = forms.DateField(label="申请日期", widget=DateInput)
    application = forms.CharField(label="申请内容", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "请填写申请内容。"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today_initial(self, "applied_on")


class RestartReviewForm(forms.Form):
    approved = forms.TypedChoiceField(label="审查结果", choices=[("1", "批准恢复生产"), ("0", "不予批准")], coerce=lambda v: v == "1", widget=forms.RadioSelect)
    opinion = forms.CharField(label="审查意见", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请填写审查意见。"})
    reviewed_on = forms.DateField(label="审查日期", widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today_initial(self, "reviewed_on")


# --- transfers -------------------------------------------------------------------------------------
class TransferSendForm(forms.Form):
    from_department = forms.ModelChoiceField(label="移交科室", queryset=Department.objects.none(), empty_label="请选择")
    to_department = forms.ModelChoiceField(label="接收执法队伍", queryset=Department.objects.none(), empty_label="请选择")
    findings = forms.MultipleChoiceField(label="移交的问题", widget=forms.CheckboxSelectMultiple, required=False)
    hazards = forms.MultipleChoiceField(label="移交的隐患", widget=forms.CheckboxSelectMultiple, required=False)
    facts = forms.CharField(label="违法事实", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "请写明违法事实。"})
    suggested_basis = forms.CharField(label="建议适用条款", max_length=300, required=False)

    def __init__(self, *args: Any, scope: Scope, findings: list[Finding], hazards: list[Hazard], own_department: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        depts = Department.objects.filter(agency_id=scope.agency_id or 0).order_by("kind", "name")
        self.fields["from_department"].queryset = depts.exclude(kind=DepartmentKind.ENFORCEMENT)  # type: ignore[attr-defined]
        self.fields["to_department"].queryset = depts.filter(kind=DepartmentKind.ENFORCEMENT)  # type: ignore[attr-defined]
        _choices(self.fields["findings"], [(str(f.pk), f"{f.found_on:%Y-%m-%d} {f.description}") for f in findings])
        _choices(self.fields["hazards"], [(str(h.pk), f"{h.get_severity_display()}：{h.description}") for h in hazards])
        enforcement = list(self.fields["to_department"].queryset)  # type: ignore[attr-defined]
        if len(enforcement) == 1:
            self.initial.setdefault("to_department", enforcement[0].pk)
        if own_department:
            self.initial.setdefault("from_department", own_department)

    def clean_findings(self) -> list[int]:
        return [int(i) for i in self.cleaned_data["findings"]]

    def clean_hazards(self) -> list[int]:
        return [int(i) for i in self.cleaned_data["hazards"]]


class TransferReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "退回须说明理由。"})


# --- the two lists ---------------------------------------------------------------------------------
class InstitutionalForm(forms.Form):
    title = forms.CharField(label="制度措施", max_length=200, error_messages={"required": "请填写制度措施。"})
    description = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label="完成期限", required=False, widget=DateInput)
    hazard = forms.TypedChoiceField(label="相关隐患", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, hazards: list[Hazard], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["hazard"], [("", "（无）"), *((h.pk, h.description[:40]) for h in hazards)])


class DoneForm(forms.Form):
    done_on = forms.DateField(label="完成日期", widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today_initial(self, "done_on")

