"""Per-request facts every service needs for the audit trail: request id and source IP.

Set by ``RequestContextMiddleware``; commands and tasks run with an empty context.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    request_id: str = ""
    source_ip: str | None = None


_current: contextvars.ContextVar[RequestInfo] = contextvars.ContextVar("anjian_request", default=RequestInfo())  # noqa: B039 - frozen dataclass, immutable


def current() -> RequestInfo:
    return _current.get()


def set_current(info: RequestInfo) -> contextvars.Token[RequestInfo]:
    return _current.set(info)


def reset(token: contextvars.Token[RequestInfo]) -> None:
    _current.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def of_request(request_id: str = "", source_ip: str | None = None) -> Iterator[None]:
    """Run a task with the facts of the request that queued it, so its audit events name them."""
    token = _current.set(RequestInfo(request_id=request_id, source_ip=source_ip))
    try:
        yield
    finally:
        _current.reset(token)
