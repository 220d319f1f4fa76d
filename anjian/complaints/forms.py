"""Forms of the complaints pages (shape only; ``complaints.services`` decides and refuses with the
rule). Every date starts at today, a date the next step accepts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from anjian.complaints.choices import Channel, ComplaintGround, DeclineReason, Kind, OutcomeKind, ReportGround, Status, ground_label
from anjian.complaints.models import Submission
from anjian.core.ui import FilterForm
from anjian.enterprises.forms import DateInput, _blank_labels
from anjian.hazards.choices import Severity
from anjian.org.models import Agency, Department, Staff

DATE_ERRORS = {"invalid": "请填写正确的日期。", "required": "请填写日期。"}
ALL_GROUNDS = [("投诉事项", list(ComplaintGround.choices)), ("举报事项", list(ReportGround.choices))]


def day(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput, error_messages=DATE_ERRORS, required=required)


def text(label: str, message: str = "", *, rows: int = 3, max_length: int = 5000, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=required, strip=True, widget=forms.Textarea(attrs={"rows": rows}), error_messages={"required": message or f"请填写{label}。"}
    )


def line(label: str, *, max_length: int, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, error_messages={"required": f"请填写{label}。"})


class StepForm(forms.Form):
    def __init__(self, *args: Any, submission: Submission | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submission = submission
        today = timezone.localdate()
        for f in self.fields.values():
            if isinstance(f, forms.DateField) and f.initial is None:
                f.initial = today
        _blank_labels(self)


class SubmitterFields(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Kind.choices, widget=forms.RadioSelect)
    grounds = forms.MultipleChoiceField(label="反映事项（可多选）", choices=ALL_GROUNDS, widget=forms.CheckboxSelectMultiple, error_messages={"required": "请至少选择一项。"})
    summary = line("事由摘要", max_length=200, required=True)
    content = text("具体内容", "请填写投诉举报的具体内容。", rows=6)
    unit_name = line("被举报单位名称（举报时填写）", max_length=200)
    deaths_alleged = forms.IntegerField(label="举报的事故造成死亡的人数（举报瞒报事故时填写）", required=False, min_value=0, max_value=10000)
    officer_names = line("被投诉的执法人员（投诉时填写，知道的话）", max_length=200)
    anonymous = forms.BooleanField(label="匿名（不留姓名和联系方式，将无法收到书面答复）", required=False)
    submitter_name = line("姓名", max_length=64)
    submitter_id_number = line("身份证号码", max_length=18)
    submitter_phone = line("联系电话", max_length=32)
    submitter_address = line("通讯地址", max_length=200)


class RegisterForm(SubmitterFields, StepForm):
    """The office registers a letter, a call or a visit."""

    channel = forms.ChoiceField(label="渠道", choices=[c for c in Channel.choices if c[0] != Channel.WEB])
    received_on = day("收到日期")
    enterprise_id = forms.IntegerField(label="被举报单位（台账编号）", required=False, min_value=1, max_value=2**63 - 1)
    case_id = forms.IntegerField(label="涉及的案件编号", required=False, min_value=1, max_value=2**63 - 1)
    inspection_id = forms.IntegerField(label="涉及的检查编号", required=False, min_value=1, max_value=2**63 - 1)
    officer_ids = forms.MultipleChoiceField(label="被投诉的执法人员（本机关）", required=False, widget=forms.SelectMultiple(attrs={"size": 5}))

    field_order = ["kind", "channel", "received_on", "grounds", "summary", "content", "enterprise_id", "unit_name", "deaths_alleged", "case_id", "inspection_id", "officer_ids", "officer_names",
                   "anonymous", "submitter_name", "submitter_id_number", "submitter_phone", "submitter_address"]  # fmt: skip

    def __init__(self, *args: Any, agency_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = Staff.objects.filter(memberships__agency_id=agency_id or 0).distinct().order_by("name", "id")
        self.fields["officer_ids"].choices = [(str(s.pk), s.name) for s in staff]  # type: ignore[attr-defined]


class PublicForm(SubmitterFields):
    """The public page: the bureau, the matter, the submitter, the challenge."""

    agency = forms.ModelChoiceField(label="向哪个应急管理局反映", queryset=Agency.objects.order_by("level", "name"), empty_label="请选择", error_messages={"required": "请选择受理机关。", "invalid_choice": "请从列表中选择受理机关。"})
    challenge_token = forms.CharField(widget=forms.HiddenInput, max_length=300)
    challenge_answer = forms.CharField(label="验证题", max_length=4, error_messages={"required": "请回答验证题。"})
    # A field people never see and robots fill in.
    website = forms.CharField(required=False, max_length=200, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    field_order = ["agency", "kind", "grounds", "summary", "content", "unit_name", "deaths_alleged", "officer_names", "anonymous", "submitter_name", "submitter_id_number", "submitter_phone", "submitter_address"]


class StatusForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=40, error_messages={"required": "请填写查询码。"})


class AcceptForm(StepForm):
    accepted_on = day("受理日期")
    late_reason = line("逾期受理的原因（超过十五日的须填写）", max_length=500)


class DeclineForm(StepForm):
    reason = forms.ChoiceField(label="不予受理理由", choices=DeclineReason.choices)
    note = text("说明", "请写明不予受理的事实和理由。")
    referred_to = line("转送机关（不属于本机关职责的）", max_length=100)
    decided_on = day("决定日期")
    late_reason = line("逾期告知的原因（超过十五日的须填写）", max_length=500)


class AssignForm(StepForm):
    handler_id = forms.TypedChoiceField(label="承办人", coerce=int)
    department_ids = forms.MultipleChoiceField(label="会同办理的科室", widget=forms.CheckboxSelectMultiple, error_messages={"required": "请至少选择一个科室。"})
    assigned_on = day("交办日期")

    def __init__(self, *args: Any, submission: Submission | None = None, **kwargs: Any) -> None:
        super().__init__(*args, submission=submission, **kwargs)
        agency_id = submission.owner_agency_id if submission else 0
        named = set(submission.named_officers.values_list("pk", flat=True)) if submission else set()
        staff = Staff.objects.filter(memberships__agency_id=agency_id).exclude(pk__in=named).distinct().order_by("name", "id")
        self.fields["handler_id"].choices = [("", "请选择")] + [(s.pk, s.name) for s in staff]  # type: ignore[attr-defined]
        self.fields["department_ids"].choices = [(str(d.pk), d.name) for d in Department.objects.filter(agency_id=agency_id).order_by("name", "id")]  # type: ignore[attr-defined]


class FindingForm(StepForm):
    ground = forms.ChoiceField(label="事项")
    substantiated = forms.TypedChoiceField(label="调查结论", choices=[("1", "属实"), ("0", "不属实")], coerce=lambda v: v == "1", widget=forms.RadioSelect)
    note = text("调查情况", "请写明调查核实的情况。")
    recorded_on = day("记录日期")

    def __init__(self, *args: Any, submission: Submission | None = None, **kwargs: Any) -> None:
        super().__init__(*args, submission=submission, **kwargs)
        grounds = submission.grounds if submission else []
        self.fields["ground"].choices = [(g, ground_label(submission.kind, g)) for g in grounds] if submission else []  # type: ignore[attr-defined]


class DraftForm(StepForm):
    result_text = text("调查处理意见（内部）", rows=5)
    measures_text = text("纠正措施、责任追究、赔礼道歉情况", rows=3, required=False)
    public_reply = text("答复内容（写入答复意见书，投诉举报人可见）", rows=5)
    drafted_on = day("拟稿日期")


class ApproveForm(StepForm):
    approved = forms.TypedChoiceField(label="审批意见", choices=[("1", "同意"), ("0", "退回补充调查")], coerce=lambda v: v == "1", widget=forms.RadioSelect)
    note = line("意见（退回的须写明理由）", max_length=500)
    decided_on = day("审批日期")


class ExtensionForm(StepForm):
    reason = text("延期理由", "请写明情况复杂需要延长的理由。")
    requested_on = day("申请日期")


class ExtensionDecideForm(StepForm):
    approved = forms.TypedChoiceField(label="审批意见", choices=[("1", "同意延长三十日"), ("0", "不同意")], coerce=lambda v: v == "1", widget=forms.RadioSelect)
    decided_on = day("审批日期")


class ReplyForm(StepForm):
    replied_on = day("答复日期")
    received_on = day("投诉举报人收到答复之日", required=False)
    late_reason = line("逾期答复的原因", max_length=500)


class RequestForm(StepForm):
    requested_on = day("请求日期")


class AnswerForm(StepForm):
    answered_on = day("意见日期")
    text = text("意见内容")


class VerifyForm(StepForm):
    enterprise_id = forms.IntegerField(label="被举报单位（台账编号，已关联的可不填）", required=False, min_value=1, max_value=2**63 - 1)
    officer_ids = forms.MultipleChoiceField(label="执法人员（不少于两名）", widget=forms.CheckboxSelectMultiple, error_messages={"required": "请选择执法人员。"})
    inspected_on = day("核查日期")
    place = line("核查地点", max_length=200, required=True)

    def __init__(self, *args: Any, submission: Submission | None = None, **kwargs: Any) -> None:
        super().__init__(*args, submission=submission, **kwargs)
        from anjian.org.choices import Role
        from anjian.org.models import Membership

        ms = Membership.objects.valid_on(timezone.localdate()).filter(agency_id=submission.owner_agency_id if submission else 0, role_grants__role=Role.OFFICER)
        staff = Staff.objects.filter(pk__in=ms.values("staff_id")).order_by("name", "id")
        self.fields["officer_ids"].choices = [(str(x.pk), x.name) for x in staff]  # type: ignore[attr-defined]


class OutcomeForm(StepForm):
    kind = forms.ChoiceField(label="处理结果", choices=OutcomeKind.choices)
    ground = forms.ChoiceField(label="针对的事项（已认定属实的）")
    officer_id = forms.TypedChoiceField(label="执法人员（追责、道歉须选择）", coerce=int, required=False, empty_value=None)
    case_id = forms.IntegerField(label="纠正的案件编号（纠正时填写）", required=False, min_value=1, max_value=2**63 - 1)
    note = text("情况说明", "请写明过错事实、纠正措施或者道歉情况。")
    done_on = day("日期")

    def __init__(self, *args: Any, submission: Submission | None = None, **kwargs: Any) -> None:
        super().__init__(*args, submission=submission, **kwargs)
        if submission is not None:
            found = submission.findings.filter(substantiated=True).values_list("ground", flat=True)
            self.fields["ground"].choices = [(g, ground_label(submission.kind, g)) for g in found]  # type: ignore[attr-defined]
            self.fields["officer_id"].choices = [("", "—")] + [(x.pk, x.name) for x in submission.named_officers.all()]  # type: ignore[attr-defined]


class InquiryForm(StepForm):
    sent_on = day("函询日期")
    text = text("函询事项", "请写明要求被举报单位书面说明的事项和回复期限。", rows=4)


class InquiryAnswerForm(StepForm):
    answered_on = day("单位书面回复日期")
    answer = text("回复情况", "请写明单位书面回复的情况。", rows=4)


class HazardForm(StepForm):
    description = text("隐患描述", "请填写隐患描述。", rows=3, max_length=500)
    location = line("隐患部位", max_length=200, required=True)
    severity = forms.ChoiceField(label="隐患级别", choices=Severity.choices)
    major_reason = line("认定为重大隐患的理由（未匹配判定标准条目时填写）", max_length=500)
    period_days = forms.IntegerField(label="整改期限（日，可不填）", required=False, min_value=1, max_value=365)
    found_on = day("发现日期")


class TransferForm(StepForm):
    from_department_id = forms.TypedChoiceField(label="移交科室", coerce=int)
    to_department_id = forms.TypedChoiceField(label="接收的执法队伍", coerce=int)
    facts = text("违法事实", "请写明违法事实。", rows=4)
    suggested_basis = line("建议适用条款", max_length=300)

    def __init__(self, *args: Any, submission: Submission | None = None, **kwargs: Any) -> None:
        super().__init__(*args, submission=submission, **kwargs)
        from anjian.complaints import reports

        agency_id = submission.owner_agency_id if submission else 0
        self.fields["from_department_id"].choices = [(d.pk, d.name) for d in reports.supervision_departments(agency_id)]  # type: ignore[attr-defined]
        self.fields["to_department_id"].choices = [(d.pk, d.name) for d in reports.enforcement_departments(agency_id)]  # type: ignore[attr-defined]


class RewardForm(StepForm):
    amount = forms.DecimalField(label="奖励金额（元）", max_digits=12, decimal_places=2, min_value=Decimal("0.01"), error_messages={"invalid": "请填写金额。"})
    reason = text("奖励理由（核实情况）", "请写明举报核实的情况。", rows=3)
    proposed_on = day("提出日期")


class RewardDecideForm(StepForm):
    approved = forms.TypedChoiceField(label="审批结果", choices=[("1", "批准"), ("0", "不批准")], coerce=lambda v: v == "1", widget=forms.RadioSelect)
    decided_on = day("审批日期")
    note = line("审批意见（不批准时必填）", max_length=500)


class RewardPaidForm(StepForm):
    paid_on = day("发放日期")
    payment_ref = line("发放凭证号", max_length=64, required=True)


class RewardRangeForm(forms.Form):
    min_amount = forms.DecimalField(label="最低奖励金额（元）", max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    max_amount = forms.DecimalField(label="最高奖励金额（元）", max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    basis = line("依据文件（本机关的举报奖励办法）", max_length=200, required=True)
    effective_from = day("施行日期")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.localdate()
        _blank_labels(self)


class CloseForm(StepForm):
    closed_on = day("办结日期")


class ListFilterForm(FilterForm):
    FILTER_KEYS = ["kind", "status", "channel", "due", "q"]
    q = forms.CharField(label="事由或单位", required=False, max_length=100)
    kind = forms.ChoiceField(label="类别", required=False, choices=[("", "全部"), *Kind.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Status.choices])
    channel = forms.ChoiceField(label="渠道", required=False, choices=[("", "全部"), *Channel.choices])
    due = forms.ChoiceField(label="期限", required=False, choices=[("", "全部"), ("week", "七日内届满"), ("overdue", "已逾期")])
