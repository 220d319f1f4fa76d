"""Penalty-case document kinds: filing. See the package docstring."""

from __future__ import annotations
