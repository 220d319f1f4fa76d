"""Forms of the organisation pages. They check shape only; ``org.services`` decides and writes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from anjian.core import idempotency
from anjian.core.validators import DateBounds
from anjian.org.choices import CertificateEventKind, DepartmentKind, EnforcementSetup, HeadKind, Role, StaffKind
from anjian.org.models import Agency, Department, Staff
from anjian.org.selectors import CERT_STATES, today


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date(label: str, kind: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DateInput, validators=[DateBounds(kind)], help_text=help_text,
        error_messages={"required": f"请填写{label}。", "invalid": "日期格式应为YYYY-MM-DD。"},
    )  # fmt: skip


def _text(label: str, max_length: int, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, help_text=help_text, error_messages={"required": f"请填写{label}。"})


class KeyedForm(forms.Form):
    """A form that creates something carries a one-time key (a double submit creates once)."""

    keyed = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.keyed:
            self.fields[idempotency.FORM_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64, initial=idempotency.new_key())

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop(idempotency.FORM_FIELD, None)
        return data


class AgencyForm(KeyedForm):
    name = _text("机关全称", 100)
    short_name = _text("简称", 32)
    doc_abbr = _text("文书代字", 16, help_text="文号中的机关代字，如：烟应急")
    review_body = _text("行政复议机关", 100, help_text="如：烟台市芝罘区人民政府（行政复议法第二十四条）")
    court = _text("行政诉讼管辖法院", 100, help_text="如：烟台市芝罘区人民法院（行政诉讼法第十八条）")
    payment_place = _text("罚款缴纳银行或电子缴款渠道", 200, required=False, help_text="写入行政处罚决定书（行政处罚法第六十七条）")
    address = _text("地址", 200, required=False)
    phone = _text("电话", 32, required=False)


class HeadForm(KeyedForm):
    kind = forms.ChoiceField(label="类别", choices=HeadKind.choices)
    staff = forms.ModelChoiceField(label="人员", queryset=Staff.objects.none(), error_messages={"required": "请选择人员。", "invalid_choice": "所选人员不是本机关现职人员。"})
    valid_from = _date("起始日期", "start")

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        from anjian.org.selectors import current_members

        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = current_members(agency)  # type: ignore[attr-defined]


class DepartmentForm(KeyedForm):
    name = _text("科室名称", 64)
    kind = forms.ChoiceField(label="类别", choices=DepartmentKind.choices)
    sector_group = forms.ChoiceField(
        label="监管行业", required=False, choices=[("", "—"), ("hazchem", "危险化学品"), ("mine", "非煤矿山"), ("industry", "工贸")], help_text="监管科室负责的行业"
    )
    setup = forms.ChoiceField(label="执法队伍设置", required=False, choices=[("", "—"), *EnforcementSetup.choices], help_text="只有执法队伍区分内设或外设")


def _departments(agency: Agency) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return forms.ModelChoiceField(
        label="科室", required=False, queryset=Department.objects.filter(agency=agency).order_by("kind", "name"), error_messages={"invalid_choice": "所选科室不属于本机关。"}
    )


class StaffForm(KeyedForm):
    keyed = True
    name = _text("姓名", 32)
    kind = forms.ChoiceField(label="人员类别", choices=StaffKind.choices)
    gender = forms.ChoiceField(label="性别", required=False, choices=[("", "—"), ("M", "男"), ("F", "女")])
    phone = _text("电话", 32, required=False)
    legal_qualification_no = _text("法律职业资格证书编号", 32, required=False)
    title = _text("职务", 32, required=False)
    valid_from = _date("任职起始日期", "start")

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"] = _departments(agency)
        self.order_fields(["name", "kind", "gender", "phone", "department", "title", "valid_from", "legal_qualification_no"])


class MembershipForm(KeyedForm):
    title = _text("职务", 32, required=False)
    valid_from = _date("起始日期", "start")
    valid_to = _date("截止日期", "end", required=False, help_text="长期任职的不填")

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"] = _departments(agency)
        self.order_fields(["department", "title", "valid_from", "valid_to"])


class TransferInForm(KeyedForm):
    """调入: a person from another bureau, named by the two facts on their 执法证."""

    keyed = True
    certificate_number = _text("执法证编号", 32, help_text="调入人员所持行政执法证上的编号")
    name = _text("姓名", 32, help_text="与执法证上的姓名一致")
    title = _text("职务", 32, required=False)
    valid_from = _date("到任日期", "start", help_text="在本机关任职的第一天；须晚于原机关任职的截止日期")

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"] = _departments(agency)
        self.order_fields(["certificate_number", "name", "department", "title", "valid_from"])


class MembershipEndForm(KeyedForm):
    valid_to = _date("任职截止日期", "end", help_text="任职的最后一天")


class RolesForm(KeyedForm):
    roles = forms.MultipleChoiceField(
        label="角色", required=False, choices=Role.choices, widget=forms.CheckboxSelectMultiple, help_text="系统管理员、安全管理员、审计管理员三者只能择一（三员分立）"
    )
    on = _date("生效日期", "start", help_text="自该日起按新角色任职；此前的任职和角色保留原样")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = today()


class CertificateForm(KeyedForm):
    number = _text("证件编号", 32)
    issuer = _text("发证机关", 64, help_text="如：山东省人民政府")
    valid_from = _date("有效期起", "start")
    valid_to = _date("有效期止", "end")


class CertificateEventForm(KeyedForm):
    kind = forms.ChoiceField(label="事件", choices=CertificateEventKind.choices)
    date = _date("日期", "fact")
    note = _text("说明", 200, required=False, help_text="暂扣、吊销须写明原因")


class StaffDetailsForm(KeyedForm):
    name = _text("姓名", 32)
    gender = forms.ChoiceField(label="性别", required=False, choices=[("", "—"), ("M", "男"), ("F", "女")])
    phone = _text("电话", 32, required=False)
    note = _text("备注", 200, required=False)


class LegalQualificationForm(KeyedForm):
    legal_qualification_no = _text("法律职业资格证书编号", 32, required=False, help_text="留空表示没有")


class SafetyQualificationForm(KeyedForm):
    qualified_on = _date("具备之日", "fact", required=False, help_text="取得安全生产相关专业学历并具备实践经验之日；不具备的留空。")
    description = _text("专业学历和实践经验", 200, required=False, help_text="如：安全工程专业本科，从事危险化学品安全监管3年")


class StaffFilterForm(forms.Form):
    q = forms.CharField(label="姓名", required=False, max_length=32)
    role = forms.ChoiceField(label="角色", required=False, choices=[("", "全部角色"), *Role.choices])
    cert = forms.ChoiceField(label="执法证", required=False, choices=[("", "全部"), *CERT_STATES.items()])
    former = forms.BooleanField(label="含已离任人员", required=False)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"] = _departments(agency)
        self.fields["department"].empty_label = "全部科室"  # type: ignore[attr-defined]
        self.order_fields(["q", "department", "role", "cert", "former"])
        for name in ("department", "role", "cert"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["former"].widget.attrs["class"] = "form-check-input"

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        dep = data.get("department")
        return {
            "q": data.get("q") or "",
            "department": dep.pk if dep is not None else None,
            "role": data.get("role") or "",
            "cert": data.get("cert") or "",
            "former": bool(data.get("former")),
        }


def parse_on(value: str | None) -> dt.date | None:
    """The ``?on=YYYY-MM-DD`` of the staff page; ``None`` when absent; ``ValueError`` when malformed."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return dt.date.fromisoformat(text)
