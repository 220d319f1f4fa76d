"""Penalty-case document kinds: execution. See the package docstring."""

from __future__ import annotations
