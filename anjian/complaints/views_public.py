"""The public pages (no login, under /public/): submitting a complaint or report, and checking its
status with the tracking code.

- Every field is validated (the form, then the service); the body is bounded by the anonymous
  request limit (``RequestSizeLimitMiddleware``) and the content by ``CONTENT_MAX``; attachments
  are checked by content and size; submissions and look-ups are rate-limited per source IP.
- The tracking code is shown only once ``submission_submit_public`` has returned, i.e. after its
  transaction committed; any failure shows "please try again" and no code.
- The status page takes the code in a POST body (never in a URL, so it stays out of logs and
  browser history) and shows only the status and the reply text; an unknown code and a
  malformed one give the same "not found" answer.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from anjian.complaints import public, services
from anjian.complaints.choices import PUBLIC_STATUS, Status
from anjian.complaints.forms import PublicForm, StatusForm
from anjian.core.errors import DomainError, ValidationFailed
from anjian.core.middleware import client_ip
from anjian.core.ui import apply_domain_error

log = logging.getLogger(__name__)
RETRY = "提交没有成功，您的投诉举报未被保存。请稍后重新提交；多次失败的，请来电或者来信反映。"


def _render(request: HttpRequest, template: str, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, template, ctx, status=status)
    add_never_cache_headers(response)  # personal data and single-use challenges: never cached
    return response


def _fresh(form: PublicForm) -> dict[str, Any]:
    challenge = public.challenge_new()
    if form.is_bound:
        data: Any = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict
        data["challenge_token"] = challenge.token
        data["challenge_answer"] = ""
        form.data = data
    else:
        form.initial["challenge_token"] = challenge.token
    return {"form": form, "question": challenge.question}


@require_http_methods(["GET", "POST"])
def public_report(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request, "complaints/public_report.html", _fresh(PublicForm()))
    if public.rate_limited("submit", client_ip(request), per_hour=public.submissions_per_hour()):
        form = PublicForm(request.POST)
        ctx = {**_fresh(form), "error": "同一网络地址一小时内提交次数过多，请稍后再试；紧急情况请直接来电。"}
        return _render(request, "complaints/public_report.html", ctx, status=429)
    form = PublicForm(request.POST)
    error = ""
    if form.is_valid():
        d = form.cleaned_data
        if d.get("website"):
            error = "提交的数据有误。"
        elif msg := public.challenge_check(d["challenge_token"], d["challenge_answer"]):
            form.add_error("challenge_answer", msg)
        else:
            files: list[tuple[Any, str]] = [(fh, fh.name or "附件") for fh in request.FILES.getlist("attachments")]
            committed: list[bool] = []
            try:
                with transaction.atomic():
                    sub, code = services.submission_submit_public(
                        agency=d["agency"], kind=d["kind"], grounds=d["grounds"], summary=d["summary"], content=d["content"], anonymous=d["anonymous"],
                        submitter_name=d["submitter_name"], submitter_id_number=d["submitter_id_number"], submitter_phone=d["submitter_phone"],
                        submitter_address=d["submitter_address"], unit_name=d["unit_name"], officer_names=d["officer_names"], files=files, deaths_alleged=d.get("deaths_alleged"),
                    )  # fmt: skip
                    transaction.on_commit(lambda: committed.append(True))
            except ValidationFailed as exc:
                if not apply_domain_error(form, exc):
                    error = exc.message
            except DomainError as exc:
                error = exc.message
            except Exception:
                log.exception("public complaint submission failed")
                error = RETRY
            else:
                # The code is shown only once the commit has happened (the on_commit hook ran);
                # otherwise nothing was saved for sure and the user is told to retry.
                if committed:
                    return _render(request, "complaints/public_done.html", {"code": code, "kind": sub.get_kind_display(), "agency": sub.owner_agency.name})
                error = RETRY
    ctx = {**_fresh(form), "error": error}
    return _render(request, "complaints/public_report.html", ctx, status=422 if (error or form.errors) else 200)


@require_http_methods(["GET", "POST"])
def public_status(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request, "complaints/public_status.html", {"form": StatusForm()})
    if public.rate_limited("status", client_ip(request), per_hour=public.lookups_per_hour()):
        return _render(request, "complaints/public_status.html", {"form": StatusForm(), "error": "查询次数过多，请一小时后再试。"}, status=429)
    form = StatusForm(request.POST)
    ctx: dict[str, Any] = {"form": form}
    if form.is_valid():
        sub = services.submission_by_code(form.cleaned_data["code"])
        if sub is None:
            ctx["not_found"] = True
        else:
            # Only the status and the texts sent to the submitter: no names, no departments, no findings.
            ctx["result"] = {
                "kind": sub.get_kind_display(),
                "received_on": sub.received_on,
                "status": PUBLIC_STATUS[sub.status],
                "reply": sub.public_reply if sub.replied_on else "",
                "replied_on": sub.replied_on,
                "review": sub.review_text if sub.status in (Status.REVIEWED, Status.RE_REVIEW, Status.CLOSED) else "",
                "re_review": sub.re_review_text,
                "declined": sub.get_decline_reason_display() if sub.status == Status.DECLINED else "",
                "referred_to": sub.referred_to if sub.status == Status.REFERRED else "",
            }
    return _render(request, "complaints/public_status.html", ctx)
