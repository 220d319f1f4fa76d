"""The .docx templates of the penalty-case document kinds, one module per stage.

Only ``documents.build_templates`` imports this package (at its end, after its helpers are
defined); each module defines ``BUILDERS`` (file name → builder) from those helpers.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document as DocxDocument

from anjian.documents.casetemplates import casefile, complaint, decision, evidence, execution, filing, planning, publication

BUILDERS: dict[str, Callable[[], DocxDocument]] = {}
for _module in (filing, evidence, decision, execution, casefile, publication, complaint, planning):
    for _name, _builder in _module.BUILDERS.items():
        if _name in BUILDERS:
            raise RuntimeError(f"template {_name} is built twice")
        BUILDERS[_name] = _builder
