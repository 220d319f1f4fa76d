"""Templates of the penalty-case document kinds: casefile. See the package docstring."""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document as DocxDocument

BUILDERS: dict[str, Callable[[], DocxDocument]] = {}
