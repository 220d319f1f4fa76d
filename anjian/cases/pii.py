"""Penalty cases' revealable personal data (core/pii.py): a natural-person party's ID number, an
interviewee's ID number and telephone."""

from __future__ import annotations

from typing import Any

from anjian.cases.models import Case
from anjian.cases.models_evidence import InterviewRecord
from anjian.core import pii
from anjian.core.errors import NotFound
from anjian.core.scoping import get_for_user


def _case(user: Any, pk: Any) -> Case:
    return get_for_user(Case.objects.all(), user, pk)


def _interview(user: Any, pk: Any) -> InterviewRecord:
    rec = InterviewRecord.objects.select_related("case").filter(pk=pk).first()
    if rec is None:
        raise NotFound()
    _case(user, rec.case_id)  # the case in the user's scope, else 404
    return rec


def register() -> None:
    pii.register("case", label="案件当事人", fields=("person_id_number",), get=_case)
    pii.register("interview", label="询问笔录", fields=("id_number", "phone"), get=_interview)
