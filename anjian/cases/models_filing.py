"""Penalty-case models: filing (imported by cases.models)."""

from __future__ import annotations
