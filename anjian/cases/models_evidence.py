"""Penalty-case models: evidence (imported by cases.models)."""

from __future__ import annotations
