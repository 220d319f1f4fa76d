"""Forms of the inspection screens. They check shape only; ``anjian.inspections.services`` decides.

The field form posts item results by checklist ``order`` (``result_<order>`` / ``note_<order>``),
the same key the offline sync uses, so the page works with and without ``field.js``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.utils import timezone

from anjian.core.ids import IdField
from anjian.core.scoping import Scope
from anjian.core.ui import FilterForm
from anjian.enterprises.forms import DateInput, _blank_labels
from anjian.enterprises.models import Enterprise, Site
from anjian.inspections.choices import EvidenceKind, InspectionStatus, InspectionType, ItemResult, PartySignature
from anjian.org.choices import Role, StaffKind
from anjian.org.models import Membership
from anjian.org.selectors import eligible_staff


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def aware(day: dt.date, time: dt.time) -> dt.datetime:
    """A wall-clock time on a legal date, in Asia/Shanghai (ARCHITECTURE.md rule 6)."""
    return timezone.make_aware(dt.datetime.combine(day, time), timezone.get_default_timezone())


def officer_choices(scope: Scope, day: dt.date | None = None) -> list[tuple[str, str]]:
    """The agency's officers on ``day`` (civil servants with the officer role); the service still
    checks each certificate on the inspection date."""
    day = day or timezone.localdate()
    ms = (
        Membership.objects.valid_on(day)
        .filter(agency_id=scope.agency_id or 0, role_grants__role=Role.OFFICER, staff__kind=StaffKind.CIVIL_SERVANT)
        .select_related("staff")
        .prefetch_related("staff__certificates")
        .distinct()
        .order_by("staff__name", "staff_id")
    )
    out = []
    for m in ms:
        certs = [c for c in m.staff.certificates.all() if c.valid_from <= day <= c.valid_to]
        label = f"{m.staff.name}（{certs[0].number}）" if certs else f"{m.staff.name}（无有效执法证）"
        out.append((str(m.staff_id), label))
    return out


def expert_choices(scope: Scope, day: dt.date | None = None) -> list[tuple[str, str]]:
    """Experts and auxiliary staff of the agency; they join but never count as officers. The same
    set ``inspection_create`` accepts (``org.selectors.eligible_staff``)."""
    day = day or timezone.localdate()
    staff = eligible_staff(agency_ids=[scope.agency_id or 0], on=day, kinds=[StaffKind.EXPERT, StaffKind.AUXILIARY])
    return [(str(s.pk), f"{s.name}（{s.get_kind_display()}）") for s in staff]


# --- lists ---------------------------------------------------------------------------------------
class InspectionFilterForm(FilterForm):
    q = forms.CharField(label="被检查单位", required=False, max_length=100, widget=forms.TextInput(attrs={"placeholder": "单位名称", "type": "search"}))
    enterprise = IdField(required=False, widget=forms.HiddenInput)
    type = forms.ChoiceField(label="检查类型", required=False, choices=[("", "全部"), *InspectionType.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *InspectionStatus.choices])
    date_from = forms.DateField(label="检查日期自", required=False, widget=DateInput)
    date_to = forms.DateField(label="至", required=False, widget=DateInput)

    FILTER_KEYS = ["q", "enterprise", "type", "status", "date_from", "date_to"]


class FindingFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False, max_length=100, widget=forms.TextInput(attrs={"placeholder": "单位名称或问题描述", "type": "search"}))
    enterprise = IdField(required=False, widget=forms.HiddenInput)
    hazard = forms.ChoiceField(label="隐患登记", required=False, choices=[("", "全部"), ("1", "已登记隐患"), ("0", "未登记隐患")])
    date_from = forms.DateField(label="发现日期自", required=False, widget=DateInput)
    date_to = forms.DateField(label="至", required=False, widget=DateInput)

    FILTER_KEYS = ["q", "enterprise", "hazard", "date_from", "date_to"]


# --- the field form ------------------------------------------------------------------------------
class InspectionStartForm(forms.Form):
    """The header of a new inspection. Officers: the agency's, the current user preselected."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    type = forms.ChoiceField(label="检查类型", choices=[c for c in InspectionType.choices if c[0] != InspectionType.REINSPECTION])
    inspected_on = forms.DateField(label="检查日期", widget=DateInput)
    started_time = forms.TimeField(label="开始时间", widget=TimeInput)
    place = forms.CharField(
        label="检查地点", max_length=200, error_messages={"required": "请填写检查地点。"}, widget=forms.TextInput(attrs={"placeholder": "检查的场所、车间或部位，如：一号车间、液氨罐区"})
    )
    site = forms.ModelChoiceField(label="检查场所", queryset=Site.objects.none(), required=False)
    # Not required here: the service names the rule (at least two officers with valid certificates).
    officers = forms.MultipleChoiceField(label="执法人员（不少于两人）", widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check"}), required=False)
    experts = forms.MultipleChoiceField(label="参检专家/辅助人员", widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check"}), required=False)
    # The annual plan's item carried out (issue 13 item 7): offered when the unit is in the bureau's
    # approved plan this month (or overdue). The service checks the id (same unit, approved plan).
    plan_item = IdField(label="年度计划检查事项", required=False, widget=forms.Select)

    def __init__(self, *args: Any, scope: Scope, enterprise: Enterprise, plan_item: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from anjian.planning.selectors import plan_item_label, plan_item_offer

        today = timezone.localdate()
        now = timezone.localtime()
        offer = plan_item_offer(agency_id=scope.agency_id, enterprise_id=enterprise.pk, day=today)
        self.plan_items = offer
        if offer:
            self.fields["plan_item"].widget.choices = [("", "不关联（计划外检查）"), *((str(it.pk), plan_item_label(it)) for it in offer)]  # type: ignore[attr-defined]
        else:
            # Nothing to offer: the field stays (hidden, empty) so that a posted id is still checked.
            self.fields["plan_item"].widget = forms.HiddenInput()
        self.fields["officers"].choices = officer_choices(scope, today)  # type: ignore[attr-defined]
        self.fields["experts"].choices = expert_choices(scope, today)  # type: ignore[attr-defined]
        sites = list(enterprise.sites.all())
        self.fields["site"].queryset = Site.objects.filter(enterprise=enterprise)  # type: ignore[attr-defined]
        primary = next((s for s in sites if s.is_primary), sites[0] if sites else None)
        self.initial.update(
            {
                "idempotency_key": str(uuid.uuid4()),
                "type": InspectionType.PLANNED,
                "inspected_on": today,
                "started_time": now.time().replace(second=0, microsecond=0),
                # The place inspected (a site, a workshop), not the unit's address: the record prints
                # it as 检查地点 and as the place of each finding. The officer narrows it on site.
                "place": (primary.name if primary else "") or enterprise.registered_address,
                "site": primary.pk if primary else None,
                "officers": [str(scope.staff_id)] if scope.staff_id else [],
                # A unit planned this month: the inspection carries out that item unless changed.
                # Opened from the plan's page (?plan_item=): that item when it is offered.
                "plan_item": next((str(it.pk) for it in offer if str(it.pk) == str(plan_item)), str(offer[0].pk) if offer else ""),
            }
        )
        _blank_labels(self)

    def clean_officers(self) -> list[int]:
        return [int(i) for i in self.cleaned_data["officers"]]

    def clean_experts(self) -> list[int]:
        return [int(i) for i in self.cleaned_data["experts"]]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "type": d["type"],
            "inspected_on": d["inspected_on"],
            "started_at": aware(d["inspected_on"], d["started_time"]),
            "place": d["place"],
            "site": d["site"],
            "officer_ids": d["officers"],
            "expert_ids": d["experts"],
            "idempotency_key": d["idempotency_key"],
            "plan_item_id": d.get("plan_item"),
        }


def results_from_post(data: Any, orders: list[int]) -> list[dict[str, Any]]:
    """Item results posted as ``result_<order>``/``note_<order>`` (no JS, or the JS form fallback)."""
    out = []
    for order in orders:
        result = data.get(f"result_{order}")
        note = (data.get(f"note_{order}") or "").strip()
        if result in (None, "") and not note:
            continue
        entry: dict[str, Any] = {"order": order, "note": note[:500]}
        if result in ItemResult.values:
            entry["result"] = result
        out.append(entry)
    return out


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class CompleteForm(forms.Form):
    """Close the on-site record (AQSCF §68): signed, refusal recorded, or paper signature."""

    party_representative = forms.CharField(label="被检查单位现场负责人", max_length=32, error_messages={"required": "请填写被检查单位现场负责人。"})
    party_title = forms.CharField(label="职务", max_length=32, required=False)
    party_signature = forms.ChoiceField(
        label="签字情况",
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        choices=[
            (PartySignature.SIGNED, "已签字"),
            (PartySignature.REFUSED, "拒绝签字（须记录情况）"),
            (PartySignature.PAPER, "纸质签字（打印后上传扫描件）"),
        ],
        error_messages={"required": "请选择签字情况：已签字、拒绝签字或纸质签字。"},
    )
    refusal_note = forms.CharField(label="拒签情况记录", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="拒绝签字的，检查人员应当将情况记录在案（《安全生产法》第六十八条）。")
    summary = forms.CharField(label="检查情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    onsite_handling = forms.CharField(label="现场处理情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # Blank: the end is the moment 完成检查 is pressed (the service takes it, the offline form
    # stamps it). A default filled in when the page loads would record the wrong end.
    ended_at = forms.DateTimeField(
        label="结束时间", widget=DateTimeInput, input_formats=DATETIME_FORMATS, required=False, help_text="留空即以点击“完成检查”的时间为结束时间。"
    )

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get("party_signature") == PartySignature.REFUSED and not (d.get("refusal_note") or "").strip():
            self.add_error("refusal_note", "被检查单位负责人拒绝签字的，检查人员应当将情况记录在案（《安全生产法》第六十八条）。")
        return d


class CorrectTimesForm(forms.Form):
    """Correct the times of an inspection whose record is not issued (audited, with a reason)."""

    started_at = forms.DateTimeField(label="开始时间", widget=DateTimeInput, input_formats=DATETIME_FORMATS, error_messages={"required": "请填写检查开始时间。"})
    ended_at = forms.DateTimeField(label="结束时间", widget=DateTimeInput, input_formats=DATETIME_FORMATS, required=False)
    reason = forms.CharField(label="更正原因", max_length=200, error_messages={"required": "请写明更正的原因。"})

    def __init__(self, *args: Any, inspection: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if inspection is not None:
            self.initial.setdefault("started_at", timezone.localtime(inspection.started_at).replace(second=0, microsecond=0))
            if inspection.ended_at:
                self.initial.setdefault("ended_at", timezone.localtime(inspection.ended_at).replace(second=0, microsecond=0))


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=[c for c in EvidenceKind.choices if c[0] != EvidenceKind.SCAN])
    item = forms.TypedChoiceField(label="对应检查项", required=False, coerce=int, empty_value=None)
    file = forms.FileField(label="文件", error_messages={"required": "请选择文件。"})
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, items: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "（不对应具体检查项）"), *((i.pk, f"{i.order}. {i.text[:30]}") for i in items)]  # type: ignore[attr-defined]


class ScanForm(forms.Form):
    file = forms.FileField(label="签字的现场检查记录扫描件（PDF/JPG/PNG）", error_messages={"required": "请选择扫描件。"})


class FindingAddForm(forms.Form):
    description = forms.CharField(label="问题描述", max_length=500, widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请填写问题描述。"})
    legal_basis = forms.CharField(label="依据条款", max_length=300, required=False)
    order_to_correct = forms.BooleanField(label="责令改正（不涉及实物整改）", required=False)
