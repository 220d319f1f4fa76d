from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect
from django.template import loader

from anjian.core import worker
from anjian.core.api import BUSY_BODY, BUSY_RETRY_AFTER, SERVER_ERROR_BODY, is_database_busy


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Every user lands on the workbench (stats, issue 11); by URL name: core never imports stats.
    return redirect("workbench")


def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and the operator: the database answers, the task worker beats, and
    no task waits too long. 503 when any of them fails (a dead worker used to leave this "ok")."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        report = worker.health()
    except DatabaseError:
        return JsonResponse({"ok": False, "database": "error"}, status=503)
    body = {"ok": report["ok"], "database": "ok", "worker": report["worker"], "queue": report["queue"]}
    response = JsonResponse(body, status=200 if report["ok"] else 503)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: what an exception becomes when no view or middleware answered it — also one
    raised by a middleware (e.g. the session saved after the view, on a locked database). The same
    answers as ``core.middleware.ErrorMiddleware``: 503 busy, the JSON body under /api/."""
    exc = sys.exc_info()[1]
    api = request.path.startswith("/api/")
    if exc is not None and is_database_busy(exc):
        busy: HttpResponse = JsonResponse(BUSY_BODY, status=503, json_dumps_params={"ensure_ascii": False}) if api else HttpResponse(loader.render_to_string("503.html"), status=503)
        busy["Retry-After"] = BUSY_RETRY_AFTER
        return busy
    if api:
        return JsonResponse(SERVER_ERROR_BODY, status=500, json_dumps_params={"ensure_ascii": False})
    return HttpResponseServerError(loader.render_to_string("500.html"))
