"""Pages of penalty cases: evidence (``/cases/<id>/evidence/``).

One page lists every piece of evidence of the case (interviews, surveys, samples, preservations,
files) with the download links of their documents, and carries one form per act; the recusal
requests of the case and their decision are on the same page. Thin: forms check shape, the
services in ``anjian.cases.evidence`` and ``anjian.cases.services`` decide and write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from anjian.cases import evidence as services
from anjian.cases import selectors
from anjian.cases import services as case_services
from anjian.cases.models import Case, CaseOfficer, Recusal
from anjian.cases.models_evidence import EvidenceFile, EvidenceKind, InterviewNotice, InterviewRecord, Preservation, PreservationOutcome, PreservationStatus, Sample, SurveyRecord
from anjian.core.duties import is_same_person
from anjian.core.errors import DomainError, NotFound, PermissionRefused
from anjian.core.ids import parse_id
from anjian.core.scoping import scope_for
from anjian.core.ui import call_service
from anjian.org.choices import Role

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
TEXT = forms.Textarea(attrs={"rows": 3})


def _dt(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DATETIME, input_formats=DT_FORMATS)


def _day(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE)


def _sign_fields() -> dict[str, forms.Field]:
    return {
        "signer": forms.CharField(label="签名人", max_length=64, required=False),
        "refusal_note": forms.CharField(label="拒绝签字的记录（拒签时填写）", max_length=1000, required=False, widget=TEXT),
    }


class ItemsField(forms.CharField):
    """One item a line: 名称｜规格｜数量｜单位 (the bars may be full-width or ASCII)."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "名称｜规格｜数量｜单位，每行一项"})

    def clean(self, value: Any) -> list[dict[str, str]]:  # type: ignore[override]
        text = super().clean(value)
        out = []
        for line in str(text or "").splitlines():
            if not line.strip():
                continue
            parts = [s.strip() for s in line.replace("|", "｜").split("｜")] + ["", "", "", ""]
            out.append({"name": parts[0], "spec": parts[1], "quantity": parts[2], "unit": parts[3]})
        if not out:
            raise forms.ValidationError("请至少登记一项物品。")
        return out


class NoticeForm(forms.Form):
    interviewee = forms.CharField(label="被询问人", max_length=100)
    issued_on = _day("通知日期")
    appointed_at = _dt("接受询问时间")
    place = forms.CharField(label="接受询问地点", max_length=200)
    bring = forms.CharField(label="需携带的材料", max_length=1000, required=False)


class InterviewForm(forms.Form):
    started_at = _dt("询问开始时间")
    ended_at = _dt("询问结束时间")
    place = forms.CharField(label="询问地点", max_length=200)
    name = forms.CharField(label="被询问人姓名", max_length=64)
    id_number = forms.CharField(label="身份证号码", max_length=18, required=False)
    employer = forms.CharField(label="工作单位", max_length=100, required=False)
    position = forms.CharField(label="职务", max_length=64, required=False)
    phone = forms.CharField(label="联系电话", max_length=32, required=False)
    content = forms.CharField(label="询问内容（问答）", widget=forms.Textarea(attrs={"rows": 8}))
    signer, refusal_note = _sign_fields().values()


class SurveyForm(forms.Form):
    started_at = _dt("勘验开始时间")
    ended_at = _dt("勘验结束时间")
    place = forms.CharField(label="勘验场所", max_length=200)
    participants = forms.CharField(label="当事人或其代理人", max_length=200)
    witness = forms.CharField(label="见证人", max_length=100, required=False)
    findings = forms.CharField(label="勘验情况", widget=forms.Textarea(attrs={"rows": 5}))
    signer, refusal_note = _sign_fields().values()


class SampleForm(forms.Form):
    sampled_on = _day("抽样日期")
    place = forms.CharField(label="抽样地点", max_length=200)
    items = ItemsField(label="抽样物品")
    signer, refusal_note = _sign_fields().values()


class PreservationForm(forms.Form):
    requested_on = _day("申请日期")
    reason = forms.CharField(label="理由（证据可能灭失或者以后难以取得的情形）", widget=TEXT)
    place = forms.CharField(label="保存地点", max_length=200)
    items = ItemsField(label="保存的物品")


class ApproveForm(forms.Form):
    approved = forms.TypedChoiceField(label="审批意见", choices=[("1", "批准"), ("0", "不予批准")], coerce=lambda v: v == "1", widget=forms.RadioSelect)
    approved_on = _day("审批日期")
    preserved_on = forms.DateField(label="登记保存日期（批准时填写，默认为审批日期）", widget=DATE, required=False)
    opinion = forms.CharField(label="审批说明", max_length=500, required=False)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label="处理决定", choices=PreservationOutcome.choices)
    decided_on = _day("决定日期")
    detail = forms.CharField(label="具体内容", max_length=5000, required=False, widget=TEXT)


class FileForm(forms.Form):
    file = forms.FileField(label="文件")
    kind = forms.ChoiceField(label="类别", choices=EvidenceKind.choices)
    description = forms.CharField(label="证明对象（说明）", max_length=500)
    source = forms.CharField(label="来源（提供人或取得方式）", max_length=200)
    collected_on = _day("收集日期")


class RecusalForm(forms.Form):
    staff = forms.TypedChoiceField(label="应回避人员", coerce=int, choices=[])
    requested_on = _day("申请日期")
    applicant = forms.CharField(label="申请人（当事人或本人）", max_length=64)
    reason = forms.CharField(label="理由", widget=TEXT)

    def __init__(self, *args: Any, officers: list[CaseOfficer] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [(o.staff_id, o.staff.name) for o in officers or []]  # type: ignore[attr-defined]


class RecusalDecideForm(forms.Form):
    granted = forms.TypedChoiceField(label="决定", choices=[("1", "决定回避"), ("0", "决定不予回避")], coerce=lambda v: v == "1", widget=forms.RadioSelect)
    decided_on = _day("决定日期")


FORMS: dict[str, tuple[type[forms.Form], str]] = {
    "notice": (NoticeForm, "nt"),
    "interview": (InterviewForm, "iv"),
    "survey": (SurveyForm, "sv"),
    "sample": (SampleForm, "sp"),
    "preservation": (PreservationForm, "pr"),
    "file": (FileForm, "ef"),
}


def _download(doc: Any) -> str:
    return reverse("documents:download", args=[doc.pk]) if doc is not None else ""


def evidence_page(
    request: HttpRequest, case: Case, *, bound: dict[str, forms.Form] | None = None, errors: dict[str, DomainError | None] | None = None, status: int = 200
) -> HttpResponse:
    scope = scope_for(request.user)
    bound = bound or {}
    errors = errors or {}
    officers = list(CaseOfficer.objects.filter(case=case, active=True).select_related("staff").order_by("order"))
    owner = scope.agency_id == case.owner_agency_id
    on_team = owner and (scope.has_role(Role.DEPT_HEAD, Role.LEADER) or any(o.staff_id == scope.staff_id for o in officers))
    investigating = case.status in services.INVESTIGATING
    may_write = on_team and investigating and scope.has_role(Role.OFFICER, Role.DEPT_HEAD, Role.LEADER)
    is_leader = owner and scope.has_role(Role.LEADER)
    preservations = list(Preservation.objects.filter(case=case).select_related("approver", "notice_document", "decision_document", "requested_by").order_by("seq"))
    for p in preservations:
        p.items_text = services.items_text(p.items)  # type: ignore[attr-defined]
        p.notice_url = _download(p.notice_document)  # type: ignore[attr-defined]
        p.decision_url = _download(p.decision_document)  # type: ignore[attr-defined]
        p.approve_form = None  # type: ignore[attr-defined]
        p.decide_form = None  # type: ignore[attr-defined]
        if is_leader and p.status == PreservationStatus.PENDING and investigating and not is_same_person(p.requested_by, request.user):
            p.approve_form = bound.get(f"approve-{p.pk}") or ApproveForm(prefix=f"pa{p.pk}")  # type: ignore[attr-defined]
        if is_leader and p.status == PreservationStatus.PRESERVED:
            p.decide_form = bound.get(f"decide-{p.pk}") or DecideForm(prefix=f"pd{p.pk}")  # type: ignore[attr-defined]
        p.error = errors.get(f"approve-{p.pk}") or errors.get(f"decide-{p.pk}")  # type: ignore[attr-defined]
    recusals = list(Recusal.objects.filter(case=case).select_related("staff", "decided_by", "recorded_by").order_by("requested_on", "id"))
    for r in recusals:
        r.decide_form = None  # type: ignore[attr-defined]
        if is_leader and r.granted is None:
            r.decide_form = bound.get(f"recusal-{r.pk}") or RecusalDecideForm(prefix=f"rd{r.pk}")  # type: ignore[attr-defined]
        r.error = errors.get(f"recusal-{r.pk}")  # type: ignore[attr-defined]
    notices = list(InterviewNotice.objects.filter(case=case).select_related("document").order_by("seq"))
    interviews = list(InterviewRecord.objects.filter(case=case).select_related("document").order_by("seq"))
    surveys = list(SurveyRecord.objects.filter(case=case).select_related("document").order_by("seq"))
    samples = list(Sample.objects.filter(case=case).select_related("document").order_by("seq"))
    for row in [*notices, *interviews, *surveys, *samples]:
        row.url = _download(row.document)  # type: ignore[attr-defined]
    for s in samples:
        s.items_text = services.items_text(s.items)  # type: ignore[attr-defined]
    files = list(EvidenceFile.objects.filter(case=case).select_related("collector").order_by("collected_on", "id"))
    forms_ctx = {name: bound.get(name) or cls(prefix=prefix) for name, (cls, prefix) in FORMS.items()}
    recusal_form = bound.get("recusal") or RecusalForm(prefix="rc", officers=officers)
    ctx = {
        "case": case,
        "officers": officers,
        "notices": notices,
        "interviews": interviews,
        "surveys": surveys,
        "samples": samples,
        "preservations": preservations,
        "files": files,
        "recusals": recusals,
        "forms": forms_ctx,
        "recusal_form": recusal_form,
        "errors": errors,
        "may_write": may_write,
        "may_recuse": owner and investigating and scope.has_role(Role.OFFICER, Role.DEPT_HEAD, Role.LEADER),
        "domain_error": next((e for e in errors.values() if isinstance(e, PermissionRefused)), None),
    }
    return render(request, "cases/evidence/page.html", ctx, status=status)


@require_GET
@login_required
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    return evidence_page(request, selectors.case_get(user=request.user, pk=pk, detail=False))


def _post(request: HttpRequest, case: Case, name: str, form: forms.Form, fn: Callable[[dict[str, Any]], Any], done: str) -> HttpResponse:
    error, status = None, 200
    if form.is_valid():
        result, error, status = call_service(form, lambda: fn(form.cleaned_data))
        if result is not None:
            messages.success(request, done)
            return redirect("cases:evidence", pk=case.pk)
    return evidence_page(request, case, bound={name: form}, errors={name: error}, status=status if error else 200)


def _simple(name: str, fn: Callable[..., Any], done: str) -> Callable[[HttpRequest, int], HttpResponse]:
    cls, prefix = FORMS[name]

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        case = selectors.case_get(user=request.user, pk=pk, detail=False)
        form = cls(request.POST, request.FILES, prefix=prefix)
        return _post(request, case, name, form, lambda d: fn(request, case, d), done)

    view.__name__ = f"evidence_{name}"
    return view


def _file(request: HttpRequest, case: Case, d: dict[str, Any]) -> Any:
    d = dict(d)
    upload = d.pop("file")
    return services.evidence_file_add(actor=request.user, case=case, fh=upload, name=getattr(upload, "name", ""), **d)


def _with_items(fn: Callable[..., Any]) -> Callable[[HttpRequest, Case, dict[str, Any]], Any]:
    return lambda request, case, d: fn(actor=request.user, case=case, **d)


interview_notice = _simple("notice", _with_items(services.interview_notice_issue), "询问通知书已制作。")
interview = _simple("interview", _with_items(services.interview_record), "询问笔录已制作。")
survey = _simple("survey", _with_items(services.survey_record), "勘验笔录已制作。")
sample = _simple("sample", _with_items(services.sample_record), "抽样取证凭证已制作。")
preservation = _simple("preservation", _with_items(services.preservation_request), "先行登记保存申请已提交，待机关负责人审批。")
evidence_file = _simple("file", _file, "证据材料已登记。")


def _row(model: Any, case: Case, pk: Any) -> Any:
    n = parse_id(pk)
    row = model.objects.filter(case=case, pk=n).first() if n is not None else None
    if row is None:
        raise NotFound()
    return row


@login_required
@require_POST
def preservation_approve(request: HttpRequest, pk: int, pres_pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk, detail=False)
    p = _row(Preservation, case, pres_pk)
    form = ApproveForm(request.POST, prefix=f"pa{p.pk}")
    return _post(request, case, f"approve-{p.pk}", form, lambda d: services.preservation_approve(actor=request.user, preservation=p, **d), "先行登记保存审批已登记。")


@login_required
@require_POST
def preservation_decide(request: HttpRequest, pk: int, pres_pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk, detail=False)
    p = _row(Preservation, case, pres_pk)
    form = DecideForm(request.POST, prefix=f"pd{p.pk}")
    return _post(request, case, f"decide-{p.pk}", form, lambda d: services.preservation_decide(actor=request.user, preservation=p, **d), "先行登记保存证据处理决定已作出。")


@login_required
@require_POST
def recusal(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk, detail=False)
    officers = list(CaseOfficer.objects.filter(case=case, active=True).select_related("staff"))
    form = RecusalForm(request.POST, prefix="rc", officers=officers)

    def do(d: dict[str, Any]) -> Any:
        staff = next(o.staff for o in officers if o.staff_id == d["staff"])
        return case_services.recusal_request(actor=request.user, case=case, staff=staff, requested_on=d["requested_on"], applicant=d["applicant"], reason=d["reason"])

    return _post(request, case, "recusal", form, do, "回避申请已登记，待机关负责人决定。")


@login_required
@require_POST
def recusal_decide(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk, detail=False)
    r = _row(Recusal, case, rec_pk)
    form = RecusalDecideForm(request.POST, prefix=f"rd{r.pk}")
    return _post(request, case, f"recusal-{r.pk}", form, lambda d: case_services.recusal_decide(actor=request.user, recusal=r, **d), "回避决定已登记。")
