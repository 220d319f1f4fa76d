"""API plumbing shared by every app: one error shape, pagination, id parameters, the JSON parser."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from anjian.core.errors import DomainError, ValidationFailed
from anjian.core.ids import DB_ID_MAX, DB_ID_MIN, ID_MESSAGE, bad_ids

logger = logging.getLogger("anjian.api")

# The body of an answer the server could not give: no traceback, no exception text (it may name
# tables or data); the log has the details under the request id.
SERVER_ERROR_BODY = {"code": "server_error", "message": "服务器内部错误，请稍后重试；如持续出现，请联系系统管理员。", "fields": {}}
BUSY_MESSAGE = "系统繁忙，请稍后重试。"
BUSY_BODY = {"code": "busy", "message": BUSY_MESSAGE, "fields": {}}
BUSY_RETRY_AFTER = "5"  # seconds: a lock held by a batch of an import is released within that


def is_database_busy(exc: BaseException) -> bool:
    """SQLite's single writer lock timed out ("database is locked"): the request may be retried."""
    from django.db import OperationalError

    return isinstance(exc, OperationalError) and "database is locked" in str(exc).lower()


class IdField(serializers.IntegerField):
    """A record id in a request body: a positive integer the database can hold (a 20-digit id
    was a 500 when it reached the query)."""

    default_error_messages = {"invalid": ID_MESSAGE, "min_value": ID_MESSAGE, "max_value": ID_MESSAGE, "max_string_length": ID_MESSAGE}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", DB_ID_MIN)
        kwargs.setdefault("max_value", DB_ID_MAX)
        super().__init__(**kwargs)


def id_params(params: Mapping[str, Any], keys: Iterable[str]) -> None:
    """Refuse (400, per field) any of the query parameters ``keys`` that is given but is not an id."""
    bad = bad_ids(params, keys)
    if bad:
        raise serializers.ValidationError(bad)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, but a body nested too deep for the decoder (``RecursionError``, e.g.
    5,000 levels) is a 400 like any other malformed body, not a 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("请求体的JSON嵌套层数过多。") from None


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
    "throttled": "请求过于频繁，请稍后再试。",
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
    if getattr(exc, "anjian_token_refused", False):
        # An unknown, expired or revoked API token (core/tokens.py): 401, whatever authenticator
        # comes first (DRF would make it 403 because the session's has no WWW-Authenticate).
        return Response({"code": "token_refused", "message": str(getattr(exc, "detail", "")), "fields": {}}, status=status.HTTP_401_UNAUTHORIZED, headers={"WWW-Authenticate": "Token"})
    if isinstance(exc, DjangoValidationError):
        err = ValidationFailed.from_django(exc)
        return Response(err.as_dict(), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, RequestDataTooBig):
        return Response({"code": "too_large", "message": "提交的数据过大。", "fields": {}}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, SuspiciousOperation):  # e.g. TooManyFieldsSent: a malformed request, never a 500
        return Response({"code": "invalid", "message": "提交的数据有误：字段过多或者格式不正确。", "fields": {}}, status=status.HTTP_400_BAD_REQUEST)
    # Imported here, not at the top: rest_framework.views reads DEFAULT_PARSER_CLASSES (this module's
    # JSONParser) when it is first imported, so importing it at the top is a circular import.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return unexpected_error_response(exc, context)
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields: dict[str, list[str]] = {}
        if isinstance(detail, dict):
            for k, v in detail.items():
                fields[str(k)] = _flatten(v)
        else:
            fields["non_field_errors"] = _flatten(detail)
        response.data = {"code": "invalid", "message": "提交的数据有误，请按提示修改。", "fields": fields}
        return response
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        text = "；".join(_flatten(exc.detail))
        # A message of ours (Chinese) is kept; DRF's own English details are replaced.
        message = text if (code == "parse_error" and not text.isascii()) else (_DRF_MESSAGES.get(code) or text)
        response.data = {"code": code, "message": message, "fields": {}}
    return response


def unexpected_error_response(exc: Exception, context: dict[str, Any]) -> Response:
    """An exception no layer expected: 503 when the database is busy, else 500, always with the
    ``{code, message, fields}`` body. Logged with its traceback; the client gets none."""
    from rest_framework.views import set_rollback  # not at the top: see exception_handler

    set_rollback()
    request = context.get("request")
    path = getattr(request, "path", "")
    if is_database_busy(exc):
        logger.warning("database busy: %s %s", getattr(request, "method", ""), path)
        return Response(dict(BUSY_BODY), status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": BUSY_RETRY_AFTER})
    logger.error("Internal Server Error: %s", path, exc_info=exc)
    return Response(dict(SERVER_ERROR_BODY), status=status.HTTP_500_INTERNAL_SERVER_ERROR)
