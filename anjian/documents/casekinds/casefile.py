"""Penalty-case document kinds: casefile. See the package docstring."""

from __future__ import annotations
