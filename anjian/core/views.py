from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from anjian.core import worker


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("enterprises:list")


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
