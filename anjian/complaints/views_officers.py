"""Pages of an officer's complaint record (issue 12 item 4): the list of officers with a record and
one officer's record. Thin: ``complaints.officers`` reads and decides who may."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from anjian.complaints import officers
from anjian.core.errors import PermissionRefused
from anjian.core.ui import refused


def _refuse_record(request: HttpRequest, exc: PermissionRefused) -> HttpResponse:
    return refused(request, exc.message, reverse("complaints:list"))


@login_required
@require_GET
def officer_list(request: HttpRequest) -> HttpResponse:
    try:
        lines = officers.officer_lines(request.user)
    except PermissionRefused as exc:
        return _refuse_record(request, exc)
    return render(request, "complaints/officer_records.html", {"lines": lines})


@login_required
@require_GET
def officer_record(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        record = officers.officer_record(request.user, pk)
    except PermissionRefused as exc:
        return _refuse_record(request, exc)
    return render(request, "complaints/officer_record.html", {"record": record, "summary": record.summary()})
