"""Penalty-case document kinds: publication. See the package docstring."""

from __future__ import annotations
