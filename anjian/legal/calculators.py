"""The officers' calculators: 法定期限计算器 and 罚款裁量 (issue 3, item 7).

Read-only pages: a GET form, the result below it (errors are shown on the page with HTTP 200,
as the ledger pages do; the API answers 422). The computation is ``law_selectors`` (the same
the API answers with); an engine refusal lands on the field it names.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anjian.core.errors import ValidationFailed
from anjian.law.penalties import Band
from anjian.legal import selectors as law_selectors
from anjian.legal.forms import DeadlineForm, PenaltyForm, apply_failure


@login_required
@require_GET
def deadline_calculator(request: HttpRequest) -> HttpResponse:
    """Pick an event and a date → every deadline it starts, with its article and flags."""
    submitted = "event" in request.GET or "date" in request.GET
    form = DeadlineForm(request.GET if submitted else None)
    table: law_selectors.DeadlineTable | None = None
    error: ValidationFailed | None = None
    if submitted and form.is_valid():
        data = form.cleaned_data
        try:
            table = law_selectors.deadline_table(user=request.user, event=data["event"], day=data["date"], step_date=data.get("step_date"), at=data.get("time"))
        except ValidationFailed as exc:
            if not apply_failure(form, exc):
                error = exc
    context: dict[str, Any] = {"form": form, "table": table, "domain_error": error, "overrides": law_selectors.overrides_for_user(request.user)}
    return render(request, "law/deadline_calculator.html", context)


@login_required
@require_GET
def penalty_calculator(request: HttpRequest) -> HttpResponse:
    """Pick a violation and circumstances → legal range, band and procedure flags."""
    submitted = "violation" in request.GET
    form = PenaltyForm(request.GET if submitted else None)
    result: law_selectors.PenaltyAssessment | None = None
    error: ValidationFailed | None = None
    if submitted and form.is_valid():
        try:
            result = law_selectors.penalty_assessment(user=request.user, **form.assessment_kwargs())
        except ValidationFailed as exc:
            if not apply_failure(form, exc):
                error = exc
    context: dict[str, Any] = {
        "form": form,
        "result": result,
        "domain_error": error,
        "bands_order": list(Band),
        "violations": law_selectors.violation_list(),
    }
    return render(request, "law/penalty_calculator.html", context)
