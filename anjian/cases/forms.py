"""Forms of the penalty-case screens. They check shape only (dates, amounts with at most two
decimals, required text); ``anjian.cases.services`` decides and refuses with the article.

Every date defaults to today: the services refuse a date in the future and a date before the step
it follows, so today is always a date the next step accepts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from anjian.cases.choices import CaseSource, CaseStatus, HearingOutcome, NoPenaltyGround, Procedure, StatementForm, StatementKind
from anjian.cases.models import Case, CaseViolation, DecisionExtension, Recusal, Statement
from anjian.core.ids import IdField
from anjian.core.scoping import Scope
from anjian.core.ui import FilterForm
from anjian.documents.choices import ServiceMethod
from anjian.enterprises.forms import DateInput, _blank_labels
from anjian.inspections.forms import officer_choices
from anjian.law.catalogue import Circumstance, Subject
from anjian.law.procedure import MitigationGround, PenaltyKind
from anjian.legal import selectors as law_selectors
from anjian.org.models import Staff

MONEY_ERRORS = {
    "invalid": "请填写数字金额（元）。",
    "max_decimal_places": "金额最多保留两位小数（分）。",
    "max_digits": "金额位数过多。",
    "max_whole_digits": "金额过大。",
    "min_value": "金额须大于零。",
    "required": "请填写金额。",
}
DATE_ERRORS = {"invalid": "请填写正确的日期。", "required": "请填写日期。"}


def money(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    """An amount in yuan: two decimals at most (the services refuse more, this says it by the field)."""
    return forms.DecimalField(label=label, required=required, max_digits=14, decimal_places=2, min_value=Decimal("0.01"), error_messages=MONEY_ERRORS, help_text=help_text)


def day(label: str, *, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput, error_messages=DATE_ERRORS, help_text=help_text)


def text(label: str, message: str, *, rows: int = 3, max_length: int = 2000, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, widget=forms.Textarea(attrs={"rows": rows}), error_messages={"required": message})


class CaseForm(forms.Form):
    """A step form: every date field starts at today (never a date the next step would refuse)."""

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        today = timezone.localdate()
        for f in self.fields.values():
            if isinstance(f, forms.DateField) and f.initial is None:
                f.initial = today
        _blank_labels(self)


def agency_staff(case: Case) -> Any:
    return Staff.objects.filter(memberships__agency_id=case.owner_agency_id).distinct().order_by("name", "id")


# --- lists ---------------------------------------------------------------------------------------------
class CaseFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False, max_length=100, widget=forms.TextInput(attrs={"placeholder": "案由或当事人", "type": "search"}))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *CaseStatus.choices])
    procedure = forms.ChoiceField(label="程序", required=False, choices=[("", "全部"), *Procedure.choices])
    officer = IdField(label="承办人员", required=False)
    overdue = forms.ChoiceField(label="逾期", required=False, choices=[("", "全部"), ("1", "下一环节已逾期")])

    FILTER_KEYS = ["q", "status", "procedure", "officer", "overdue"]

    def __init__(self, *args: Any, officers: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].widget = forms.Select(choices=[("", "全部"), *(officers or [])])


# --- opening -------------------------------------------------------------------------------------------
class CaseOpenForm(CaseForm):
    source = forms.ChoiceField(label="案件来源", choices=CaseSource.choices)
    source_reason = forms.CharField(label="来源说明（举报编号、移送机关及文号或理由）", max_length=500, required=False)
    transfer = IdField(required=False, widget=forms.HiddenInput)
    hazard = IdField(required=False, widget=forms.HiddenInput)
    finding = IdField(required=False, widget=forms.HiddenInput)
    accident = forms.ChoiceField(label="事故", required=False)
    enterprise = forms.ChoiceField(label="当事单位", required=False, help_text="当事人为自然人时，选择其所在单位（可不选）。")
    person_name = forms.CharField(label="当事人姓名（自然人）", max_length=32, required=False)
    person_id_number = forms.CharField(label="身份证号码", max_length=18, required=False)
    person_position = forms.CharField(label="职务", max_length=64, required=False)
    person_address = forms.CharField(label="住址", max_length=200, required=False, help_text="当事人为自然人的，决定书须载明其住址。")
    title = forms.CharField(label="案由", max_length=200, error_messages={"required": "请填写案由。"})
    facts = text("违法事实（初步）", "请写明初步查明的违法事实。")
    discovered_on = day("发现日期")
    complex_case = forms.BooleanField(label="案情疑难复杂、涉及多个法律关系", required=False)
    major_public_interest = forms.BooleanField(label="涉及重大公共利益", required=False)
    serious_violation = forms.BooleanField(label="重大违法行为", required=False)

    def __init__(self, *args: Any, enterprises: list[tuple[str, str]], accidents: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [("", "请选择"), *enterprises]  # type: ignore[attr-defined]
        self.fields["accident"].choices = [("", "请选择"), *accidents]  # type: ignore[attr-defined]


class TransferAcceptForm(CaseForm):
    title = forms.CharField(label="案由", max_length=200, error_messages={"required": "请填写案由。"})
    facts = text("违法事实（初步，留空则取移交内容）", "", required=False)


class AccidentForm(CaseForm):
    enterprise = forms.ChoiceField(label="事故单位")
    occurred_on = day("发生日期")
    deaths = forms.IntegerField(label="死亡人数", min_value=0, max_value=100000, initial=0, error_messages={"min_value": "人数不能为负数。", "required": "请填写人数。"})
    serious_injuries = forms.IntegerField(
        label="重伤人数（含急性工业中毒）", min_value=0, max_value=100000, initial=0, error_messages={"min_value": "人数不能为负数。", "required": "请填写人数。"}
    )
    direct_loss = forms.DecimalField(
        label="直接经济损失（元）", max_digits=14, decimal_places=2, min_value=Decimal("0"), error_messages={**MONEY_ERRORS, "min_value": "直接经济损失不能为负数。"}
    )
    narrative = text("事故经过", "请填写事故经过。")

    def __init__(self, *args: Any, enterprises: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [("", "请选择"), *enterprises]  # type: ignore[attr-defined]


class SummaryForm(CaseForm):
    """简易程序 (行政处罚法 §51): decided on the spot."""

    enterprise = forms.ChoiceField(label="当事单位", required=False)
    person_name = forms.CharField(label="当事人姓名（自然人）", max_length=32, required=False)
    person_id_number = forms.CharField(label="身份证号码", max_length=18, required=False)
    title = forms.CharField(label="案由", max_length=200, error_messages={"required": "请填写案由。"})
    facts = text("违法事实", "请写明违法事实。")
    violation_id = forms.ChoiceField(label="违法行为（处罚目录）")
    subject = forms.ChoiceField(label="处罚对象", choices=[(s.value, s.label) for s in Subject])
    circumstance = forms.ChoiceField(label="情形", choices=[(c.value, c.label) for c in Circumstance])
    act_date = day("违法行为发生日期")
    decided_on = day("决定日期")
    warning = forms.BooleanField(label="警告", required=False)
    amount = money("罚款数额（元）", required=False, help_text="简易程序：对公民二百元以下、对法人或者其他组织三千元以下罚款（行政处罚法第五十一条）。")
    reasons = text("裁量理由", "请写明裁量理由。", rows=2)
    onsite_statement = text("当事人当场陈述申辩", "", rows=2, required=False)
    officer_ids = forms.MultipleChoiceField(label="执法人员（两名以上）", widget=forms.CheckboxSelectMultiple, error_messages={"required": "请选择执法人员。"})
    recipient = forms.CharField(label="受送达人（当场交付）", max_length=64, error_messages={"required": "请填写受送达人。"})
    collected_receipt_no = forms.CharField(label="当场收缴的专用票据号（当场收缴时填写）", max_length=64, required=False)
    collection_impossible_later = forms.BooleanField(label="不当场收缴事后难以执行（行政处罚法第六十八条）", required=False)

    def __init__(self, *args: Any, enterprises: list[tuple[str, str]], officers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [("", "请选择"), *enterprises]  # type: ignore[attr-defined]
        self.fields["officer_ids"].choices = officers  # type: ignore[attr-defined]
        self.fields["violation_id"].choices = [("", "请选择"), *law_selectors.violation_choices()]  # type: ignore[attr-defined]


# --- steps ---------------------------------------------------------------------------------------------
class FileForm(CaseForm):
    filed_on = day("立案日期", help_text="立案审批人不得为立案申请人（行政处罚法第五十四条）。")


class WithdrawForm(CaseForm):
    on = day("日期")
    reason = text("不予立案或撤销立案的理由", "请写明理由。")


class ViolationForm(CaseForm):
    violation_id = forms.ChoiceField(label="违法行为（处罚目录）")
    subject = forms.ChoiceField(label="处罚对象", choices=[(s.value, s.label) for s in Subject])
    circumstance = forms.ChoiceField(label="情形", choices=[(c.value, c.label) for c in Circumstance])
    item = forms.IntegerField(label="项（条文分项时填写）", required=False, min_value=1, max_value=99)
    act_date = day("违法行为发生日期")
    act_ended_on = forms.DateField(label="违法行为终了日期（连续或继续状态）", required=False, widget=DateInput, error_messages=DATE_ERRORS)
    act_group = forms.IntegerField(label="违法行为序号（同一行为违反多个规定时填同一序号）", required=False, min_value=1, max_value=99)
    life_health_harm = forms.BooleanField(label="涉及公民生命健康安全且有危害后果", required=False)
    circumstances = text("违法情节", "", rows=2, required=False)
    grade = forms.CharField(label="事故等级（事故案件）", max_length=20, required=False)
    income = money("上一年年收入（元，按收入比例罚款时填写）", required=False)
    gains = money("违法所得（元）", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["violation_id"].choices = [("", "请选择"), *law_selectors.violation_choices()]  # type: ignore[attr-defined]
        self.fields["act_ended_on"].initial = None


class OfficersForm(CaseForm):
    staff_ids = forms.MultipleChoiceField(label="承办人员（两名以上持有效执法证）", widget=forms.CheckboxSelectMultiple, error_messages={"required": "请选择承办人员。"})
    on = day("核验日期")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.case is not None
        self.fields["staff_ids"].choices = officer_choices(Scope(agency_id=self.case.owner_agency_id))  # type: ignore[attr-defined]
        self.fields["staff_ids"].initial = [str(r.staff_id) for r in self.case.officer_rows.filter(active=True)]


class ProposeForm(CaseForm):
    """One amount, kinds and reasons per violation of the case (案件处理意见)."""

    proposed_on = day("拟处罚意见日期")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.case is not None
        self.rows: list[tuple[CaseViolation, list[str]]] = []
        kinds = [(k.value, k.label) for k in PenaltyKind if k != PenaltyKind.FINE]
        grounds = [("", "无"), *((g.value, g.label) for g in MitigationGround)]
        for v in self.case.violations.all():
            p = f"v{v.pk}_"
            self.fields[p + "amount"] = money(f"{v.violation_id} 拟罚款数额（元）", required=False, help_text="不罚款的留空。")
            self.fields[p + "other_kinds"] = forms.MultipleChoiceField(label="其他处罚种类", required=False, choices=kinds, widget=forms.CheckboxSelectMultiple)
            self.fields[p + "mitigation_ground"] = forms.ChoiceField(label="减轻处罚情节（行政处罚法第三十二条）", required=False, choices=grounds)
            self.fields[p + "reasons"] = text("裁量理由", "", rows=2, required=False)
            self.initial.update({p + "amount": v.proposed_amount, p + "other_kinds": v.other_kinds, p + "mitigation_ground": v.mitigation_ground, p + "reasons": v.reasons})
            self.rows.append((v, [p + "amount", p + "other_kinds", p + "mitigation_ground", p + "reasons"]))

    def items(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        return [
            {
                "violation": v.pk,
                "amount": d[f"v{v.pk}_amount"],
                "other_kinds": d[f"v{v.pk}_other_kinds"],
                "mitigation_ground": d[f"v{v.pk}_mitigation_ground"],
                "reasons": d[f"v{v.pk}_reasons"],
            }
            for v, _ in self.rows
        ]


class NoticeForm(CaseForm):
    issued_on = day("告知日期")


class ServedForm(CaseForm):
    method = forms.ChoiceField(label="送达方式", choices=ServiceMethod.choices)
    event_date = day("送达事件日期", help_text="签收日期、留置日期、回执日期、到达系统日期或公告发布日期。")
    recipient = forms.CharField(label="受送达人", max_length=64, error_messages={"required": "请填写受送达人。"})
    witness = forms.CharField(label="见证人（留置送达）", max_length=64, required=False)
    consent_ref = forms.CharField(label="电子送达同意书（电子送达）", max_length=100, required=False)


class DefenceForm(CaseForm):
    received_on = day("提出日期")
    kind = forms.ChoiceField(label="类别", choices=StatementKind.choices)
    form = forms.ChoiceField(label="形式", choices=StatementForm.choices)
    content = text("内容", "请填写陈述申辩的内容。")


class DefenceReviewForm(CaseForm):
    statement = forms.ChoiceField(label="陈述申辩")
    review = text("复核意见", "请填写复核意见。")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.case is not None
        self.fields["statement"].choices = [(str(s.pk), f"{s.received_on:%Y-%m-%d} {s.get_kind_display()}：{s.content[:40]}") for s in unreviewed(self.case)]  # type: ignore[attr-defined]


class WaiverForm(CaseForm):
    signed_on = day("签署日期")
    signer = forms.CharField(label="签署人", max_length=64, error_messages={"required": "请填写签署人。"})
    waives_hearing = forms.BooleanField(label="同时放弃听证权利", required=False)
    file = forms.FileField(label="签字声明扫描件（PDF或图片）", error_messages={"required": "请上传当事人签字的放弃声明扫描件。"})


class HearingRequestForm(CaseForm):
    requested_on = day("申请日期")


class HearingNoticeForm(CaseForm):
    hearing_date = day("听证日期", help_text="应当在举行听证的七日前通知当事人（行政处罚法第六十四条）。")
    notice_served_on = day("听证通知送达日期")
    place = forms.CharField(label="听证地点", max_length=200, error_messages={"required": "请填写听证地点。"})
    chair = forms.ChoiceField(label="听证主持人（非本案调查人员）")
    public = forms.BooleanField(label="公开举行", required=False, initial=True)
    not_public_reason = forms.CharField(label="不公开理由", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.case is not None
        self.fields["chair"].choices = [("", "请选择"), *((str(s.pk), s.name) for s in agency_staff(self.case))]  # type: ignore[attr-defined]
        self.fields["hearing_date"].initial = None  # seven days after the notice at the earliest (§64): chosen, never today


class HearingHeldForm(CaseForm):
    held_on = day("举行日期")
    outcome = forms.ChoiceField(label="结果", choices=HearingOutcome.choices)
    summary = text("听证笔录摘要", "请填写听证笔录摘要。")


class LegalReviewForm(CaseForm):
    reviewed_on = day("审核日期")
    passed = forms.TypedChoiceField(label="审核结论", choices=[("1", "通过"), ("0", "不通过")], coerce=lambda v: v == "1", widget=forms.RadioSelect)
    opinion = text("审核意见", "请填写审核意见。")


class CollectiveForm(CaseForm):
    held_on = day("讨论日期")
    attendee_ids = forms.MultipleChoiceField(label="参加人员（机关负责人）", widget=forms.CheckboxSelectMultiple, error_messages={"required": "请选择参加人员。"})
    conclusion = text("讨论结论", "请填写讨论结论。")
    approves_mitigation = forms.BooleanField(label="同意减轻处罚（低于法定下限）", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.case is not None
        self.fields["attendee_ids"].choices = [(str(s.pk), s.name) for s in agency_staff(self.case)]  # type: ignore[attr-defined]


class ExtensionForm(CaseForm):
    requested_on = day("申请日期")
    extend_until = day("延长至")
    reason = text("理由", "请写明延长办案期限的理由。")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["extend_until"].initial = None  # today would be refused: the handler chooses the date


class ExtensionDecideForm(CaseForm):
    extension = forms.ChoiceField(label="申请")
    approved = forms.TypedChoiceField(label="审批结果", choices=[("1", "批准"), ("0", "不予批准")], coerce=lambda v: v == "1", widget=forms.RadioSelect)
    decided_on = day("审批日期")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.case is not None
        self.fields["extension"].choices = [(str(e.pk), f"延长至{e.extend_until:%Y-%m-%d}（{e.reason[:40]}）") for e in pending_extensions(self.case)]  # type: ignore[attr-defined]


class DecideForm(CaseForm):
    decided_on = day("决定日期")


class PaymentForm(CaseForm):
    paid_on = day("缴纳日期")
    amount = money("缴纳金额（元）")
    receipt_no = forms.CharField(label="缴款凭证号", max_length=64, error_messages={"required": "请填写缴款凭证号。"})


class HandoverForm(CaseForm):
    handed_on = day("交至行政机关日期", help_text="当场收缴的罚款应当自收缴之日起二日内交至行政机关（行政处罚法第七十一条）。")


class NoPenaltyForm(CaseForm):
    on = day("决定日期")
    ground = forms.ChoiceField(label="不予处罚理由", choices=NoPenaltyGround.choices)
    reason = text("说明", "请写明不予行政处罚的事实和理由。")


class ReferForm(CaseForm):
    on = day("移送日期")
    referred_to = forms.CharField(label="移送机关", max_length=100, error_messages={"required": "请填写移送机关。"})
    reason = text("移送理由", "请写明移送理由。")


class CloseForm(CaseForm):
    closed_on = day("结案日期")


class RecusalForm(CaseForm):
    staff = forms.ChoiceField(label="应回避人员")
    requested_on = day("申请日期")
    applicant = forms.CharField(label="申请人（当事人或本人）", max_length=64, error_messages={"required": "请填写申请人。"})
    reason = text("理由", "请写明回避理由。")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.case is not None
        self.fields["staff"].choices = [("", "请选择"), *((str(r.staff_id), r.staff.name) for r in self.case.officer_rows.filter(active=True).select_related("staff"))]  # type: ignore[attr-defined]


class RecusalDecideForm(CaseForm):
    recusal = forms.ChoiceField(label="回避申请")
    granted = forms.TypedChoiceField(label="决定", choices=[("1", "决定回避"), ("0", "不予回避")], coerce=lambda v: v == "1", widget=forms.RadioSelect)
    decided_on = day("决定日期")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.case is not None
        self.fields["recusal"].choices = [(str(r.pk), f"{r.staff.name}（{r.applicant}申请：{r.reason[:30]}）") for r in pending_recusals(self.case)]  # type: ignore[attr-defined]


# --- what the forms offer ----------------------------------------------------------------------------
def unreviewed(case: Case) -> list[Statement]:
    return list(Statement.objects.filter(case=case, review="").order_by("received_on", "id"))


def pending_extensions(case: Case) -> list[DecisionExtension]:
    from anjian.cases.choices import ExtensionStatus

    return list(DecisionExtension.objects.filter(case=case, status=ExtensionStatus.PENDING).order_by("requested_on", "id"))


def pending_recusals(case: Case) -> list[Recusal]:
    return list(Recusal.objects.filter(case=case, granted__isnull=True).select_related("staff").order_by("requested_on", "id"))
