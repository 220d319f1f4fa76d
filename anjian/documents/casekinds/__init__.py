"""Document kinds of penalty cases (行政处罚案件文书), one module per stage of the procedure.

Imported at the end of ``documents.registry`` so that every kind is registered when the registry
is. Each module calls ``registry.register`` for its kinds; the case services issue them through
``documents.services.document_issue`` with facts taken from the case's records.
"""

from anjian.documents.casekinds import casefile, complaint, decision, evidence, execution, filing, planning, publication  # noqa: F401
