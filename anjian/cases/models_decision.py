"""Penalty-case models: decision (imported by cases.models)."""

from __future__ import annotations
