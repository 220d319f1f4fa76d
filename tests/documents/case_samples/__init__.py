"""Sample facts of the penalty-case document kinds, one module per stage (``SAMPLES``: kind code →
a function returning the facts), collected here so that ``conftest.sample_context`` renders every
registered kind without one shared file for all stages."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

CASE_SAMPLES: dict[str, Callable[[], dict[str, Any]]] = {}
for _info in pkgutil.iter_modules(__path__):
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    for _code, _sample in getattr(_module, "SAMPLES", {}).items():
        if _code in CASE_SAMPLES:
            raise RuntimeError(f"sample facts for {_code} are given twice")
        CASE_SAMPLES[_code] = _sample
