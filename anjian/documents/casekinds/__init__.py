"""Document kinds of penalty cases (行政处罚案件文书), one module per stage of the procedure.

Imported at the end of ``documents.registry`` so that every kind is registered when the registry
is. Each module calls ``registry.register`` for its kinds; the case services issue them through
``documents.services.document_issue`` with facts taken from the case's records.
"""

from anjian.documents.casekinds import casefile, complaint, decision, evidence, execution, filing, planning, publication  # noqa: F401


def _codes(*modules: object) -> tuple[str, ...]:
    from anjian.documents.registry import DocumentKind

    return tuple(v.code for m in modules for v in vars(m).values() if isinstance(v, DocumentKind))


# The kinds of a penalty case (the complaint kinds belong to the complaints app).
CASE_KIND_CODES = _codes(filing, evidence, decision, execution, publication, casefile)
COMPLAINT_KIND_CODES = _codes(complaint)
