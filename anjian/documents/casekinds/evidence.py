"""Penalty-case document kinds: evidence. See the package docstring."""

from __future__ import annotations
