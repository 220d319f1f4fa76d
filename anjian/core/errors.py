"""Domain errors: a code, a Chinese message, the rule (article) and per-field messages.

A refused step raises one of these from a service; the API turns it into HTTP 409/422 with the
same body (``anjian.core.api.exception_handler``) and the UI shows it next to the field or button
(ARCHITECTURE.md, rule 7).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class DomainError(Exception):
    """A step the system refuses. ``http_status`` 409: state/law conflict; 422: invalid input."""

    http_status = 409
    default_code = "refused"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        article: str = "",
        fields: Mapping[str, Sequence[str] | str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.article = article
        self.fields: dict[str, list[str]] = {
            k: [v] if isinstance(v, str) else list(v) for k, v in (fields or {}).items()
        }

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message, "fields": self.fields}
        if self.article:
            body["article"] = self.article
        return body


class ValidationFailed(DomainError):
    """Input that cannot be accepted as given; ``fields`` names each field at fault."""

    http_status = 422
    default_code = "invalid"

    @classmethod
    def from_django(cls, exc: Any, message: str = "提交的数据有误，请按提示修改。") -> ValidationFailed:
        """Wrap a ``django.core.exceptions.ValidationError`` keeping its per-field messages."""
        fields: dict[str, list[str]] = {}
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                fields["non_field_errors" if name == "__all__" else name] = list(errors)
        else:
            fields["non_field_errors"] = list(exc.messages)
        return cls(message, fields=fields)


class NotFound(DomainError):
    """Missing and forbidden look the same to the caller (STYLE.md principle 5)."""

    http_status = 404
    default_code = "not_found"

    def __init__(self, message: str = "记录不存在或无权访问。") -> None:
        super().__init__(message)


class PermissionRefused(DomainError):
    """The record is visible to the user but the user may not change it."""

    http_status = 403
    default_code = "forbidden"
