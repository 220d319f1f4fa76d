"""API plumbing shared by every app: one error shape, pagination."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from anjian.core.errors import DomainError, ValidationFailed


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


_DRF_MESSAGES = {
    "not_authenticated": "请先登录。",
    "authentication_failed": "身份认证失败。",
    "permission_denied": "您无权进行此操作。",
    "not_found": "记录不存在或无权访问。",
    "method_not_allowed": "不支持该请求方法。",
    "throttled": "请求过于频繁,请稍后再试。",
    "parse_error": "请求格式错误。",
    "unsupported_media_type": "不支持的请求内容类型。",
}


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [m for v in detail.values() for m in _flatten(v)]
    if isinstance(detail, list):
        return [m for v in detail for m in _flatten(v)]
    return [str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error has one shape: ``{code, message, fields}`` (+ ``article`` for a refused rule)."""
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.http_status)
    if isinstance(exc, DjangoValidationError):
        err = ValidationFailed.from_django(exc)
        return Response(err.as_dict(), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields: dict[str, list[str]] = {}
        if isinstance(detail, dict):
            for k, v in detail.items():
                fields[str(k)] = _flatten(v)
        else:
            fields["non_field_errors"] = _flatten(detail)
        response.data = {"code": "invalid", "message": "提交的数据有误,请按提示修改。", "fields": fields}
        return response
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        message = _DRF_MESSAGES.get(code) or "; ".join(_flatten(exc.detail))
        response.data = {"code": code, "message": message, "fields": {}}
    return response
