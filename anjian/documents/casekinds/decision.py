"""Penalty-case document kinds: decision. See the package docstring."""

from __future__ import annotations
