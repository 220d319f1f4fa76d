"""What every document of a penalty case shares: how it is issued and how it names the party.

Each stage of the procedure (``filing``, ``evidence``, ``decision``, ``execution``, ``casefile``)
builds its own documents' facts, but issues them all the same way — in the caller's transaction,
numbered by the agency that owns the case, with a ``source`` that names the act so that a replayed
submit cannot issue a second one (``documents.services.document_issue``) — and names the party
from the same records. The stages differ only in what they state of the party, which they say here
with ``fields``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from anjian.cases.models import Case, CaseStep
from anjian.documents import services as documents
from anjian.documents.models import IssuedDocument

SUBJECT_TYPE = "cases.case"


def issue(
    *, actor: Any, case: Case, kind: str, context: Mapping[str, Any], issued_on: dt.date, act: object = None, act_kind: str = ""
) -> IssuedDocument:
    """Issue one document of ``case`` in the caller's transaction.

    Its source is ``case:<id>:<act_kind or kind>[:<act>]``: ``act`` names the act when the case has
    several of that kind (the notice, the hearing, the n-th record); ``act_kind`` where two kinds
    are one act (a decision on a unit, on a person or on the spot: one decision per case).
    """
    agency = case.owner_agency
    source = act_source(case, act_kind or kind, act)
    return documents.document_issue(
        actor=actor, kind_code=kind, agency_id=agency.pk, agency_name=agency.name, doc_abbr=agency.doc_abbr, jurisdiction=case.jurisdiction,
        subject_type=SUBJECT_TYPE, subject_id=case.pk, context=context, issued_on=issued_on, source=source,
    )  # fmt: skip


def act_source(case: Case, kind: str, act: object = None) -> str:
    """The ``source`` naming one act of the case: ``case:<id>:<kind>[:<act>]``."""
    return f"case:{case.pk}:{kind}" + ("" if act is None or act == "" else f":{act}")


def attach(step: CaseStep, document: IssuedDocument) -> None:
    """Record the document on the timeline row of the act that issued it."""
    step.document = document
    step.save(update_fields=["document"])
