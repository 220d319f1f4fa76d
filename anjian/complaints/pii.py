"""The submitter's revealable personal data (core/pii.py) under the complaints' own rule: only the
office and the assigned handler (``selectors.may_see_identity``), each reveal audited."""

from __future__ import annotations

from typing import Any

from anjian.complaints import selectors
from anjian.complaints.models import Submission
from anjian.core import pii


def _get(user: Any, pk: Any) -> Submission:
    return selectors.submission_get(user=user, pk=pk)


def _may(user: Any, obj: Any) -> bool:
    return isinstance(obj, Submission) and selectors.may_see_identity(user, obj)


def register() -> None:
    pii.register(
        "submission", label="投诉举报人", fields=("submitter_name", "submitter_id_number", "submitter_phone", "submitter_address"), get=_get, may=_may,
    )
