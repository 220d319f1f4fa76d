"""The documents of a case (/cases/<id>/documents/): every document issued for it, and the
documents made on demand (调查报告, 案件处理呈批表, 放弃陈述申辩声明, 听证告知书), issued from the
case's records by ``cases.filing``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from anjian.cases import filing, selectors, services
from anjian.cases.models import Case
from anjian.core.errors import DomainError, NotFound
from anjian.core.scoping import scope_for
from anjian.core.ui import call_service
from anjian.documents import registry
from anjian.documents.models import IssuedDocument


class EvidenceForm(forms.Form):
    evidence = forms.CharField(label="证据（逐项列明）", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class OptionalEvidenceForm(forms.Form):
    evidence = forms.CharField(label="证据（不填则沿用调查报告所列）", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False)


# action → (label, form class or None, service)
ACTIONS: dict[str, tuple[str, type[forms.Form] | None, Callable[..., tuple[IssuedDocument, bool]]]] = {
    "investigation-report": ("制作调查报告", EvidenceForm, filing.investigation_report_issue),
    "handling-approval": ("制作案件处理呈批表", OptionalEvidenceForm, filing.handling_approval_issue),
    "waiver-form": ("制作放弃陈述申辩声明（供当事人签字）", None, filing.waiver_form_issue),
    "hearing-right-notice": ("制作听证告知书", None, filing.hearing_right_notice_issue),
}


def _available(request: HttpRequest, case: Case) -> list[str]:
    """The on-demand documents this user may make now (no button that can only be refused)."""
    scope = scope_for(request.user)
    if scope.agency_id != case.owner_agency_id or not scope.has_role(*services.WRITE_ROLES):
        return []
    out = []
    if case.proposed_on and case.status in ("filed", "notice_served", "hearing"):
        out += ["investigation-report", "handling-approval"]
    notice = case.notices.order_by("-issued_on", "-id").first()
    if notice is not None and notice.document_id and case.status == "notice_served":
        out.append("waiver-form")
        if notice.hearing_offered:
            out.append("hearing-right-notice")
    return out


def _page(request: HttpRequest, case: Case, *, bound: dict[str, forms.Form] | None = None, error: DomainError | None = None, status: int = 200) -> HttpResponse:
    docs = list(IssuedDocument.objects.filter(subject_type="cases.case", subject_id=str(case.pk)).order_by("issued_on", "id"))
    bound = bound or {}
    actions = [
        {"code": code, "label": ACTIONS[code][0], "form": bound.get(code) or (ACTIONS[code][1]() if ACTIONS[code][1] else None)}
        for code in _available(request, case)
    ]
    rows = [{"doc": d, "kind_name": _kind_name(d.kind)} for d in docs]
    return render(request, "cases/filing/documents.html", {"case": case, "rows": rows, "actions": actions, "error": error}, status=status)


def _kind_name(code: str) -> str:
    try:
        return registry.get(code).name
    except DomainError:
        return code


@login_required
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.case_get(user=request.user, pk=pk, detail=False))


@login_required
@require_POST
def documents_issue(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk, detail=False)
    if action not in ACTIONS:
        raise NotFound()
    if action not in _available(request, case):
        return _page(request, case, error=DomainError("您现在不能制作该文书（须为本案所属机关的执法人员，且案件处于相应环节）。", code="not_available"), status=403)
    label, form_class, fn = ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _page(request, case, bound={action: form}, status=400)
    kwargs: dict[str, Any] = dict(form.cleaned_data) if form is not None else {}
    result, error, status = call_service(form, lambda: fn(actor=request.user, case=case, **kwargs))
    if result is None:
        return _page(request, case, bound={action: form} if form is not None else None, error=error, status=status if error else 400)
    doc, created = result
    messages.success(request, f"已制作《{doc.title}》{doc.number}。" if created else f"该文书已制作（{doc.number}），未重复制作。")
    return redirect("cases:filing-documents", pk=case.pk)
