"""The submitter's revealable personal data (core/pii.py) under the complaints' own rule: only the
office and the assigned handler (``selectors.may_see_identity``), each reveal audited; and the
guard on the submission's documents (only who may read the submission downloads them)."""

from __future__ import annotations

from typing import Any

from anjian.complaints import selectors
from anjian.complaints.models import Submission
from anjian.core import pii
from anjian.core.errors import NotFound
from anjian.documents import selectors as document_selectors


def _get(user: Any, pk: Any) -> Submission:
    return selectors.submission_get(user=user, pk=pk)


def _may(user: Any, obj: Any) -> bool:
    return isinstance(obj, Submission) and selectors.may_see_identity(user, obj)


def _may_read(user: Any, subject_id: str) -> bool:
    try:
        selectors.submission_get(user=user, pk=subject_id)
    except NotFound:
        return False
    return True


def register() -> None:
    # The submission's documents (答复意见书, 转送函) are read by those who may read the submission.
    document_selectors.register_subject_guard("complaints.submission", _may_read)
    pii.register(
        "submission", label="投诉举报人", fields=("submitter_name", "submitter_id_number", "submitter_phone", "submitter_address"), get=_get, may=_may,
    )
