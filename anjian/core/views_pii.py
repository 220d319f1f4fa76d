"""The audited reveal of masked personal data (core/pii.py): a page form (htmx swaps the answer in
place of the masked value) and the API operation. Both take the record kind, its id, the field and
the reason in the body; a record outside the user's scope answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from anjian.core import pii
from anjian.core.errors import DomainError, NotFound


def _id(raw: Any) -> int:
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < value < 2**63:
        raise NotFound()
    return value


@login_required
@require_POST
def reveal(request: HttpRequest) -> HttpResponse:
    """POST target, id, field, reason → the value (a fragment for htmx, or a small page)."""
    data = request.POST
    ctx: dict[str, Any] = {"target": data.get("target", ""), "id": data.get("id", ""), "field": data.get("field", ""), "reason": data.get("reason", "")}
    try:
        ctx["value"] = pii.pii_reveal(actor=request.user, target=ctx["target"], pk=_id(ctx["id"]), field=ctx["field"], reason=ctx["reason"])
        status = 200
    except DomainError as exc:
        ctx["error"] = exc
        status = exc.http_status
    template = "core/pii_value.html" if request.headers.get("HX-Request") else "core/pii_reveal.html"
    return render(request, template, ctx, status=status)


class RevealSerializer(serializers.Serializer[Any]):
    target = serializers.ChoiceField(choices=[], help_text="记录类别（enterprise、keyperson、case、interview）")
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    field = serializers.CharField(max_length=64, help_text="字段（如 id_number、phone）")
    reason = serializers.CharField(max_length=pii.REASON_MAX, allow_blank=True, help_text="查看事由（必填，记入审计）")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = sorted(pii.TARGETS)  # type: ignore[attr-defined]


class RevealAnswerSerializer(serializers.Serializer[Any]):
    value = serializers.CharField()


class RevealThrottle(UserRateThrottle):
    """A burst limit besides the hourly one the service counts in the audit."""

    scope = "pii_reveal"
    rate = "20/min"


class PiiRevealView(APIView):
    throttle_classes = [RevealThrottle]

    @extend_schema(request=RevealSerializer, responses={200: RevealAnswerSerializer}, summary="查看完整个人信息（须填写事由，记入审计）")
    def post(self, request: Request) -> Response:
        ser = RevealSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        value = pii.pii_reveal(actor=request.user, target=d["target"], pk=d["id"], field=d["field"], reason=d["reason"])
        return Response({"value": value})
